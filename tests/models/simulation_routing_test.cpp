// Scenario-level tests of the real routing logic, through the whole simulator: Envoy's priority
// loads in a waypoint as its outlier detector ejects endpoints, Istio's rule that locality failover
// needs outlier detection, and retries stacking across layers with and without a retry budget.
#include <catch2/catch.hpp>

#include <numeric>
#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

using test_support::failures;

// Two regions, one zone and one cluster each, ten nodes per cluster. `web` runs in region a only
// and calls `api`, which has a waypoint replica and ten pods in each cluster. Clients in region a.
std::string two_region_mesh(const std::string& api_extra, const std::string& faults, const std::string& web_call_extra = "",
                            const std::string& api_time = R"({ "dist": "constant", "value": "2ms" })",
                            bool api_waypoint = true) {
  return R"({
    "faultline": 1, "name": "mesh", "run": { "duration": "60s", "step": "1s", "seed": 3 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 10, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 10 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
    "services": [
      { "name": "web", "clusters": ["ca"], "replicas_per_cluster": 4, "concurrency": 64,
        "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "5s")" + web_call_extra + R"( } ] },
      { "name": "api", "replicas_per_cluster": 10, "concurrency": 64, "service_time": )" + api_time + R"(,
        "waypoint": )" + std::string(api_waypoint ? R"({ "replicas": 1 })" : "false") + api_extra + R"( } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "a", "rate": "500/s" } ],
    "faults": [ )" + faults + R"( ] })";
}

std::string gray(const std::string& id, const std::string& pod, const std::string& at) {
  return R"({ "id": ")" + id + R"(", "kind": "gray-failure", "target": ")" + pod + R"(", "at": ")" + at + R"(" })";
}

// "prefix" + number, built with += (GCC 12 warns falsely, -Wrestrict, on "literal" + std::string).
std::string numbered(const char* prefix, int i) {
  std::string out(prefix);
  out += std::to_string(i);
  return out;
}

std::string outlier_detection(const std::string& fields) {
  return R"(, "traffic_policy": { "outlierDetection": { )" + fields + " } }";
}

models::results::RunResult run(const std::string& text) { return test_support::run_scenario_text(text); }

const models::results::ServiceLoad& load_of(const models::results::RunResult& r, const std::string& service) {
  for (const auto& load : r.services)
    if (load.service == service) return load;
  FAIL("no service " << service);
  return r.services.front();
}

// Share of `service`'s requests that reached region index `region` in steps [from_s, to_s).
double region_share(const models::results::RunResult& r, const std::string& service, std::size_t region, int from_s, int to_s) {
  const auto& load = load_of(r, service);
  double here = 0, all = 0;
  for (std::size_t reg = 0; reg < load.requests_by_region.size(); ++reg)
    for (int s = from_s; s < to_s; ++s) {
      const auto n = static_cast<double>(load.requests_by_region[reg][static_cast<std::size_t>(s)]);
      all += n;
      if (reg == region) here += n;
    }
  REQUIRE(all > 0);
  return here / all;
}

std::uint64_t failed_in(const models::results::RunResult& r, int from_s, int to_s) {
  std::uint64_t failed = 0;
  for (int s = from_s; s < to_s; ++s) failed += r.all.series[static_cast<std::size_t>(s)].counts.failed;
  return failed;
}

std::uint64_t total_requests(const models::results::ServiceLoad& load) {
  std::uint64_t n = 0;
  for (const auto& region : load.requests_by_region) n = std::accumulate(region.begin(), region.end(), n);
  return n;
}

}  // namespace

TEST_CASE("Waypoint: traffic spills to the next region in the steps the priority-load formula predicts",
          "[models][routing][scenario]") {
  // The waypoint in region a puts its ten local pods at priority 0 and region b's at priority 1
  // (Istio's locality tiers, on because outlierDetection is set). Failing pods are ejected after
  // five 503s in a row; maxEjectionPercent 100 lets all of them go, and the long base ejection
  // time keeps them out for the whole run.
  const std::string faults = gray("g0", "ca/api-0", "10s") + "," + gray("g1", "ca/api-1", "10s") + "," +
                             gray("g2", "ca/api-2", "10s") + "," + gray("g3", "ca/api-3", "30s") + "," +
                             gray("g4", "ca/api-4", "30s");
  const auto r = run(two_region_mesh(
      outlier_detection(R"("consecutive5xxErrors": 5, "interval": "1s", "baseEjectionTime": "300s", "maxEjectionPercent": 100)"),
      faults));
  // Before any fault: 10 of 10 healthy, health min(100, 140*10/10) = 100 -> P0 100%, P1 0%.
  CHECK(region_share(r, "api", 1, 1, 10) == 0.0);
  // 7 of 10 healthy: health 140*7/10 = 98 -> P0 98%, P1 2%.
  CHECK(region_share(r, "api", 1, 15, 30) == Approx(0.02).margin(0.007));
  // 5 of 10 healthy: health 140*5/10 = 70 -> P0 70%, P1 30%.
  CHECK(region_share(r, "api", 1, 35, 60) == Approx(0.30).margin(0.02));
  // Istio's default retries (503 is retriable) hide the few failures while ejection catches up.
  CHECK(failed_in(r, 15, 30) == 0);
  CHECK(failed_in(r, 35, 60) == 0);
}

