// Autoscaling end to end (models/kubernetes/deployments + hpa): a load step makes the HPA scale a
// Deployment from 2 to the replica count its arithmetic gives, at a sync (every 15 s from the
// start) plus the pods' start-up time; after the load falls it scales back down once the 300 s
// stabilization window has passed, and the deleted pods stop after their 30 s grace period.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

namespace {

// One cluster; web: 2 pods of concurrency 10, 100 ms constant service time, HPA 2..6 at 30%.
// 20/s until 60 s (2 busy slots of 20: 10%), 110/s until 200 s (11 busy slots: 55% of 2 pods),
// then 20/s again.
std::string scenario(const std::string& extra_service_keys) {
  return R"({
    "faultline": 1, "name": "hpa",
    "run": { "duration": "600s", "step": "5s", "seed": 3 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 3, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2, "concurrency": 10, )" + extra_service_keys + R"(
                    "autoscaling": { "minReplicas": 2, "maxReplicas": 6, "targetUtilization": 30 },
                    "service_time": { "dist": "constant", "value": "100ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "profile": [ { "at": "0s", "rate": "20/s" }, { "at": "60s", "rate": "110/s" },
                                                 { "at": "200s", "rate": "20/s" } ] } ] })";
}

}  // namespace

TEST_CASE("Autoscaling: a load step scales 2 pods to ceil(11 / (10 x 30%)) = 4 at sync + start-up", "[kubernetes][hpa][simulation]") {
  const auto r = test_support::run_scenario_text(scenario(""));
  const auto& s = r.services[0].saturation[0];
  // Until 60 s: 10% against 30% asks for 1, held at minReplicas (and by the start's window).
  // The sync at 75 s is the first to average a whole period of 110/s: 55% x 2 / 30% = 3.67 -> 4.
  // Two pods created at 75 s are Ready at 75 + 30 s (pod_startup's default): replicas is the count
  // at each step's end, and step 20 ends at 105 s, when they start.
  for (std::size_t k = 0; k <= 20; ++k) {
    INFO("step " << k);
    CHECK(s.replicas[k] == 2);
  }
  CHECK(s.replicas[21] == 4);
  // 4 pods at 11 / 40 = 27.5% are within the tolerance of 30%: no further change while the load holds.
  for (std::size_t k = 21; k < 40; ++k) CHECK(s.replicas[k] == 4);
  // After the load falls at 200 s the proposals drop, but the scale-down window keeps the last
  // sync at full load (195 s) for 300 s: the HPA scales to 2 at 495 s (the highest proposal
  // since 210 s). The two pods deleted then stop being Ready at once (step 98 ends at 495 s) and
  // stop running 30 s later, at 525 s (step 104 ends there).
  for (std::size_t k = 40; k <= 98; ++k) {
    INFO("step " << k);
    CHECK(s.replicas[k] == 4);
  }
  CHECK(s.replicas[99] == 2);
  const auto step_ns = static_cast<std::uint64_t>(r.step.count());
  CHECK(s.running[104] == 4 * step_ns);
  CHECK(s.running[105] == 2 * step_ns);
  CHECK(r.all.totals.failed == 0);
}

TEST_CASE("Autoscaling: pod_startup sets when created pods are Ready", "[kubernetes][hpa][simulation]") {
  const auto r = test_support::run_scenario_text(scenario(R"("pod_startup": "50s",)"));
  const auto& s = r.services[0].saturation[0];
  CHECK(s.replicas[24] == 2);  // ends at 125 s: created at 75 s, Ready at 125 s
  CHECK(s.replicas[25] == 4);
}

TEST_CASE("Autoscaling: the new pods take their share of the load once Ready", "[kubernetes][hpa][simulation]") {
  const auto r = test_support::run_scenario_text(scenario(""));
  const auto& s = r.services[0].saturation[0];
  const double step_ns = static_cast<double>(r.step.count());
  const auto utilization = [&](std::size_t k) {
    return static_cast<double>(s.busy[k]) / (static_cast<double>(s.running[k]) * r.services[0].concurrency);
  };
  CHECK(utilization(18) == Approx(0.55).epsilon(0.1));   // 90-95 s: 2 pods
  CHECK(utilization(30) == Approx(0.275).epsilon(0.1));  // 150-155 s: 4 pods
  CHECK(static_cast<double>(s.running[30]) == Approx(4 * step_ns));
}
