#pragma once
// One Envoy's state for one upstream cluster: here, a waypoint replica and the pods of its
// service. It holds what Envoy keeps per cluster (ROUTING.md 9b.1): the hosts in Istio's priority
// levels, the priority loads recomputed whenever a host's health changes, the outlier detector,
// the load balancer's cursor and per-host active requests, the circuit-breaker counters, and with
// active health checking which hosts fail it. Nothing here is shared with any other proxy.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "models/health/envoy_active_health_check.hpp"
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
  /// Set: the proxy health-checks its hosts actively (ROUTING.md 4). The owner runs one
  /// EnvoyActiveHealthChecker per host with this config and reports to on_active_check().
  std::optional<health::EnvoyHealthCheckConfig> active_health_check;
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
  /// The host's FAILED_ACTIVE_HC flag: it stays in its priority's host count but is not healthy.
  bool failed_active_health_check(std::uint32_t host) const { return failed_active_hc_[host] != 0; }

  /// The control plane changed which hosts exist (the proxy's view): loads are recomputed at the
  /// next pick.
  void endpoints_changed() { dirty_ = true; }
  /// Back to the state of a freshly started proxy (after a restart): no ejections, and every host
  /// passing active HC (the simulator's steady-state start; Envoy's first check, sent at once,
  /// would make them healthy after one RTT).
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
  /// Returns whether the result ejected the host (an announcement for whoever watches).
  bool record_result(std::uint32_t host, int http_status, sim::SimTime now, sim::RngStream& rng);
  /// The outlier detector's interval sweep.
  /// Returns the hosts the sweep ejected (an announcement for whoever watches).
  std::vector<std::uint32_t> sweep(sim::SimTime now, sim::RngStream& rng);

  /// Active health checking: sets or clears the host's FAILED_ACTIVE_HC flag, e.g. to fail a host
  /// Envoy has just learned of until its first check. Priority loads follow at the next pick.
  /// Ignored without active_health_check, like the outlier calls without a detector.
  void set_active_health(std::uint32_t host, bool host_healthy);
  /// One completed active check of `host`: `check_passed` is this probe's result, `host_healthy`
  /// the checker's verdict after it. Besides setting the flag, a passing check of a host that is
  /// healthy by active HC unejects it when successful_active_health_check_uneject_host is set:
  /// Envoy does this on every such check, not only on the transition [E12].
  void on_active_check(std::uint32_t host, bool check_passed, bool host_healthy, sim::SimTime now);

  std::uint32_t active_requests() const { return active_requests_; }
  std::uint32_t active_retries() const { return active_retries_; }
  std::uint64_t ejections() const { return ejections_; }

 private:
  void recompute(std::span<const std::uint8_t> present);
  // Envoy's host health: listed, not ejected and not failing active HC (either flag makes it
  // unhealthy, not excluded, so it still counts in its priority's size).
  bool healthy(std::uint32_t host, std::span<const std::uint8_t> present) const {
    return present[workloads_[host]] != 0 && !ejected(host) && !failed_active_health_check(host);
  }

  EnvoyUpstreamSettings settings_;
  std::vector<std::uint32_t> workloads_;
  std::vector<std::uint32_t> priorities_;
  std::vector<std::vector<std::uint32_t>> by_priority_;  // host indices per priority
  std::optional<health::OutlierDetector> detector_;
  std::vector<std::uint8_t> failed_active_hc_;  // per host; all 0 without active health checking
  routing::PriorityLoads loads_;
  bool dirty_ = true;
  std::vector<std::uint32_t> cursors_;         // round robin, per priority
  std::vector<std::uint32_t> active_by_host_;  // least request
  // Rebuilt by recompute(), in by_priority_ order: the hosts the view lists, and those of them
  // that are healthy. A pick draws from one of them without scanning the hosts.
  std::vector<std::vector<std::uint32_t>> present_by_priority_;
  std::vector<std::vector<std::uint32_t>> healthy_by_priority_;
  std::uint32_t active_requests_ = 0;
  std::uint32_t active_retries_ = 0;
  std::uint64_t ejections_ = 0;
};

}  // namespace models::proxies
