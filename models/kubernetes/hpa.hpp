#pragma once
// The HorizontalPodAutoscaler's arithmetic, as kube-controller-manager does it [K3]: small pure
// functions, each tested against the Kubernetes docs' rules (tests/models/kubernetes/hpa_test.cpp).
//
//   replica_proposal   pkg/controller/podautoscaler/replica_calculator.go, GetResourceReplicas:
//                      desired = ceil(ready pods x usage / target), nothing within the tolerance,
//                      not-yet-ready pods counted as idle when scaling up.
//   stabilize          horizontal.go, stabilizeRecommendationWithBehaviors: the lowest
//                      recommendation of the scale-up window, the highest of the scale-down window.
//   rate_limit         horizontal.go, convertDesiredReplicasWithBehaviorRate and
//                      calculateScale{Up,Down}LimitWithScalingRules: the behavior policies, counted
//                      from the replicas at each policy period's start; then min/maxReplicas.
//
// Defaults: --horizontal-pod-autoscaler-sync-period 15 s and --horizontal-pod-autoscaler-tolerance
// 0.1 (kube-controller-manager flags [K1]); the behavior defaults are in config::AutoscalingConfig.
// [K1], [K3]: scenarios/README.md, Sources.

#include <cstdint>
#include <deque>

#include "models/config/scenario_config.hpp"
#include "sim/time.hpp"

namespace models::kubernetes::hpa {

inline constexpr sim::Duration kSyncPeriod = std::chrono::seconds(15);
inline constexpr double kTolerance = 0.1;

/// What one sync sees of a Deployment's pods.
struct PodMetrics {
  std::uint32_t current_replicas = 0;  // the Deployment's spec.replicas
  std::uint32_t ready = 0;             // Ready pods, with metrics
  std::uint32_t unready = 0;           // created, not yet Ready (starting)
  double usage = 0;                    // the ready pods' summed utilization, in pods (1 = one pod fully busy)
};

/// The replica count the metric asks for (before stabilization and rate limits).
std::uint32_t replica_proposal(const PodMetrics& m, double target_utilization, double tolerance = kTolerance);

/// A past recommendation or scale event, for the windows below.
struct Recommendation {
  sim::SimTime at;
  std::uint32_t replicas = 0;
};
struct ScaleEvent {
  sim::SimTime at;
  std::uint32_t change = 0;  // pods added (scale-up events) or removed (scale-down events)
};

/// The HPA's memory between syncs: recommendations and scale events still inside a window.
struct HpaHistory {
  std::deque<Recommendation> recommendations;
  std::deque<ScaleEvent> scale_ups;
  std::deque<ScaleEvent> scale_downs;
};

/// The stabilized recommendation; records `proposal` in the history.
std::uint32_t stabilize(std::uint32_t proposal, std::uint32_t current, sim::SimTime now,
                        const config::AutoscalingConfig& hpa, HpaHistory& history);

/// `desired` within the behavior policies' rate limits and [minReplicas, maxReplicas].
std::uint32_t rate_limit(std::uint32_t desired, std::uint32_t current, sim::SimTime now,
                         const config::AutoscalingConfig& hpa, const HpaHistory& history);

/// One whole sync: proposal, stabilization, rate limits; records the scale event it decides.
/// Returns the new spec.replicas.
std::uint32_t sync(const PodMetrics& m, sim::SimTime now, const config::AutoscalingConfig& hpa, HpaHistory& history);

}  // namespace models::kubernetes::hpa
