#include "reports/html_report.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <vector>

#include "reports/embedded_assets.hpp"
#include "reports/html_escape.hpp"
#include "reports/run_breakdowns.hpp"
#include "reports/sha256.hpp"

namespace reports {

using json = nlohmann::ordered_json;

namespace {

// A chart keeps at most this many buckets per series (twice as many points with the min/max
// envelope): a day at a 1 s step then draws and pans without lag and the file stays small.
constexpr std::size_t kMaxBuckets = 2000;

// ---------------------------------------------------------------------------------------------
// Formatting. Every number goes through snprintf in the "C" locale, so the bytes never depend on
// the machine.

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Truncated, not rounded: 99.8996 % must not print as a 99.9 % target it missed.
std::string percent_floor(double ratio, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double v = std::floor(ratio * 100 * scale + 1e-9) / scale;
  if (v >= 100) return "100%";
  return fixed(v, decimals) + "%";
}

std::string percent_rounded(double ratio, int decimals) { return fixed(ratio * 100, decimals) + "%"; }

// Decimals a percentage needs to show `ratio` exactly (0.999 -> 1, 0.9995 -> 2), at most 4.
int percent_decimals(double ratio) {
  for (int d = 0; d < 4; ++d) {
    const double scaled = ratio * 100 * std::pow(10.0, d);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6) return d;
  }
  return 4;
}

// Time since the start of the run: "3:05" (minutes:seconds), or "0:03:05" in runs of an hour or
// more, as on the charts' time axes.
std::string clock_time(double seconds, bool hours) {
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long h = total / 3600, m = (hours ? total / 60 % 60 : total / 60), s = total % 60;
  char buf[48];
  if (hours && h >= 24)  // a long run's generated faults: "363d 21:18:31"
    std::snprintf(buf, sizeof buf, "%lldd %02lld:%02lld:%02lld", h / 24, h % 24, m, s);
  else if (hours)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", h, m, s);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", m, s);
  return buf;
}

// "90 s", "5 min", "2 h 30 min", "1.5 s".
std::string duration_words(double seconds) {
  if (seconds < 120) {
    std::string text = fixed(seconds, 3);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    return text + " s";
  }
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long h = total / 3600, m = total / 60 % 60, s = total % 60;
  std::string out;
  if (h > 0) out += std::to_string(h) + " h";
  if (m > 0) out += (out.empty() ? "" : " ") + std::to_string(m) + " min";
  if (s > 0) out += (out.empty() ? "" : " ") + std::to_string(s) + " s";
  return out;
}

std::string milliseconds(double ms) { return fixed(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0) + " ms"; }

// A `--duration` argument that parses back to the same nanoseconds: "300s", "1.5s".
std::string duration_argument(double seconds) {
  const auto ns = static_cast<long long>(std::llround(seconds * 1e9));
  std::string out = std::to_string(ns / 1000000000);
  if (const long long frac = ns % 1000000000; frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%09lld", frac);
    std::string digits = buf;
    digits.erase(digits.find_last_not_of('0') + 1);
    out += "." + digits;
  }
  return out + "s";
}

// Quotes for a POSIX shell only where the word needs it.
std::string shell_word(std::string_view word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_./-+=:@%,", c) != nullptr;
  });
  if (plain) return std::string(word);
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return thousands(n) + " " + std::string(n == 1 ? one : many);
}

// ---------------------------------------------------------------------------------------------
// Reading the document: every value the report uses is checked first, so a hand-edited or foreign
// file gets a message naming the JSON pointer instead of a crash or a wrong page.

std::string pointer_token(std::string_view key) {
  std::string out;
  for (const char c : key) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

std::string describe(const json* value) {
  if (value == nullptr) return "nothing";
  switch (value->type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return value->get<bool>() ? "true" : "false";
    case json::value_t::string: {
      const auto& s = value->get_ref<const std::string&>();
      return s.size() <= 40 ? json(s).dump(-1, ' ', false, json::error_handler_t::replace)
                            : json(s.substr(0, 40)).dump(-1, ' ', false, json::error_handler_t::replace) + "...";
    }
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return value->dump();
  }
}

enum class Kind { Object, Array, String, Number, NumberOrNull, Count };

bool is(const json& v, Kind kind) {
  switch (kind) {
    case Kind::Object: return v.is_object();
    case Kind::Array: return v.is_array();
    case Kind::String: return v.is_string();
    case Kind::Number: return v.is_number();
    case Kind::NumberOrNull: return v.is_number() || v.is_null();
    case Kind::Count: return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
  }
  return false;
}

const char* expected(Kind kind) {
  switch (kind) {
    case Kind::Object: return "an object";
    case Kind::Array: return "an array";
    case Kind::String: return "a string";
    case Kind::Number: return "a number";
    case Kind::NumberOrNull: return "a number or null";
    case Kind::Count: return "an integer >= 0";
  }
  return "";
}

class Checker {
 public:
  explicit Checker(const std::string& file) : file_(file) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& what, const json* found) const {
    throw ResultsDocumentError(file_, pointer, "expected " + what + ", found " + describe(found));
  }

  const json& member(const json& object, const std::string& pointer, std::string_view key, Kind kind) const {
    const std::string at = pointer + "/" + pointer_token(key);
    const auto it = object.find(key);
    if (it == object.end()) fail(at, expected(kind), nullptr);
    if (!is(*it, kind)) fail(at, expected(kind), &*it);
    return *it;
  }

  // An array of `kind`, of `size` elements unless size is npos.
  const json& array_of(const json& object, const std::string& pointer, std::string_view key, Kind kind,
                       std::size_t size = std::string::npos) const {
    const json& a = member(object, pointer, key, Kind::Array);
    const std::string at = pointer + "/" + pointer_token(key);
    if (size != std::string::npos && a.size() != size)
      fail(at, "an array of " + std::to_string(size) + " values (one per step of series/t_s)", &a);
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!is(a[i], kind)) fail(at + "/" + std::to_string(i), expected(kind), &a[i]);
    return a;
  }

  // Fuzz finding (tests/data/fuzz_regressions/results/time-1e300.json): times far beyond any run ("t_s":
  // [1e300]) overflowed the casts to integers when the verdict grouped steps into windows (UB). faultline
  // counts time in int64 nanoseconds, so a time it wrote lies within [0, kMaxSeconds]; a step or duration
  // is also at least its 1 ns resolution.
  static constexpr double kMaxSeconds = 9.2e9;
  void check_seconds(const json& value, const std::string& at, bool positive) const {
    const double v = value.get<double>();
    if (!(v >= (positive ? 1e-9 : 0.0) && v <= kMaxSeconds))
      fail(at, positive ? "a number of seconds between 1e-9 and 9.2e9" : "a number of seconds between 0 and 9.2e9", &value);
  }
  const json& seconds(const json& object, const std::string& pointer, std::string_view key, Kind kind,
                      bool positive = false) const {
    const json& value = member(object, pointer, key, kind);
    if (!value.is_null()) check_seconds(value, pointer + "/" + pointer_token(key), positive);
    return value;
  }

  void object_of(const json& object, const std::string& pointer, std::string_view key, Kind kind) const {
    const json& o = member(object, pointer, key, Kind::Object);
    const std::string at = pointer + "/" + pointer_token(key);
    for (const auto& [k, v] : o.items())
      if (!is(v, kind)) fail(at + "/" + pointer_token(k), expected(kind), &v);
  }

  void object_of_arrays(const json& object, const std::string& pointer, std::string_view key, Kind kind,
                        std::size_t size) const {
    const json& o = member(object, pointer, key, Kind::Object);
    const std::string at = pointer + "/" + pointer_token(key);
    for (const auto& [k, v] : o.items()) array_of(o, at, k, kind, size);
  }

 private:
  const std::string& file_;
};

void check_counts(const Checker& c, const json& counts, const std::string& p) {
  for (const char* key : {"requests", "succeeded", "failed", "slow"}) c.member(counts, p, key, Kind::Count);
  c.member(counts, p, "success_rate", Kind::NumberOrNull);
  c.object_of(counts, p, "failures", Kind::Count);
  c.object_of(counts, p, "served_by_region", Kind::Count);
}

