#include "models/traffic/arrival_rate.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace models::traffic {
namespace {

constexpr sim::Duration kDay = std::chrono::hours(24);
// Diurnal segments: a bound per quarter hour keeps about 99.9% of candidates near the peak and
// trough and rejects little anywhere (the sine moves at most 6.5% of its amplitude per segment).
constexpr sim::Duration kDiurnalSegment = std::chrono::minutes(15);

double phase(sim::Duration since_peak) { return 2 * std::numbers::pi * sim::to_seconds(since_peak) / sim::to_seconds(kDay); }

}  // namespace

ArrivalRate ArrivalRate::constant(double per_second) {
  ArrivalRate r;
  r.kind_ = Kind::Constant;
  r.constant_ = per_second;
  return r;
}

ArrivalRate ArrivalRate::profile(std::vector<Point> points) {
  ArrivalRate r;
  r.kind_ = Kind::Profile;
  r.points_ = std::move(points);
  return r;
}

ArrivalRate ArrivalRate::diurnal(double peak, double trough, sim::Duration peak_at) {
  ArrivalRate r;
  r.kind_ = Kind::Diurnal;
  r.peak_ = peak;
  r.trough_ = trough;
  r.peak_at_ = peak_at;
  return r;
}

double ArrivalRate::at(sim::SimTime t) const {
  switch (kind_) {
    case Kind::Constant:
      return constant_;
    case Kind::Diurnal: {
      const double mid = (peak_ + trough_) / 2, amplitude = (peak_ - trough_) / 2;
      return mid + amplitude * std::cos(phase(t.since_start() - peak_at_));
    }
    case Kind::Profile:
      break;
  }
  const auto after = std::upper_bound(points_.begin(), points_.end(), t.since_start(),
                                      [](sim::Duration d, const Point& p) { return d < p.at; });
  if (after == points_.begin()) return points_.front().per_second;
  const Point& from = *(after - 1);
  if (after == points_.end() || from.to_next == Shape::Step) return from.per_second;
  const double share = sim::to_seconds(t.since_start() - from.at) / sim::to_seconds(after->at - from.at);
  return from.per_second + (after->per_second - from.per_second) * share;
}

double ArrivalRate::peak() const {
  switch (kind_) {
    case Kind::Constant:
      return constant_;
    case Kind::Diurnal:
      return peak_;
    case Kind::Profile:
      break;
  }
  double most = 0;
  for (const Point& p : points_) most = std::max(most, p.per_second);
  return most;
}

ArrivalRate::Segment ArrivalRate::segment_at(sim::SimTime t) const {
  switch (kind_) {
    case Kind::Constant:
      return Segment{sim::SimTime{}, sim::SimTime::max(), constant_, true};
    case Kind::Diurnal: {
      const std::int64_t k = t.since_start() / kDiurnalSegment;
      const sim::SimTime begin = sim::SimTime::at(k * kDiurnalSegment), end = begin + kDiurnalSegment;
      const double mid = (peak_ + trough_) / 2, amplitude = (peak_ - trough_) / 2;
      // The cosine's largest value over the segment: 1 if it passes a peak, else at an end.
      const double a = phase(begin.since_start() - peak_at_), b = phase(end.since_start() - peak_at_);
      const double turns = std::ceil(a / (2 * std::numbers::pi));
      const double cos_max = turns * 2 * std::numbers::pi <= b ? 1.0 : std::max(std::cos(a), std::cos(b));
      return Segment{begin, end, mid + amplitude * cos_max, amplitude == 0};
    }
    case Kind::Profile:
      break;
  }
  const auto after = std::upper_bound(points_.begin(), points_.end(), t.since_start(),
                                      [](sim::Duration d, const Point& p) { return d < p.at; });
  if (after == points_.begin()) return Segment{sim::SimTime{}, sim::SimTime::at(after->at), after->per_second, true};
  const Point& from = *(after - 1);
  const sim::SimTime begin = sim::SimTime::at(from.at);
  if (after == points_.end()) return Segment{begin, sim::SimTime::max(), from.per_second, true};
  const sim::SimTime end = sim::SimTime::at(after->at);
  if (from.to_next == Shape::Step || from.per_second == after->per_second) return Segment{begin, end, from.per_second, true};
  return Segment{begin, end, std::max(from.per_second, after->per_second), false};
}

sim::SimTime ArrivalRate::next(sim::SimTime after, bool first, sim::SimTime end, sim::RngStream& rng) const {
  if (kind_ == Kind::Constant) {  // the common case, on every arrival: one draw, no segments
    if (constant_ <= 0) return sim::SimTime::max();
    sim::Duration gap = sim::from_seconds(rng.exponential(1.0 / constant_));
    if (!first) gap = std::max(sim::Duration{1}, gap);
    const sim::SimTime candidate = after + gap;
    return candidate < end ? candidate : sim::SimTime::max();
  }
  sim::SimTime t = after;
  bool at_least_1ns = !first;  // two arrivals never share a nanosecond (the first may come at 0)
  while (t < end) {
    const Segment s = segment_at(t);
    if (s.bound <= 0) {
      t = s.end;
      at_least_1ns = false;
      continue;
    }
    const double gap_seconds = rng.exponential(1.0 / s.bound);
    // Past the segment (compared in seconds first: a rate near zero can draw gaps beyond the clock).
    if (s.end != sim::SimTime::max() && gap_seconds >= sim::to_seconds(s.end - t)) {
      t = s.end;
      at_least_1ns = false;
      continue;
    }
    sim::Duration gap = sim::from_seconds(gap_seconds);
    if (at_least_1ns) gap = std::max(sim::Duration{1}, gap);
    const sim::SimTime candidate = t + gap;
    if (candidate >= s.end) {
      t = s.end;
      at_least_1ns = false;
      continue;
    }
    if (candidate >= end) break;
    if (s.exact) return candidate;
    const double keep = rng.uniform01() * s.bound;
    if (keep < at(candidate)) return candidate;
    t = candidate;
    at_least_1ns = true;
  }
  return sim::SimTime::max();
}

std::string ArrivalRate::describe() const {
  switch (kind_) {
    case Kind::Constant:
      return std::to_string(constant_);
    case Kind::Diurnal:
      return "diurnal:" + std::to_string(peak_) + "/" + std::to_string(trough_) + "@" + std::to_string(peak_at_.count());
    case Kind::Profile:
      break;
  }
  std::string text = "profile";
  for (const Point& p : points_) {  // appended piece by piece: GCC 12 warns falsely on a chain of + here
    text += ':';
    text += std::to_string(p.at.count());
    text += '=';
    text += std::to_string(p.per_second);
    text += p.to_next == Shape::Linear ? '/' : '|';
  }
  return text;
}

}  // namespace models::traffic
