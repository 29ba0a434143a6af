// Faults at build time: a gray failure restricted to one service ("service") reaches that
// service's pods in its target, and only they answer with errors while it is active.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/subsystems.hpp"
#include "models/world.hpp"

namespace {

// Two clusters of two nodes; web (2 pods), api (2 pods and a waypoint replica) in each. Placement
// in each cluster: web-0 node-0, web-1 node-1, api-0 node-0, api-1 node-1, the waypoint node-0.
const char* kFleet = R"({
  "faultline": 1, "name": "gray", "run": { "duration": "60s", "seed": 3 },
  "regions": [ { "name": "ra", "zones": ["ra-a"], "clusters": [ { "name": "ca", "nodes": 2, "config_cluster": true },
                                                                { "name": "cb", "nodes": 2 } ] } ],
  "services": [ { "name": "web", "replicas_per_cluster": 2, "calls": [ { "service": "api" } ] },
                { "name": "api", "replicas_per_cluster": 2, "waypoint": { "replicas": 1 } } ],
  "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
  "clients": [ { "region": "ra", "rate": "10/s" } ],
  "faults": [ FAULT ]
})";

models::World world_with(const std::string& fault) {
  std::string text = kFleet;
  text.replace(text.find("FAULT"), 5, fault);
  return models::build_world(models::config::validate(models::config::parse_scenario(text, "gray.json")), 3);
}

std::vector<std::string> reach(const models::World& w) {
  std::vector<std::string> out;
  for (auto c : w.faults.at(0).reach) out.push_back(w.graph.name(c));
  return out;
}

// Each workload's error rate while the one fault is active, and after it ended (all 0).
std::map<std::string, double> error_rates_while_active(models::World world) {
  models::Subsystems s(std::move(world));
  s.faults.on(models::FaultStart{0});
  std::map<std::string, double> out;
  for (std::uint32_t wl = 0; wl < s.fleet.workloads.size(); ++wl)
    out[s.fleet.workloads[wl].name] = s.requests.pod(wl).error_rate;
  s.faults.on(models::FaultEnd{0});
  for (std::uint32_t wl = 0; wl < s.fleet.workloads.size(); ++wl) CHECK(s.requests.pod(wl).error_rate == 0.0);
  return out;
}

}  // namespace

TEST_CASE("Gray failure of one service: its reach is that service's pods in the target", "[models][faults]") {
  using Names = std::vector<std::string>;
  // A cluster: api's two pods there, not its waypoint replica, not web's pods, not cb's.
  const models::World cluster =
      world_with(R"({"id": "g", "kind": "gray-failure", "target": "ca", "service": "api", "at": "1s", "error_rate": 0.2})");
  CHECK(reach(cluster) == Names{"ca/api-0", "ca/api-1"});
  CHECK(cluster.faults[0].service == "api");
  CHECK(cluster.faults[0].error_rate == 0.2);
  CHECK(cluster.faults[0].holds.empty());
  // A node: the service's pod on it.
  CHECK(reach(world_with(R"({"id": "g", "kind": "gray-failure", "target": "cb/node-1", "service": "web", "at": "1s"})")) ==
        Names{"cb/web-1"});
  // A pod of the service: that pod.
  CHECK(reach(world_with(R"({"id": "g", "kind": "gray-failure", "target": "cb/api-0", "service": "api", "at": "1s"})")) ==
        Names{"cb/api-0"});
  // Without "service", as before: everything in the cluster, the waypoint replica included.
  const Names whole = reach(world_with(R"({"id": "g", "kind": "gray-failure", "target": "ca", "at": "1s"})"));
  CHECK(whole.front() == "ca");
  CHECK(std::find(whole.begin(), whole.end(), "ca/web-0") != whole.end());
  CHECK(std::find(whole.begin(), whole.end(), "ca/api-waypoint-0") != whole.end());
}

TEST_CASE("Gray failure of one service: only that service's pods in the cluster answer with errors",
          "[models][faults]") {
  const auto rates = error_rates_while_active(
      world_with(R"({"id": "g", "kind": "gray-failure", "target": "ca", "service": "api", "at": "1s", "error_rate": 0.2})"));
  for (const auto& [name, rate] : rates) {
    INFO(name);
    // 1 - (1 - 0.2): the combination of overlapping gray failures, to the last bit.
    CHECK(rate == Approx(name == "ca/api-0" || name == "ca/api-1" ? 0.2 : 0.0).margin(1e-12));
  }
  // On a node: api-0 only (web-0 and the waypoint replica share node-0 and keep answering).
  const auto on_node = error_rates_while_active(
      world_with(R"({"id": "g", "kind": "gray-failure", "target": "ca/node-0", "service": "api", "at": "1s"})"));
  for (const auto& [name, rate] : on_node) {
    INFO(name);
    CHECK(rate == (name == "ca/api-0" ? 1.0 : 0.0));
  }
}