TEST_CASE("Waypoint: no locality failover without outlier detection", "[models][routing][scenario]") {
  // Every pod of api in region a starts failing at 10s.
  std::string faults;
  for (int i = 0; i < 10; ++i) {
    if (i) faults += ',';
    faults += gray(numbered("g", i), numbered("ca/api-", i), "10s");
  }

  SECTION("without outlierDetection Istio leaves every endpoint at priority 0: traffic stays split and keeps failing") {
    const auto r = run(two_region_mesh("", faults));
    // Spread over all twenty endpoints, before and after the fault. Not quite 50/50: least
    // request favours hosts with fewer requests in flight, and region b's are in flight 20ms
    // longer (the round trip).
    CHECK(region_share(r, "api", 1, 1, 10) > 0.3);
    CHECK(region_share(r, "api", 1, 1, 10) < 0.5);
    CHECK(region_share(r, "api", 1, 15, 60) > 0.3);
    // Retries (two, to other hosts) save most requests, but not all: about 1 in 8 fails.
    const double failed = static_cast<double>(failed_in(r, 15, 60));
    CHECK(failed > 0.05 * 500 * 45);
  }
  SECTION("with outlierDetection and maxEjectionPercent 100 the region fails over completely") {
    const auto r = run(two_region_mesh(
        outlier_detection(R"("consecutive5xxErrors": 5, "interval": "1s", "baseEjectionTime": "300s", "maxEjectionPercent": 100)"),
        faults));
    CHECK(region_share(r, "api", 1, 1, 10) == 0.0);        // priority 0 only, before
    CHECK(region_share(r, "api", 1, 15, 60) == 1.0);       // all ejected: P0 health 0 -> P1 100%
    CHECK(failed_in(r, 15, 60) == 0);
  }
  SECTION("with the default maxEjectionPercent (10%) only 2 of 20 hosts may be ejected: no failover") {
    // Current Envoy rule: eject while 100*(ejected+1)/20 <= 10, i.e. at most 2 hosts. 8 failing
    // hosts stay in priority 0, whose health stays 140*8/10 = 112 -> 100%: nothing spills.
    const auto r = run(two_region_mesh(
        outlier_detection(R"("consecutive5xxErrors": 5, "interval": "1s", "baseEjectionTime": "300s")"), faults));
    CHECK(region_share(r, "api", 1, 15, 60) < 0.01);
    CHECK(failed_in(r, 15, 60) > 0.5 * 500 * 45);  // most requests fail: retries land on failing hosts too
  }
}

TEST_CASE("Retries: a retry storm when retries stack at two layers, none with a retry budget",
          "[models][routing][scenario]") {
  // web retries a failed call to api twice (application level); api's waypoint retries 503s twice
  // (Istio's default). When every api pod fails after 20ms of work, one request to web becomes
  // 3 calls x 3 attempts = 9 requests to api pods.
  std::string faults;
  for (int i = 0; i < 10; ++i) {
    if (i) faults += ',';
    faults += gray(numbered("a", i), numbered("ca/api-", i), "0s");
    faults += ',';
    faults += gray(numbered("b", i), numbered("cb/api-", i), "0s");
  }
  const std::string slow = R"({ "dist": "constant", "value": "20ms" })";
  const auto storm = run(two_region_mesh("", faults, R"(, "retries": 2)", slow));
  const auto web_requests = static_cast<double>(storm.all.totals.requests);
  const double amplification = static_cast<double>(total_requests(load_of(storm, "api"))) / web_requests;
  CHECK(amplification == Approx(9.0).margin(0.1));

  // Envoy's retry budget (20% of active requests, at least 3 concurrent retries) at the waypoint
  // bounds the retries it adds, whatever the layers above do.
  const auto budgeted = run(two_region_mesh(R"(, "traffic_policy": { "retryBudget": { "budgetPercent": 20, "minRetryConcurrency": 3 } })",
                                            faults, R"(, "retries": 2)", slow));
  const double bounded = static_cast<double>(total_requests(load_of(budgeted, "api"))) /
                         static_cast<double>(budgeted.all.totals.requests);
  CHECK(bounded < 4.5);
  CHECK(bounded >= 3.0);  // the application's own retries are not the waypoint's to limit
}

TEST_CASE("ztunnel: random over every region by default, the caller's zone with PreferSameZone",
          "[models][routing][scenario]") {
  // api without a waypoint: ztunnel alone chooses the pod, from what istiod pushed.
  const std::string constant = R"({ "dist": "constant", "value": "2ms" })";
  const auto spread = run(two_region_mesh("", "", "", constant, /*api_waypoint=*/false));
  CHECK(region_share(spread, "api", 1, 1, 60) == Approx(0.5).margin(0.03));  // 10 of 20 pods are in b
  const auto local = run(two_region_mesh(R"(, "traffic_distribution": "PreferSameZone")", "", "", constant, false));
  CHECK(region_share(local, "api", 1, 1, 60) == 0.0);
  const auto node_local = run(two_region_mesh(R"(, "internal_traffic_policy": "Local")", "", "", constant, false));
  CHECK(region_share(node_local, "api", 1, 1, 60) == 0.0);
  CHECK(node_local.all.totals.failed == 0);  // every web pod has an api pod on its node
}

namespace {
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
