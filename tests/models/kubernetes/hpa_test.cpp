// The HorizontalPodAutoscaler's arithmetic (models/kubernetes/hpa), table tests from the Kubernetes
// docs ("Horizontal Pod Autoscaling": algorithm details, stabilization window, scaling policies)
// and from pkg/controller/podautoscaler (replica_calculator.go, horizontal.go).
#include <catch2/catch.hpp>

#include "models/kubernetes/hpa.hpp"

using namespace std::chrono_literals;
namespace hpa = models::kubernetes::hpa;
using models::config::AutoscalingConfig;
using models::config::HpaScalingPolicyConfig;
using models::config::HpaScalingRulesConfig;

namespace {
sim::SimTime at(sim::Duration d) { return sim::SimTime::at(d); }

AutoscalingConfig autoscaler(std::uint32_t min, std::uint32_t max) {
  AutoscalingConfig c;
  c.min_replicas = min;
  c.max_replicas = max;
  return c;
}
}  // namespace

TEST_CASE("HPA proposal: desired = ceil(ready x usage / target), nothing within the 10% tolerance", "[kubernetes][hpa]") {
  struct Row {
    std::uint32_t current, ready, unready;
    double usage, target;
    std::uint32_t expected;
    const char* why;
  };
  const Row rows[] = {
      // The docs' examples: twice the target doubles, half halves.
      {4, 4, 0, 4 * 1.0, 0.5, 8, "200m of 100m: 2x"},
      {4, 4, 0, 4 * 0.25, 0.5, 2, "50m of 100m: 0.5x"},
      {4, 4, 0, 4 * 0.525, 0.5, 4, "ratio 1.05: within the tolerance"},
      {4, 4, 0, 4 * 0.45, 0.5, 4, "ratio 0.9: within the tolerance (<= 0.1)"},
      {4, 4, 0, 4 * 0.56, 0.5, 5, "ratio 1.12: ceil(4.48)"},
      {4, 4, 0, 4 * 0.1, 0.5, 1, "ratio 0.2: ceil(0.8); minReplicas applies later"},
      // Pods still starting count as idle when scaling up (replica_calculator.go).
      {4, 2, 2, 2 * 1.0, 0.5, 4, "2 ready at 2x, 2 starting: ratio 1 with them, no change"},
      {4, 2, 2, 2 * 1.0, 0.25, 8, "2 ready at 4x, 2 starting: ratio 2 with them, 8"},
      {4, 2, 2, 2 * 0.25, 0.5, 1, "scaling down ignores starting pods: ceil(2 x 0.5)"},
      {3, 0, 3, 0, 0.5, 3, "no ready pod, no metric: no change"},
  };
  for (const Row& r : rows) {
    INFO(r.why);
    CHECK(hpa::replica_proposal(hpa::PodMetrics{r.current, r.ready, r.unready, r.usage}, r.target) == r.expected);
  }
}

TEST_CASE("HPA scale-down stabilization: the highest recommendation of the last 300 s", "[kubernetes][hpa]") {
  const AutoscalingConfig c = autoscaler(1, 20);
  hpa::HpaHistory h;
  h.recommendations.push_back({at(0s), 10});  // the controller's start remembers the replicas then
  CHECK(hpa::stabilize(3, 10, at(15s), c, h) == 10);
  CHECK(hpa::stabilize(4, 10, at(150s), c, h) == 10);
  // At 300 s the cutoff is 0 s, and a recommendation counts only strictly after it: the highest
  // left is 4 (at 150 s).
  CHECK(hpa::stabilize(3, 10, at(300s), c, h) == 4);
  hpa::HpaHistory fresh;
  fresh.recommendations.push_back({at(0s), 10});
  CHECK(hpa::stabilize(2, 10, at(300s), c, fresh) == 2);
  // Scale-up has no window by default: the proposal wins at once.
  CHECK(hpa::stabilize(16, 10, at(315s), c, fresh) == 16);
}

TEST_CASE("HPA default scale-up policies: the larger of 100% and 4 pods per 15 s", "[kubernetes][hpa]") {
  const AutoscalingConfig c = autoscaler(1, 100);
  const hpa::HpaHistory none;
  CHECK(hpa::rate_limit(20, 2, at(60s), c, none) == 6);    // 2 + 4 beats 2 x 2
  CHECK(hpa::rate_limit(100, 10, at(60s), c, none) == 20);  // 10 x 2 beats 10 + 4
  CHECK(hpa::rate_limit(5, 2, at(60s), c, none) == 5);      // within the limit
  CHECK(hpa::rate_limit(200, 80, at(60s), c, none) == 100); // maxReplicas
  // Pods added in the last 15 s count against the period: 2 -> 6 at 60 s, so until 75 s the
  // period started at 2 and 6 is the limit; at 75 s that event has left the period.
  hpa::HpaHistory h;
  h.scale_ups.push_back({at(60s), 4});
  CHECK(hpa::rate_limit(20, 6, at(70s), c, h) == 6);
  CHECK(hpa::rate_limit(20, 6, at(75s), c, h) == 12);
}

TEST_CASE("HPA scale-down policies: the docs' 4 pods or 10% per minute, and the default 100%", "[kubernetes][hpa]") {
  AutoscalingConfig c = autoscaler(1, 100);
  const hpa::HpaHistory none;
  // Default: 100% per 15 s, so straight to the desired count, but not below minReplicas.
  CHECK(hpa::rate_limit(1, 40, at(60s), c, none) == 1);
  c.min_replicas = 5;
  CHECK(hpa::rate_limit(1, 40, at(60s), c, none) == 5);
  // The docs' example: Pods 4 and Percent 10 per 60 s, selectPolicy Max (the largest change).
  c.min_replicas = 1;
  c.scale_down.policies = {HpaScalingPolicyConfig{false, 4, 60}, HpaScalingPolicyConfig{true, 10, 60}};
  CHECK(hpa::rate_limit(1, 80, at(600s), c, none) == 72);  // 10% of 80 = 8 beats 4
  CHECK(hpa::rate_limit(1, 20, at(600s), c, none) == 16);  // 4 beats 10% of 20 = 2
  c.scale_down.select_policy = HpaScalingRulesConfig::Select::Min;
  CHECK(hpa::rate_limit(1, 80, at(600s), c, none) == 76);  // the smallest change
  c.scale_down.select_policy = HpaScalingRulesConfig::Select::Disabled;
  CHECK(hpa::rate_limit(1, 80, at(600s), c, none) == 80);
}

TEST_CASE("HPA sync: outside minReplicas..maxReplicas it moves to the bound; it records its scale events", "[kubernetes][hpa]") {
  const AutoscalingConfig c = autoscaler(2, 6);
  hpa::HpaHistory h;
  CHECK(hpa::sync(hpa::PodMetrics{9, 9, 0, 0.0}, at(15s), c, h) == 6);
  CHECK(hpa::sync(hpa::PodMetrics{1, 1, 0, 1.0}, at(30s), c, h) == 2);
  REQUIRE(h.scale_ups.size() == 1);
  CHECK(h.scale_ups.front().change == 1);
  // 2 pods at 100% of a 50% target: 4, recorded as 2 more.
  hpa::HpaHistory g;
  AutoscalingConfig half = c;
  half.target_utilization = 50;
  CHECK(hpa::sync(hpa::PodMetrics{2, 2, 0, 2.0}, at(15s), half, g) == 4);
  CHECK(g.scale_ups.back().change == 2);
}
