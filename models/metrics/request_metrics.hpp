#pragma once
// Per-step outcome counting for client requests. A request is counted in the step in which the
// client sent it, so a step's success rate answers "what happened to requests sent at time t".
// A step is finalised once every request sent in it has either completed or passed its deadline:
// requests still without an outcome then are the ones the gateway answered with a 504, and are
// counted as timeouts. Steps in flight live in a ring, so memory does not grow with the run.

#include <cstdint>
#include <vector>

#include "models/traffic/outcome.hpp"
#include "sim/histogram.hpp"
#include "models/results/run_result.hpp"

namespace models::metrics {

class RequestMetrics {
 public:
  /// `finalize_lag` is the longest time a request can stay without an outcome (the gateway timeout).
  RequestMetrics(std::size_t clients, std::size_t regions, sim::Duration step, std::size_t steps,
                 sim::Duration finalize_lag, sim::Duration slo_latency);

  std::size_t step_of(sim::SimTime t) const { return static_cast<std::size_t>(t.ns() / step_.count()); }
  std::size_t steps() const { return steps_; }

  void arrival(std::uint32_t client, std::size_t step);
  void served_by(std::uint32_t client, std::size_t step, std::uint32_t region);
  void success(std::uint32_t client, std::size_t step, sim::Duration latency);
  void failure(std::uint32_t client, std::size_t step, traffic::Failure reason);
  /// A retrying client re-sent a request in `step` (when it was re-sent, not first sent).
  void retry(std::uint32_t client, std::size_t step);

  /// Closes the oldest open step if its outcomes are all in by `now`; returns false when there is
  /// nothing left to close.
  bool finalize_due(sim::SimTime now);
  /// The time at which step `k` can be closed.
  sim::SimTime finalize_time(std::size_t k) const;
  std::size_t next_to_finalize() const { return finalized_; }
  /// How many steps can be open at once: per-step counters kept beside these can use a ring of
  /// this size, indexed by step % ring_size(), and close step k when this closes it.
  std::size_t ring_size() const { return ring_size_; }

  /// Fills the per-client and "all" groups of `out` (series, totals, latency summaries), moving
  /// the series there (a day's worth is tens of MB): call once, at the end.
  void move_into(models::results::RunResult& out, const std::vector<std::string>& client_names,
                 const std::vector<std::string>& client_regions);

 private:
  struct Slot {
    models::results::OutcomeCounts counts;
    sim::LatencyHistogram latency;
  };
  Slot& slot(std::uint32_t client, std::size_t step) { return ring_[client * ring_size_ + step % ring_size_]; }
  void reset(Slot& s) const;
  void reset_counts(models::results::OutcomeCounts& c) const;
  static void add(models::results::OutcomeCounts& into, const models::results::OutcomeCounts& from);
  static models::results::LatencySummary summarize(const sim::LatencyHistogram& h);

  std::size_t clients_, regions_;
  sim::Duration step_;
  std::size_t steps_;
  sim::Duration finalize_lag_, slo_latency_;
  std::size_t ring_size_;
  std::vector<Slot> ring_;
  std::size_t finalized_ = 0;

  // Finished results.
  std::vector<models::results::PointSeries> series_;  // [client]: closed steps, mostly on disk for long runs
  models::results::PointSeries all_series_;
  std::vector<models::results::OutcomeCounts> totals_;
  std::vector<sim::LatencyHistogram> total_latency_;
  models::results::OutcomeCounts all_totals_;
  sim::LatencyHistogram all_latency_;
  std::vector<std::uint64_t> late_retries_;  // [client]: sent after the last step
  std::vector<std::uint64_t> late_served_;   // [client][region]: re-sends the gateway sent on after the last step
};

}  // namespace models::metrics
