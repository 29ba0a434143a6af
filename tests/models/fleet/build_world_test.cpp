// build_world on a small scenario: the mesh proxies it makes (a ztunnel per node, an Envoy per
// waypoint replica), where it places the pods, and which services the gateway routes to.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/world.hpp"

namespace {

// Two regions: ca with 3 nodes, cb with 2. web and api run in both clusters, api with two waypoint
// replicas in each; admin and batch in ca only. The routes send to admin and web, in that order
// (admin first, though web comes first among the services); api and batch only get calls.
const char* const kScenario = R"({
  "faultline": 1, "name": "world", "run": { "duration": "10s", "step": "1s", "seed": 4 },
  "regions": [
    { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 3, "config_cluster": true } ] },
    { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] } ],
  "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
  "services": [
    { "name": "web", "replicas_per_cluster": 4, "calls": [ { "service": "api" }, { "service": "batch" } ] },
    { "name": "api", "replicas_per_cluster": 3, "waypoint": { "replicas": 2 } },
    { "name": "admin", "clusters": ["ca"], "replicas_per_cluster": 1 },
    { "name": "batch", "clusters": ["ca"], "replicas_per_cluster": 2 } ],
  "gateway": { "routes": [
    { "matches": [ { "path": { "type": "PathPrefix", "value": "/admin" } } ],
      "backendRefs": [ { "name": "admin", "weight": 1 }, { "name": "web", "weight": 1 } ] },
    { "path_prefix": "/", "backend": "web" } ] },
  "clients": [ { "region": "a", "rate": "10/s" } ] })";

models::World build() {
  const auto scenario = models::config::validate(models::config::parse_scenario(kScenario, "inline.json"));
  return models::build_world(scenario, scenario.config().run.seed);
}

const models::Workload& workload(const models::World& w, const std::string& name) {
  const std::uint32_t i = models::index_of(w.workloads, name);
  REQUIRE(i != models::kNone);
  return w.workloads[i];
}

std::string node_of(const models::World& w, const std::string& workload_name) {
  return w.nodes[workload(w, workload_name).node].name;
}

}  // namespace

TEST_CASE("build_world: a ztunnel proxy per node and an Envoy proxy per waypoint replica", "[models][fleet]") {
  const models::World w = build();
  REQUIRE(w.nodes.size() == 5);
  REQUIRE(w.workloads.size() == 4 * 2 + 3 * 2 + 2 * 2 + 1 + 2);  // web, api, api's waypoints, admin, batch
  CHECK(w.proxies.size() == 5 + 4);                               // 5 nodes, 4 waypoint replicas

  std::vector<int> ztunnel_owners(w.proxies.size(), 0);
  for (std::uint32_t n = 0; n < w.nodes.size(); ++n) {
    const models::Node& node = w.nodes[n];
    REQUIRE(node.ztunnel_proxy < w.proxies.size());
    const models::MeshProxy& p = w.proxies[node.ztunnel_proxy];
    CHECK(p.kind == models::ProxyKind::Ztunnel);
    CHECK(p.component == node.ztunnel);
    CHECK(p.cluster == node.cluster);
    CHECK(p.region == node.region);
    CHECK(p.workload == models::kNone);
    ++ztunnel_owners[node.ztunnel_proxy];
  }

  std::size_t waypoint_proxies = 0;
  for (std::uint32_t p = 0; p < w.proxies.size(); ++p) {
    const models::MeshProxy& proxy = w.proxies[p];
    if (proxy.kind == models::ProxyKind::Ztunnel) {
      CHECK(ztunnel_owners[p] == 1);  // each ztunnel proxy is exactly one node's
      continue;
    }
    ++waypoint_proxies;
    CHECK(ztunnel_owners[p] == 0);
    // The proxy points back at its replica, and the replica at the proxy.
    REQUIRE(proxy.workload < w.workloads.size());
    const models::Workload& replica = w.workloads[proxy.workload];
    CHECK(replica.kind == models::WorkloadKind::WaypointReplica);
    CHECK(replica.proxy == p);
    CHECK(proxy.component == replica.component);
    CHECK(proxy.cluster == replica.cluster);
    CHECK(w.upstreams[p].has_value());  // the replica's Envoy
  }
  CHECK(waypoint_proxies == 4);

  // Every waypoint replica has its proxy; no pod has one.
  for (std::uint32_t wi = 0; wi < w.workloads.size(); ++wi) {
    const models::Workload& wl = w.workloads[wi];
    if (wl.kind == models::WorkloadKind::WaypointReplica) {
      REQUIRE(wl.proxy < w.proxies.size());
      CHECK(w.proxies[wl.proxy].workload == wi);
    } else {
      CHECK(wl.proxy == models::kNone);
    }
  }
}

