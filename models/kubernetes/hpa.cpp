#include "models/kubernetes/hpa.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace models::kubernetes::hpa {

namespace {

using Rules = config::HpaScalingRulesConfig;

std::uint32_t clamp_to_u32(std::int64_t n) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(n, 0, std::numeric_limits<std::uint32_t>::max()));
}

// getReplicasChangePerPeriod: the pods added (or removed) by events strictly after now - period.
std::int64_t change_in_period(std::uint32_t period_seconds, const std::deque<ScaleEvent>& events, sim::SimTime now) {
  const sim::SimTime cutoff = now - std::chrono::seconds(period_seconds);
  std::int64_t change = 0;
  for (const ScaleEvent& e : events)
    if (e.at > cutoff) change += e.change;
  return change;
}

// calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors: each policy counts
// from the replicas at its period's start; "Max" picks the policy allowing the largest change.
std::int64_t scale_limit(bool up, std::uint32_t current, sim::SimTime now, const Rules& rules, const HpaHistory& history) {
  if (rules.select_policy == Rules::Select::Disabled) return current;
  const bool largest_change = rules.select_policy == Rules::Select::Max;
  // Scaling up, the largest change is the highest limit; scaling down, the lowest.
  const bool take_max = up == largest_change;
  std::int64_t result = take_max ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
  for (const config::HpaScalingPolicyConfig& policy : rules.policies) {
    const std::int64_t start = std::int64_t{current} - change_in_period(policy.period_seconds, history.scale_ups, now) +
                               change_in_period(policy.period_seconds, history.scale_downs, now);
    std::int64_t proposed = 0;
    if (!policy.percent) {
      proposed = up ? start + policy.value : start - policy.value;
    } else if (up) {
      // Rounded up, or a small Deployment could never grow.
      proposed = static_cast<std::int64_t>(std::ceil(static_cast<double>(start) * (1 + policy.value / 100.0)));
    } else {
      proposed = static_cast<std::int64_t>(static_cast<double>(start) * (1 - policy.value / 100.0));  // truncated, as int32()
    }
    result = take_max ? std::max(result, proposed) : std::min(result, proposed);
  }
  return result;
}

void forget_before(std::deque<ScaleEvent>& events, sim::SimTime cutoff) {
  while (!events.empty() && events.front().at <= cutoff) events.pop_front();
}

std::uint32_t longest_period(const Rules& rules) {
  std::uint32_t longest = 0;
  for (const auto& p : rules.policies) longest = std::max(longest, p.period_seconds);
  return longest;
}

}  // namespace

std::uint32_t replica_proposal(const PodMetrics& m, double target_utilization, double tolerance) {
  // Without metrics from any ready pod the HPA does not scale.
  if (m.ready == 0 || target_utilization <= 0) return m.current_replicas;
  const double ratio = m.usage / m.ready / target_utilization;
  const bool scale_up_with_unready = m.unready > 0 && ratio > 1.0;
  if (!scale_up_with_unready) {
    if (std::abs(1.0 - ratio) <= tolerance) return m.current_replicas;
    return clamp_to_u32(static_cast<std::int64_t>(std::ceil(ratio * m.ready)));
  }
  // Scaling up while pods are still starting: count them as idle, so that pods already on their
  // way are not asked for again; no change if that brings the ratio within the tolerance or below 1.
  const std::uint32_t with_unready = m.ready + m.unready;
  const double new_ratio = m.usage / with_unready / target_utilization;
  if (std::abs(1.0 - new_ratio) <= tolerance || new_ratio < 1.0) return m.current_replicas;
  const std::uint32_t proposal = clamp_to_u32(static_cast<std::int64_t>(std::ceil(new_ratio * with_unready)));
  return proposal < m.current_replicas ? m.current_replicas : proposal;
}

std::uint32_t stabilize(std::uint32_t proposal, std::uint32_t current, sim::SimTime now,
                        const config::AutoscalingConfig& hpa, HpaHistory& history) {
  const sim::SimTime up_cutoff = now - std::chrono::seconds(hpa.scale_up.stabilization_window_seconds);
  const sim::SimTime down_cutoff = now - std::chrono::seconds(hpa.scale_down.stabilization_window_seconds);
  std::uint32_t up = proposal;
  std::uint32_t down = proposal;
  for (const Recommendation& r : history.recommendations) {
    if (r.at > up_cutoff) up = std::min(up, r.replicas);
    if (r.at > down_cutoff) down = std::max(down, r.replicas);
  }
  std::uint32_t recommendation = std::max(current, up);
  recommendation = std::min(recommendation, down);
  // Kept: what either window may still need; the unstabilized proposal is recorded.
  const sim::SimTime oldest = std::min(up_cutoff, down_cutoff);
  while (!history.recommendations.empty() && history.recommendations.front().at <= oldest) history.recommendations.pop_front();
  history.recommendations.push_back({now, proposal});
  return recommendation;
}

std::uint32_t rate_limit(std::uint32_t desired, std::uint32_t current, sim::SimTime now,
                         const config::AutoscalingConfig& hpa, const HpaHistory& history) {
  if (desired > current) {
    const std::int64_t limit = std::max<std::int64_t>(scale_limit(true, current, now, hpa.scale_up, history), current);
    const std::int64_t most = std::min<std::int64_t>(hpa.max_replicas, limit);
    return desired > most ? clamp_to_u32(most) : desired;
  }
  if (desired < current) {
    const std::int64_t limit = std::min<std::int64_t>(scale_limit(false, current, now, hpa.scale_down, history), current);
    const std::int64_t least = std::max<std::int64_t>(hpa.min_replicas, limit);
    return desired < least ? clamp_to_u32(least) : desired;
  }
  return desired;
}

std::uint32_t sync(const PodMetrics& m, sim::SimTime now, const config::AutoscalingConfig& hpa, HpaHistory& history) {
  const std::uint32_t current = m.current_replicas;
  std::uint32_t desired = 0;
  // Outside [minReplicas, maxReplicas] the HPA moves to the nearest bound, with no metric.
  if (current > hpa.max_replicas) {
    desired = hpa.max_replicas;
  } else if (current < hpa.min_replicas) {
    desired = hpa.min_replicas;
  } else if (current == 0) {
    return 0;  // scaled to zero by hand: autoscaling is off
  } else {
    const std::uint32_t proposal = replica_proposal(m, hpa.target_utilization / 100.0);
    desired = rate_limit(stabilize(proposal, current, now, hpa, history), current, now, hpa, history);
  }
  if (desired > current) history.scale_ups.push_back({now, desired - current});
  if (desired < current) history.scale_downs.push_back({now, current - desired});
  forget_before(history.scale_ups, now - std::chrono::seconds(longest_period(hpa.scale_up)));
  forget_before(history.scale_downs, now - std::chrono::seconds(longest_period(hpa.scale_down)));
  return desired;
}

}  // namespace models::kubernetes::hpa
