// Service-scoped fault targets: "<cluster>/<service>" names every pod of a service in a cluster,
// for pod-crash and gray-failure (issue 15), beside a pod, a node or a cluster.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "tests/models/config/issue_lines.hpp"
#include "tests/models/simulation_test_support.hpp"

namespace {

std::string fleet(const std::string& fault) {
  return R"({
    "faultline": 1, "name": "t",
    "run": { "duration": "40s", "step": "10s", "seed": 3 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true },
                                                                  { "name": "c2", "nodes": 2 } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 3, "service_time": { "dist": "constant", "value": "1ms" } },
                  { "name": "api", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "200/s" } ],
    "faults": [ )" + fault + R"( ] })";
}

std::vector<std::string> problems(const std::string& text) {
  try {
    models::config::validate(models::config::parse_scenario(text, "t.json"));
  } catch (const models::config::ScenarioError& e) {
    return test_support::issue_lines(e);
  }
  return {};
}

}  // namespace

TEST_CASE("Service targets: pod-crash of \"<cluster>/<service>\" takes down every pod of it there, and no other", "[faults]") {
  const auto r = test_support::run_scenario_text(fleet(R"({ "id": "f", "kind": "pod-crash", "target": "c1/web", "at": "10s" })"));
  REQUIRE(r.faults.size() == 1);
  CHECK(r.faults[0].components == std::vector<std::string>{"c1/web-0", "c1/web-1", "c1/web-2"});
  // web's pods in r1: 6 running before, 3 after (c2's); api keeps its 4.
  const auto step_ns = static_cast<std::uint64_t>(r.step.count());
  CHECK(r.services[0].saturation[0].running[0] == 6 * step_ns);
  CHECK(r.services[0].saturation[0].running[2] == 3 * step_ns);
  CHECK(r.services[1].saturation[0].running[2] == 4 * step_ns);
}

TEST_CASE("Service targets: gray-failure of \"<cluster>/<service>\" degrades that service's pods in the cluster", "[faults]") {
  const auto r = test_support::run_scenario_text(
      fleet(R"({ "id": "g", "kind": "gray-failure", "target": "c2/web", "at": "0s", "error_rate": 1.0 })"));
  // The gateway spreads web's requests over both clusters' pods: about half reach c2's and fail.
  const double failed = static_cast<double>(r.all.totals.failed) / static_cast<double>(r.all.totals.requests);
  CHECK(failed == Approx(0.5).margin(0.05));
  CHECK(test_support::failures(r, "error_response") == r.all.totals.failed);
}

TEST_CASE("Service targets: a service not deployed in the cluster is reported with the names that exist", "[faults][config]") {
  CHECK(problems(fleet(R"({ "id": "f", "kind": "pod-crash", "target": "c1/webb", "at": "10s" })")) ==
        std::vector<std::string>{"/faults/0/target: expected the name of a pod (\"<cluster>/<service>-<index>\") or of a "
                                 "service in a cluster (\"<cluster>/<service>\"), found \"c1/webb\"; did you mean \"c1/web\"?"});
  CHECK(problems(fleet(R"({ "id": "f", "kind": "pod-crash", "target": "c1/api", "at": "10s" })")).empty());
}
