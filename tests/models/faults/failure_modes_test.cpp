// Failure modes for `faultline fmea`: every single failure of the fleet, one per class of
// structurally identical targets.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/faults/failure_modes.hpp"
#include "models/world.hpp"

using models::faults::FailureMode;
using models::faults::FaultKind;

namespace {

models::World world_of(const std::string& text) {
  const auto scenario = models::config::validate(models::config::parse_scenario(text, "fmea.json"));
  return models::build_world(scenario, 1);
}

std::vector<FailureMode> of_kind(const std::vector<FailureMode>& modes, FaultKind kind) {
  std::vector<FailureMode> out;
  for (const FailureMode& m : modes)
    if (m.kind == kind) out.push_back(m);
  return out;
}

// Two regions; `a` has three identical clusters, `b` one, the config cluster.
const char* kFleet = R"({
  "faultline": 1, "name": "fmea", "run": { "duration": "60s" },
  "regions": [
    { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "a1", "nodes": 2 }, { "name": "a2", "nodes": 2 },
                                                   { "name": "a3", "nodes": 2 } ] },
    { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "b1", "nodes": 2, "config_cluster": true } ] } ],
  "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
  "services": [ { "name": "web", "replicas_per_cluster": 2, "waypoint": { "replicas": 1 } } ],
  "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
  "clients": [ { "region": "a", "rate": "100/s" }, { "region": "b", "rate": "100/s" } ]
})";

}  // namespace

TEST_CASE("Failure modes: a fleet of identical clusters runs one representative per class", "[models][faults][fmea]") {
  const auto modes = models::faults::failure_modes(world_of(kFleet));
  const auto clusters = of_kind(modes, FaultKind::ClusterOutage);
  // a1, a2 and a3 are interchangeable; b1 is in another region, and the config cluster: its own class.
  REQUIRE(clusters.size() == 2);
  CHECK(clusters[0].target == "a1");
  CHECK(clusters[0].represents == std::vector<std::string>{"a1", "a2", "a3"});
  CHECK(clusters[1].represents == std::vector<std::string>{"b1"});
  // So are their waypoints and istiods (multi-primary: one per cluster).
  const auto waypoints = of_kind(modes, FaultKind::WaypointCrash);
  REQUIRE(waypoints.size() == 2);
  CHECK(waypoints[0].represents == std::vector<std::string>{"a1/web-waypoint", "a2/web-waypoint", "a3/web-waypoint"});
  CHECK(of_kind(modes, FaultKind::IstiodOutage).size() == 2);
  // Each cluster's nodes: node-0 runs web-0 and the waypoint, node-1 runs web-1; both kinds in every
  // cluster of region a fall into the same two classes.
  const auto nodes = of_kind(modes, FaultKind::NodeCrash);
  REQUIRE(nodes.size() == 4);
  CHECK(nodes[0].represents == std::vector<std::string>{"a1/node-0", "a2/node-0", "a3/node-0"});
  CHECK(nodes[1].represents == std::vector<std::string>{"a1/node-1", "a2/node-1", "a3/node-1"});
  // Regions differ (three clusters against one): both run; one link, one partition.
  CHECK(of_kind(modes, FaultKind::RegionOutage).size() == 2);
  CHECK(of_kind(modes, FaultKind::GatewayTierOutage).size() == 2);
  CHECK(of_kind(modes, FaultKind::BackbonePartition).size() == 1);
  CHECK(of_kind(modes, FaultKind::BackbonePartition)[0].target == "a/b");
  // No "dns", no databases: no DNS outage and no primary failure.
  CHECK(of_kind(modes, FaultKind::DnsOutage).empty());
  CHECK(of_kind(modes, FaultKind::DatabasePrimaryFailure).empty());
  // Every target is represented exactly once.
  std::size_t represented = 0;
  for (const FailureMode& m : modes) {
    CHECK(m.represents.front() == m.target);
    represented += m.represents.size();
  }
  CHECK(represented == 2 /* regions */ + 2 /* zones */ + 4 /* clusters */ + 2 /* tiers */ + 4 /* istiods */ +
                           1 /* link */ + 8 /* nodes */ + 4 /* waypoints */ + 4 /* gray failures */);
  // A gray failure of web's pods in each cluster: one for a's three clusters, one for b1; last.
  const auto grays = of_kind(modes, FaultKind::GrayFailure);
  REQUIRE(grays.size() == 2);
  CHECK(grays[0].target == "a1");
  CHECK(grays[0].service == "web");
  CHECK(grays[0].represents == std::vector<std::string>{"a1", "a2", "a3"});
  CHECK(grays[1].represents == std::vector<std::string>{"b1"});
  CHECK(modes.back().kind == FaultKind::GrayFailure);
  for (const FailureMode& m : modes) CHECK(m.service.empty() == (m.kind != FaultKind::GrayFailure));
}

