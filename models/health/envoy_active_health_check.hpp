#pragma once
// Envoy's active health checking of one host by one proxy (ROUTING.md 4.1, 4.2; [E14] proto docs,
// [E15] health_checker_base_impl.cc). Unlike the Compute Engine checker in health_check.hpp, which
// probes on a fixed schedule, Envoy arms the next probe only when the previous one has answered or
// timed out, and the wait depends on the result and on whether a transition is under way:
//
//   result | transition                     | cluster had traffic     | never had traffic
//   passed | none, or just became healthy   | interval                | no_traffic_healthy_interval
//   passed | pending (counting to H)        | healthy_edge_interval   | no_traffic_interval
//   failed | none, or just became unhealthy | unhealthy_interval      | no_traffic_interval
//   failed | pending (counting to U)        | unhealthy_edge_interval | no_traffic_interval
//
// so with U failures needed and probes that fail after d (the timeout for a blackholed host, about
// an RTT for a refused connection), a failure is noticed
//   T_detect = phi + d + (U-1) * (unhealthy_edge_interval + d)
// after it starts, phi being the wait for the next probe to start, in [0, interval + RTT); and a
// host that answers again is back after
//   T_recover = phi' + (H-1) * (healthy_edge_interval + RTT) + RTT,   phi' in [0, unhealthy_interval + d)
// (ROUTING.md 4.3).
// An HTTP status that is neither expected nor retriable (a 503 from the application) skips the
// threshold: T_detect = phi + RTT.
//
// The owner runs the timers: it sends a probe, calls record() with its result when it answers or
// times out, and sends the next one next_interval() later. Everything is per proxy (9b.1).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace models::health {

/// One cluster's `health_checks` entry as Envoy reads it [E14]. Unset optionals take Envoy's
/// defaults (see resolve_intervals). Envoy reads every duration in whole milliseconds, so this
/// model truncates to milliseconds too.
struct EnvoyHealthCheckConfig {
  // Envoy requires these four and has no defaults. These are the values hand-written EnvoyFilter
  // patches and Envoy examples most often use (interval 5 s, timeout 1 s, 3 failures, 2 passes),
  // also the worked example of ROUTING.md 4.3. A choice of this model, not Envoy's.
  sim::Duration interval = std::chrono::seconds{5};
  sim::Duration timeout = std::chrono::seconds{1};
  std::uint32_t unhealthy_threshold = 3;
  std::uint32_t healthy_threshold = 2;

  /// The first probe waits a uniform [0, initial_jitter) (0: probe at once).
  sim::Duration initial_jitter = sim::Duration::zero();
  /// Each wait gets a uniform [0, interval_jitter) added.
  sim::Duration interval_jitter = sim::Duration::zero();
  /// Each wait gets a uniform [0, base * percent / 100) added, base being the wait chosen by the
  /// table above (Envoy's code; the proto says "of interval" [E15 vs E14]).
  std::uint32_t interval_jitter_percent = 0;

  /// Used while the cluster has never had an upstream connection.
  sim::Duration no_traffic_interval = std::chrono::seconds{60};
  std::optional<sim::Duration> no_traffic_healthy_interval;  // unset: no_traffic_interval
  std::optional<sim::Duration> unhealthy_interval;           // unset: interval
  std::optional<sim::Duration> unhealthy_edge_interval;      // unset: unhealthy_interval
  std::optional<sim::Duration> healthy_edge_interval;        // unset: interval
};

/// Every wait of EnvoyHealthCheckConfig after Envoy's defaults are applied.
struct EnvoyHealthCheckIntervals {
  sim::Duration interval;
  sim::Duration unhealthy;
  sim::Duration unhealthy_edge;
  sim::Duration healthy_edge;
  sim::Duration no_traffic;
  sim::Duration no_traffic_healthy;
};

/// Applies Envoy's default chain [E15]: unhealthy_edge falls back to the *resolved* unhealthy
/// interval, which falls back to interval.
EnvoyHealthCheckIntervals resolve_intervals(const EnvoyHealthCheckConfig& config);

/// Human-readable messages for every setting Envoy would reject (durations must be positive, the
/// jitters not negative); empty when the config is acceptable. Thresholds are not checked: Envoy
/// accepts 0, which means the threshold is never reached.
std::vector<std::string> validate(const EnvoyHealthCheckConfig& config);

/// What one probe came back with, in the classes Envoy's counting distinguishes [E15].
enum class ProbeResult : std::uint8_t {
  Success,             // an expected status (200 by default)
  NetworkFailure,      // timeout, connection refused or reset: counts toward unhealthy_threshold
  RetriableStatus,     // a status listed in retriable_statuses: counts toward unhealthy_threshold
  NonRetriableStatus,  // any other status, e.g. 503: a healthy host is unhealthy at once
};

/// What a probe changed.
enum class HealthChange : std::uint8_t { None, BecameHealthy, BecameUnhealthy };

/// The active health checker of one host in one proxy: Envoy's ActiveHealthCheckSession [E15].
class EnvoyActiveHealthChecker {
 public:
  enum class Start : std::uint8_t {
    /// Steady state: the host passed its first check long ago (the simulator starts healthy).
    Healthy,
    /// A host Envoy just learned of: failing active HC until its first check, which alone
    /// decides (one pass makes it healthy whatever healthy_threshold says).
    NewHost,
  };

  explicit EnvoyActiveHealthChecker(EnvoyHealthCheckConfig config, Start start = Start::Healthy);

  /// One probe's result. Passes reset the failure count, failures the pass count; the threshold
  /// is reached on equality, as in Envoy.
  HealthChange record(ProbeResult result);

  /// How long after the last result the next probe starts: the wait of the table in this file's
  /// header for the last result and transition, plus jitter, in whole ms and at least 1 ms.
  /// `had_traffic`: the cluster has had an upstream connection at some point.
  sim::Duration next_interval(bool had_traffic, sim::RngStream& rng) const;

  /// How long after the host is added its first probe starts: 0 without initial_jitter, else
  /// uniform in [1 ms, initial_jitter) (Envoy clamps every wait to at least 1 ms).
  sim::Duration initial_delay(sim::RngStream& rng) const;

  /// Not failing active HC: the load balancer may use the host.
  bool healthy() const { return healthy_; }
  /// The last result started or continued a count toward a threshold that is not reached yet.
  bool pending() const { return last_transition_ == Transition::Pending; }
  bool first_check() const { return first_check_; }
  std::uint32_t num_healthy() const { return num_healthy_; }
  std::uint32_t num_unhealthy() const { return num_unhealthy_; }
  const EnvoyHealthCheckConfig& config() const { return config_; }

 private:
  enum class Transition : std::uint8_t { Unchanged, Pending, Changed };

  EnvoyHealthCheckConfig config_;
  bool healthy_;
  bool first_check_;
  std::uint32_t num_healthy_ = 0;
  std::uint32_t num_unhealthy_ = 0;
  bool last_check_passed_;
  Transition last_transition_ = Transition::Unchanged;
};

}  // namespace models::health
