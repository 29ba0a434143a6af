// Scenario-level tests of the gateway's routing, through the whole simulator: WATERFALL_BY_REGION
// filling the closest region up to its capacity, and HTTPRoute matches, weights and timeouts.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "tests/models/routing_test_support.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

using test_support::failures;
using test_support::load_of;
using test_support::total_requests;

models::results::RunResult run(const std::string& text) { return test_support::run_scenario_text(text); }

// Two regions with web only (4 pods per cluster) behind the gateway; clients in region a.
std::string gateway_fleet(const std::string& backend_policy, const std::string& rate) {
  return R"({
    "faultline": 1, "name": "gw", "run": { "duration": "30s", "step": "1s", "seed": 5 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 4, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 4 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
    "services": [ { "name": "web", "replicas_per_cluster": 4, "concurrency": 64,
                    "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ], "backend_policy": )" +
         backend_policy + R"( },
    "clients": [ { "region": "a", "rate": ")" + rate + R"(" } ] })";
}

double served_share(const models::results::RunResult& r, std::size_t region, int from_s, int to_s) {
  double here = 0, all = 0;
  for (int s = from_s; s < to_s; ++s) {
    const auto& counts = r.all.series[static_cast<std::size_t>(s)].counts;
    here += static_cast<double>(counts.served_by_region[region]);
    all += static_cast<double>(counts.requests);
  }
  return here / all;
}
}  // namespace

TEST_CASE("Gateway: WATERFALL_BY_REGION overflows to the next region when the closest is at capacity",
          "[models][routing][scenario]") {
  // Region a: 4 endpoints x maxRatePerEndpoint 50 = 200 requests/s of capacity.
  SECTION("under capacity everything stays in the closest region") {
    const auto r = run(gateway_fleet(R"({ "balancingMode": "RATE", "maxRatePerEndpoint": 50 })", "150/s"));
    CHECK(served_share(r, 1, 2, 30) == 0.0);
  }
  SECTION("over capacity the excess overflows: 300/s offered, 200 stay, 100 go to region b") {
    const auto r = run(gateway_fleet(R"({ "balancingMode": "RATE", "maxRatePerEndpoint": 50 })", "300/s"));
    CHECK(served_share(r, 1, 2, 30) == Approx(1.0 / 3.0).margin(0.03));
    CHECK(r.all.totals.failed == 0);
  }
  SECTION("capacityScaler 0.5 halves region a's capacity: 100 stay, 200 overflow") {
    const auto r = run(gateway_fleet(
        R"({ "balancingMode": "RATE", "maxRatePerEndpoint": 50, "capacityScaler": { "ca": 0.5 } })", "300/s"));
    CHECK(served_share(r, 1, 2, 30) == Approx(2.0 / 3.0).margin(0.03));
  }
  SECTION("capacityScaler 0 drains region a completely") {
    const auto r = run(gateway_fleet(R"({ "capacityScaler": { "ca": 0 } })", "100/s"));
    CHECK(served_share(r, 1, 0, 30) == 1.0);
  }
}

TEST_CASE("Gateway: HTTPRoute matches, weighted backendRefs and the request timeout", "[models][routing][scenario]") {
  // /api goes 1:3 to api-v1 and api-v2; requests with "x-canary: 1" go to canary; /slow has a
  // 50ms request timeout and a backend that needs 200ms; anything else is 404.
  const std::string text = R"({
    "faultline": 1, "name": "routes", "run": { "duration": "30s", "step": "1s", "seed": 2 },
    "regions": [ { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 4, "config_cluster": true } ] } ],
    "services": [
      { "name": "api-v1", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } },
      { "name": "api-v2", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } },
      { "name": "canary", "replicas_per_cluster": 1, "service_time": { "dist": "constant", "value": "1ms" } },
      { "name": "slow", "replicas_per_cluster": 1, "concurrency": 64, "service_time": { "dist": "constant", "value": "200ms" } } ],
    "gateway": { "routes": [
      { "matches": [ { "path": { "type": "PathPrefix", "value": "/api" } } ],
        "backendRefs": [ { "name": "api-v1", "weight": 1 }, { "name": "api-v2", "weight": 3 } ] },
      { "matches": [ { "path": { "type": "PathPrefix", "value": "/api" }, "headers": [ { "name": "x-canary", "value": "1" } ] } ],
        "backendRefs": [ { "name": "canary" } ] },
      { "matches": [ { "path": { "type": "Exact", "value": "/slow" } } ], "backendRefs": [ { "name": "slow" } ],
        "timeouts": { "request": "50ms" } } ] },
    "clients": [ { "region": "a", "rate": "400/s", "paths": [
      { "path": "/api/items", "weight": 4 }, { "path": "/api/items", "headers": { "X-Canary": "1" }, "weight": 1 },
      { "path": "/slow", "weight": 1 }, { "path": "/apix", "weight": 1 } ] } ] })";
  const auto r = run(text);
  auto total = [&](const std::string& service) { return static_cast<double>(total_requests(load_of(r, service))); };
  const double v1 = total("api-v1"), v2 = total("api-v2"), canary = total("canary"), all = static_cast<double>(r.all.totals.requests);
  CHECK(v2 / v1 == Approx(3.0).epsilon(0.1));                  // weights 1:3
  CHECK((v1 + v2) / all == Approx(4.0 / 7.0).margin(0.02));     // 4 of 7 path weights
  CHECK(canary / all == Approx(1.0 / 7.0).margin(0.01));        // the header match wins (more matches)
  // "/apix" is not under "/api" (prefixes match whole segments): 404.
  CHECK(static_cast<double>(failures(r, "no_route")) / all == Approx(1.0 / 7.0).margin(0.01));
  // "/slow" answers after 200ms, past its route's 50ms timeout: 504 from the gateway.
  CHECK(static_cast<double>(failures(r, "timeout")) / all == Approx(1.0 / 7.0).margin(0.01));
}
