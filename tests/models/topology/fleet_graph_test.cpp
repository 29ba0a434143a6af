#include <catch2/catch.hpp>

#include <algorithm>

#include "models/topology/fleet_graph.hpp"

using namespace std::chrono_literals;
using models::topology::ComponentId;
using models::topology::ComponentKind;
using models::topology::EdgeKind;
using models::topology::FleetGraph;

namespace {
std::vector<std::string> names(const FleetGraph& g, const std::vector<ComponentId>& ids) {
  std::vector<std::string> out;
  for (ComponentId id : ids) out.push_back(g.name(id));
  return out;
}
bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// region r1 (zones z1, z2) with cluster c1 (istiod, nodes n1 in z1 and n2 in z2, a ztunnel and a
// pod on each); a config edge from istiod to the ztunnels.
struct SmallFleet {
  FleetGraph g;
  ComponentId r1, z1, z2, c1, istiod, n1, n2, zt1, zt2, p1, p2, gw, tier;
  SmallFleet() {
    r1 = g.add_component(ComponentKind::Region, "r1");
    z1 = g.add_component(ComponentKind::Zone, "z1");
    z2 = g.add_component(ComponentKind::Zone, "z2");
    c1 = g.add_component(ComponentKind::Cluster, "c1");
    istiod = g.add_component(ComponentKind::Istiod, "c1/istiod");
    n1 = g.add_component(ComponentKind::Node, "c1/node-0");
    n2 = g.add_component(ComponentKind::Node, "c1/node-1");
    zt1 = g.add_component(ComponentKind::Ztunnel, "c1/node-0/ztunnel");
    zt2 = g.add_component(ComponentKind::Ztunnel, "c1/node-1/ztunnel");
    p1 = g.add_component(ComponentKind::Pod, "c1/web-0");
    p2 = g.add_component(ComponentKind::Pod, "c1/web-1");
    gw = g.add_component(ComponentKind::Gateway, "gw");
    tier = g.add_component(ComponentKind::GatewayProxyTier, "gw/r1");
    g.add_edge(r1, z1, EdgeKind::Contains);
    g.add_edge(r1, z2, EdgeKind::Contains);
    g.add_edge(r1, c1, EdgeKind::Contains);
    g.add_edge(c1, istiod, EdgeKind::Contains);
    g.add_edge(c1, n1, EdgeKind::Contains);
    g.add_edge(c1, n2, EdgeKind::Contains);
    g.add_edge(z1, n1, EdgeKind::Contains);
    g.add_edge(z2, n2, EdgeKind::Contains);
    g.add_edge(n1, zt1, EdgeKind::RunsOn);
    g.add_edge(n2, zt2, EdgeKind::RunsOn);
    g.add_edge(n1, p1, EdgeKind::RunsOn);
    g.add_edge(n2, p2, EdgeKind::RunsOn);
    g.add_edge(zt1, p1, EdgeKind::DependsOn);
    g.add_edge(zt2, p2, EdgeKind::DependsOn);
    g.add_edge(istiod, zt1, EdgeKind::Configures);
    g.add_edge(istiod, zt2, EdgeKind::Configures);
    g.add_edge(c1, gw, EdgeKind::Configures);
    g.add_edge(gw, tier, EdgeKind::Contains);
  }
};
}  // namespace

TEST_CASE("FleetGraph: a node takes its ztunnel and its pods, nothing else", "[models][topology]") {
  SmallFleet f;
  const auto reach = names(f.g, f.g.failure_reach(f.n1));
  CHECK(reach == std::vector<std::string>{"c1/node-0", "c1/node-0/ztunnel", "c1/web-0"});
}

TEST_CASE("FleetGraph: a ztunnel takes the pods on its node", "[models][topology]") {
  SmallFleet f;
  CHECK(names(f.g, f.g.failure_reach(f.zt2)) == std::vector<std::string>{"c1/node-1/ztunnel", "c1/web-1"});
}

TEST_CASE("FleetGraph: a zone takes only its own nodes", "[models][topology]") {
  SmallFleet f;
  const auto reach = names(f.g, f.g.failure_reach(f.z2));
  CHECK(reach == std::vector<std::string>{"z2", "c1/node-1", "c1/node-1/ztunnel", "c1/web-1"});
}

TEST_CASE("FleetGraph: a region takes everything it contains, each component once", "[models][topology]") {
  SmallFleet f;
  const auto ids = f.g.failure_reach(f.r1);
  const auto reach = names(f.g, ids);
  CHECK(reach.front() == "r1");
  CHECK(reach.size() == 11);  // r1 z1 z2 c1 istiod 2 nodes 2 ztunnels 2 pods
  for (const char* n : {"z1", "z2", "c1", "c1/istiod", "c1/node-0", "c1/node-1", "c1/web-0", "c1/web-1"})
    CHECK(contains(reach, n));
  // Configures edges carry no failure: the gateway keeps serving with its last configuration.
  CHECK_FALSE(contains(reach, "gw"));
  CHECK_FALSE(contains(reach, "gw/r1"));
}

TEST_CASE("FleetGraph: an istiod outage reaches no data-plane component", "[models][topology]") {
  SmallFleet f;
  CHECK(names(f.g, f.g.failure_reach(f.istiod)) == std::vector<std::string>{"c1/istiod"});
  CHECK(f.g.targets(f.istiod, EdgeKind::Configures).size() == 2);
}

TEST_CASE("FleetGraph: region latencies are shortest paths over up links", "[models][topology]") {
  FleetGraph g;
  const ComponentId a = g.add_component(ComponentKind::Region, "a");
  const ComponentId b = g.add_component(ComponentKind::Region, "b");
  const ComponentId c = g.add_component(ComponentKind::Region, "c");
  const ComponentId d = g.add_component(ComponentKind::Region, "d");
  const ComponentId ab = g.add_backbone_link(a, b, {10ms, 1ms});
  g.add_backbone_link(b, c, {15ms, 2ms});
  g.add_backbone_link(a, c, {40ms, 3ms});
  const auto lat = g.region_latencies({a, b, c, d});
  CHECK(lat.latency[0][1] == 10ms);
  CHECK(lat.latency[0][2] == 25ms);  // a -> b -> c beats the direct 40ms link
  CHECK(lat.jitter[0][2] == 3ms);    // jitter adds along the path taken
  CHECK(lat.latency[2][0] == 25ms);
  CHECK(lat.latency[1][1] == 0ms);
  CHECK_FALSE(lat.reachable(0, 3));
  // With a-b down, a reaches b only through c.
  const auto degraded = g.region_latencies({a, b, c, d}, {ab});
  CHECK(degraded.latency[0][1] == 55ms);
  CHECK(g.kind(ab) == ComponentKind::BackboneLink);
  CHECK(g.name(ab) == "a<->b");
}