void check_latency(const Checker& c, const json& latency, const std::string& p) {
  for (const char* key : {"p50", "p90", "p99", "p99.9", "max"}) c.member(latency, p, key, Kind::Number);
}

void check_series_group(const Checker& c, const json& group, const std::string& p, std::size_t n) {
  for (const char* key : {"requests", "succeeded", "failed", "slow"}) c.array_of(group, p, key, Kind::Count, n);
  c.array_of(group, p, "success_rate", Kind::NumberOrNull, n);
  for (const char* key : {"p50_ms", "p90_ms", "p99_ms"}) c.array_of(group, p, key, Kind::Number, n);
  c.object_of_arrays(group, p, "failures", Kind::Count, n);
  c.object_of_arrays(group, p, "served_by_region", Kind::Count, n);
}

void check_document(const json& doc, const std::string& file) {
  const Checker c(file);
  if (!doc.is_object()) c.fail("", "a faultline results document (a JSON object)", &doc);
  const auto version = doc.find("faultline_results");
  if (version == doc.end() || !version->is_number_integer())
    c.fail("/faultline_results", "1 (the mark of a faultline results.json)",
           version == doc.end() ? nullptr : &*version);
  if (version->get<std::int64_t>() != 1)
    c.fail("/faultline_results", "1 (results format this faultline reads)", &*version);
  c.member(doc, "", "scenario", Kind::String);
  c.member(doc, "", "seed", Kind::Count);
  c.seconds(doc, "", "duration_s", Kind::Number, true);
  c.seconds(doc, "", "step_s", Kind::Number, true);
  const json& slo = c.member(doc, "", "slo", Kind::Object);
  const double target = c.member(slo, "/slo", "availability", Kind::Number).get<double>();
  if (!(target > 0 && target < 1)) c.fail("/slo/availability", "a number between 0 and 1", &slo["availability"]);
  c.member(slo, "/slo", "latency_ms", Kind::Number);
  c.array_of(doc, "", "regions", Kind::String);
  check_counts(c, c.member(doc, "", "totals", Kind::Object), "/totals");
  check_latency(c, c.member(doc, "", "latency_ms", Kind::Object), "/latency_ms");

  const json& clients = c.array_of(doc, "", "clients", Kind::Object);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const std::string p = "/clients/" + std::to_string(i);
    c.member(clients[i], p, "name", Kind::String);
    if (clients[i].contains("region")) c.member(clients[i], p, "region", Kind::String);
    check_counts(c, c.member(clients[i], p, "totals", Kind::Object), p + "/totals");
    check_latency(c, c.member(clients[i], p, "latency_ms", Kind::Object), p + "/latency_ms");
  }

  const json& series = c.member(doc, "", "series", Kind::Object);
  const json& t_s = c.array_of(series, "/series", "t_s", Kind::Number);
  for (std::size_t i = 0; i < t_s.size(); ++i) c.check_seconds(t_s[i], "/series/t_s/" + std::to_string(i), false);
  const std::size_t n = t_s.size();
  check_series_group(c, c.member(series, "/series", "all", Kind::Object), "/series/all", n);
  const json& per_client = c.member(series, "/series", "clients", Kind::Object);
  for (const auto& [name, group] : per_client.items()) {
    const std::string p = "/series/clients/" + pointer_token(name);
    if (!group.is_object()) c.fail(p, "an object", &group);
    check_series_group(c, group, p, n);
  }

  const json& faults = c.array_of(doc, "", "faults", Kind::Object);
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const std::string p = "/faults/" + std::to_string(i);
    for (const char* key : {"id", "kind", "target"}) c.member(faults[i], p, key, Kind::String);
    c.seconds(faults[i], p, "start_s", Kind::Number);
    c.seconds(faults[i], p, "end_s", Kind::NumberOrNull);
    const json& blast = c.member(faults[i], p, "structural_blast_radius", Kind::Object);
    c.member(blast, p + "/structural_blast_radius", "count", Kind::Count);
    c.object_of(blast, p + "/structural_blast_radius", "by_kind", Kind::Count);
    c.array_of(blast, p + "/structural_blast_radius", "components", Kind::String);
    // Measured per fault by later versions; read when present.
    for (const char* key : {"time_to_detect_s", "time_to_recover_s"})
      if (faults[i].contains(key)) c.member(faults[i], p, key, Kind::NumberOrNull);
    if (faults[i].contains("lost_writes")) c.member(faults[i], p, "lost_writes", Kind::Count);
    // Bad requests by cause (README "Metrics"), from the version that counts them.
    if (faults[i].contains("observed_blast_radius") && faults[i]["observed_blast_radius"].contains("shared")) {
      const json& observed = c.member(faults[i], p, "observed_blast_radius", Kind::Object);
      for (const char* key : {"requests", "bad", "shared"}) c.member(observed, p + "/observed_blast_radius", key, Kind::Count);
    }
  }
  if (doc.contains("no_fault")) {
    const json& no_fault = c.member(doc, "", "no_fault", Kind::Object);
    c.member(no_fault, "/no_fault", "bad", Kind::Count);
  }

  if (doc.contains("databases")) {
    const json& dbs = c.array_of(doc, "", "databases", Kind::Object);
    for (std::size_t i = 0; i < dbs.size(); ++i) {
      const std::string p = "/databases/" + std::to_string(i);
      for (const char* key : {"name", "primary_region"}) c.member(dbs[i], p, key, Kind::String);
      for (const char* key : {"writes", "failed_writes", "lost_writes", "failovers"}) c.member(dbs[i], p, key, Kind::Count);
      c.member(dbs[i], p, "write_unavailable_s", Kind::Number);
    }
  }
  if (doc.contains("services")) {
    const json& services = c.array_of(doc, "", "services", Kind::Object);
    for (std::size_t i = 0; i < services.size(); ++i) c.member(services[i], "/services/" + std::to_string(i), "name", Kind::String);
  }
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// ---------------------------------------------------------------------------------------------
// The run, as the report needs it.

std::uint64_t count(const json& v) { return v.get<std::uint64_t>(); }
double number(const json& v) { return v.get<double>(); }

struct FaultWindow {
  std::string id;
  double start = 0;
  double end = 0;  // the end of the run when the fault lasted until then
  bool open = false;
};

struct Run {
  const json& doc;
  const ReportInputs& inputs;
  std::string name;
  double duration = 0;
  double step = 0;
  double slo_target = 0;
  double slo_latency_ms = 0;
  std::vector<double> t;
  std::vector<FaultWindow> faults;

  bool hours() const { return duration >= 3600; }
};

Run make_run(const json& doc, const ReportInputs& inputs) {
  Run run{doc, inputs, doc["scenario"].get<std::string>(), number(doc["duration_s"]), number(doc["step_s"]),
          number(doc["slo"]["availability"]), number(doc["slo"]["latency_ms"]), {}, {}};
  for (const auto& v : doc["series"]["t_s"]) run.t.push_back(number(v));
  for (const auto& f : doc["faults"]) {
    const bool open = f["end_s"].is_null();
    run.faults.push_back({f["id"].get<std::string>(), number(f["start_s"]),
                          open ? run.duration : std::min(run.duration, number(f["end_s"])), open});
  }
  return run;
}

// Ids of the faults active at some time in [from, to), escaped, "and"-joined.
std::string active_faults(const Run& run, double from, double to) {
  std::vector<std::string> ids;
  for (const auto& f : run.faults)
    if (f.start < to && (f.open || f.end > from)) ids.push_back(html_escape(f.id));
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i != 0) out += i + 1 == ids.size() ? " and " : ", ";
    out += "<strong>" + ids[i] + "</strong>";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The verdict.

struct Window {
  double from = 0, to = 0;
  std::uint64_t requests = 0, good = 0;
};

