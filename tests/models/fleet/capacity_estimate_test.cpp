// The static capacity estimate (models/fleet/capacity_estimate): offered load and hold time per
// service and region, and the warnings `validate` prints from them.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "models/config/load_scenario.hpp"
#include "models/fleet/capacity_estimate.hpp"
#include "models/world.hpp"

namespace {

models::CapacityEstimate estimate(const std::string& text) {
  const auto scenario = models::config::validate(models::config::parse_scenario(text, "inline.json"));
  return models::estimate_capacity(models::build_world(scenario, 1));
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("Capacity estimate: offered rate x mean hold over pods x concurrency, a call's round trip in its caller's hold",
          "[models][fleet]") {
  const auto e = estimate(R"({
    "faultline": 1, "name": "t",
    "regions": [ { "name": "r1", "zones": ["r1-a"], "intra_region_latency": "1ms",
                   "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 4, "concurrency": 4, "service_time": { "dist": "constant", "value": "10ms" },
                    "calls": [ { "service": "api", "probability": 0.5 } ] },
                  { "name": "api", "replicas_per_cluster": 2, "concurrency": 8, "service_time": { "dist": "exponential", "mean": "20ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "profile": [ { "at": "0s", "rate": "400/s" }, { "at": "1m", "rate": "1000/s" } ] } ] })");
  REQUIRE(e.loads.size() == 2);
  // api: 500/s (half of the 1,000/s peak) x 20 ms over 2 x 8 slots.
  CHECK(e.loads[1].offered_per_second == Approx(500));
  CHECK(e.loads[1].hold_seconds == Approx(0.020));
  CHECK(e.loads[1].utilization == Approx(500 * 0.020 / 16));
  // web: 10 ms + 0.5 x (2 x 1 ms + 20 ms) = 21 ms held, 1,000/s over 4 x 4 slots.
  CHECK(e.loads[0].hold_seconds == Approx(0.021));
  CHECK(e.loads[0].utilization == Approx(1000 * 0.021 / 16));
  CHECK(e.loads[0].cross_region_seconds == 0);
  CHECK(e.warnings.size() == 1);  // web at 131%
  CHECK(any_contains(e.warnings, "service \"web\" in r1 is over capacity at the clients' peak: 1000/s x 21.0 ms held per request = 131% of 4 pods x concurrency 4"));
}

TEST_CASE("Capacity estimate: a fleet without traffic_distribution is warned of its cross-region calls and the overload they cause",
          "[models][fleet]") {
  std::string text = read_text(std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/cross-region-overload.json");
  const auto spread = estimate(text);
  CHECK(any_contains(spread.warnings, "service \"api\" in us-east1 is over capacity"));
  CHECK(any_contains(spread.warnings, "most of the hold (80.0 ms) is waiting on calls that cross regions"));
  CHECK(any_contains(spread.warnings, "calls from \"web\" to \"api\" cross regions: \"api\" has no traffic_distribution"));
  CHECK(any_contains(spread.warnings, "(about 75% leave their region"));
  // With PreferSameZone the calls stay home: 1,500/s x (5 + 2 x 0.25 + 5 + 2 x 0.25 + 5) ms = 24% of 64 slots.
  for (const char* service : {"\"name\": \"api\",", "\"name\": \"db\","}) {
    const auto at = text.find(service);
    REQUIRE(at != std::string::npos);
    text.insert(at + std::string(service).size(), R"( "traffic_distribution": "PreferSameZone",)");
  }
  const auto local = estimate(text);
  CHECK(local.warnings.empty());
  CHECK(local.loads[0].hold_seconds == Approx(0.016));
  CHECK(local.loads[0].utilization == Approx(1500 * 0.016 / 64));
}

TEST_CASE("Capacity estimate: an autoscaled service counts its maxReplicas, a rollout's room counts for nothing", "[models][fleet]") {
  const auto fleet = [](const std::string& service_keys, const std::string& faults) {
    return R"({
    "faultline": 1, "name": "t",
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2, "concurrency": 4, "service_time": { "dist": "constant", "value": "10ms" })" +
           service_keys + R"( } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "1000/s" } ], "faults": [)" + faults + "] }";
  };
  // 1,000/s x 10 ms = 10 busy slots: 125% of 2 pods x 4, 42% of 6.
  const auto fixed = estimate(fleet("", ""));
  CHECK(fixed.loads[0].pods == 2);
  CHECK(fixed.warnings.size() == 1);
  const auto scaled = estimate(fleet(R"(, "autoscaling": { "maxReplicas": 6 })", ""));
  CHECK(scaled.loads[0].pods == 6);
  CHECK(scaled.warnings.empty());
  const auto rolled = estimate(fleet("", R"({ "id": "v2", "kind": "bad-rollout", "target": "c1/web", "at": "1m" })"));
  CHECK(rolled.loads[0].pods == 2);
  CHECK(rolled.warnings.size() == 1);
}
