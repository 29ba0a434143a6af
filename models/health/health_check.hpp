#pragma once
// The state machine of one active health checker for one endpoint: consecutive results against
// healthy and unhealthy thresholds (ROUTING.md 4.2 and 7.4). Compute Engine health checks probe
// on a fixed schedule, every `interval`, each probe failing after `timeout` if nothing answers, so
// with U failures needed the time to detect a failure at an instant t_f is
//   between (U-1)*I + T and U*I + T   (a blackholed endpoint, T = timeout)
// and the time to recover between (H-1)*I + RTT and H*I + RTT after the endpoint is back.
// The first check of a new endpoint marks it healthy at once (Envoy); the simulator starts every
// endpoint healthy (steady state), which is the same thing after one probe.

#include <cstdint>

#include "sim/time.hpp"

namespace models::health {

struct HealthCheckThresholds {
  std::uint32_t healthy = 2;    // consecutive passes that make an unhealthy endpoint healthy
  std::uint32_t unhealthy = 2;  // consecutive failures that make a healthy endpoint unhealthy
};

class HealthCheckState {
 public:
  HealthCheckState() = default;
  /// Starting unhealthy: an endpoint that must pass the healthy threshold before it is used.
  static HealthCheckState unhealthy() {
    HealthCheckState s;
    s.healthy_ = false;
    return s;
  }
  bool healthy() const { return healthy_; }
  /// One probe's result. Returns true when the endpoint changed state.
  bool record(bool passed, const HealthCheckThresholds& thresholds);
  /// Whether recording `passed` now would change nothing that is ever read again: a pass on a
  /// healthy endpoint that counts no failure, or a failure on an unhealthy one that counts no pass
  /// (the other counter is only read in the other state, and is reset before it is). A prober
  /// need not deliver such a result, as long as no other result is in flight before it.
  bool settled(bool passed) const { return passed ? (healthy_ && failures_ == 0) : (!healthy_ && successes_ == 0); }

 private:
  bool healthy_ = true;
  std::uint32_t successes_ = 0;
  std::uint32_t failures_ = 0;
};

/// When a fixed-schedule checker notices a failure that starts at `failure_at`, for probes sent
/// at phase + k * interval that complete `probe_takes` later (the timeout for a blackholed
/// endpoint, about an RTT for a refused one): the completion time of the U-th failed probe.
/// A probe sent before `failure_at` still passes. Used to test the state machine against 7.4.
sim::SimTime time_detected(sim::SimTime failure_at, sim::Duration phase, sim::Duration interval,
                           sim::Duration probe_takes, std::uint32_t unhealthy_threshold);

}  // namespace models::health