// Width of the windows the verdict compares: a minute, or for runs under five minutes about a
// tenth of the run (whole steps), and never less than a step.
double window_width(const Run& run) {
  if (run.duration >= 300) return std::max(60.0, run.step);
  return run.step * std::max(1.0, std::floor(run.duration / 10 / run.step + 1e-9));
}

// The window with the lowest share of good requests.
std::optional<Window> worst_window(const Run& run) {
  const json& all = run.doc["series"]["all"];
  const double width = window_width(run);
  std::map<long long, Window> windows;
  for (std::size_t i = 0; i < run.t.size(); ++i) {
    const auto index = static_cast<long long>(std::floor(run.t[i] / width + 1e-9));
    Window& w = windows[index];
    w.from = static_cast<double>(index) * width;
    w.to = std::min(w.from + width, std::max(run.duration, w.from + run.step));
    w.requests += count(all["requests"][i]);
    w.good += count(all["succeeded"][i]) - std::min(count(all["succeeded"][i]), count(all["slow"][i]));
  }
  std::optional<Window> worst;
  for (const auto& [index, w] : windows) {
    if (w.requests == 0) continue;
    // Cross-multiplied to compare good/requests exactly; ties keep the earliest.
    if (!worst || static_cast<long double>(w.good) * worst->requests <
                      static_cast<long double>(worst->good) * w.requests)
      worst = w;
  }
  return worst;
}

std::string verdict_html(const Run& run, bool& met) {
  const json& totals = run.doc["totals"];
  const std::uint64_t requests = count(totals["requests"]);
  const std::uint64_t succeeded = count(totals["succeeded"]);
  const std::uint64_t good = succeeded - std::min(succeeded, count(totals["slow"]));
  const int target_decimals = percent_decimals(run.slo_target);
  const int decimals = std::max(2, target_decimals + 1);
  const std::string target = fixed(run.slo_target * 100, target_decimals) + "%";
  met = false;
  if (requests == 0)
    return "No request was sent in this run, so it cannot be judged against the SLO of " + target + ".";

  const double availability = static_cast<double>(good) / static_cast<double>(requests);
  met = availability >= run.slo_target;
  std::string s = "SLO availability " + percent_floor(availability, decimals) + " (" + thousands(good) + " of " +
                  plural(requests, "request", "requests") + " succeeded within " +
                  milliseconds(run.slo_latency_ms) + ") against an SLO of " + target + ": the SLO was " +
                  (met ? "<strong>met</strong>" : "<strong>missed</strong>");
  if (const auto worst = worst_window(run)) {
    const double width = window_width(run);
    const std::string window = width == 60 ? std::string("minute") : duration_words(width);
    const double ratio = static_cast<double>(worst->good) / static_cast<double>(worst->requests);
    const std::string faults = active_faults(run, worst->from, worst->to);
    if (worst->good == worst->requests) {
      s += "; every " + window + " of the run stayed at 100%";
    } else {
      s += ", and the worst " + window + " (" + clock_time(worst->from, run.hours()) + "–" + clock_time(worst->to, run.hours()) +
           " after the start) had " + percent_floor(ratio, decimals);
      s += faults.empty() ? std::string(" with no fault active")
                          : ", while " + faults + (faults.find(" and ") != std::string::npos ? " were" : " was") + " active";
    }
  }
  // The terminal summary's "achieved" counts every success, however slow: say which is which.
  const std::uint64_t slow = succeeded - good;
  s += ". Counting every success whatever its latency, " + fixed(100.0 * static_cast<double>(succeeded) / static_cast<double>(requests), 3) +
       "% of requests succeeded: the figure the terminal summary prints as achieved" +
       (slow == 0 ? std::string(", the same here as no success was slower than ") + milliseconds(run.slo_latency_ms)
                  : ", higher by the " + plural(slow, "success", "successes") + " slower than " + milliseconds(run.slo_latency_ms));
  return s + ".";
}

std::string kpis_html(const Run& run) {
  const json& totals = run.doc["totals"];
  const std::uint64_t requests = count(totals["requests"]);
  const std::uint64_t succeeded = count(totals["succeeded"]);
  const std::uint64_t slow = count(totals["slow"]);
  const std::uint64_t bad = requests - (succeeded - std::min(succeeded, slow));
  std::string budget = "–";
  if (requests != 0) {
    const double allowed = (1 - run.slo_target) * static_cast<double>(requests);
    const double used = static_cast<double>(bad) / allowed;
    budget = used >= 10 ? fixed(used, 0) + "×" : used >= 1 ? fixed(used, 1) + "×" : percent_rounded(used, 0);
    budget += " <small>(" + thousands(bad) + " bad of " + thousands(static_cast<std::uint64_t>(std::llround(allowed))) +
              " allowed)</small>";
  }
  auto tile = [](const std::string& label, const std::string& value) {
    return "<div><dt>" + label + "</dt><dd>" + value + "</dd></div>";
  };
  std::string out = "<dl class=\"kpis\">";
  out += tile("Requests", thousands(requests));
  out += tile("Failed", thousands(count(totals["failed"])));
  out += tile("Slow (over " + milliseconds(run.slo_latency_ms) + ")", thousands(slow));
  out += tile("Error budget used", budget);
  out += tile("Latency p50 / p99", milliseconds(number(run.doc["latency_ms"]["p50"])) + " / " +
                                       milliseconds(number(run.doc["latency_ms"]["p99"])));
  return out + "</dl>";
}

// ---------------------------------------------------------------------------------------------
// The charts' data: downsampled series for the page script.

struct Buckets {
  std::size_t steps = 1;  // steps per bucket
  std::size_t count = 0;
};

Buckets bucketing(std::size_t steps) {
  Buckets b;
  b.steps = std::max<std::size_t>(1, (steps + kMaxBuckets - 1) / kMaxBuckets);
  b.count = (steps + b.steps - 1) / b.steps;
  return b;
}

