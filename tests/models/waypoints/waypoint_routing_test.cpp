// Scenario-level tests of a waypoint's routing, through the whole simulator: Envoy's priority
// loads in a waypoint as its outlier detector ejects endpoints, Istio's rule that locality failover
// needs outlier detection, and retries stacking across layers with and without a retry budget.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "tests/models/routing_test_support.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

using test_support::load_of;
using test_support::region_share;
using test_support::total_requests;
using test_support::two_region_mesh;

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

std::uint64_t failed_in(const models::results::RunResult& r, int from_s, int to_s) {
  std::uint64_t failed = 0;
  for (int s = from_s; s < to_s; ++s) failed += r.all.series[static_cast<std::size_t>(s)].counts.failed;
  return failed;
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
