// The client group's structure function over a fleet: entry VIP, backends, callees through their
// waypoint, and the database a callee writes to.
#include <catch2/catch.hpp>

#include <vector>

#include "models/availability/client_paths.hpp"
#include "models/config/load_scenario.hpp"
#include "models/faults/build_faults.hpp"
#include "models/world.hpp"

TEST_CASE("ClientPaths: a path needs the entry tier, a region with the backend, every callee via its waypoint, and its database", "[availability]") {
  const auto scenario = models::config::validate(models::config::parse_scenario(R"({
    "faultline": 1, "name": "paths",
    "run": { "duration": "1m", "step": "1s", "seed": 1 },
    "regions": [
      { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 1, "config_cluster": true } ] },
      { "name": "r2", "zones": ["r2-a"], "clusters": [ { "name": "c2", "nodes": 1 } ] } ],
    "backbone": [ { "from": "r1", "to": "r2", "latency": "10ms" } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 1, "calls": [ { "service": "api" } ] },
      { "name": "api", "replicas_per_cluster": 1, "waypoint": { "replicas": 1 }, "database": "db" } ],
    "gateway": { "regions": ["r1"], "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "5/s" } ],
    "databases": [ { "name": "db", "primary_region": "r1", "replica_regions": ["r2"] } ],
    "fault_processes": [
      { "id": "regions", "components": "regions", "mttf": "30d", "mttr": "1h" },
      { "id": "tiers", "components": "gateway_tiers", "mttf": "30d", "mttr": "1h" },
      { "id": "waypoints", "components": "waypoints", "mttf": "30d", "mttr": "1h" },
      { "id": "db", "components": "databases", "mttf": "30d", "mttr": "1h" },
      { "id": "links", "components": "backbone_links", "mttf": "30d", "mttr": "1h" },
      { "id": "istiods", "components": "istiods", "mttf": "30d", "mttr": "1h" }
    ]
  })", "paths.json"));
  models::World world = models::build_world(scenario, 1);
  const auto failing = models::faults::process_components(world, scenario.config());
  std::vector<models::topology::ComponentId> ids;
  for (const auto& pc : failing) ids.push_back(pc.component);
  // In process order: r1, r2 | the tier in r1 | c1's and c2's api waypoint replica | db's primary | the link | istiod c1, c2.
  REQUIRE(ids.size() == 9);
  enum : std::uint32_t { r1, r2, tier, waypoint1, waypoint2, primary, link, istiod1, istiod2 };
  const models::availability::ClientPaths paths(world, ids);
  const auto success = [&](std::vector<std::uint32_t> down) { return paths.success(0, down); };
  CHECK(success({}) == 1);
  CHECK(success({tier}) == 0);           // its only VIP
  CHECK(success({r1}) == 1);             // the tier stays; web, api, its waypoint and a db replica in r2
  CHECK(success({r1, link}) == 0);       // ... unless the backbone is cut too
  CHECK(success({r1, r2}) == 0);
  CHECK(success({waypoint1}) == 1);      // the other region's waypoint, across the backbone
  CHECK(success({waypoint1, waypoint2}) == 0);
  CHECK(success({primary}) == 1);        // a replica is promoted
  CHECK(success({primary, r2}) == 0);    // no instance left
  CHECK(success({istiod1, istiod2}) == 1);  // the data plane runs on without its control plane
  CHECK(success({}) == 1);               // the evaluation leaves no state behind
}