// Multiplying back by 1e-3 would leave binary noise (4.6850000000000005) in the page's JSON.
double round_to(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

json point(double t, std::optional<double> v) { return json::array({t, v ? json(*v) : json(nullptr)}); }

// [t, value] points. Within a bucket only its lowest and highest values are kept, in time order:
// a dip or a spike of one step survives any downsampling. An empty bucket becomes a gap.
json envelope(const std::vector<double>& t, const std::vector<std::optional<double>>& values, const Buckets& b) {
  json out = json::array();
  for (std::size_t bucket = 0; bucket < b.count; ++bucket) {
    const std::size_t from = bucket * b.steps, to = std::min(values.size(), from + b.steps);
    std::optional<std::size_t> lo, hi;
    for (std::size_t i = from; i < to; ++i) {
      if (!values[i]) continue;
      if (!lo || *values[i] < *values[*lo]) lo = i;
      if (!hi || *values[i] > *values[*hi]) hi = i;
    }
    if (!lo) {
      out.push_back(point(t[from], std::nullopt));
    } else if (*lo == *hi) {
      out.push_back(point(t[*lo], values[*lo]));
    } else {
      const std::size_t first = std::min(*lo, *hi), second = std::max(*lo, *hi);
      out.push_back(point(t[first], values[first]));
      out.push_back(point(t[second], values[second]));
    }
  }
  return out;
}

// The fleet drawn as regions with their clusters below them, fixed positions (no random layout:
// the same results give the same picture). A region or cluster a fault takes down entirely is
// "failed"; one where a fault takes down some nodes, pods or proxies is "partly". Nothing when
// the results do not record the topology.
std::optional<json> topology_data(const Run& run) {
  const json& doc = run.doc;
  if (!doc.contains("topology") || !doc["topology"].is_object() || !doc["topology"].contains("regions") ||
      !doc["topology"]["regions"].is_array())
    return std::nullopt;
  const auto text = [](const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  // For each component name, the faults that take it down, and the faults that reach inside it.
  const auto hits = [&](const std::string& name, bool inside) {
    json ids = json::array();
    for (const auto& f : doc["faults"]) {
      const json& components = f["structural_blast_radius"]["components"];
      const bool hit = std::any_of(components.begin(), components.end(), [&](const json& c) {
        if (!c.is_string()) return false;
        const std::string& s = c.get_ref<const std::string&>();
        return inside ? s.rfind(name + "/", 0) == 0 : s == name;
      });
      if (hit) ids.push_back(f["id"]);
    }
    return ids;
  };
  json nodes = json::array(), links = json::array();
  const auto add_node = [&](const std::string& name, const char* kind, double x, double y, const std::string& detail) {
    json down = hits(name, false), partly = hits(name, true);
    const char* state = !down.empty() ? "failed" : !partly.empty() ? "partly" : "ok";
    nodes.push_back(json{{"name", name}, {"kind", kind}, {"x", x}, {"y", y}, {"state", state},
                         {"detail", detail}, {"down_by", down}, {"partly_by", partly}});
  };
  double x = 0;
  for (const auto& region : doc["topology"]["regions"]) {
    const std::string name = text(region, "name");
    const json clusters = region.contains("clusters") && region["clusters"].is_array() ? region["clusters"] : json::array();
    const double width = std::max<double>(1, static_cast<double>(clusters.size())) * 110;
    const double centre = x + width / 2;
    add_node(name, "region", centre, 0,
             region.contains("gateway_vip") && region["gateway_vip"].is_boolean() && region["gateway_vip"].get<bool>()
                 ? "region with a gateway VIP" : "region");
    double cx = x + 55;
    for (const auto& cluster : clusters) {
      const std::string cname = text(cluster, "name");
      std::string detail = "cluster";
      if (cluster.contains("nodes") && cluster["nodes"].is_number_unsigned())
        detail += ", " + std::to_string(cluster["nodes"].get<std::uint64_t>()) + " nodes";
      if (cluster.contains("config_cluster") && cluster["config_cluster"].is_boolean() && cluster["config_cluster"].get<bool>())
        detail += ", config cluster";
      add_node(cname, "cluster", cx, 160, detail);
      links.push_back(json{{"source", name}, {"target", cname}, {"kind", "contains"}});
      cx += 110;
    }
    x += width + 60;
  }
  if (doc["topology"].contains("backbone") && doc["topology"]["backbone"].is_array())
    for (const auto& link : doc["topology"]["backbone"]) {
      json l{{"source", text(link, "from")}, {"target", text(link, "to")}, {"kind", "backbone"}};
      const std::string id = text(link, "from") + "/" + text(link, "to");
      l["down_by"] = hits(id, false);
      if (link.contains("latency_ms") && link["latency_ms"].is_number()) l["latency_ms"] = link["latency_ms"];
      links.push_back(std::move(l));
    }
  return json{{"nodes", nodes}, {"links", links}};
}

// Whether the results have services[].utilization (older ones do not), and client retries.
bool has_utilization(const Run& run) {
  const json& doc = run.doc;
  if (!doc.contains("services") || !doc["services"].is_array()) return false;
  return std::any_of(doc["services"].begin(), doc["services"].end(), [](const json& service) {
    return service.is_object() && service.contains("utilization") && service["utilization"].is_object() &&
           !service["utilization"].empty() && service.contains("name") && service["name"].is_string();
  });
}
bool has_client_retries(const Run& run) {
  const json& all = run.doc["series"]["all"];
  return all.contains("retries") && all["retries"].is_array();
}

// The utilization of each region's busiest service (the highest mean over the run), in percent per
// step; nothing when the results predate services[].utilization. Values that are not numbers are gaps.
std::optional<json> utilization_data(const Run& run, const Buckets& b) {
  if (!has_utilization(run)) return std::nullopt;
  const json& doc = run.doc;
  const std::size_t n = run.t.size();
  struct Busiest {
    std::string service;
    double mean = -1;
    std::vector<std::optional<double>> values;
  };
  std::map<std::string, Busiest> by_region;
  std::vector<std::string> regions;  // in the order they first appear
  for (const auto& service : doc["services"]) {
    if (!service.is_object() || !service.contains("utilization") || !service["utilization"].is_object() ||
        !service.contains("name") || !service["name"].is_string())
      continue;
    for (const auto& [region, column] : service["utilization"].items()) {
      if (!column.is_array()) continue;
      std::vector<std::optional<double>> values(n);
      double sum = 0;
      std::size_t counted = 0;
      for (std::size_t i = 0; i < std::min(n, column.size()); ++i) {
        if (!column[i].is_number()) continue;
        values[i] = round_to(number(column[i]) * 100, 2);
        sum += *values[i];
        ++counted;
      }
      const double mean = counted == 0 ? 0 : sum / static_cast<double>(counted);
      if (!by_region.count(region)) regions.push_back(region);
      Busiest& best = by_region[region];
      if (mean > best.mean) best = Busiest{service["name"].get<std::string>(), mean, std::move(values)};
    }
  }
  if (regions.empty()) return std::nullopt;
  json out = json::array();
  for (const std::string& region : regions) {
    const Busiest& best = by_region[region];
    out.push_back(json{{"name", region + ": " + best.service}, {"points", envelope(run.t, best.values, b)}});
  }
  return out;
}

// With client retries: requests per second the clients sent first, re-sent, and got good answers
// to, per step (a request's answer counts in the step it was first sent).
std::optional<json> client_load_data(const Run& run, const Buckets& b) {
  if (!has_client_retries(run)) return std::nullopt;
  const json& all = run.doc["series"]["all"];
  const std::size_t n = run.t.size();
  const auto per_second = [&](const char* key, const char* minus) {
    std::vector<std::optional<double>> values(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!all[key][i].is_number_unsigned()) continue;
      double v = static_cast<double>(count(all[key][i]));
      if (minus != nullptr && all[minus][i].is_number_unsigned()) v -= static_cast<double>(count(all[minus][i]));
      values[i] = round_to(v / run.step, 1);
    }
    return values;
  };
  std::vector<std::optional<double>> offered = per_second("requests", nullptr), resent = per_second("retries", nullptr);
  for (std::size_t i = 0; i < n; ++i)
    if (offered[i] && resent[i]) offered[i] = round_to(*offered[i] + *resent[i], 1);
  return json::array({json{{"name", "offered (requests + re-sends)"}, {"points", envelope(run.t, offered, b)}},
                      json{{"name", "re-sends"}, {"points", envelope(run.t, resent, b)}},
                      json{{"name", "good (within the SLO)"}, {"points", envelope(run.t, per_second("succeeded", "slow"), b)}}});
}

// Bad requests per second by why they were bad: each failure reason that occurred, and successes
// slower than the SLO's threshold, per bucket (summed, so that the stacked areas add up to every bad
// request; a request counts in the step it was sent).
json bad_by_reason_data(const Run& run, const Buckets& b) {
  const json& all = run.doc["series"]["all"];
  const std::size_t n = run.t.size();
  const auto column_series = [&](const std::string& name, const json& column) {
    json points = json::array();
    for (std::size_t bucket = 0; bucket < b.count; ++bucket) {
      const std::size_t from = bucket * b.steps, to = std::min(n, from + b.steps);
      std::uint64_t sum = 0;
      for (std::size_t i = from; i < to; ++i) sum += count(column[i]);
      const double seconds = run.step * static_cast<double>(to - from);
      points.push_back(point(run.t[from], round_to(static_cast<double>(sum) / seconds, 2)));
    }
    return json{{"name", name}, {"points", std::move(points)}};
  };
  json out = json::array();
  for (const auto& [reason, column] : all["failures"].items())
    if (std::any_of(column.begin(), column.end(), [](const json& v) { return count(v) != 0; }))
      out.push_back(column_series(reason, column));
  // Always drawn, even at zero, so the chart says "no bad request" rather than nothing.
  out.push_back(column_series("slow (over " + milliseconds(run.slo_latency_ms) + ")", all["slow"]));
  return out;
}

json chart_data(const Run& run) {
  const json& series = run.doc["series"];
  const std::size_t n = run.t.size();
  const Buckets b = bucketing(n);
  json data = json::object();
  data["duration_s"] = run.duration;
  data["step_s"] = run.step;
  data["steps"] = n;
  data["bucket_s"] = run.step * static_cast<double>(b.steps);
  data["slo"] = json{{"availability", run.slo_target}, {"latency_ms", run.slo_latency_ms}};

  json faults = json::array();
  for (std::size_t i = 0; i < run.faults.size(); ++i) {
    const json& f = run.doc["faults"][i];
    faults.push_back(json{{"id", run.faults[i].id},
                          {"kind", f["kind"]},
                          {"target", f["target"]},
                          {"start_s", run.faults[i].start},
                          {"end_s", run.faults[i].end},
                          {"open", run.faults[i].open},
                          {"blast_radius", f["structural_blast_radius"]["count"]},
                          {"by_kind", f["structural_blast_radius"]["by_kind"]}});
  }
  data["faults"] = std::move(faults);

  // Success rate per client group, in percent.
  json success = json::array();
  for (const auto& client : run.doc["clients"]) {
    const std::string& name = client["name"].get_ref<const std::string&>();
    const auto group = series["clients"].find(name);
    if (group == series["clients"].end()) continue;
    std::vector<std::optional<double>> values(n);
    for (std::size_t i = 0; i < n; ++i)
      if (const json& v = (*group)["success_rate"][i]; !v.is_null()) values[i] = round_to(number(v) * 100, 3);
    success.push_back(json{{"name", name},
                           {"region", client.contains("region") ? client["region"] : json("")},
                           {"points", envelope(run.t, values, b)}});
  }
  data["success"] = std::move(success);

  // Latency percentiles of all successful requests; a step without one is a gap, not 0 ms.
  const json& all = series["all"];
  json latency = json::array();
  for (const char* p : {"p50", "p90", "p99"}) {
    std::vector<std::optional<double>> values(n);
    for (std::size_t i = 0; i < n; ++i)
      if (count(all["succeeded"][i]) != 0) values[i] = round_to(number(all[std::string(p) + "_ms"][i]), 2);
    latency.push_back(json{{"name", p}, {"points", envelope(run.t, values, b)}});
  }
  data["latency"] = std::move(latency);
  data["bad"] = bad_by_reason_data(run, b);

  // Share of the routed requests per destination region, summed per bucket so the areas stack to 100 %.
  json share = json::array();
  std::vector<std::uint64_t> routed(b.count, 0);
  for (const auto& [region, column] : all["served_by_region"].items())
    for (std::size_t i = 0; i < n; ++i) routed[i / b.steps] += count(column[i]);
  for (const auto& [region, column] : all["served_by_region"].items()) {
    json points = json::array();
    for (std::size_t bucket = 0; bucket < b.count; ++bucket) {
      std::uint64_t here = 0;
      for (std::size_t i = bucket * b.steps; i < std::min(n, (bucket + 1) * b.steps); ++i) here += count(column[i]);
      points.push_back(point(run.t[bucket * b.steps],
                             routed[bucket] == 0 ? std::nullopt
                                                 : std::optional<double>(round_to(100.0 * static_cast<double>(here) /
                                                                                  static_cast<double>(routed[bucket]), 2))));
    }
    share.push_back(json{{"name", region}, {"points", std::move(points)}});
  }
  data["share"] = std::move(share);
  if (auto utilization = utilization_data(run, b)) data["utilization"] = std::move(*utilization);
  if (auto load = client_load_data(run, b)) data["load"] = std::move(*load);
  if (auto services = service_utilization_data(run.doc)) data["service_utilization"] = std::move(*services);
  if (auto breakdowns = breakdowns_data(run.doc)) data["breakdowns"] = std::move(*breakdowns);
  if (auto topology = topology_data(run)) data["topology"] = std::move(*topology);
  return data;
}

// ---------------------------------------------------------------------------------------------
// The page's sections.

std::string chart_caption_sampling(const Run& run) {
  const Buckets b = bucketing(run.t.size());
  if (b.steps == 1) return "one point per " + duration_words(run.step) + " step";
  return "downsampled from " + thousands(run.t.size()) + " steps of " + duration_words(run.step) + " to " +
         thousands(b.count) + " buckets of " + duration_words(run.step * static_cast<double>(b.steps));
}

std::string section(const std::string& id, const std::string& title, const std::string& body) {
  return "<section id=\"" + id + "\">\n<h2>" + title + "</h2>\n" + body + "</section>\n";
}

std::string chart_div(const std::string& id, const std::string& label) {
  return "<div class=\"chart\" id=\"" + id + "\" role=\"img\" aria-label=\"" + html_escape(label) + "\"></div>\n";
}

std::string not_measured(const std::string& what) {
  return "<span class=\"not-measured\">not measured in this run</span>" +
         (what.empty() ? std::string() : "<span class=\"why\"> (" + what + ")</span>");
}

std::string charts_html(const Run& run) {
  std::string out;
  const std::string sampling = chart_caption_sampling(run);
  const bool downsampled = bucketing(run.t.size()).steps > 1;
  out += section("success", "Faults and success rate by client region",
                 "<p class=\"caption\">Top: when each fault was active. Below: the share of each client "
                 "group's requests that succeeded at any latency (slow successes included, unlike the SLO "
                 "availability in the verdict), by the time they were sent (" + sampling +
                 (downsampled ? "; each bucket keeps its lowest and highest step, so short dips stay visible" : "") +
                 "). Shaded: a fault is active. Dashed: the SLO's availability target. Drag or scroll to zoom; "
                 "the time charts move together.</p>\n" +
                 chart_div("chart-success", "Fault timeline and success rate per client region over time"));
  // How a line chart's points were sampled, in its caption.
  const std::string envelope_sampling = sampling + (downsampled ? "; lowest and highest step per bucket" : "");
  out += section("latency", "Latency percentiles",
                 "<p class=\"caption\">p50, p90 and p99 of the latency of all successful requests (" + envelope_sampling +
                 "), on a logarithmic axis that always includes the SLO's latency threshold (dashed), so that "
                 "timeouts of seconds and answers of milliseconds both show. Shaded: a fault is active.</p>\n" +
                 chart_div("chart-latency", "Latency percentiles over time"));
  out += section("bad", "Bad requests by reason",
                 "<p class=\"caption\">Requests per second that broke the SLO, stacked by why: each failure reason "
                 "(as in the table by client group) and successes slower than " + milliseconds(run.slo_latency_ms) +
                 ", by the time they were sent (" + sampling + (downsampled ? ", averaged per bucket" : "") +
                 "). Shaded: a fault is active.</p>\n" +
                 chart_div("chart-bad", "Bad requests per second by failure reason over time"));
  out += section("share", "Traffic share by destination region",
                 "<p class=\"caption\">Where the gateway sent the requests: each region's share of all "
                 "routed requests (" + sampling + (downsampled ? ", summed per bucket" : "") +
                 "). The failover shows as one region's band giving way to another's.</p>\n" +
                 chart_div("chart-share", "Traffic share per destination region over time"));
  if (has_utilization(run))
    out += section("saturation", "Saturation: the busiest service of each region",
                   "<p class=\"caption\">Utilization of each region's busiest service (the highest over the run): its "
                   "pods' busy slots over running pods x concurrency, time-averaged per step (" + envelope_sampling +
                   "). Near 100% there is no headroom: requests queue, then are rejected as overloaded.</p>\n" +
                   chart_div("chart-utilization", "Utilization of each region's busiest service over time"));
  if (has_client_retries(run))
    out += section("client-load", "Client retries: offered load and goodput",
                   "<p class=\"caption\">Requests per second the clients offered (first tries and re-sends), the "
                   "re-sends alone, and the good answers (" + envelope_sampling + "). A retry storm shows as offered load rising while goodput falls.</p>\n" +
                   chart_div("chart-load", "Offered load, re-sends and goodput over time"));
  if (service_utilization_data(run.doc))
    out += section("service-utilization", "Utilization of every service",
                   "<p class=\"caption\">Each service in each region over the whole run: the mean of its steps "
                   "with running pods, and the busiest step (busy slots over running pods x concurrency). Near 100% "
                   "there is no headroom.</p>\n" +
                       chart_div("chart-service-utilization", "Mean and peak utilization of every service per region"));
  if (breakdowns_data(run.doc))
    out += section("breakdowns", "Requests by route, service and cluster",
                   "<p class=\"caption\">The clients' requests broken down by HTTPRoute rule, by the service the "
                   "route sent them to, and by the cluster whose pod served them: good (succeeded within " +
                       milliseconds(run.slo_latency_ms) + ") and bad, with the share good at each bar's end.</p>\n" +
                       chart_div("chart-breakdowns", "Good and bad requests by route, service and cluster"));
  return out;
}

std::string topology_html(const Run& run) {
  std::string body;
  if (topology_data(run)) {
    body += "<p class=\"caption\">The fleet: regions (large) and their clusters, the backbone between regions. "
            "Red: a fault takes it down entirely; orange: a fault takes down some of its nodes, pods or proxies; "
            "a red backbone link: a fault cuts it. Hover for which faults.</p>\n";
    body += chart_div("chart-topology", "Topology with the failed components marked");
  } else {
    body += "<p class=\"note-box\">Topology diagram: " +
            not_measured("this results.json does not record the fleet graph; each fault's structural blast radius "
                         "is listed below and in the fault table") +
            ".</p>\n";
  }
  if (run.faults.empty()) return section("topology", "Topology and blast radius", body + "<p>No fault in this scenario.</p>\n");
  body += "<p class=\"caption\">Components that fail with each fault's target, by kind, following the "
          "fleet graph's failure-carrying edges (contains, runs on, depends on).</p>\n";
  body += chart_div("chart-blast", "Structural blast radius per fault, by component kind");
  for (const auto& f : run.doc["faults"]) {
    const json& blast = f["structural_blast_radius"];
    body += "<details><summary>" + html_escape(f["id"].get_ref<const std::string&>()) + ": " +
            plural(count(blast["count"]), "component", "components") + "</summary><p class=\"components\">";
    bool first = true;
    for (const auto& c : blast["components"]) {
      body += (first ? "" : ", ") + html_escape(c.get_ref<const std::string&>());
      first = false;
    }
    body += "</p></details>\n";
  }
  return section("topology", "Topology and blast radius", body);
}

std::string by_kind_text(const json& by_kind) {
  std::string out;
  for (const auto& [kind, n] : by_kind.items())
    out += (out.empty() ? "" : ", ") + html_escape(kind) + " " + thousands(count(n));
  return out;
}

std::string seconds_cell(const json& fault, const char* key, const char* missing_why) {
  if (!fault.contains(key)) return not_measured(missing_why);
  const json& v = fault[key];
  return v.is_null() ? std::string("did not happen before the end of the run") : duration_words(number(v));
}

std::string faults_html(const Run& run) {
  if (run.faults.empty()) return section("faults", "Faults", "<p>No fault in this scenario.</p>\n");
  const json& all = run.doc["series"]["all"];
  std::uint64_t run_lost = 0;
  const bool has_databases = run.doc.contains("databases") && !run.doc["databases"].empty();
  if (has_databases)
    for (const auto& db : run.doc["databases"]) run_lost += count(db["lost_writes"]);
  std::string rows;
  for (std::size_t i = 0; i < run.faults.size(); ++i) {
    const json& f = run.doc["faults"][i];
    const FaultWindow& w = run.faults[i];
    // Its own bad requests, counted by cause; from an older results.json, the failed requests
    // sent while it was active.
    std::string errors;
    if (f.contains("observed_blast_radius") && f["observed_blast_radius"].contains("shared")) {
      const json& observed = f["observed_blast_radius"];
      const std::uint64_t shared = count(observed["shared"]);
      errors = thousands(count(observed["bad"])) + "<br><small>" +
               (shared > 0 ? thousands(shared) + " shared with other faults; " : std::string()) + "of " +
               thousands(count(observed["requests"])) + " sent in its window</small>";
    } else {
      std::uint64_t failed = 0, sent = 0;
      for (std::size_t s = 0; s < run.t.size(); ++s)
        if (run.t[s] + run.step > w.start && run.t[s] < w.end) {
          failed += count(all["failed"][s]);
          sent += count(all["requests"][s]);
        }
      errors = thousands(failed) + "<br><small>of " + thousands(sent) + " sent while active</small>";
    }
    std::string lost;
    if (f.contains("lost_writes"))
      lost = thousands(count(f["lost_writes"]));
    else if (!has_databases)
      lost = "no database in this scenario";
    else if (run_lost == 0)
      lost = "0";
    else
      lost = not_measured("not attributed per fault; " + thousands(run_lost) + " in the whole run");
    rows += "<tr><th scope=\"row\" class=\"id\">" + html_escape(w.id) + "</th><td class=\"name\">" +
            html_escape(f["kind"].get_ref<const std::string&>()) + "</td><td class=\"name\">" +
            html_escape(f["target"].get_ref<const std::string&>()) +
            (f.contains("service") && f["service"].is_string()
                 ? "<br><small>" + html_escape(f["service"].get_ref<const std::string&>()) + "'s pods only</small>"
                 : std::string()) +
            "</td><td class=\"when\"><span class=\"range\">" +
            clock_time(w.start, run.hours()) + "–" + clock_time(w.end, run.hours()) + "</span><br><small>" +
            duration_words(w.end - w.start) + (w.open ? ", still active at the end" : "") + "</small></td><td>" +
            seconds_cell(f, "time_to_detect_s", "") + "</td><td>" + seconds_cell(f, "time_to_recover_s", "") +
            "</td><td>" + plural(count(f["structural_blast_radius"]["count"]), "component", "components") +
            "<br><small>" + by_kind_text(f["structural_blast_radius"]["by_kind"]) + "</small></td><td class=\"num\">" +
            errors + "</td><td>" + lost + "</td></tr>\n";
  }
  std::string no_fault;
  if (run.doc.contains("no_fault"))
    no_fault = "<p>No fault: <strong>" + thousands(count(run.doc["no_fault"]["bad"])) +
               "</strong> bad requests had no fault behind them (baseline overload, timeouts under normal load, "
               "leftovers after a fault settled).</p>\n";
  // Generated faults, per fault process: how many, how long down, what they caused together.
  std::string processes;
  if (run.doc.contains("fault_processes") && !run.doc["fault_processes"].empty()) {
    std::string process_rows;
    for (const json& p : run.doc["fault_processes"])
      process_rows += "<tr><th scope=\"row\" class=\"id\">" + html_escape(p["id"].get_ref<const std::string&>()) +
                      "</th><td class=\"name\">" + html_escape(p["kind"].get_ref<const std::string&>()) +
                      "</td><td class=\"num\">" + thousands(count(p["failures"])) + "<br><small>of " +
                      plural(count(p["components"]), "component", "components") + "</small></td><td>" +
                      duration_words(number(p["downtime_s"])) + "</td><td class=\"num\">" + thousands(count(p["bad"])) +
                      "</td></tr>\n";
    processes = "<h3>Fault processes</h3>\n<p class=\"caption\">The faults each process generated, taken together: "
                "bad requests with at least one of them behind them, counted once.</p>\n<div class=\"table-wrap\"><table>\n"
                "<thead><tr><th>Process</th><th>Kind</th><th>Failures</th><th>Down in all</th><th>Bad requests</th></tr>"
                "</thead>\n<tbody>\n" + process_rows + "</tbody></table></div>\n";
  }
  return section("faults", "Faults",
                 processes + "<p class=\"caption\">Bad requests: failed or slower than the SLO latency, counted by cause: those "
                 "the fault caused, alone or with another fault (then shared, and counted for both). Blast radius: "
                 "structural, from the fleet graph.</p>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>Fault</th>"
                 "<th>Kind</th><th>Target</th><th>Active</th><th>Time to detect</th><th>Time to recover</th>"
                 "<th>Blast radius</th><th>Bad requests</th><th>Lost writes</th></tr></thead>\n<tbody>\n" +
                     rows + "</tbody></table></div>\n" + no_fault);
}

std::string databases_html(const Run& run) {
  if (!run.doc.contains("databases") || run.doc["databases"].empty())
    return section("databases", "Databases", "<p>No database in this scenario.</p>\n");
  std::string rows;
  for (const auto& db : run.doc["databases"])
    rows += "<tr><th scope=\"row\">" + html_escape(db["name"].get_ref<const std::string&>()) + "</th><td class=\"num\">" +
            thousands(count(db["writes"])) + "</td><td class=\"num\">" + thousands(count(db["failed_writes"])) +
            "</td><td class=\"num\">" + thousands(count(db["lost_writes"])) + "</td><td class=\"num\">" +
            duration_words(number(db["write_unavailable_s"])) + "</td><td class=\"num\">" +
            thousands(count(db["failovers"])) + "</td><td>" + html_escape(db["primary_region"].get_ref<const std::string&>()) +
            "</td></tr>\n";
  return section("databases", "Databases",
                 "<p class=\"caption\">Lost writes: committed on a primary that failed before replicating them "
                 "(the RPO). Write downtime: from primary failures to promotions, summed (the RTO).</p>\n"
                 "<div class=\"table-wrap\"><table>\n<thead><tr><th>Database</th><th>Writes committed</th>"
                 "<th>Writes refused</th><th>Lost writes</th><th>Write downtime</th><th>Failovers</th>"
                 "<th>Primary at the end</th></tr></thead>\n<tbody>\n" +
                     rows + "</tbody></table></div>\n");
}

std::string failures_text(const json& failures) {
  std::string out;
  for (const auto& [reason, n] : failures.items())
    out += (out.empty() ? "" : ", ") + html_escape(reason) + " " + thousands(count(n));
  return out.empty() ? "none" : out;
}

std::string clients_html(const Run& run) {
  std::string rows;
  for (const auto& c : run.doc["clients"]) {
    const json& totals = c["totals"];
    const json& rate = totals["success_rate"];
    rows += "<tr><th scope=\"row\">" + html_escape(c["name"].get_ref<const std::string&>()) + "</th><td>" +
            (c.contains("region") ? html_escape(c["region"].get_ref<const std::string&>()) : std::string("–")) +
            "</td><td class=\"num\">" + thousands(count(totals["requests"])) + "</td><td class=\"num\">" +
            (rate.is_null() ? std::string("–") : percent_floor(number(rate), 3)) + "</td><td class=\"num\">" +
            thousands(count(totals["slow"])) + "</td><td class=\"num\">" + milliseconds(number(c["latency_ms"]["p50"])) +
            "</td><td class=\"num\">" + milliseconds(number(c["latency_ms"]["p99"])) + "</td><td>" +
            failures_text(totals["failures"]) + "</td></tr>\n";
  }
  const json& totals = run.doc["totals"];
  const json& rate = totals["success_rate"];
  rows += "<tr class=\"total\"><th scope=\"row\">all</th><td></td><td class=\"num\">" + thousands(count(totals["requests"])) +
          "</td><td class=\"num\">" + (rate.is_null() ? std::string("–") : percent_floor(number(rate), 3)) +
          "</td><td class=\"num\">" + thousands(count(totals["slow"])) + "</td><td class=\"num\">" +
          milliseconds(number(run.doc["latency_ms"]["p50"])) + "</td><td class=\"num\">" +
          milliseconds(number(run.doc["latency_ms"]["p99"])) + "</td><td>" + failures_text(totals["failures"]) +
          "</td></tr>\n";
  return section("clients", "Outcome by client group",
                 "<div class=\"table-wrap\"><table>\n<thead><tr><th>Client group</th><th>Enters at</th>"
                 "<th>Requests</th><th>Succeeded<br><small>÷ requests, any latency</small></th><th>Slow</th><th>p50</th><th>p99</th><th>Failures by reason</th>"
                 "</tr></thead>\n<tbody>\n" +
                     rows + "</tbody></table></div>\n");
}

std::string names_list(const json& array, const char* key) {
  std::string out;
  for (const auto& v : array)
    out += (out.empty() ? "" : ", ") + html_escape((key == nullptr ? v : v[key]).get_ref<const std::string&>());
  return out.empty() ? "none" : out;
}

std::string settings_html(const Run& run) {
  const json& doc = run.doc;
  auto row = [](const std::string& k, const std::string& v) { return "<tr><th scope=\"row\">" + k + "</th><td>" + v + "</td></tr>\n"; };
  std::string clients;
  for (const auto& c : doc["clients"])
    clients += (clients.empty() ? "" : ", ") + html_escape(c["name"].get_ref<const std::string&>()) +
               (c.contains("region") ? " <small>(enters at " + html_escape(c["region"].get_ref<const std::string&>()) + ")</small>" : "");
  std::string rows;
  rows += row("Scenario", html_escape(run.name));
  rows += row("Seed", std::to_string(doc["seed"].get<std::uint64_t>()));
  rows += row("Simulated time", duration_words(run.duration) + " of client traffic, recorded in steps of " + duration_words(run.step));
  rows += row("SLO", "availability " + fixed(run.slo_target * 100, percent_decimals(run.slo_target)) +
                         "%; a successful request slower than " + milliseconds(run.slo_latency_ms) + " breaks it");
  rows += row("Regions", names_list(doc["regions"], nullptr));
  rows += row("Client groups", clients.empty() ? "none" : clients);
  rows += row("Services", doc.contains("services") ? names_list(doc["services"], "name") : "none");
  rows += row("Databases", doc.contains("databases") ? names_list(doc["databases"], "name") : "none");
  rows += row("Faults", run.faults.empty() ? std::string("none") : names_list(doc["faults"], "id"));
  for (const auto& [what, values] : run.inputs.settings) rows += row(html_escape(what), html_escape(values));
  const std::string caption =
      run.inputs.settings.empty()
          ? "The health checks, outlier detection and capacity are in the scenario file, identified by its SHA-256 "
            "below (results.json does not record them; `faultline report --scenario FILE` lists them here)."
          : run.inputs.ran_the_simulation
              ? "Health checks, outlier detection, capacity and timeouts as the scenario ran: its file's values, with "
                "faultline's defaults for what the file leaves out."
              : "Health checks, outlier detection, capacity and timeouts from the scenario file given with --scenario "
                "(without any strategy's overlay), with faultline's defaults for what the file leaves out.";
  return section("settings", "Key settings",
                 "<table class=\"settings\">\n<tbody>\n" + rows + "</tbody></table>\n<p class=\"caption\">" + caption +
                     "</p>\n");
}

std::string footer_html(const Run& run) {
  const ReportInputs& in = run.inputs;
  const std::string seed = std::to_string(run.doc["seed"].get<std::uint64_t>());
  const std::string command = "faultline run " + (in.scenario_path.empty() ? std::string("SCENARIO") : shell_word(in.scenario_path)) +
                              " --seed " + seed + " --duration " + duration_argument(run.duration) + " --report";
  auto row = [](const std::string& k, const std::string& v) { return "<tr><th scope=\"row\">" + k + "</th><td>" + v + "</td></tr>\n"; };
  std::string rows;
  rows += row("faultline version",
              html_escape(in.faultline_version) +
                  (in.ran_the_simulation ? " (ran the simulation and wrote this report)"
                                         : " (wrote this report; results.json does not record the version that ran the simulation)"));
  rows += row("Scenario SHA-256", in.scenario_sha256.empty()
                                      ? not_measured("not recorded in results.json; give the scenario with `faultline report --scenario FILE`")
                                      : "<code>" + html_escape(in.scenario_sha256) + "</code>");
  rows += row("Seed", seed);
  rows += row("Reproduce with", "<code>" + html_escape(command) + "</code>" +
                                    (in.scenario_path.empty() ? "<br><small>SCENARIO: the scenario file whose SHA-256 matches</small>" : ""));
  rows += row("Results format", std::to_string(run.doc["faultline_results"].get<int>()));
  rows += row("Charts", "Apache ECharts " + html_escape(std::string(assets::echarts_version())) +
                            ", embedded; this file loads nothing from the network");
  return "<footer id=\"reproduce\">\n<h2>Reproducibility</h2>\n<table class=\"settings\">\n<tbody>\n" + rows +
         "</tbody></table>\n<p class=\"caption\">The same scenario file, seed and duration give byte-identical "
         "results.json and, from it, this same report.</p>\n</footer>\n";
}

// The script's text as the browser will hash it for the CSP: it must not end the element early,
// and the HTML parser turns CR LF into LF before hashing.
std::string inline_script(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  std::string lower(out.size(), ' ');
  std::transform(out.begin(), out.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("</script") != std::string::npos || lower.find("<!--") != std::string::npos)
    throw std::logic_error("an embedded script contains \"</script\" or \"<!--\" and cannot be inlined");
  return out;
}

std::string csp_hash(const std::string& script) {
  const Sha256Digest d = sha256(script);
  return "'sha256-" + to_base64(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())) + "'";
}

