#include "models/health/outlier_detection.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string_view>
#include <utility>

#include "models/health/settings_checks.hpp"

namespace models::health {
namespace {

using namespace std::chrono_literals;

// Envoy's default max_ejection_time when none is configured (ROUTING.md §2.1).
constexpr sim::Duration kDefaultMaxEjectionTime = 300s;

bool is_5xx(int status) { return status >= 500 && status < 600; }
bool is_gateway_error(int status) { return status == 502 || status == 503 || status == 504; }

std::size_t index(EjectionReason reason) { return static_cast<std::size_t>(reason); }

// Envoy applies an enforcing percentage as a runtime "feature enabled" draw (random % 100 < pct).
// Drawing only strictly between 0 and 100 keeps the usual 0/100 settings off the RNG stream.
bool enforced(std::uint32_t percent, sim::RngStream& rng) {
  if (percent >= 100) return true;
  if (percent == 0) return false;
  return rng.uniform_below(100) < percent;
}



}  // namespace

OutlierDetectionConfig OutlierDetectionConfig::istio_defaults() { return from_istio({}); }

OutlierDetectionConfig OutlierDetectionConfig::gcp_backend_service_defaults() {
  OutlierDetectionConfig c;
  c.consecutive_5xx = 5;  // consecutiveErrors
  c.enforcing_consecutive_5xx = 0;
  c.consecutive_gateway_failure = 3;
  c.enforcing_consecutive_gateway_failure = 100;
  c.interval = 1s;
  c.base_ejection_time = 30s;
  c.max_ejection_percent = 50;
  c.success_rate_minimum_hosts = 5;
  c.success_rate_request_volume = 100;
  c.success_rate_stdev_factor = 1900;
  c.enforcing_success_rate = 100;
  return c;
}

OutlierDetectionConfig from_istio(const IstioOutlierDetection& rule) {
  OutlierDetectionConfig c;  // Istio leaves unset fields to Envoy's defaults
  if (rule.consecutive_5xx_errors) {
    c.consecutive_5xx = *rule.consecutive_5xx_errors;
    c.enforcing_consecutive_5xx = *rule.consecutive_5xx_errors > 0 ? 100 : 0;
  }
  if (rule.consecutive_gateway_errors) {
    c.consecutive_gateway_failure = *rule.consecutive_gateway_errors;
    c.enforcing_consecutive_gateway_failure = *rule.consecutive_gateway_errors > 0 ? 100 : 0;
  }
  if (rule.interval) c.interval = *rule.interval;
  if (rule.base_ejection_time) c.base_ejection_time = *rule.base_ejection_time;
  if (rule.max_ejection_percent > 0) c.max_ejection_percent = rule.max_ejection_percent;
  c.enforcing_success_rate = 0;
  return c;
}

sim::Duration effective_max_ejection_time(const OutlierDetectionConfig& config) {
  return config.max_ejection_time.value_or(std::max(kDefaultMaxEjectionTime, config.base_ejection_time));
}

std::vector<std::string> validate(const OutlierDetectionConfig& c) {
  std::vector<std::string> issues;
  check_percent(issues, "enforcing_consecutive_5xx", c.enforcing_consecutive_5xx);
  check_percent(issues, "enforcing_consecutive_gateway_failure", c.enforcing_consecutive_gateway_failure);
  check_positive(issues, "interval", c.interval);
  check_positive(issues, "base_ejection_time", c.base_ejection_time);
  if (c.max_ejection_time) {
    check_positive(issues, "max_ejection_time", *c.max_ejection_time);
    // Envoy refuses the cluster when the cap is below the base, rather than clamping it.
    if (*c.max_ejection_time > sim::Duration::zero() && c.base_ejection_time > sim::Duration::zero() &&
        *c.max_ejection_time < c.base_ejection_time) {
      issues.push_back("max_ejection_time (" + sim::format_duration(*c.max_ejection_time) +
                       ") is shorter than base_ejection_time (" + sim::format_duration(c.base_ejection_time) + ")");
    }
  }
  // Envoy's proto has no constraint here; a negative jitter has no meaning in the simulator.
  if (c.max_ejection_time_jitter < sim::Duration::zero()) {
    issues.push_back("max_ejection_time_jitter must not be negative, got " +
                     sim::format_duration(c.max_ejection_time_jitter));
  }
  check_percent(issues, "max_ejection_percent", c.max_ejection_percent);
  check_percent(issues, "enforcing_success_rate", c.enforcing_success_rate);
  check_percent(issues, "failure_percentage_threshold", c.failure_percentage_threshold);
  check_percent(issues, "enforcing_failure_percentage", c.enforcing_failure_percentage);
  return issues;
}

OutlierDetector::OutlierDetector(OutlierDetectionConfig config, std::size_t host_count)
    : config_(std::move(config)), max_ejection_time_(effective_max_ejection_time(config_)),
      slot_(host_count, kNoState) {}

OutlierDetector::HostState& OutlierDetector::state_for_update(std::size_t host) {
  assert(host < slot_.size());
  std::uint32_t& slot = slot_[host];
  if (slot != kNoState) return states_[slot];
  if (free_states_.empty()) {
    slot = static_cast<std::uint32_t>(states_.size());
    states_.emplace_back();
  } else {
    slot = free_states_.back();
    free_states_.pop_back();
    states_[slot] = HostState{};
  }
  return states_[slot];
}

void OutlierDetector::release_if_fresh(std::size_t host) {
  const std::uint32_t slot = slot_[host];
  if (slot == kNoState || !states_[slot].fresh()) return;
  free_states_.push_back(slot);
  slot_[host] = kNoState;
}

bool OutlierDetector::on_result(std::size_t host, int http_status, sim::SimTime now, sim::RngStream& rng) {
  HostState& h = state_for_update(host);
  notice(host, h);
  ++h.current.total;
  if (!is_5xx(http_status)) {
    ++h.current.successes;
    h.consecutive_5xx = 0;
    h.consecutive_gateway = 0;
    return false;
  }

  // A detection on a host that is already ejected is ignored; either way the counter starts over
  // after the attempt. Thresholds fire on equality, so a threshold of 0 never fires.
  bool ejected_now = false;
  auto detect = [&](EjectionReason reason) {
    if (h.ejected) return;
    ++stats_.detected[index(reason)];
    ejected_now = try_eject(host, reason, now, rng) || ejected_now;
  };
  // The gateway counter is looked at first, then the 5xx counter (Envoy's order): with both
  // thresholds at 5, a fifth 503 is first a gateway detection, then a 5xx detection.
  if (is_gateway_error(http_status)) {
    if (++h.consecutive_gateway == config_.consecutive_gateway_failure) {
      detect(EjectionReason::ConsecutiveGatewayFailure);
      h.consecutive_gateway = 0;
    }
  } else {
    h.consecutive_gateway = 0;
  }
  if (++h.consecutive_5xx == config_.consecutive_5xx) {
    detect(EjectionReason::Consecutive5xx);
    h.consecutive_5xx = 0;
  }
  return ejected_now;
}

SweepChanges OutlierDetector::on_interval(sim::SimTime now, sim::RngStream& rng) {
  SweepChanges changes;

  // Only the hosts on the attention list, in index order: the others have nothing to uneject,
  // decay or count, so visiting them would change nothing.
  std::sort(attention_.begin(), attention_.end());

  // Pass 1, per host: uneject when due, or decay the backoff; then swap the success-rate buckets.
  for (const std::size_t i : attention_) {
    HostState& h = state_for_update(i);
    if (h.ejected) {
      // Checked only here, so an ejection lasts between T and T + interval, where
      // T = min(base * backoff, max) + jitter. Defaults, first ejection at 0.05 s:
      // T = 30 s, and the sweep at 40 s is the first with 40 - 0.05 >= 30 -> 39.95 s.
      if (*ejection_due_to_end(i) <= now) {
        uneject(i, now);
        changes.unejected.push_back(i);
      }
    } else if (h.last_unejection && now - *h.last_unejection >= config_.interval && h.backoff > 0) {
      // One step per interval once the host has stayed in for a whole interval: from the cap of
      // 11 (defaults) back to 0 in 11 sweeps, ~ max/base * interval = 100 s as the docs put it.
      --h.backoff;
    }
    h.previous = h.current;
    h.current = Bucket{};
  }

  // Pass 2: success rate and failure percentage over the interval that just ended, for hosts that
  // are in service now (a host unejected by pass 1 counts, with whatever it saw while ejected).
  struct Rate {
    std::size_t host;
    double success_percent;
  };
  std::vector<Rate> sr_hosts;
  std::vector<Rate> fp_hosts;
  double sr_sum = 0.0;
  for (const std::size_t i : attention_) {
    const HostState& h = state(i);
    if (h.ejected || h.previous.total == 0) continue;
    const double rate = 100.0 * static_cast<double>(h.previous.successes) / static_cast<double>(h.previous.total);
    if (h.previous.total >= config_.success_rate_request_volume) {
      sr_hosts.push_back({i, rate});
      sr_sum += rate;
    }
    if (h.previous.total >= config_.failure_percentage_request_volume) fp_hosts.push_back({i, rate});
  }

  auto detect = [&](std::size_t host, EjectionReason reason) {
    if (state(host).ejected) return;  // e.g. already ejected by success rate in this sweep
    ++stats_.detected[index(reason)];
    if (try_eject(host, reason, now, rng)) changes.ejected.push_back(host);
  };

  last_success_rate_.reset();
  if (!sr_hosts.empty() && sr_hosts.size() >= config_.success_rate_minimum_hosts) {
    // Population standard deviation. Example: {50, 100, 100, 100, 100} -> mean 90,
    // variance (40^2 + 4 * 10^2) / 5 = 400, stdev 20, threshold 90 - 1.9 * 20 = 52.
    const double n = static_cast<double>(sr_hosts.size());
    const double mean = sr_sum / n;
    double squares = 0.0;
    for (const Rate& r : sr_hosts) squares += (r.success_percent - mean) * (r.success_percent - mean);
    const double stdev = std::sqrt(squares / n);
    const double threshold = mean - (static_cast<double>(config_.success_rate_stdev_factor) / 1000.0) * stdev;
    last_success_rate_ = SuccessRateSummary{sr_hosts.size(), mean, stdev, threshold};
    for (const Rate& r : sr_hosts) {
      if (r.success_percent < threshold) detect(r.host, EjectionReason::SuccessRate);
    }
  }

  if (!fp_hosts.empty() && fp_hosts.size() >= config_.failure_percentage_minimum_hosts) {
    for (const Rate& r : fp_hosts) {
      // Envoy compares 100 - rate >= threshold in doubles; on the boundary the rate is a whole
      // number, which the division produces exactly, so this integer form agrees with it.
      const Bucket& b = state(r.host).previous;
      const std::uint64_t failures = b.total - b.successes;
      if (100 * failures >= std::uint64_t{config_.failure_percentage_threshold} * b.total) {
        detect(r.host, EjectionReason::FailurePercentage);
      }
    }
  }

  // Keep on the list the hosts the next sweep has something to do for.
  // A host that leaves it with nothing else to remember gives its state back.
  std::erase_if(attention_, [&](std::uint32_t i) {
    HostState& h = state_for_update(i);
    h.listed = h.ejected || h.backoff > 0 || h.previous.total > 0 || h.current.total > 0;
    if (h.listed) return false;
    release_if_fresh(i);
    return true;
  });
  std::sort(changes.ejected.begin(), changes.ejected.end());
  return changes;
}

void OutlierDetector::notice(std::size_t host, HostState& h) {
  if (h.listed) return;
  h.listed = true;
  attention_.push_back(static_cast<std::uint32_t>(host));
}

bool OutlierDetector::on_active_health_check_success(std::size_t host, sim::SimTime now) {
  if (!config_.successful_active_health_check_uneject_host || !state(host).ejected) return false;
  uneject(host, now);
  return true;
}

std::optional<sim::SimTime> OutlierDetector::ejection_due_to_end(std::size_t host) const {
  const HostState& h = state(host);
  if (!h.ejected) return std::nullopt;
  const sim::Duration nominal = std::min(config_.base_ejection_time * h.backoff, max_ejection_time_);
  return h.last_ejection + nominal + h.jitter;
}

bool OutlierDetector::cap_allows_one_more() const {
  const std::uint64_t n = slot_.size();
  const std::uint64_t active = ejected_count_;
  const std::uint64_t max_percent = std::min<std::uint32_t>(100, config_.max_ejection_percent);
  if (config_.always_eject_one_host && active == 0) return true;
  switch (config_.max_ejection_rule) {
    case MaxEjectionRule::Current:
      // 100 * (active + 1) / n <= max, without the division: 10 hosts at 10% -> 100 <= 100, one
      // ejection; 9 hosts -> 100 <= 90 fails, none; 3 hosts at 50% -> 100 <= 150, then 200 > 150.
      return 100 * (active + 1) <= max_percent * n;
    case MaxEjectionRule::Pre2023:
      // 100 * active / n < max: 0 < max lets the first host go whatever n is.
      return 100 * active < max_percent * n;
  }
  return false;
}

std::uint32_t OutlierDetector::enforcing_percent(EjectionReason reason) const {
  switch (reason) {
    case EjectionReason::Consecutive5xx:
      return config_.enforcing_consecutive_5xx;
    case EjectionReason::ConsecutiveGatewayFailure:
      return config_.enforcing_consecutive_gateway_failure;
    case EjectionReason::SuccessRate:
      return config_.enforcing_success_rate;
    case EjectionReason::FailurePercentage:
      return config_.enforcing_failure_percentage;
  }
  return 0;
}

bool OutlierDetector::try_eject(std::size_t host, EjectionReason reason, sim::SimTime now, sim::RngStream& rng) {
  // The cap is checked before the enforcement draw, so an overflow consumes no randomness.
  if (!cap_allows_one_more()) {
    ++stats_.overflow;
    return false;
  }
  if (!enforced(enforcing_percent(reason), rng)) return false;

  HostState& h = state_for_update(host);
  h.ejected = true;
  ++ejected_count_;
  ++h.num_ejections;
  // The backoff stops growing once base * backoff reaches max + base: with 30 s and 300 s it
  // grows while 30 * backoff < 330, i.e. up to 11, and min(30 * 11, 300) keeps the time at 300 s.
  if (config_.base_ejection_time * h.backoff < max_ejection_time_ + config_.base_ejection_time) ++h.backoff;
  const std::int64_t jitter_ms = config_.max_ejection_time_jitter / 1ms;
  h.jitter = jitter_ms > 0 ? sim::Duration{std::chrono::milliseconds{
                                 static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(jitter_ms) + 1))}}
                           : sim::Duration::zero();
  h.last_ejection = now;
  ++stats_.enforced[index(reason)];
  return true;
}

void OutlierDetector::uneject(std::size_t host, sim::SimTime now) {
  HostState& h = state_for_update(host);
  h.ejected = false;
  --ejected_count_;
  h.last_unejection = now;
  h.consecutive_5xx = 0;
  h.consecutive_gateway = 0;
  ++stats_.unejected;
}

}  // namespace models::health
