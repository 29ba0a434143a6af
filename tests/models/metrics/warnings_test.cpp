// Run warnings (models/metrics/warnings): a baseline that is already saturated or failing its SLO,
// with the cause the estimate finds, and calls crossing regions for lack of traffic_distribution.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/models/simulation_test_support.hpp"

namespace {

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

std::string overloaded_fleet() {
  std::ifstream in(std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/cross-region-overload.json");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("Run warnings: the cross-region overload names the saturated service, its cause and the clients' missed SLO",
          "[metrics][simulation]") {
  const auto r = test_support::run_scenario_text(overloaded_fleet());
  CHECK(any_contains(r.warnings, "service \"web\" in asia-east1 was 100% busy"));
  CHECK(any_contains(r.warnings, "most of a request's hold is waiting on calls that cross regions"));
  CHECK(any_contains(r.warnings, "client group \"clients-us-east1\" missed its SLO"));
  CHECK(any_contains(r.warnings, "calls from \"api\" to \"db\" cross regions"));
}

TEST_CASE("Run warnings: a healthy baseline has none, whatever its faults do later", "[metrics][simulation]") {
  std::string text = overloaded_fleet();
  for (const char* service : {"\"name\": \"api\",", "\"name\": \"db\","})
    text.insert(text.find(service) + std::string(service).size(), R"( "traffic_distribution": "PreferSameZone",)");
  // A region outage at 1 m sends its load elsewhere: not a warning, that is the study.
  text.insert(text.rfind('}'), R"(, "faults": [ { "id": "east", "kind": "region-outage", "target": "us-east1", "at": "1m" } ])");
  const auto r = test_support::run_scenario_text(text);
  CHECK(r.warnings.empty());
  CHECK(r.all.totals.failed > 0);  // the outage did fail requests
}