TEST_CASE("Failure modes: a gray failure per service and cluster where it has pods, identical ones once",
          "[models][faults][fmea]") {
  // api runs in a2, a3 and b1 (so a1 differs from a2 and a3); batch has a waypoint but no pod.
  std::string text = kFleet;
  const std::string services = R"("services": [ { "name": "web", "replicas_per_cluster": 2, "waypoint": { "replicas": 1 } } ],)";
  REQUIRE(text.find(services) != std::string::npos);
  text.replace(text.find(services), services.size(),
               R"("services": [ { "name": "web", "replicas_per_cluster": 2, "waypoint": { "replicas": 1 } },
                   { "name": "api", "replicas_per_cluster": 1, "clusters": ["a2", "a3", "b1"] },
                   { "name": "batch", "replicas_per_cluster": 0, "waypoint": true } ],)");
  const auto grays = of_kind(models::faults::failure_modes(world_of(text)), FaultKind::GrayFailure);
  std::vector<std::string> seen;
  for (const FailureMode& m : grays) {
    std::string row = m.service + ":";
    for (const std::string& t : m.represents) row += " " + t;
    seen.push_back(row);
    CHECK(m.represents.front() == m.target);
  }
  CHECK(seen == std::vector<std::string>{"web: a1", "web: a2 a3", "api: a2 a3", "web: b1", "api: b1"});
}

TEST_CASE("Failure modes: what tells targets apart keeps them apart", "[models][faults][fmea]") {
  // One more node in a2 sets it apart from a1 and a3.
  std::string text = kFleet;
  const std::string a2 = R"({ "name": "a2", "nodes": 2 })";
  text.replace(text.find(a2), a2.size(), R"({ "name": "a2", "nodes": 3 })");
  auto clusters = of_kind(models::faults::failure_modes(world_of(text)), FaultKind::ClusterOutage);
  REQUIRE(clusters.size() == 3);
  CHECK(clusters[0].represents == std::vector<std::string>{"a1", "a3"});
  CHECK(clusters[1].represents == std::vector<std::string>{"a2"});
  // Region b with three clusters like a's: b2 and b3 are one class, b1 (the config cluster) its own,
  // and the regions still differ, by the config cluster.
  text = kFleet;
  const std::string b = R"({ "name": "b1", "nodes": 2, "config_cluster": true } ])";
  text.replace(text.find(b), b.size(),
               R"({ "name": "b1", "nodes": 2, "config_cluster": true }, { "name": "b2", "nodes": 2 },
                  { "name": "b3", "nodes": 2 } ])");
  const auto modes = models::faults::failure_modes(world_of(text));
  CHECK(of_kind(modes, FaultKind::RegionOutage).size() == 2);
  clusters = of_kind(modes, FaultKind::ClusterOutage);
  REQUIRE(clusters.size() == 3);
  CHECK(clusters[0].represents == std::vector<std::string>{"a1", "a2", "a3"});
  CHECK(clusters[1].represents == std::vector<std::string>{"b1"});
  CHECK(clusters[2].represents == std::vector<std::string>{"b2", "b3"});
}

TEST_CASE("Failure modes: DNS and databases when the scenario has them", "[models][faults][fmea]") {
  std::string text = kFleet;
  const std::string tail = R"("clients": [)";
  text.replace(text.find(tail), tail.size(),
               R"("dns": { "ttl": "30s" },
  "databases": [ { "name": "db", "primary_region": "a", "replica_regions": ["b"] } ],
  "clients": [)");
  const auto modes = models::faults::failure_modes(world_of(text));
  REQUIRE(of_kind(modes, FaultKind::DnsOutage).size() == 1);
  CHECK(of_kind(modes, FaultKind::DnsOutage)[0].target.empty());
  REQUIRE(of_kind(modes, FaultKind::DatabasePrimaryFailure).size() == 1);
  CHECK(of_kind(modes, FaultKind::DatabasePrimaryFailure)[0].target == "db");
  // The database tells the regions apart: a holds its primary, b its replica.
  CHECK(of_kind(modes, FaultKind::RegionOutage).size() == 2);
}
