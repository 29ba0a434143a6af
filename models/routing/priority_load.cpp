#include "models/routing/priority_load.hpp"

#include <algorithm>
#include <limits>

namespace models::routing {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

/// Hosts that count toward health and panic: excluded hosts leave the denominator.
std::uint32_t eligible_count(const PriorityHosts& p) { return p.total > p.excluded ? p.total - p.excluded : 0; }

/// health_i / degraded_i of ROUTING.md 1.3: 140 * count / hosts, truncated, capped at 100.
/// 64-bit so that a large priority cannot overflow the product.
std::uint32_t availability(std::uint32_t count, std::uint32_t hosts, std::uint32_t overprovisioning_percent) {
  if (hosts == 0) return 0;
  const std::uint64_t scaled = std::uint64_t{overprovisioning_percent} * count / hosts;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(100, scaled));
}

/// Hands out `remaining` percent in priority order, each priority taking its availability scaled
/// to the normalized total (truncated). Returns the first priority with availability > 0.
std::size_t distribute(std::span<const std::uint32_t> availability_per_priority, std::uint32_t nta,
                       std::vector<std::uint32_t>& load, std::uint32_t& remaining) {
  std::size_t first_available = kNone;
  for (std::size_t i = 0; i < availability_per_priority.size(); ++i) {
    if (first_available == kNone && availability_per_priority[i] > 0) first_available = i;
    load[i] = std::min(remaining, availability_per_priority[i] * 100 / nta);
    remaining -= load[i];
  }
  return first_available;
}

/// isHostSetInPanic: the two percentages are computed and summed separately, as Envoy does, so
/// the floating-point comparison at the threshold behaves the same.
bool in_panic(const PriorityHosts& p, double threshold_percent) {
  const std::uint32_t hosts = eligible_count(p);
  const double healthy_percent = hosts == 0 ? 0.0 : 100.0 * p.healthy / hosts;
  const double degraded_percent = hosts == 0 ? 0.0 : 100.0 * p.degraded / hosts;
  return healthy_percent + degraded_percent < threshold_percent;
}

/// recalculateLoadInTotalPanic: split by raw host counts (excluded hosts included), residue to the
/// first non-empty priority. With no hosts at all, everything goes to P0.
void split_by_host_count(std::span<const PriorityHosts> priorities, PriorityLoads& loads) {
  std::uint64_t all_hosts = 0;
  for (const auto& p : priorities) all_hosts += p.total;
  std::fill(loads.degraded.begin(), loads.degraded.end(), 0u);
  if (all_hosts == 0) {
    std::fill(loads.healthy.begin(), loads.healthy.end(), 0u);
    loads.healthy[0] = 100;
    return;
  }
  std::uint32_t remaining = 100;
  std::size_t first_non_empty = kNone;
  for (std::size_t i = 0; i < priorities.size(); ++i) {
    if (first_non_empty == kNone && priorities[i].total > 0) first_non_empty = i;
    loads.healthy[i] = static_cast<std::uint32_t>(100 * std::uint64_t{priorities[i].total} / all_hosts);
    remaining -= loads.healthy[i];
  }
  // e.g. 4/4/5 hosts: 400/13 = 30, 30, 500/13 = 38 -> 98, so P0 gets 32.
  loads.healthy[first_non_empty] += remaining;
}

}  // namespace

PriorityLoads compute_priority_loads(std::span<const PriorityHosts> priorities, std::uint32_t overprovisioning_percent,
                                     double panic_threshold_percent) {
  const std::size_t n = priorities.size();
  PriorityLoads loads;
  loads.healthy.assign(n, 0);
  loads.degraded.assign(n, 0);
  loads.panic.assign(n, false);
  if (n == 0) return loads;

  std::vector<std::uint32_t> health(n), degraded_availability(n);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t hosts = eligible_count(priorities[i]);
    health[i] = availability(priorities[i].healthy, hosts, overprovisioning_percent);
    degraded_availability[i] = availability(priorities[i].degraded, hosts, overprovisioning_percent);
    sum += health[i] + degraded_availability[i];  // at most 200 per priority: no overflow in practice
  }
  const std::uint32_t nta = std::min<std::uint32_t>(100, sum);
  loads.normalized_total_availability = nta;

  if (nta > 0) {
    // Healthy capacity of every priority first; degraded hosts only get what is left, so they act
    // like an extra tier below all healthy hosts.
    std::uint32_t remaining = 100;
    const std::size_t first_healthy = distribute(health, nta, loads.healthy, remaining);
    const std::size_t first_degraded = distribute(degraded_availability, nta, loads.degraded, remaining);
    // Truncation leaves at most a few percent: 10/20/10 healthy and 20/10/0 degraded (NTA 70) give
    // 14+28+14 + 28+14+0 = 98, and the 2 go to P0's healthy load (16/28/14).
    if (remaining > 0) {
      if (first_healthy != kNone) {
        loads.healthy[first_healthy] += remaining;
      } else {
        loads.degraded[first_degraded] += remaining;
      }
    }
  }

  // Enough capacity overall: no priority panics, even one with 0% healthy (ROUTING.md V1).
  if (nta == 100) return loads;

  const double threshold = std::min(100.0, panic_threshold_percent);
  bool all_in_panic = true;
  for (std::size_t i = 0; i < n; ++i) {
    loads.panic[i] = in_panic(priorities[i], threshold);
    all_in_panic = all_in_panic && loads.panic[i];
  }
  if (all_in_panic) {
    loads.total_panic = true;
    split_by_host_count(priorities, loads);
  } else if (nta == 0) {
    // Nothing available and panic disabled: Envoy still needs loads that sum to 100, so P0 gets
    // them, but P0 has no healthy host and the request fails. (With an integer threshold >= 1 an
    // NTA of 0 always means total panic; only threshold 0, or a fraction below 1/1.4 %, gets here.)
    loads.healthy[0] = 100;
  }
  return loads;
}

PriorityChoice choose_priority(const PriorityLoads& loads, std::uint32_t draw_1_to_100) {
  std::uint32_t cumulative = 0;
  for (std::size_t i = 0; i < loads.healthy.size(); ++i) {
    cumulative += loads.healthy[i];
    if (draw_1_to_100 <= cumulative) return {i, false};
  }
  // The running sum carries on: degraded loads occupy the draws above all healthy loads.
  for (std::size_t i = 0; i < loads.degraded.size(); ++i) {
    cumulative += loads.degraded[i];
    if (draw_1_to_100 <= cumulative) return {i, true};
  }
  return {0, false};
}

}  // namespace models::routing
