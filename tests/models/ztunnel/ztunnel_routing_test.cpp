// Scenario-level test of ztunnel's routing, through the whole simulator: with no waypoint, ztunnel
// alone picks the pod from istiod's view, over every region or by trafficDistribution and
// internalTrafficPolicy.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "tests/models/routing_test_support.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

using test_support::region_share;
using test_support::two_region_mesh;

models::results::RunResult run(const std::string& text) { return test_support::run_scenario_text(text); }

}  // namespace

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
