#include "models/proxies/envoy_upstream.hpp"

#include <algorithm>

namespace models::proxies {

EnvoyUpstream::EnvoyUpstream(EnvoyUpstreamSettings settings, std::vector<std::uint32_t> workloads,
                             std::vector<std::uint32_t> priorities)
    : settings_(std::move(settings)), workloads_(std::move(workloads)), priorities_(std::move(priorities)) {
  std::uint32_t levels = 0;
  for (std::uint32_t p : priorities_) levels = std::max(levels, p + 1);
  by_priority_.resize(levels);
  for (std::uint32_t h = 0; h < workloads_.size(); ++h) by_priority_[priorities_[h]].push_back(h);
  present_by_priority_.resize(levels);
  healthy_by_priority_.resize(levels);
  for (std::uint32_t p = 0; p < levels; ++p) {  // never reallocated when recomputed
    present_by_priority_[p].reserve(by_priority_[p].size());
    healthy_by_priority_[p].reserve(by_priority_[p].size());
  }
  cursors_.assign(levels, 0);
  reset();
}

void EnvoyUpstream::reset() {
  if (settings_.outlier_detection) {
    detector_.emplace(*settings_.outlier_detection, workloads_.size());
  } else {
    detector_.reset();
  }
  failed_active_hc_.assign(workloads_.size(), 0);
  active_by_host_.assign(workloads_.size(), 0);
  std::fill(cursors_.begin(), cursors_.end(), 0);
  active_requests_ = active_retries_ = 0;
  dirty_ = true;
}

// Envoy recomputes the per-priority state on every host-set or health change (9b.2). Hosts the
// control plane no longer lists are gone from the set; ejected hosts and hosts failing active HC
// stay in it, unhealthy.
void EnvoyUpstream::recompute(std::span<const std::uint8_t> present) {
  std::vector<routing::PriorityHosts> levels(by_priority_.size());
  for (std::size_t p = 0; p < by_priority_.size(); ++p) {
    healthy_by_priority_[p].clear();
    present_by_priority_[p].clear();
    for (std::uint32_t h : by_priority_[p]) {
      if (present[workloads_[h]] == 0) continue;
      present_by_priority_[p].push_back(h);
      if (healthy(h, present)) healthy_by_priority_[p].push_back(h);
    }
    levels[p].total = static_cast<std::uint32_t>(present_by_priority_[p].size());
    levels[p].healthy = static_cast<std::uint32_t>(healthy_by_priority_[p].size());
  }
  loads_ = routing::compute_priority_loads(levels, settings_.overprovisioning_percent,
                                           settings_.panic_threshold_percent);
  dirty_ = false;
}

const routing::PriorityLoads& EnvoyUpstream::loads(std::span<const std::uint8_t> present) {
  if (dirty_) recompute(present);
  return loads_;
}

std::optional<std::uint32_t> EnvoyUpstream::pick(std::span<const std::uint8_t> present,
                                                 std::span<const std::uint32_t> tried, sim::RngStream& rng) {
  if (dirty_) recompute(present);
  if (by_priority_.empty()) return std::nullopt;
  bool routable = false;
  auto pick_once = [&]() -> std::uint32_t {
    const routing::PriorityChoice choice = routing::choose_priority(loads_, routing::priority_draw(rng.next_u64()));
    const bool panic = choice.priority < loads_.panic.size() && loads_.panic[choice.priority];
    // The lists recompute() keeps, as Envoy keeps each priority's hosts and healthy hosts (9b.2):
    // in a panic every listed host is a candidate, otherwise the healthy ones.
    const std::vector<std::uint32_t>& candidates =
        panic ? present_by_priority_[choice.priority] : healthy_by_priority_[choice.priority];
    routable = !candidates.empty();
    if (!routable) return 0;
    return routing::pick_host(settings_.lb_policy, candidates, active_by_host_, cursors_[choice.priority], rng);
  };
  const std::uint32_t host = routing::pick_host_for_attempt(settings_.retry, tried, [&] {
    const std::uint32_t h = pick_once();
    // With nothing routable every re-pick fails the same way: make the predicate accept it.
    return routable ? h : (tried.empty() ? 0u : tried.front());
  });
  if (!routable) return std::nullopt;
  return host;
}

bool EnvoyUpstream::retry_admitted() const {
  return routing::retry_admitted(active_retries_, active_requests_, 0, settings_.circuit_breakers,
                                 settings_.retry_budget);
}

void EnvoyUpstream::attempt_started(std::uint32_t host, bool is_retry) {
  ++active_requests_;
  ++active_by_host_[host];
  if (is_retry) ++active_retries_;
}

void EnvoyUpstream::attempt_finished(std::uint32_t host, bool is_retry) {
  --active_requests_;
  --active_by_host_[host];
  if (is_retry) --active_retries_;
}

bool EnvoyUpstream::record_result(std::uint32_t host, int http_status, sim::SimTime now, sim::RngStream& rng) {
  if (!detector_ || !detector_->on_result(host, http_status, now, rng)) return false;
  ++ejections_;
  dirty_ = true;
  return true;
}

std::vector<std::uint32_t> EnvoyUpstream::sweep(sim::SimTime now, sim::RngStream& rng) {
  if (!detector_) return {};
  health::SweepChanges changes = detector_->on_interval(now, rng);
  ejections_ += changes.ejected.size();
  if (!changes.empty()) dirty_ = true;
  std::vector<std::uint32_t> ejected;
  for (const auto host : changes.ejected) ejected.push_back(static_cast<std::uint32_t>(host));
  return ejected;
}

void EnvoyUpstream::set_active_health(std::uint32_t host, bool host_healthy) {
  if (!settings_.active_health_check) return;
  const std::uint8_t failed = host_healthy ? 0 : 1;
  if (failed_active_hc_[host] == failed) return;
  failed_active_hc_[host] = failed;
  dirty_ = true;  // Envoy recomputes priority state on every health change (9b.2)
}

void EnvoyUpstream::on_active_check(std::uint32_t host, bool check_passed, bool host_healthy, sim::SimTime now) {
  if (!settings_.active_health_check) return;
  set_active_health(host, host_healthy);
  // Envoy's outlier detector listens to every completed check: a passing one of a host that is
  // not failing active HC clears the ejection (a pass that only counts toward healthy_threshold
  // does not). The detector checks successful_active_health_check_uneject_host.
  if (check_passed && host_healthy && detector_ && detector_->on_active_health_check_success(host, now)) {
    dirty_ = true;
  }
}

}  // namespace models::proxies