TEST_CASE("build_world: pods go round robin over their cluster's nodes, each service starting where the last left off",
          "[models][fleet]") {
  const models::World w = build();
  // In ca (3 nodes), in service order: web-0..3 take slots 0-3, api-0..2 slots 4-6, api's two
  // waypoint replicas 7-8, admin-0 slot 9, batch-0..1 slots 10-11; slot k is on node k mod 3.
  CHECK(node_of(w, "ca/web-0") == "ca/node-0");
  CHECK(node_of(w, "ca/web-1") == "ca/node-1");
  CHECK(node_of(w, "ca/web-2") == "ca/node-2");
  CHECK(node_of(w, "ca/web-3") == "ca/node-0");
  CHECK(node_of(w, "ca/api-0") == "ca/node-1");
  CHECK(node_of(w, "ca/api-2") == "ca/node-0");
  CHECK(node_of(w, "ca/api-waypoint-0") == "ca/node-1");
  CHECK(node_of(w, "ca/api-waypoint-1") == "ca/node-2");
  CHECK(node_of(w, "ca/admin-0") == "ca/node-0");
  CHECK(node_of(w, "ca/batch-0") == "ca/node-1");
  CHECK(node_of(w, "ca/batch-1") == "ca/node-2");
  // In cb (2 nodes): web 0-3, api 4-6, api's waypoints 7-8; admin and batch do not run there.
  CHECK(node_of(w, "cb/web-0") == "cb/node-0");
  CHECK(node_of(w, "cb/web-3") == "cb/node-1");
  CHECK(node_of(w, "cb/api-0") == "cb/node-0");
  CHECK(node_of(w, "cb/api-2") == "cb/node-0");
  CHECK(node_of(w, "cb/api-waypoint-0") == "cb/node-1");
  CHECK(node_of(w, "cb/api-waypoint-1") == "cb/node-0");
  CHECK(models::index_of(w.workloads, "cb/admin-0") == models::kNone);
  CHECK(models::index_of(w.workloads, "cb/batch-0") == models::kNone);

  // The same rule over every cluster: the k-th workload placed in a cluster is on its node k mod n,
  // and a workload's cluster, region and node agree.
  for (std::uint32_t c = 0; c < w.clusters.size(); ++c) {
    const models::Cluster& cluster = w.clusters[c];
    for (std::size_t k = 0; k < cluster.workloads.size(); ++k) {
      const models::Workload& wl = w.workloads[cluster.workloads[k]];
      CHECK(wl.cluster == c);
      CHECK(wl.node == cluster.nodes[k % cluster.nodes.size()]);
      CHECK(w.nodes[wl.node].cluster == c);
      CHECK(wl.region == cluster.region);
    }
  }
}

TEST_CASE("build_world: only the services a route sends to get a gateway backend service", "[models][fleet]") {
  const models::World w = build();
  REQUIRE(w.routed_ordinal.size() == 4);
  const auto ordinal = [&](const std::string& service) { return w.routed_ordinal[models::index_of(w.services, service)]; };
  // In the order the routes name them: admin (route 0's first backendRef), then web.
  CHECK(ordinal("admin") == 0);
  CHECK(ordinal("web") == 1);
  CHECK(ordinal("api") == models::kNone);    // called, never routed to
  CHECK(ordinal("batch") == models::kNone);

  // Every tier has one backend service per routed service, in that order; only routed services'
  // pods have a place in one.
  for (const auto& tier : w.tiers) {
    REQUIRE(tier.backend_services.size() == 2);
    CHECK(tier.backend_services[0].service == models::index_of(w.services, "admin"));
    CHECK(tier.backend_services[1].service == models::index_of(w.services, "web"));
  }
  for (std::uint32_t wi = 0; wi < w.workloads.size(); ++wi) {
    const models::Workload& wl = w.workloads[wi];
    const bool routed = wl.kind == models::WorkloadKind::Pod && w.routed_ordinal[wl.service] != models::kNone;
    CHECK((w.gateway_backend[wi] != models::kNone) == routed);
  }
}

TEST_CASE("build_world: ztunnel's ranked endpoints are shared by the nodes whose ranks agree, and equal a per-node ranking",
          "[models][fleet][ztunnel]") {
  // Two zones in a, one in b; one service per ztunnel mode.
  const char* const text = R"({
    "faultline": 1, "name": "ranks", "run": { "duration": "10s", "step": "1s", "seed": 4 },
    "regions": [
      { "name": "a", "zones": ["a-1", "a-2"], "clusters": [ { "name": "ca", "nodes": 4, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 4,
        "calls": [ { "service": "any" }, { "service": "zone" }, { "service": "node" }, { "service": "local" } ] },
      { "name": "any", "replicas_per_cluster": 3 },
      { "name": "zone", "replicas_per_cluster": 3, "traffic_distribution": "PreferSameZone" },
      { "name": "node", "replicas_per_cluster": 3, "traffic_distribution": "PreferSameNode" },
      { "name": "local", "replicas_per_cluster": 4, "internal_traffic_policy": "Local" } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "a", "rate": "10/s" } ] })";
  const auto scenario = models::config::validate(models::config::parse_scenario(text, "inline.json"));
  const models::World w = models::build_world(scenario, scenario.config().run.seed);
  const auto service = [&](const std::string& name) { return models::index_of(w.services, name); };
  // Every node's table is what ranking the endpoints from that node gives.
  for (std::uint32_t n = 0; n < w.nodes.size(); ++n)
    for (std::uint32_t s = 0; s < w.services.size(); ++s) {
      const auto& node = w.nodes[n];
      const auto expected = models::routing::rank_endpoints(w.services[s].ztunnel_mode,
                                                            models::routing::EndpointLocality{0, node.region, node.zone, 0, n},
                                                            w.services[s].ztunnel_endpoints);
      const auto& found = w.ztunnel_ranked[w.ztunnel_table(n, s)];
      CHECK(found.order == expected.order);
      CHECK(found.group_end == expected.group_end);
    }
  // How many tables: one for the Standard service, one per zone (3) for PreferSameZone, one per
  // node (6) for each node mode, and the same again for web (Standard).
  std::vector<std::uint32_t> tables;
  const auto distinct = [&](std::uint32_t s) {
    tables.clear();
    for (std::uint32_t n = 0; n < w.nodes.size(); ++n) tables.push_back(w.ztunnel_table(n, s));
    std::sort(tables.begin(), tables.end());
    return std::unique(tables.begin(), tables.end()) - tables.begin();
  };
  CHECK(distinct(service("any")) == 1);
  CHECK(distinct(service("zone")) == 3);
  CHECK(distinct(service("node")) == 6);
  CHECK(distinct(service("local")) == 6);
  CHECK(w.ztunnel_ranked.size() == 1 + 1 + 3 + 6 + 6);
}
