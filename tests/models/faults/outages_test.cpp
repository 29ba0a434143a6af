// What zone and cluster outages do, through the whole simulator.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;

TEST_CASE("zone outage: the gateway reacts in seconds, the mesh only after the node grace period",
          "[models][faults][scenario]") {
  // One cluster over two zones (nodes alternate). web and api have pods in both zones; api has no
  // waypoint, so ztunnel only learns that api's zone-a pods are gone when Kubernetes marks their
  // nodes NotReady (50s grace), readiness catches up and istiod pushes.
  const auto r = test_support::run_scenario_text(R"({
    "faultline": 1, "name": "zone", "run": { "duration": "100s", "step": "1s", "seed": 8 },
    "regions": [ { "name": "r1", "zones": ["r1-a", "r1-b"], "clusters": [ { "name": "c1", "nodes": 4, "config_cluster": true } ] } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 4, "concurrency": 256, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 4, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "interval": "1s", "timeout": "1s" } },
    "clients": [ { "region": "r1", "rate": "200/s" } ],
    "faults": [ { "id": "za", "kind": "zone-outage", "target": "r1-a", "at": "10s" } ] })");
  REQUIRE(r.faults.size() == 1);
  CHECK(r.faults[0].components_by_kind.front() == std::pair<std::string, std::uint64_t>{"zone", 1});
  // After the gateway has dropped web's zone-a pods, half of api calls still go to dead pods and
  // wait out their 1s timeout. (web has room for them: with its default concurrency of 16 the
  // waiting calls would fill it and fail everything else too.)
  CHECK(failed_share(r, 15s, 55s) == Approx(0.5).margin(0.08));
  // Once the nodes are NotReady (10s + 50s) and the next readiness sweep and push are done, none.
  CHECK(failed_share(r, 75s, 100s) == 0.0);
}

TEST_CASE("cluster outage: its endpoints stay in the other clusters' views", "[models][faults][scenario]") {
  // Two clusters in one region, web and api in both. With c1 down, its API server is gone too, so
  // nothing marks c1's pods not ready: every other cluster's ztunnels keep picking them (an
  // assumption the reference leaves open; scenarios/README.md says so). Half of api calls from c2
  // time out for as long as the outage lasts.
  const auto r = test_support::run_scenario_text(R"({
    "faultline": 1, "name": "cluster", "run": { "duration": "100s", "step": "1s", "seed": 8 },
    "regions": [ { "name": "r1", "zones": ["r1-a"],
                   "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true }, { "name": "c2", "nodes": 2 } ] } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 2, "concurrency": 256, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "interval": "1s", "timeout": "1s" } },
    "clients": [ { "region": "r1", "rate": "200/s" } ],
    "faults": [ { "id": "c1", "kind": "cluster-outage", "target": "c1", "at": "10s" } ] })");
  CHECK(failed_share(r, 0s, 9s) == 0.0);
  CHECK(failed_share(r, 30s, 100s) == Approx(0.5).margin(0.08));
  CHECK(test_support::failures(r, "dependency_failed") > 0);
}
