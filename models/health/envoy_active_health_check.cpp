#include "models/health/envoy_active_health_check.hpp"

#include <algorithm>
#include <chrono>
#include <string_view>
#include <utility>

#include "models/health/settings_checks.hpp"

namespace models::health {
namespace {

using std::chrono::milliseconds;

// Envoy reads config durations in whole milliseconds (PROTOBUF_GET_MS) [E15].
std::uint64_t whole_ms(sim::Duration d) {
  const auto ms = std::chrono::duration_cast<milliseconds>(d).count();
  return ms > 0 ? static_cast<std::uint64_t>(ms) : 0;
}

// Envoy's intervalWithJitter [E15]: the percentage jitter is taken of the chosen wait itself, then
// the absolute jitter is added, and the result is at least 1 ms so that a zero wait cannot spin.
// Both draws are uniform (Envoy uses random() % n; the difference is a bias of order n / 2^64).
sim::Duration with_jitter(std::uint64_t base_ms, std::uint64_t jitter_ms, std::uint32_t jitter_percent,
                          sim::RngStream& rng) {
  std::uint64_t wait_ms = base_ms;
  const std::uint64_t percent_span_ms = std::uint64_t{jitter_percent} * base_ms / 100;
  if (percent_span_ms > 0) wait_ms += rng.uniform_below(percent_span_ms);
  if (jitter_ms > 0) wait_ms += rng.uniform_below(jitter_ms);
  return milliseconds{static_cast<std::int64_t>(std::max<std::uint64_t>(1, wait_ms))};
}



}  // namespace

EnvoyHealthCheckIntervals resolve_intervals(const EnvoyHealthCheckConfig& c) {
  EnvoyHealthCheckIntervals out;
  out.interval = c.interval;
  out.unhealthy = c.unhealthy_interval.value_or(c.interval);
  out.unhealthy_edge = c.unhealthy_edge_interval.value_or(out.unhealthy);
  out.healthy_edge = c.healthy_edge_interval.value_or(c.interval);
  out.no_traffic = c.no_traffic_interval;
  out.no_traffic_healthy = c.no_traffic_healthy_interval.value_or(c.no_traffic_interval);
  return out;
}

std::vector<std::string> validate(const EnvoyHealthCheckConfig& c) {
  std::vector<std::string> issues;
  check_positive(issues, "timeout", c.timeout);
  check_positive(issues, "interval", c.interval);
  check_not_negative(issues, "initial_jitter", c.initial_jitter);
  check_not_negative(issues, "interval_jitter", c.interval_jitter);
  check_positive(issues, "no_traffic_interval", c.no_traffic_interval);
  if (c.no_traffic_healthy_interval)
    check_positive(issues, "no_traffic_healthy_interval", *c.no_traffic_healthy_interval);
  if (c.unhealthy_interval) check_positive(issues, "unhealthy_interval", *c.unhealthy_interval);
  if (c.unhealthy_edge_interval) check_positive(issues, "unhealthy_edge_interval", *c.unhealthy_edge_interval);
  if (c.healthy_edge_interval) check_positive(issues, "healthy_edge_interval", *c.healthy_edge_interval);
  return issues;
}

EnvoyActiveHealthChecker::EnvoyActiveHealthChecker(EnvoyHealthCheckConfig config, Start start)
    : config_(std::move(config)),
      healthy_(start == Start::Healthy),
      first_check_(start == Start::NewHost),
      last_check_passed_(healthy_) {}

HealthChange EnvoyActiveHealthChecker::record(ProbeResult result) {
  const bool first = first_check_;
  first_check_ = false;

  if (result == ProbeResult::Success) {
    last_check_passed_ = true;
    num_unhealthy_ = 0;
    if (healthy_) {
      last_transition_ = Transition::Unchanged;
      return HealthChange::None;
    }
    // The first result for a new host decides alone, to make startup fast [E15][E14]; the pass
    // count is not touched then (Envoy short-circuits the increment).
    if (first || ++num_healthy_ == config_.healthy_threshold) {
      healthy_ = true;
      last_transition_ = Transition::Changed;
      return HealthChange::BecameHealthy;
    }
    last_transition_ = Transition::Pending;
    return HealthChange::None;
  }

  last_check_passed_ = false;
  num_healthy_ = 0;
  if (!healthy_) {
    last_transition_ = Transition::Unchanged;
    return HealthChange::None;
  }
  // A status the host chose to send (not a network failure, not retriable) is taken at its word
  // and skips the threshold, even in the middle of a count [E15][E14].
  if (result == ProbeResult::NonRetriableStatus || ++num_unhealthy_ == config_.unhealthy_threshold) {
    healthy_ = false;
    last_transition_ = Transition::Changed;
    return HealthChange::BecameUnhealthy;
  }
  last_transition_ = Transition::Pending;
  return HealthChange::None;
}

sim::Duration EnvoyActiveHealthChecker::next_interval(bool had_traffic, sim::RngStream& rng) const {
  const EnvoyHealthCheckIntervals waits = resolve_intervals(config_);
  const bool counting = last_transition_ == Transition::Pending;
  // Envoy picks by the result of the check, not by the host's state: a passing check of a host
  // that is still unhealthy (counting to H) waits healthy_edge_interval [E15].
  sim::Duration base;
  if (!had_traffic) {
    // An idle cluster is checked slowly whatever the state; only a settled passing host may use
    // the separate no_traffic_healthy_interval.
    base = last_check_passed_ && !counting ? waits.no_traffic_healthy : waits.no_traffic;
  } else if (last_check_passed_) {
    base = counting ? waits.healthy_edge : waits.interval;
  } else {
    base = counting ? waits.unhealthy_edge : waits.unhealthy;
  }
  return with_jitter(whole_ms(base), whole_ms(config_.interval_jitter), config_.interval_jitter_percent, rng);
}

sim::Duration EnvoyActiveHealthChecker::initial_delay(sim::RngStream& rng) const {
  const std::uint64_t jitter_ms = whole_ms(config_.initial_jitter);
  if (jitter_ms == 0) return sim::Duration::zero();  // Envoy probes a new host at once
  // Envoy reuses its interval jitter helper with a base of 0, so the percentage adds nothing.
  return with_jitter(0, jitter_ms, config_.interval_jitter_percent, rng);
}

}  // namespace models::health
