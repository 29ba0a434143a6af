#pragma once
// One Envoy's state for one upstream cluster: here, a waypoint replica and the pods of its
// service. It holds what Envoy keeps per cluster (ROUTING.md 9b.1): the hosts in Istio's priority
// levels, the priority loads recomputed whenever a host's health changes, the outlier detector,
// the load balancer's cursor and per-host active requests, and the circuit-breaker counters.
// Nothing here is shared with any other proxy.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "models/health/outlier_detection.hpp"
#include "models/routing/lb_policy.hpp"
#include "models/routing/priority_load.hpp"
#include "models/routing/retry_policy.hpp"
#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace models::proxies {

struct EnvoyUpstreamSettings {
  routing::LbPolicy lb_policy = routing::LbPolicy::LeastRequest;
  std::uint32_t overprovisioning_percent = routing::kDefaultOverprovisioningPercent;
  double panic_threshold_percent = routing::kDefaultPanicThresholdPercent;
  std::optional<health::OutlierDetectionConfig> outlier_detection;
  routing::RetryPolicy retry;
  routing::CircuitBreakerThresholds circuit_breakers;
  std::optional<routing::RetryBudget> retry_budget;
};

class EnvoyUpstream {
 public:
  /// `workloads[h]` is host h's workload; `priorities[h]` its (compacted) priority level.
  EnvoyUpstream(EnvoyUpstreamSettings settings, std::vector<std::uint32_t> workloads,
                std::vector<std::uint32_t> priorities);

  const EnvoyUpstreamSettings& settings() const { return settings_; }
  std::size_t host_count() const { return workloads_.size(); }
  std::uint32_t workload(std::uint32_t host) const { return workloads_[host]; }
  std::uint32_t priority(std::uint32_t host) const { return priorities_[host]; }
  bool ejected(std::uint32_t host) const { return detector_ && detector_->ejected(host); }

  /// The control plane changed which hosts exist (the proxy's view): loads are recomputed at the
  /// next pick.
  void endpoints_changed() { dirty_ = true; }
  /// Back to the state of a freshly started proxy (after a restart).
  void reset();

  /// Chooses a host for an attempt: priority by the integer loads, then the LB policy over that
  /// priority's healthy hosts (all its present hosts when it is in panic), re-picking hosts this
  /// request already tried as the retry policy's previous_hosts predicate says. `present[w]` is
  /// the proxy's view of workload w. Nothing when no host can be routed to (503).
  std::optional<std::uint32_t> pick(std::span<const std::uint8_t> present, std::span<const std::uint32_t> tried,
                                    sim::RngStream& rng);
  const routing::PriorityLoads& loads(std::span<const std::uint8_t> present);

  // Circuit breakers and the retry budget count attempts in flight.
  bool request_admitted() const { return active_requests_ < settings_.circuit_breakers.max_requests; }
  bool retry_admitted() const;
  void attempt_started(std::uint32_t host, bool is_retry);
  void attempt_finished(std::uint32_t host, bool is_retry);

  /// One attempt's result, as an HTTP status, for outlier detection.
  void record_result(std::uint32_t host, int http_status, sim::SimTime now, sim::RngStream& rng);
  /// The outlier detector's interval sweep.
  void sweep(sim::SimTime now, sim::RngStream& rng);

  std::uint32_t active_requests() const { return active_requests_; }
  std::uint32_t active_retries() const { return active_retries_; }
  std::uint64_t ejections() const { return ejections_; }

 private:
  void recompute(std::span<const std::uint8_t> present);
  bool healthy(std::uint32_t host, std::span<const std::uint8_t> present) const {
    return present[workloads_[host]] != 0 && !ejected(host);
  }

  EnvoyUpstreamSettings settings_;
  std::vector<std::uint32_t> workloads_;
  std::vector<std::uint32_t> priorities_;
  std::vector<std::vector<std::uint32_t>> by_priority_;  // host indices per priority
  std::optional<health::OutlierDetector> detector_;
  routing::PriorityLoads loads_;
  bool dirty_ = true;
  std::vector<std::uint32_t> cursors_;         // round robin, per priority
  std::vector<std::uint32_t> active_by_host_;  // least request
  std::vector<std::uint32_t> candidates_;      // scratch, reused across picks
  std::uint32_t active_requests_ = 0;
  std::uint32_t active_retries_ = 0;
  std::uint64_t ejections_ = 0;
};

}  // namespace models::proxies
