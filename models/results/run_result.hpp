#pragma once
// The outcome of one run as plain data: what results.json holds. The metrics subsystem fills it,
// reports read it: models/results is the one part of models that reports use (CMake target
// faultline_results), so a report never depends on the models themselves. No wall-clock figures
// and no host names, so two runs of the same scenario and seed can be compared byte for byte.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/results/point_series.hpp"
#include "sim/step_log.hpp"
#include "sim/time.hpp"

namespace models::results {

using sim::CountSeries;
using sim::Duration;

struct LatencySummary {
  Duration p50{}, p90{}, p99{}, p999{}, max{};
  Duration mean{};  // of the whole run's or group's requests; not kept per step (zero there)
};

/// Outcome counts for one group of requests. `slow` counts successes over the SLO latency.
struct OutcomeCounts {
  std::uint64_t requests = 0;
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::uint64_t slow = 0;
  std::uint64_t retries = 0;  // re-sends by retrying clients (clients[].retries), in the step they were sent
  std::vector<std::uint64_t> failures_by_reason;  // aligned with RunResult::failure_reasons
  std::vector<std::uint64_t> served_by_region;    // requests the gateway sent to each region
};

/// One step of a time series: requests that arrived in [start, start + step).
struct SeriesPoint {
  Duration start{};
  OutcomeCounts counts;
  LatencySummary latency;  // of successful requests
};

struct GroupResult {
  std::string name;    // client group name, or "all"
  std::string region;  // where the group's requests enter ("" for "all")
  OutcomeCounts totals;
  LatencySummary latency;
  PointSeries series;  // per step, mostly on disk for long runs (sim/step_log.hpp)
};

/// What a fault did to traffic (sim/fault_impact.hpp says how each figure is measured).
struct FaultImpact {
  std::optional<Duration> time_to_detect;    // first routing reaction to one of its components
  std::string detected_by;                   // which kind of reaction
  std::optional<Duration> time_to_recover;   // from the start; absent: not within the run
  std::optional<Duration> time_to_fail_back; // from the end; absent: not measured or not within the run
  Duration window_start{}, window_end{};     // the steps whose requests are counted below
  std::uint64_t requests = 0;                // sent in the window
  std::uint64_t failed = 0, slow = 0, bad = 0;  // its own: bad = failed + slow (broke the latency SLO)
  std::uint64_t shared = 0;                  // of its bad requests, those another fault caused too
  double bad_share = 0;                      // bad / requests
  double peak_error_rate = 0;                // the worst step's failed share
  double error_budget_burned = 0;            // bad / the run's error budget ((1 - target) x requests)
  std::vector<std::string> clients, client_regions, routes, services, clusters;  // that saw bad requests
  std::uint64_t lost_writes = 0;             // of database failures it caused (RPO)
  Duration write_unavailable{};              // their write downtime (RTO)
};

struct FaultRecord {
  std::string id;
  std::string kind;
  std::string target;
  std::string service;  // a gray failure of one service's pods in the target; empty otherwise
  Duration start{};
  std::optional<Duration> end;  // absent: lasted until the end of the run
  /// Structural blast radius: every component that fails with the target, from the fleet graph.
  std::vector<std::string> components;
  std::vector<std::pair<std::string, std::uint64_t>> components_by_kind;
  std::vector<std::uint32_t> reach_components;  // the same, as component indices, ascending (not written)
  FaultImpact impact;
  bool drawn = false;  // from a fault process: which faults exist depends on the seed
  std::string process;  // drawn: the id of that process
};

/// Bad client requests with the same set of faults behind them (models/faults/blame.hpp): per
/// step from `first_step`, per client group (by index), and by route, entry service and cluster.
struct CauseBucket {
  std::vector<std::uint32_t> faults;  // indices into RunResult::faults, ascending
  std::size_t first_step = 0;
  std::vector<std::uint32_t> failed, slow;  // [step - first_step]
  std::vector<std::uint64_t> clients;       // bad requests by client group
  std::vector<std::pair<std::string, std::uint64_t>> routes, services, clusters;
};

/// Bad requests that no fault caused: baseline overload, timeouts under normal load, leftovers
/// of a fault after its settle time.
struct NoFaultBad {
  std::uint64_t failed = 0, slow = 0, bad = 0;
  double share = 0;  // of all requests
};

/// Client requests per step along one dimension (a route, an entry service, the cluster that
/// served them), and how many were good (succeeded within the latency SLO).
struct Breakdown {
  std::string dimension;  // "route", "service" or "cluster"
  std::string name;
  CountSeries requests, good;  // [step]
  LatencySummary latency;                      // of its successful requests
};

/// A routing reaction that takes something out of rotation: a health check marking an endpoint
/// unhealthy, an outlier ejection, an endpoint removed from a proxy's view or a NEG, a DNS answer
/// change. Kept for time-to-detect; not written to results.json.
struct RoutingReaction {
  Duration at{};
  const char* kind = "";
  std::vector<std::uint32_t> faults;  // the faults behind what it took out of rotation (indices, ascending)
};

/// Requests (attempts included) that reached a service's pods, per region and step, counted when
/// they arrive; steps run to the end of the drain after the last arrival.
/// How busy a service was in one region where it has pods, per step (metrics/saturation.hpp):
/// integrals over the step, in count x nanoseconds, of its busy slots, its queued calls and its
/// running pods, and the pods Ready (Kubernetes' readiness) at the step's end.
struct ServiceSaturation {
  std::uint32_t region = 0;
  CountSeries busy, queued, running, replicas;
};

/// Busy slots over running slots (pods x `concurrency`) over the steps [from, to): the service's
/// time-averaged utilization there; nothing when no pod ran.
inline std::optional<double> utilization(const ServiceSaturation& s, std::uint32_t concurrency, std::size_t from,
                                         std::size_t to) {
  double busy = 0, running = 0;
  for (std::size_t k = from; k < std::min(to, s.busy.size()); ++k) {
    busy += static_cast<double>(s.busy[k]);
    running += static_cast<double>(s.running[k]);
  }
  if (running == 0) return std::nullopt;
  return busy / (running * concurrency);
}

struct ServiceLoad {
  std::string service;
  std::vector<CountSeries> requests_by_region;  // [region][step]
  std::uint32_t concurrency = 1;                // per pod
  std::vector<ServiceSaturation> saturation;    // regions where it has pods, in region order
};

/// What happened to a replicated database's writes.
struct DatabaseFailure {
  Duration failed_at{};
  std::uint32_t component = 0xffffffffu;  // the primary instance that failed (a component index)
  std::uint64_t lost_writes = 0;
  std::optional<Duration> writable_again_at;  // absent: not within the run
};

struct DatabaseResult {
  std::string name;
  std::uint64_t writes = 0;          // committed
  std::uint64_t failed_writes = 0;   // refused: no writable primary
  std::uint64_t lost_writes = 0;     // committed on a primary that failed before replicating them (RPO)
  Duration write_unavailable{};      // from primary failures to promotions (RTO, summed)
  std::uint32_t failovers = 0;
  std::string primary_region;        // at the end of the run
  std::vector<DatabaseFailure> failures;
};

/// The fleet's shape, for drawing it: regions, their clusters, the backbone.
struct TopologyCluster {
  std::string name;
  std::uint32_t nodes = 0;
  bool config_cluster = false;
  bool runs_istiod = true;
  std::vector<std::string> services;  // deployed here
};
struct TopologyRegion {
  std::string name;
  bool gateway_vip = false;
  std::vector<TopologyCluster> clusters;
};
struct TopologyLink {
  std::string from, to;
  Duration latency{};
};
struct Topology {
  std::vector<TopologyRegion> regions;
  std::vector<TopologyLink> backbone;
};

/// How per-fault metrics are measured (models/metrics/fault_impact.hpp).
struct ImpactOptions {
  Duration window = std::chrono::seconds{30};  // the sliding window of the success rate
  Duration hold = std::chrono::seconds{60};    // how long it must stay at the target
  double share_tolerance = 0.05;               // fail-back: each region's share within this of before
};

struct RunResult {
  std::string scenario;
  std::uint64_t seed = 0;
  Duration duration{};
  Duration step{};
  double slo_availability = 0;
  Duration slo_latency{};
  std::vector<std::string> regions;
  std::vector<std::string> failure_reasons;
  bool client_retries = false;  // some client group retries: counts and series carry `retries`
  GroupResult all;
  std::vector<GroupResult> clients;
  std::vector<FaultRecord> faults;
  std::vector<ServiceLoad> services;
  std::vector<DatabaseResult> databases;
  std::vector<Breakdown> breakdowns;       // routes, then entry services, then clusters
  std::vector<RoutingReaction> reactions;  // in time order
  std::vector<CauseBucket> causes;         // bad requests by the faults behind them
  NoFaultBad no_fault;
  ImpactOptions impact_options;  // what the faults' impact was measured with (not written)
  Topology topology;
  std::vector<std::string> warnings;  // metrics/warnings.hpp
  std::uint64_t events = 0;  // simulated events processed (deterministic)
};

}  // namespace models::results
