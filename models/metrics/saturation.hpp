#pragma once
// How busy each service is in each region, step by step: its pods' busy slots (requests being
// worked on, against replicas x concurrency), the calls waiting in their queues, and the pods
// running. Each is a count that changes at events; what a step reports is the count's integral
// over the step (count x nanoseconds), so utilization and queue length are time averages, as an
// M/M/c model states them, not samples. A change adds the time since the row's last change to the
// steps it spans; closing a step first brings every row up to the step's end, so a quiet row
// costs one update per step, not per event.

#include <cstdint>
#include <vector>

#include "models/fleet/fleet.hpp"
#include "models/results/run_result.hpp"
#include "sim/step_log.hpp"
#include "sim/time.hpp"

namespace models::metrics {

class Saturation {
 public:
  /// `ring`: how many steps can be open at once (a power of two).
  Saturation(const Fleet& fleet, sim::Duration step, std::size_t steps, std::size_t ring);

  // A pod of the workload's service in its region: one more (or less) slot busy, call queued, pod running.
  void busy(const Workload& wl, int delta, sim::SimTime now) { change(row(wl), 0, delta, now); }
  void queued(const Workload& wl, int delta, sim::SimTime now) { change(row(wl), 1, delta, now); }
  void running(const Workload& wl, int delta, sim::SimTime now) { change(row(wl), 2, delta, now); }

  /// Closes every step before `step` (their time has passed) up to the last step.
  void close_steps_before(std::size_t step);
  /// Adds each service's series to `out.services` (aligned with the fleet's services).
  void move_into(std::vector<models::results::ServiceLoad>& out);

 private:
  static constexpr std::size_t kMeasures = 3;  // busy, queued, running
  struct Row {
    std::int64_t count[kMeasures] = {0, 0, 0};
    sim::SimTime last{};
  };
  std::size_t row(const Workload& wl) const { return std::size_t{wl.service} * regions_ + wl.region; }
  void change(std::size_t r, std::size_t measure, int delta, sim::SimTime now);
  /// Adds each count x the time from the row's last change to `to`, step by step.
  void advance(std::size_t r, sim::SimTime to);
  // Slot `kMeasures` of a step holds the pods running at its end.
  std::uint64_t& area(std::size_t r, std::size_t step, std::size_t measure) {
    return areas_[(r * ring_ + (step & (ring_ - 1))) * (kMeasures + 1) + measure];
  }

  std::size_t regions_;
  sim::Duration step_;
  std::size_t steps_, ring_;
  std::size_t closed_ = 0;  // steps [0, closed_) are in series_
  std::vector<Row> rows_;                // [service][region]
  std::vector<std::uint64_t> areas_;     // [row][ring slot][measure], count x ns; then running at the end
  std::vector<sim::CountSeries> series_;  // [row][measure + pods at the step's end]
  std::vector<bool> deployed_;           // [row]: the service has pods in the region
  std::vector<std::uint32_t> concurrency_;  // by service
};

}  // namespace models::metrics
