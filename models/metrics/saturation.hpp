#pragma once
// How busy each service is in each region, step by step: its pods' busy slots (requests being
// worked on, against replicas x concurrency), the calls waiting in their queues, the pods running
// and the pods Ready (as Kubernetes says: a pod can run without being Ready, starting, failing its
// probe or being deleted, and stay Ready a while after it died). Each is a count that changes at events; what a step reports is the count's integral
// over the step (count x nanoseconds), so utilization and queue length are time averages, as an
// M/M/c model states them, not samples.
//
// A change costs O(1) with no walk over time: the integral over step k is the count at the step's
// start x the step, plus delta x (step end - t) for each change (delta at t) inside it. So a change
// adds to two numbers of its step's slot, and closing a step turns them into its integral and the
// next step's starting count.

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
  /// A pod of the workload's service in its region became Ready (+1) or stopped being Ready (-1).
  void ready(const Workload& wl, int delta, sim::SimTime now) { change(row(wl), 3, delta, now); }

  /// Closes every step before `step` (their time has passed) up to the last step.
  void close_steps_before(std::size_t step);
  /// Adds each service's series to `out.services` (aligned with the fleet's services).
  void move_into(std::vector<models::results::ServiceLoad>& out);

 private:
  static constexpr std::size_t kMeasures = 4;     // busy, queued, running, ready
  static constexpr std::size_t kIntegrals = 3;    // reported as integrals: busy, queued, running
  static constexpr std::size_t kSeries = kIntegrals + 1;  // and Ready pods at the step's end
  // 128 bits: counts x nanoseconds outgrow 64 bits for long steps (10^5 busy slots x a day's step).
  using Wide = __int128;
  struct Slot {
    std::int64_t net = 0;  // sum of the deltas in the step
    Wide weighted = 0;     // sum of delta x (step end - t), in ns
  };
  std::size_t row(const Workload& wl) const { return std::size_t{wl.service} * regions_ + wl.region; }
  void change(std::size_t r, std::size_t measure, int delta, sim::SimTime now) {
    if (now >= current_end_) move_to(now);
    if (current_ >= steps_) return;  // past the last step: nothing is reported there
    Slot& s = slots_[(r * ring_ + (current_ & (ring_ - 1))) * kMeasures + measure];
    s.net += delta;
    s.weighted += static_cast<Wide>(delta) * (current_end_ - now).count();
  }
  /// The step `now` falls in becomes the current one.
  void move_to(sim::SimTime now);

  std::size_t regions_;
  sim::Duration step_;
  std::size_t steps_, ring_;
  std::size_t current_ = 0;        // the step changes land in now
  sim::SimTime current_end_;       // and its end
  std::size_t closed_ = 0;         // steps [0, closed_) are in series_
  std::vector<std::int64_t> start_;       // [row][measure]: the count at the start of step closed_
  std::vector<Slot> slots_;               // [row][ring slot][measure]
  std::vector<sim::CountSeries> series_;  // [row][integrals, then pods Ready at the step's end]
  std::vector<bool> deployed_;            // [row]: the service has pods in the region
  std::vector<std::uint32_t> concurrency_;  // by service
};

}  // namespace models::metrics
