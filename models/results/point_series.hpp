#pragma once
// A time series of SeriesPoint (a step's outcome counts and latencies), kept in a sim::StepLog:
// only its newest rows stay in memory. Behaves like a read-mostly vector whose elements are
// returned by value.

#include <cstddef>

#include "sim/step_log.hpp"

namespace models::results {

struct SeriesPoint;

/// One SeriesPoint per step. The first point fixes how many failure reasons and regions every
/// point counts (std::invalid_argument for a point that differs).
class PointSeries {
 public:
  void push_back(const SeriesPoint& point);
  SeriesPoint operator[](std::size_t k) const;
  std::size_t size() const { return log_.size(); }
  bool empty() const { return size() == 0; }
  SeriesPoint front() const;
  SeriesPoint back() const;
  sim::SeriesIterator<PointSeries, SeriesPoint> begin() const { return {this, 0}; }
  sim::SeriesIterator<PointSeries, SeriesPoint> end() const { return {this, size()}; }

 private:
  std::size_t reasons_ = 0, regions_ = 0;
  sim::StepLog log_;
};

}  // namespace models::results