// The embedded scripts as inlined and the CSP's hashes of them: the same for every report, so
// worked out once per process (ECharts alone is 1.1 MB to copy, scan and hash; rendering many
// documents in one process, as the fuzz target does, would spend most of its time here).
struct InlineScripts {
  std::string echarts;
  std::string page;
  std::string script_src;  // the CSP's script-src sources
};

const InlineScripts& inline_scripts() {
  static const InlineScripts scripts = [] {
    InlineScripts s{inline_script(assets::echarts_js()), inline_script(assets::report_page_js()), ""};
    s.script_src = csp_hash(s.echarts) + " " + csp_hash(s.page);
    return s;
  }();
  return scripts;
}

}  // namespace

ResultsDocumentError::ResultsDocumentError(const std::string& file, const std::string& pointer, const std::string& message)
    : std::runtime_error(file + ": " + (pointer.empty() ? std::string("/") : pointer) + ": " + message) {}

std::string read_file_bytes(const std::filesystem::path& file) {
  const auto unreadable = [&file](int error) {
    return ResultsDocumentError(file.string(), "", std::string("expected a readable file, found ") +
                                                       (error != 0 ? std::strerror(error) : "an unreadable file"));
  };
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw unreadable(EISDIR);  // opens, but cannot be read
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!stream) throw unreadable(errno);
  std::string text;
  char buffer[1 << 16];
  // Bounded, so that a huge file or an endless one (/dev/zero, a pipe) is an error, not a hang.
  while (const std::size_t read = std::fread(buffer, 1, sizeof buffer, stream.get())) {
    text.append(buffer, read);
    if (text.size() > kMaxDocumentBytes) {
      throw ResultsDocumentError(file.string(), "", "expected a file of at most " + std::to_string(kMaxDocumentBytes >> 20) +
                                                        " MiB, found more");
    }
  }
  if (std::ferror(stream.get())) throw unreadable(errno);
  return text;
}

