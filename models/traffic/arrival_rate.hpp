#pragma once
// A client group's request rate over time, and its Poisson arrivals at that rate.
//
// Three shapes: a constant rate; a profile of points (the rate holds, or moves linearly, from one
// point to the next, and holds before the first and after the last); a diurnal sine over 24 h
// between a trough and a peak. Arrivals are a non-homogeneous Poisson process drawn by thinning
// (Lewis and Shedler 1979), piecewise: time is cut into segments, each with an upper bound of the
// rate over it; a candidate gap is drawn at the bound and kept with probability rate / bound. A
// candidate that falls past its segment's end is dropped and drawing restarts at that end with the
// next segment's bound, which is exact because exponential gaps are memoryless. A constant segment
// keeps every candidate without a draw, so a constant-rate client draws exactly what a plain
// Poisson process draws.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace models::traffic {

class ArrivalRate {
 public:
  enum class Shape : std::uint8_t { Step, Linear };
  struct Point {
    sim::Duration at{};
    double per_second = 0;
    Shape to_next = Shape::Step;  // how the rate goes from this point to the next
  };

  ArrivalRate() = default;
  static ArrivalRate constant(double per_second);
  /// Points in increasing `at`, at least one.
  static ArrivalRate profile(std::vector<Point> points);
  /// A sine with period 24 h: `peak` at `peak_at` (and every 24 h from it), `trough` 12 h away.
  static ArrivalRate diurnal(double peak, double trough, sim::Duration peak_at);

  /// Requests per second at time t.
  double at(sim::SimTime t) const;
  /// The largest rate the client ever sends (for capacity estimates).
  double peak() const;
  /// The next arrival strictly after `after` (at `after` itself for the first arrival of the run),
  /// or SimTime::max() when there is none before `end`.
  sim::SimTime next(sim::SimTime after, bool first, sim::SimTime end, sim::RngStream& rng) const;
  /// A stable description, for telling identical client groups apart (faults/failure_modes).
  std::string describe() const;

 private:
  enum class Kind : std::uint8_t { Constant, Profile, Diurnal };
  struct Segment {
    sim::SimTime begin, end;  // [begin, end)
    double bound = 0;         // at least the rate anywhere in it
    bool exact = false;       // the rate is the bound throughout: keep every candidate
  };
  Segment segment_at(sim::SimTime t) const;

  Kind kind_ = Kind::Constant;
  double constant_ = 0;
  std::vector<Point> points_;
  double peak_ = 0, trough_ = 0;
  sim::Duration peak_at_{};
};

}  // namespace models::traffic
