#pragma once
// The metrics subsystem: it observes. The request path tells it what happened to each client
// request and where requests went; the routing subsystems tell it when they reacted to a change
// (a health check marking an endpoint down, an ejection, an endpoint removed, a DNS answer
// changing). It keeps per-step counters in rings of the steps still open, closes them on
// StepFinalize, and at the end of the run assembles the RunResult.

#include <cstdint>
#include <vector>

#include "models/events.hpp"
#include "models/faults/cause_sets.hpp"
#include "models/fleet/fleet.hpp"
#include "models/metrics/attribution.hpp"
#include "models/metrics/request_metrics.hpp"
#include "models/metrics/saturation.hpp"
#include "models/traffic/outcome.hpp"
#include "models/results/run_result.hpp"

namespace models {
struct Subsystems;
}

namespace models::metrics {

/// A routing reaction that counts as detecting a fault (sim/fault_impact: time to detect).
enum class Reaction : std::uint8_t {
  GatewayHealthCheck,
  GatewayOutlierEjection,
  WaypointOutlierEjection,
  WaypointHealthCheck,
  EndpointRemoved,
  NegEndpointRemoved,
  DnsAnswerChanged,
};

class Metrics {
 public:
  using Handles = EventList<StepFinalize>;
  explicit Metrics(Subsystems& s);

  void start();
  void on(const StepFinalize& e);
  /// Closes every step and assembles the run's results (call once, at the end).
  models::results::RunResult results(std::uint64_t events);

  /// The time after which no client request can still be waiting for its answer.
  sim::SimTime horizon() const { return horizon_; }
  std::size_t step_of(sim::SimTime t) const { return requests_.step_of(t); }

  // What the request path reports. A bad request's cause is the set of faults behind it
  // (faults/blame.hpp); `place` says where it was, as far as it got.
  void arrival(std::uint32_t client, std::size_t step) { requests_.arrival(client, step); }
  void failure(std::uint32_t client, std::size_t step, traffic::Failure reason, faults::CauseId cause = faults::kNoCause,
               RequestPlace place = {}) {
    requests_.failure(client, step, reason);
    if (cause != faults::kNoCause) attribution_.bad(cause, client, step, /*failed=*/true, place);
  }
  /// A client request whose answer came after its deadline, or never reached the client: the
  /// step's finalisation counts it as a timeout; this records its cause.
  void unanswered(std::uint32_t client, std::size_t step, faults::CauseId cause, RequestPlace place) {
    if (cause != faults::kNoCause) attribution_.bad(cause, client, step, /*failed=*/true, place);
  }
  /// A retrying client re-sent a request in `step`.
  void client_retry(std::uint32_t client, std::size_t step) { requests_.retry(client, step); }
  void served_by(std::uint32_t client, std::size_t step, std::uint32_t region) { requests_.served_by(client, step, region); }
  void route_requested(std::uint32_t route, std::size_t step) { count_request(route, step); }
  void service_requested(std::uint32_t service, std::size_t step) { count_request(service_group(service), step); }
  void cluster_serves(std::uint32_t cluster, std::size_t step) { count_request(cluster_group(cluster), step); }
  /// A call reached a pod of `service` in `region` (the failover inside the mesh).
  void pod_reached(std::uint32_t service, std::uint32_t region, sim::SimTime now) {
    ++service_ring_[ring_slot(service * regions_ + region, step_of(now))];
  }
  /// A client request answered in time: its latency, by route, entry service and serving cluster.
  void success(std::uint32_t client, std::size_t step, sim::Duration latency, std::uint32_t route, std::uint32_t service,
               std::uint32_t cluster, faults::CauseId cause);
  /// Busy slots, queued calls and running pods per service and region (the request path reports).
  Saturation& saturation() { return saturation_; }
  /// A routing reaction, with the faults behind what it took out of rotation.
  void reacted(Reaction reaction, faults::CauseId cause);

 private:
  std::size_t ring_slot(std::size_t row, std::size_t step) const { return row * ring_ + (step & (ring_ - 1)); }
  std::size_t service_group(std::uint32_t service) const { return routes_ + service; }
  std::size_t cluster_group(std::uint32_t cluster) const { return routes_ + services_ + cluster; }
  void count_request(std::size_t group, std::size_t step) { ++breakdown_ring_requests_[ring_slot(group, step)]; }
  void close_breakdown_step(std::size_t step);
  void close_service_steps_before(std::size_t step);
  void add_breakdowns(models::results::RunResult& out);
  void add_topology(models::results::RunResult& out) const;

  Subsystems& s_;
  std::size_t routes_, services_, regions_;
  RequestMetrics requests_;
  sim::SimTime horizon_;
  Saturation saturation_;
  // Per-step counters live in rings of the steps still open (ring_ slots, indexed by step % ring_)
  // and go to their series, mostly on disk, as each step closes: memory stays flat however long
  // the run (sim/step_log.hpp).
  std::size_t ring_ = 1;  // a power of two, so that a slot is a mask, not a division, per request
  std::size_t service_steps_ = 0;   // steps of service load: to the end of the drain
  std::size_t service_closed_ = 0;  // service load steps [0, service_closed_) are in service_series_
  std::vector<std::uint64_t> service_ring_;       // [service][region][slot], requests reaching pods
  std::vector<sim::CountSeries> service_series_;  // [service][region]
  // Client requests and good ones per step, by route, entry service and serving cluster; a step
  // closes when requests_ closes it.
  std::vector<std::uint64_t> breakdown_ring_requests_, breakdown_ring_good_;  // [group][slot]
  std::vector<sim::CountSeries> breakdown_requests_, breakdown_good_;         // [group]
  std::vector<sim::LatencyHistogram> breakdown_latency_;                      // [group]
  std::vector<models::results::RoutingReaction> reactions_;
  std::vector<faults::CauseId> reaction_causes_;  // beside reactions_, expanded at the end
  Attribution attribution_;
};

}  // namespace models::metrics
