#pragma once
// Envoy's split of traffic across priority levels (ROUTING.md 1.1, 1.3, 1.5): per-priority health
// scaled by the overprovisioning factor, healthy load first and degraded load after it, the rounding
// residue, per-priority panic and total panic. A pure function of host counts; the stateful load
// balancer calls it again whenever membership or health changes, and calls `choose_priority` per
// request. Integer arithmetic throughout, as in Envoy, so the numbers match its tables exactly.
// https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/priority

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace models::routing {

/// Host counts of one priority level. `healthy` and `degraded` are disjoint and count only hosts
/// that are not excluded; `excluded` hosts are part of `total` but leave the denominator of health
/// and panic (they still count in total panic, which uses raw sizes).
struct PriorityHosts {
  std::uint32_t total = 0;
  std::uint32_t healthy = 0;
  std::uint32_t degraded = 0;
  std::uint32_t excluded = 0;
};

/// Load percentages per priority. Invariant for non-empty input: the sum of `healthy` and
/// `degraded` is exactly 100 (all of it in `healthy[0]` when nothing is available and no priority
/// is in panic: then nothing is routable and requests fail with 503 no healthy upstream).
struct PriorityLoads {
  std::vector<std::uint32_t> healthy;   ///< percent of requests to priority i's healthy hosts
  std::vector<std::uint32_t> degraded;  ///< percent of requests to priority i's degraded hosts
  /// Priority i routes to all its hosts, healthy or not (unless fail_traffic_on_panic).
  std::vector<bool> panic;
  /// min(100, sum of health_i + degraded_i); 100 means no priority can be in panic.
  std::uint32_t normalized_total_availability = 0;
  /// Every priority is in panic: loads are split by raw host counts instead of health.
  bool total_panic = false;
};

/// Envoy's default overprovisioning factor 1.4, as the integer percent Envoy stores.
inline constexpr std::uint32_t kDefaultOverprovisioningPercent = 140;
/// Envoy's default `healthy_panic_threshold`. Istio sets it to `minHealthPercent`, default 0.
inline constexpr double kDefaultPanicThresholdPercent = 50.0;

/// Loads per priority for `priorities` (index = priority, 0 = most preferred).
/// `panic_threshold_percent`: a priority is in panic when 100*(healthy+degraded)/(total-excluded)
/// is strictly below it (0 disables panic; values above 100 act as 100). Envoy takes an integer
/// percent; a fractional threshold is accepted and compared the same way. Empty input gives
/// empty vectors. O(number of priorities).
[[nodiscard]] PriorityLoads compute_priority_loads(
    std::span<const PriorityHosts> priorities, std::uint32_t overprovisioning_percent = kDefaultOverprovisioningPercent,
    double panic_threshold_percent = kDefaultPanicThresholdPercent);

/// The priority a request goes to, and whether to its degraded hosts.
struct PriorityChoice {
  std::size_t priority = 0;
  bool degraded = false;
};

/// Envoy's choosePriority: walk the healthy loads cumulatively and take the first priority whose
/// running sum reaches `draw_1_to_100`, then continue the same running sum over the degraded
/// loads. A draw beyond the total (loads not summing to 100) falls back to {0, healthy}, as Envoy
/// does.
[[nodiscard]] PriorityChoice choose_priority(const PriorityLoads& loads, std::uint32_t draw_1_to_100);

/// The draw Envoy derives from a request's hash or random number: `random % 100 + 1`, in [1, 100].
[[nodiscard]] constexpr std::uint32_t priority_draw(std::uint64_t random) {
  return static_cast<std::uint32_t>(random % 100) + 1;
}

}  // namespace models::routing
