#pragma once
// Simulated time: integer nanoseconds, with distinct types for a point in time (SimTime) and a span
// (Duration), so that adding two time points does not compile. Integer time makes equal-time events
// tie exactly, which the event queue breaks by insertion order (ns-3's (ts, uid) key).

#include <chrono>
#include <cmath>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim {

/// A span of simulated time in nanoseconds (about 292 years of range).
using Duration = std::chrono::duration<std::int64_t, std::nano>;

/// A point in simulated time, measured from the start of the run.
class SimTime {
 public:
  constexpr SimTime() = default;
  static constexpr SimTime at(Duration since_start) { return SimTime{since_start}; }
  static constexpr SimTime max() { return SimTime{Duration::max()}; }
  constexpr Duration since_start() const { return since_start_; }
  constexpr std::int64_t ns() const { return since_start_.count(); }

  friend constexpr SimTime operator+(SimTime t, Duration d) { return SimTime{t.since_start_ + d}; }
  friend constexpr SimTime operator-(SimTime t, Duration d) { return SimTime{t.since_start_ - d}; }
  friend constexpr Duration operator-(SimTime a, SimTime b) { return a.since_start_ - b.since_start_; }
  constexpr SimTime& operator+=(Duration d) {
    since_start_ += d;
    return *this;
  }
  friend constexpr auto operator<=>(SimTime, SimTime) = default;

 private:
  constexpr explicit SimTime(Duration d) : since_start_(d) {}
  Duration since_start_{};
};

/// Parses "250ms", "1.5s", "10m", "2h", "500us", "100ns", "1d", and compounds of them in decreasing
/// units, summed: "1m30s", "1h2m3.5s", "2d12h". Each magnitude may carry a decimal fraction as long
/// as it is a whole number of nanoseconds; it is parsed exactly, without floating point. Returns
/// nothing for anything else (negative, no unit, unknown unit, units not decreasing: "30s1m",
/// overflow).
std::optional<Duration> parse_duration(std::string_view text);

/// Formats a duration with the largest unit that keeps it exact and short: "250ms", "1.5s", "10m".
std::string format_duration(Duration d);

/// A time since the start of a run as a clock reads it, to the millisecond (truncated):
/// "00:03:00", "04:12:31.882", "363d 21:18:31.234". For times a person reads (generated faults);
/// format_duration is the exact, parseable form.
std::string format_clock(Duration d);

/// Seconds as a double, for reports and rates (never for event times).
constexpr double to_seconds(Duration d) { return static_cast<double>(d.count()) * 1e-9; }
/// A drawn number of seconds (an exponential gap, a service time) as a Duration, to the nearest
/// nanosecond.
inline Duration from_seconds(double s) { return Duration{static_cast<std::int64_t>(std::llround(s * 1e9))}; }

}  // namespace sim
