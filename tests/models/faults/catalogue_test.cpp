// The fault catalogue: one row per kind, and what reads it (spellings, targets, parameters, what a
// fault holds down) agrees with the rows.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "models/config/load_scenario.hpp"
#include "models/faults/catalogue.hpp"
#include "models/faults/faults.hpp"
#include "models/world.hpp"

using models::faults::catalogue;
using models::faults::Holds;
using models::faults::Target;

TEST_CASE("Fault catalogue: one row per kind, each spelled once, row(kind) finds it", "[models][faults][catalogue]") {
  std::set<std::string> names;
  std::set<int> kinds;
  for (const auto& r : catalogue()) {
    INFO(r.name);
    CHECK(names.insert(r.name).second);
    CHECK(kinds.insert(static_cast<int>(r.kind)).second);
    CHECK(&models::faults::row(r.kind) == &r);
    CHECK(std::string(models::config::to_string(r.kind)) == r.name);
    CHECK(r.start != nullptr);
    CHECK(r.end != nullptr);
    // A kind either holds components down (and brings them back) or changes behaviour.
    if (r.holds == Holds::Nothing) CHECK(r.start != models::faults::Faults::take_down);
  }
  CHECK(catalogue().size() == 18);
}

namespace {

// A small fleet where every target kind exists.
const char* kFleet = R"({
  "faultline": 1, "name": "catalogue", "run": { "duration": "60s", "seed": 3 },
  "regions": [ { "name": "ra", "zones": ["ra-a"], "clusters": [ { "name": "ca", "nodes": 2, "config_cluster": true } ] },
               { "name": "rb", "zones": ["rb-a"], "clusters": [ { "name": "cb", "nodes": 2 } ] } ],
  "backbone": [ { "from": "ra", "to": "rb", "latency": "10ms" } ],
  "services": [ { "name": "front", "replicas_per_cluster": 2, "waypoint": { "replicas": 2 }, "database": "db" } ],
  "databases": [ { "name": "db", "primary_region": "ra", "replica_regions": ["rb"] } ],
  "gateway": { "routes": [ { "path_prefix": "/", "backend": "front" } ] },
  "dns": { "ttl": "30s" },
  "clients": [ { "region": "ra", "rate": "10/s" } ],
  "faults": FAULTS
})";

models::World world_with(const std::string& fault) {
  std::string text = kFleet;
  text.replace(text.find("FAULTS"), 6, "[" + fault + "]");
  const auto scenario = models::config::validate(models::config::parse_scenario(text, "catalogue.json"));
  return models::build_world(scenario, 3);
}

}  // namespace

TEST_CASE("Fault catalogue: each target rule resolves to the components it names, and holds what its row says",
          "[models][faults][catalogue]") {
  struct Case {
    const char* fault;
    const char* root;
    Holds holds;
  };
  const Case cases[] = {
      {R"({"id": "f", "kind": "region-outage", "target": "rb", "at": "1s"})", "rb", Holds::Reach},
      {R"({"id": "f", "kind": "ztunnel-crash", "target": "ca/node-1", "at": "1s"})", "ca/node-1/ztunnel", Holds::Target},
      {R"({"id": "f", "kind": "istiod-outage", "target": "cb", "at": "1s"})", "cb/istiod", Holds::Reach},
      {R"({"id": "f", "kind": "gateway-tier-outage", "target": "ra", "at": "1s"})", "", Holds::Reach},
      {R"({"id": "f", "kind": "waypoint-crash", "target": "ca/front-waypoint", "at": "1s"})", "ca/front-waypoint-0", Holds::Reach},
      {R"({"id": "f", "kind": "gray-failure", "target": "cb", "at": "1s", "error_rate": 0.5})", "cb", Holds::Nothing},
      {R"({"id": "f", "kind": "backbone-partition", "target": "rb/ra", "at": "1s"})", "ra<->rb", Holds::Reach},
      {R"({"id": "f", "kind": "database-primary-failure", "target": "db", "at": "1s"})", "db/ra", Holds::Reach},
      {R"({"id": "f", "kind": "config-cluster-outage", "target": "ca", "at": "1s"})", "ca", Holds::Nothing},
  };
  for (const Case& c : cases) {
    INFO(c.fault);
    const models::World w = world_with(c.fault);
    REQUIRE(w.faults.size() == 1);
    const auto& f = w.faults[0];
    if (*c.root) CHECK(w.graph.name(f.root) == c.root);
    CHECK(models::faults::row(f.kind).holds == c.holds);
    switch (c.holds) {
      case Holds::Reach: CHECK(f.holds == f.reach); break;
      case Holds::Target: CHECK(f.holds == std::vector<models::ComponentId>{f.root}); break;
      case Holds::Nothing: CHECK(f.holds.empty()); break;
    }
  }
  // A waypoint names every replica in its cluster: both are in the reach.
  const models::World w = world_with(R"({"id": "f", "kind": "waypoint-crash", "target": "ca/front-waypoint", "at": "1s"})");
  int replicas = 0;
  for (auto c : w.faults[0].reach) replicas += w.graph.kind(c) == models::topology::ComponentKind::WaypointReplica ? 1 : 0;
  CHECK(replicas == 2);
  // A bad rollout of a service in a region: every pod slot of its Deployments there (2 pods, and
  // 2 x (maxSurge 25% of 2 rounded up: 1 + maxUnavailable rounded down: 0) slots of room: 4), in
  // the reach, holding nothing.
  const models::World rollout = world_with(R"({"id": "f", "kind": "bad-rollout", "target": "rb/front", "at": "1s"})");
  CHECK(rollout.graph.name(rollout.faults[0].root) == "cb/front-0");
  CHECK(rollout.faults[0].reach.size() == 4);
  CHECK(rollout.faults[0].holds.empty());
  // No target: nothing in the graph.
  CHECK(world_with(R"({"id": "f", "kind": "dns-outage", "at": "1s"})").faults[0].reach.empty());
}

TEST_CASE("Fault catalogue: only a kind that reads error_rate fails requests", "[models][faults][catalogue]") {
  CHECK(world_with(R"({"id": "f", "kind": "gray-failure", "target": "cb", "at": "1s"})").faults[0].error_rate == 1.0);
  CHECK(world_with(R"({"id": "f", "kind": "gray-failure", "target": "cb", "at": "1s", "added_latency": "5ms"})")
            .faults[0]
            .error_rate == 0.0);
  CHECK(world_with(R"({"id": "f", "kind": "waypoint-overload", "target": "ca/front-waypoint", "at": "1s", "added_latency": "5ms"})")
            .faults[0]
            .error_rate == 0.0);
}
