// Envoy active health checks in a waypoint, through the whole simulator.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;

namespace {

// web (4 pods, one per node) calls api (4 pods, one per node) through api's waypoint, which
// balances round robin. node-3 (no waypoint replica on it) dies at 10s: a quarter of the waypoint's attempts go to a
// blackholed pod and wait out the 1s call timeout, until something removes the pod.
std::string fleet(const std::string& health_check) {
  return R"({
    "faultline": 1, "name": "waypoint-hc", "run": { "duration": "70s", "step": "1s", "seed": 31 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 4, "config_cluster": true } ] } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 4, "concurrency": 256, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 4, "concurrency": 256, "service_time": { "dist": "constant", "value": "1ms" },
        "waypoint": { "replicas": 2 },
        "traffic_policy": { "loadBalancer": { "simple": "ROUND_ROBIN" } )" + health_check + R"( } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "interval": "1s", "timeout": "1s" } },
    "clients": [ { "region": "r1", "rate": "400/s" } ],
    "faults": [ { "id": "n1", "kind": "node-crash", "target": "c1/node-3", "at": "10s" } ] })";
}

}  // namespace

TEST_CASE("waypoint active health checks: a blackholed pod leaves in seconds, not after the node grace period",
          "[models][health][scenario]") {
  // Without them only Kubernetes removes the pod: NotReady after the 50s grace period.
  const auto none = test_support::run_scenario_text(fleet(""));
  CHECK(failed_share(none, 15s, 55s) == Approx(0.25).margin(0.06));
  // Probes every 1s that time out after 500ms, 3 failures to mark it: by 10 + 1 + 3 * 1.5 = 15.5s
  // at the latest (ROUTING.md 4.3).
  const auto checked = test_support::run_scenario_text(fleet(
      R"(, "healthCheck": { "interval": "1s", "timeout": "500ms", "unhealthyThreshold": 3, "healthyThreshold": 2 })"));
  CHECK(failed_share(checked, 0s, 9s) == 0.0);
  CHECK(failed_share(checked, 10s, 12s) > 0.1);
  CHECK(failed_share(checked, 17s, 70s) == 0.0);
}

namespace {

// api (4 pods) behind a waypoint whose Envoy probes every second and marks a host at the first
// failure, but every 20s while its cluster has had no traffic (noTrafficInterval). kubelet's
// readiness probe runs every 60s, so only the waypoint can notice api-1's crash at 10s first.
// `called`: web calls api (the waypoint carries traffic), or nobody does.
std::string idle_fleet(bool called) {
  return R"({
    "faultline": 1, "name": "waypoint-no-traffic", "run": { "duration": "60s", "step": "1s", "seed": 5 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 4, "config_cluster": true } ] } ],
    "mesh": { "readiness": { "period": "60s", "failure_threshold": 3 } },
    "services": [
      { "name": "web", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" })" +
         std::string(called ? R"(, "calls": [ { "service": "api", "timeout": "1s" } ])" : "") + R"( },
      { "name": "api", "replicas_per_cluster": 4, "service_time": { "dist": "constant", "value": "1ms" },
        "waypoint": { "replicas": 1 },
        "traffic_policy": { "healthCheck": { "interval": "1s", "timeout": "500ms", "unhealthyThreshold": 1,
                                             "healthyThreshold": 1, "noTrafficInterval": "20s" } } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "100/s" } ],
    "faults": [ { "id": "api-down", "kind": "pod-crash", "target": "c1/api-1", "at": "10s" } ] })";
}

}  // namespace

TEST_CASE("waypoint active health checks: a cluster without traffic probes at noTrafficInterval", "[models][health][scenario]") {
  // Envoy: the interval while the cluster has never had an upstream connection (ROUTING.md 4.2).
  const auto busy = test_support::run_scenario_text(idle_fleet(true));
  const auto idle = test_support::run_scenario_text(idle_fleet(false));
  const auto& busy_crash = busy.faults.at(0).impact;
  const auto& idle_crash = idle.faults.at(0).impact;
  REQUIRE(busy_crash.time_to_detect);
  REQUIRE(idle_crash.time_to_detect);
  CHECK(busy_crash.detected_by == "waypoint_health_check");
  CHECK(idle_crash.detected_by == "waypoint_health_check");
  CHECK(*busy_crash.time_to_detect <= 1500ms);  // the next probe, a second apart
  // The first probes fell in the first second, the next ones 20s later: the crash at 10s is seen
  // at about 20-21s.
  CHECK(*idle_crash.time_to_detect >= 9s);
  CHECK(*idle_crash.time_to_detect <= 12s);
}
