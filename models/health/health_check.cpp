#include "models/health/health_check.hpp"

namespace models::health {

bool HealthCheckState::record(bool passed, const HealthCheckThresholds& thresholds) {
  const bool was = healthy_;
  if (passed) {
    failures_ = 0;
    ++successes_;
    if (!healthy_ && successes_ >= thresholds.healthy) healthy_ = true;
  } else {
    successes_ = 0;
    ++failures_;
    if (healthy_ && failures_ >= thresholds.unhealthy) healthy_ = false;
  }
  return healthy_ != was;
}

sim::SimTime time_detected(sim::SimTime failure_at, sim::Duration phase, sim::Duration interval,
                           sim::Duration probe_takes, std::uint32_t unhealthy_threshold) {
  // First probe sent at or after the failure: phase + k * interval >= failure_at.
  const std::int64_t since_phase = (failure_at.since_start() - phase).count();
  std::int64_t k = since_phase <= 0 ? 0 : (since_phase + interval.count() - 1) / interval.count();
  k += static_cast<std::int64_t>(unhealthy_threshold) - 1;
  return sim::SimTime::at(phase + interval * k + probe_takes);
}

}  // namespace models::health
