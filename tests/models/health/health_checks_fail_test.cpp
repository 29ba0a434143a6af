// "health_checks": "fail" on a gray failure: the pods answer 503 to every request and to every
// health check, and each checker reacts as its real counterpart does (ROUTING.md 4.2): the
// gateway's Compute Engine check after unhealthy_threshold failures, Envoy's active check at the
// first 503 (a non-retriable status skips the threshold), kubelet's readiness probe after
// failureThreshold periods. With "pass" (the default) none of them sees it.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;

namespace {

std::string gray(const std::string& target, const std::string& health_checks) {
  return R"({ "id": "g", "kind": "gray-failure", "target": ")" + target + R"(", "at": "10s", "health_checks": ")" +
         health_checks + R"(" })";
}

// web (two pods) behind the gateway, probed every second, two failures to mark an endpoint down.
std::string gateway_fleet(const std::string& fault) {
  return R"({
    "faultline": 1, "name": "hc-fail", "run": { "duration": "60s", "step": "1s", "seed": 4 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 3, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2, "concurrency": 16,
                    "service_time": { "dist": "constant", "value": "2ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "interval": "1s", "timeout": "1s", "healthy_threshold": 2, "unhealthy_threshold": 2 } },
    "clients": [ { "region": "r1", "rate": "200/s" } ],
    "faults": [ )" + fault + R"( ] })";
}

// web calls api (4 pods) through api's waypoint (round robin, no retries, no outlier detection),
// whose active check probes every 5s and needs 3 failures. `waypoint`: false leaves api to
// ztunnel, where only kubelet's readiness probe (every 10s, 3 failures) can take a pod out.
std::string mesh_fleet(const std::string& fault, bool waypoint) {
  const std::string api_routing =
      waypoint ? R"(, "waypoint": { "replicas": 2 }, "retries": { "attempts": 0 },
        "traffic_policy": { "loadBalancer": { "simple": "ROUND_ROBIN" },
                            "healthCheck": { "interval": "5s", "timeout": "1s", "unhealthyThreshold": 3, "healthyThreshold": 2 } })"
               : "";
  return R"({
    "faultline": 1, "name": "hc-fail-mesh", "run": { "duration": "70s", "step": "1s", "seed": 31 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 4, "config_cluster": true } ] } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 4, "concurrency": 256, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 4, "concurrency": 256, "service_time": { "dist": "constant", "value": "1ms" })" +
         api_routing + R"( } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ], "health_check": { "interval": "1s", "timeout": "1s" } },
    "clients": [ { "region": "r1", "rate": "400/s" } ],
    "faults": [ )" + fault + R"( ] })";
}

}  // namespace

TEST_CASE("health_checks fail: the gateway's shallow check takes the 503-answering pod out", "[models][health][scenario]") {
  const auto pass = test_support::run_scenario_text(gateway_fleet(gray("c1/web-0", "pass")));
  CHECK(failed_share(pass, 15s, 60s) == Approx(0.5).margin(0.03));  // a zombie: in rotation to the end
  const auto fail = test_support::run_scenario_text(gateway_fleet(gray("c1/web-0", "fail")));
  // Two failed probes a second apart: out within about 3s.
  CHECK(failed_share(fail, 10s, 11s) > 0.3);
  CHECK(failed_share(fail, 14s, 60s) == 0.0);
}

TEST_CASE("health_checks fail: Envoy's active check marks the host unhealthy at the first 503", "[models][health][scenario]") {
  const auto pass = test_support::run_scenario_text(mesh_fleet(gray("c1/api-0", "pass"), true));
  CHECK(failed_share(pass, 12s, 40s) == Approx(0.25).margin(0.05));
  const auto fail = test_support::run_scenario_text(mesh_fleet(gray("c1/api-0", "fail"), true));
  // Each replica's next probe comes within 5s of the fault and its 503 alone is enough: a
  // threshold of 3 failures 5s apart would leave the pod in until 20s or later.
  CHECK(failed_share(fail, 10s, 11s) > 0.1);
  CHECK(failed_share(fail, 16s, 40s) == 0.0);
}

TEST_CASE("health_checks fail: kubelet's readiness probe takes the pod out of ztunnel's endpoints", "[models][health][scenario]") {
  const auto pass = test_support::run_scenario_text(mesh_fleet(gray("c1/api-0", "pass"), false));
  CHECK(failed_share(pass, 50s, 70s) == Approx(0.25).margin(0.05));
  const auto fail = test_support::run_scenario_text(mesh_fleet(gray("c1/api-0", "fail"), false));
  // Three failed probes 10s apart (the sweep's phase is random): NotReady by 10 + 30s, then istiod's push.
  CHECK(failed_share(fail, 12s, 20s) == Approx(0.25).margin(0.05));
  CHECK(failed_share(fail, 42s, 70s) == 0.0);
}