std::string render_html_report(std::string_view results_json, const std::string& file, const ReportInputs& inputs) {
  json doc;
  try {
    doc = json::parse(results_json);
  } catch (const json::parse_error& e) {
    const auto [line, column] = line_and_column(results_json, e.byte == 0 ? 0 : e.byte - 1);
    throw ResultsDocumentError(file, "", "expected a faultline results document (JSON), found a syntax error at line " +
                                             std::to_string(line) + ", column " + std::to_string(column));
  } catch (const json::out_of_range& e) {
    // Fuzz finding (tests/data/fuzz_regressions/results/number-out-of-range.json): nlohmann reports a
    // number beyond a double's range ("1e400") as out_of_range 406, not as a parse_error, and it escaped as
    // an internal error. The message names the number; its first occurrence in the text gives the place.
    const std::string what = e.what();
    const std::size_t open = what.find('\'');
    const std::string number = open == std::string::npos ? std::string() : what.substr(open + 1, what.size() - open - 2);
    const std::size_t at = number.empty() ? std::string_view::npos : results_json.find(number);
    const auto [line, column] = line_and_column(results_json, at == std::string_view::npos ? 0 : at);
    throw ResultsDocumentError(file, "", "expected a faultline results document (JSON), found a number out of range at line " +
                                             std::to_string(line) + ", column " + std::to_string(column) + ": " + number);
  }
  check_document(doc, file);
  const Run run = make_run(doc, inputs);

  const InlineScripts& scripts = inline_scripts();
  const std::string& echarts = scripts.echarts;
  const std::string& page = scripts.page;
  bool met = false;
  const std::string verdict = verdict_html(run, met);
  const std::string name = html_escape(run.name);
  const std::size_t client_count = doc["clients"].size();

  std::string html;
  html.reserve(echarts.size() + 256 * 1024);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No connect-src, font-src, frame-src...: default-src 'none' forbids every request; only the two
  // inline scripts with exactly these hashes may run.
  html += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src " + scripts.script_src +
          "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // An empty icon, so that a browser serving the file over HTTP does not ask for /favicon.ico.
  html += "<link rel=\"icon\" href=\"data:,\">\n";
  html += "<meta name=\"generator\" content=\"faultline " + html_escape(inputs.faultline_version) + "\">\n";
  html += "<title>" + name + " — faultline run report</title>\n";
  html += "<style>\n" + std::string(assets::report_page_css()) + "</style>\n</head>\n<body>\n<main>\n";
  html += "<header class=\"report-header\">\n<p class=\"kicker\">faultline run report</p>\n<h1 id=\"scenario-name\">" + name +
          "</h1>\n<p class=\"subtitle\">Seed " + std::to_string(doc["seed"].get<std::uint64_t>()) + " · " +
          duration_words(run.duration) + " simulated in " + duration_words(run.step) + " steps · " +
          plural(doc["regions"].size(), "region", "regions") + " · " + plural(client_count, "client group", "client groups") +
          " · " + plural(run.faults.size(), "fault", "faults") + "</p>\n</header>\n";
  html += "<section id=\"verdict\" class=\"verdict " + std::string(met ? "met" : "missed") +
          "\">\n<h2>Verdict</h2>\n<p class=\"verdict-sentence\">" + verdict + "</p>\n" + kpis_html(run) + "\n</section>\n";
  html += "<noscript><p class=\"note-box\">The charts need JavaScript; the tables below do not.</p></noscript>\n";
  html += charts_html(run);
  html += topology_html(run);
  html += faults_html(run);
  html += databases_html(run);
  html += clients_html(run);
  html += settings_html(run);
  html += footer_html(run);
  html += "</main>\n";
  html += "<script type=\"application/json\" id=\"faultline-data\">" +
          json_for_script(chart_data(run).dump(-1, ' ', false, json::error_handler_t::replace)) + "</script>\n";
  html += "<script>" + echarts + "</script>\n";
  html += "<script>" + page + "</script>\n";
  html += "</body>\n</html>\n";
  return html;
}

// The parts the comparison report shares with this one.
namespace html {
std::string section(const std::string& id, const std::string& title, const std::string& body) {
  return reports::section(id, title, body);
}
std::string chart_div(const std::string& id, const std::string& label) { return reports::chart_div(id, label); }
std::string page(const std::string& title, const std::string& body, const std::string& data_json) {
  const std::string echarts = inline_script(assets::echarts_js());
  const std::string script = inline_script(assets::report_page_js());
  std::string out;
  out.reserve(echarts.size() + body.size() + data_json.size() + 8192);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src " + csp_hash(echarts) + " " +
         csp_hash(script) + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<link rel=\"icon\" href=\"data:,\">\n";
  out += "<title>" + title + "</title>\n<style>\n" + std::string(assets::report_page_css()) + "</style>\n</head>\n<body>\n<main>\n";
  out += body;
  out += "</main>\n<script type=\"application/json\" id=\"faultline-data\">" + json_for_script(data_json) + "</script>\n";
  out += "<script>" + echarts + "</script>\n<script>" + script + "</script>\n</body>\n</html>\n";
  return out;
}
}  // namespace html

}  // namespace reports
