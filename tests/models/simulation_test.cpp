// Whole-run properties of models/simulation.cpp (the wiring and the run loop), whatever the
// subsystems do: a run is a function of its scenario and its seed. What a request meets on its way
// is tests/models/traffic/request_path_test.cpp.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "tests/models/simulation_test_support.hpp"

namespace {

// One region, two nodes; web calls api through api's waypoint. A gray failure on one web pod and a
// crash of one api pod make requests fail for more than one reason, so that the totals by reason
// are worth comparing.
std::string scenario(const std::string& seed) {
  return R"({
    "faultline": 1, "name": "determinism", "run": { "duration": "20s", "step": "1s", "seed": )" + seed + R"( },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true } ] } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 2, "service_time": { "dist": "exponential", "mean": "2ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 2, "service_time": { "dist": "exponential", "mean": "1ms" },
        "waypoint": { "replicas": 1 } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "300/s" } ],
    "faults": [ { "id": "g", "kind": "gray-failure", "target": "c1/web-0", "at": "5s", "error_rate": 0.3 },
                { "id": "p", "kind": "pod-crash", "target": "c1/api-1", "at": "8s" } ] })";
}

}  // namespace

TEST_CASE("Simulation: the same scenario and seed give the same run, another seed another run", "[models][simulation]") {
  const auto first = test_support::run_scenario_text(scenario("7"));
  const auto again = test_support::run_scenario_text(scenario("7"));
  // The scenario does what it is here for: traffic, and failures of more than one kind.
  REQUIRE(first.all.totals.requests > 1000);
  REQUIRE(first.all.totals.failed > 0);
  CHECK(test_support::failures(first, "error_response") > 0);
  CHECK(test_support::failures(first, "error_response") < first.all.totals.failed);

  CHECK(again.events == first.events);
  CHECK(again.all.totals.requests == first.all.totals.requests);
  CHECK(again.all.totals.succeeded == first.all.totals.succeeded);
  CHECK(again.all.totals.failed == first.all.totals.failed);
  CHECK(again.failure_reasons == first.failure_reasons);
  CHECK(again.all.totals.failures_by_reason == first.all.totals.failures_by_reason);

  // Another seed draws other arrivals and service times: a different number of events.
  const auto other = test_support::run_scenario_text(scenario("8"));
  CHECK(other.seed == 8);
  CHECK(other.events != first.events);
}
