#include "sim/time.hpp"

#include <array>
#include <cstdio>
#include <limits>
#include <utility>

namespace sim {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ns;
};
// A unit runs from the end of its number to the next digit, so "ms" is never read as "m".
constexpr std::array<Unit, 7> kUnits{{{"ns", 1},
                                      {"us", 1'000},
                                      {"ms", 1'000'000},
                                      {"s", 1'000'000'000},
                                      {"m", 60'000'000'000},
                                      {"h", 3'600'000'000'000},
                                      {"d", 86'400'000'000'000}}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// One "<number><unit>" of a duration, starting at text[i]; the unit runs to the next digit. On
/// success `i` is past the unit and `unit_index` is the unit's place in kUnits.
std::optional<Duration> parse_component(std::string_view text, std::size_t& i, std::size_t& unit_index) {
  // Integer part: digits as an exact integer, fraction digits kept separately.
  std::int64_t whole = 0;
  std::int64_t fraction = 0;
  std::int64_t fraction_scale = 1;
  bool any_digit = false;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  while (i < text.size() && is_digit(text[i])) {
    const int digit = text[i] - '0';
    if (whole > (kMax - digit) / 10) return std::nullopt;
    whole = whole * 10 + digit;
    any_digit = true;
    ++i;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    bool fraction_digit = false;
    while (i < text.size() && is_digit(text[i])) {
      if (fraction_scale > kMax / 10) return std::nullopt;
      fraction = fraction * 10 + (text[i] - '0');
      fraction_scale *= 10;
      fraction_digit = true;
      ++i;
    }
    if (!fraction_digit) return std::nullopt;
  }
  if (!any_digit) return std::nullopt;
  std::size_t unit_end = i;
  while (unit_end < text.size() && !is_digit(text[unit_end]) && text[unit_end] != '.') ++unit_end;
  const std::string_view unit = text.substr(i, unit_end - i);
  i = unit_end;
  for (unit_index = 0; unit_index < kUnits.size(); ++unit_index) {
    const Unit& u = kUnits[unit_index];
    if (unit != u.name) continue;
    if (whole > kMax / u.ns) return std::nullopt;
    const std::int64_t whole_ns = whole * u.ns;
    // fraction / fraction_scale * u.ns must be a whole number of nanoseconds.
    if (fraction != 0) {
      // u.ns <= 8.64e13 and fraction < fraction_scale <= 1e18: use 128-bit to avoid overflow.
      const __int128 scaled = static_cast<__int128>(fraction) * u.ns;
      if (scaled % fraction_scale != 0) return std::nullopt;
      const auto frac_ns = static_cast<std::int64_t>(scaled / fraction_scale);
      if (whole_ns > kMax - frac_ns) return std::nullopt;
      return Duration{whole_ns + frac_ns};
    }
    return Duration{whole_ns};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  // "1h30m", "1m30.5s": components in decreasing units, summed.
  std::size_t i = 0;
  std::size_t previous_unit = kUnits.size();
  std::int64_t total = 0;
  while (i < text.size() || i == 0) {
    std::size_t unit = 0;
    const std::optional<Duration> part = parse_component(text, i, unit);
    if (!part || unit >= previous_unit) return std::nullopt;
    if (total > std::numeric_limits<std::int64_t>::max() - part->count()) return std::nullopt;
    total += part->count();
    previous_unit = unit;
  }
  return Duration{total};
}

std::string format_duration(Duration d) {
  std::int64_t ns = d.count();
  std::string sign;
  if (ns < 0) {
    sign = "-";
    ns = -ns;
  }
  if (ns == 0) return "0s";
  // Pick the largest unit in which the value has at most three decimals; prefer s over m/h
  // unless the value is a whole number of minutes or hours.
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    const Unit& u = *it;
    if ((u.name == "d" || u.name == "h" || u.name == "m") && ns % u.ns != 0) continue;
    if (ns < u.ns) continue;
    const std::int64_t whole = ns / u.ns;
    std::int64_t rest = ns % u.ns;
    if (rest == 0) return sign + std::to_string(whole) + std::string(u.name);
    // Up to three decimals, only when exact.
    if (u.ns >= 1000 && rest % (u.ns / 1000) == 0) {
      std::int64_t millis = rest / (u.ns / 1000);
      std::string frac = std::to_string(millis);
      frac.insert(0, 3 - frac.size(), '0');
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
      return sign + std::to_string(whole) + "." + frac + std::string(u.name);
    }
  }
  return sign + std::to_string(ns) + "ns";
}

std::string format_clock(Duration d) {
  const std::int64_t ms = d.count() / 1'000'000;
  const std::string sign = ms < 0 ? "-" : "";
  const std::int64_t a = ms < 0 ? -ms : ms;
  const std::int64_t days = a / 86'400'000, h = a / 3'600'000 % 24, m = a / 60'000 % 60, s = a / 1000 % 60, frac = a % 1000;
  char buf[64];
  if (frac != 0)
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(h), static_cast<long long>(m),
                  static_cast<long long>(s), static_cast<long long>(frac));
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(h), static_cast<long long>(m),
                  static_cast<long long>(s));
  return sign + (days > 0 ? std::to_string(days) + "d " : std::string()) + buf;
}

}  // namespace sim
