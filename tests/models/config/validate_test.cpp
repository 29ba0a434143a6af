// validate(): cross-field and cross-reference checks on a ScenarioConfig built in code, each with
// the pointer the value would have in a scenario file.

#include <catch2/catch.hpp>

#include "tests/models/config/issue_lines.hpp"
#include <cstdint>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"

namespace {

using namespace std::chrono_literals;
using models::config::CallConfig;
using models::config::FaultConfig;
using models::config::FaultKind;
using models::config::ScenarioConfig;
using models::config::ScenarioError;
using Lines = std::vector<std::string>;

// Builders: GCC warns about designated initializers that leave members out, so the structs are
// filled field by field, everything else keeping its default.

models::config::ClusterConfig cluster(std::string name, std::uint32_t nodes = 3, bool config_cluster = false) {
  models::config::ClusterConfig cluster;
  cluster.name = std::move(name);
  cluster.nodes = nodes;
  cluster.config_cluster = config_cluster;
  return cluster;
}

models::config::RegionConfig region(std::string name, std::vector<std::string> zones,
                                    std::vector<models::config::ClusterConfig> clusters) {
  models::config::RegionConfig region;
  region.name = std::move(name);
  region.zones = std::move(zones);
  region.clusters = std::move(clusters);
  return region;
}

models::config::BackboneLinkConfig backbone_link(std::string from, std::string to) {
  models::config::BackboneLinkConfig link;
  link.from = std::move(from);
  link.to = std::move(to);
  link.latency = 5ms;
  return link;
}

CallConfig call(std::string service) {
  CallConfig call;
  call.service = std::move(service);
  return call;
}

models::config::ServiceConfig service(std::string name, std::vector<std::string> callees = {}) {
  models::config::ServiceConfig service;
  service.name = std::move(name);
  for (std::string& callee : callees) service.calls.push_back(call(std::move(callee)));
  return service;
}

models::config::RouteConfig route(std::string path_prefix, std::string backend) {
  models::config::RouteConfig route;
  route.path_prefix = std::move(path_prefix);
  route.backend = std::move(backend);
  return route;
}

FaultConfig fault(std::string id, FaultKind kind, std::string target) {
  FaultConfig fault;
  fault.id = std::move(id);
  fault.kind = kind;
  fault.target = std::move(target);
  fault.at = 1s;
  return fault;
}

/// The small example scenario, built in code: regions "region-a" (zones region-a-1, region-a-2;
/// cluster a1, the config cluster) and "region-b" (zone region-b-1; cluster b1), services web -> api.
ScenarioConfig small_scenario() {
  ScenarioConfig config;
  config.file = "small.json";
  config.name = "small";
  config.run.duration = 60s;
  config.run.step = 1s;
  config.regions = {region("region-a", {"region-a-1", "region-a-2"}, {cluster("a1", 2, true)}),
                    region("region-b", {"region-b-1"}, {cluster("b1", 2)})};
  config.backbone = {backbone_link("region-a", "region-b")};
  config.services = {service("web", {"api"}), service("api")};
  config.gateway.routes = {route("/", "web")};
  models::config::ClientConfig client;
  client.name = "clients-region-a";
  client.region = "region-a";
  config.clients = {client};
  config.faults = {fault("a-down", FaultKind::RegionOutage, "region-a")};
  config.faults[0].at = 20s;
  return config;
}

/// "pointer: message" for each problem validate() reports (none when it passes).
Lines problems(ScenarioConfig config) {
  try {
    models::config::validate(std::move(config));
  } catch (const ScenarioError& error) {
    return test_support::issue_lines(error);
  }
  return {};
}

}  // namespace

TEST_CASE("validate: a consistent scenario passes unchanged", "[models][config]") {
  const models::config::ValidatedScenario validated = models::config::validate(small_scenario());
  CHECK(validated.config().name == "small");
  CHECK(validated.config().regions.size() == 2);
  CHECK(validated.config().services[0].calls[0].service == "api");
}

TEST_CASE("validate: the error names the file and renders one line per problem", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.services[1].name = "web";
  config.run.step = 2min;
  try {
    models::config::validate(config);
    FAIL("no exception");
  } catch (const ScenarioError& error) {
    CHECK(error.file() == "small.json");
    CHECK(std::string(error.what()) ==
          "small.json: /run/step: expected a step no longer than the run's duration (1m), found 2m\n"
          "small.json: /services/1/name: expected a unique service name, found \"web\" again (first at "
          "/services/0/name)\n"
          "small.json: /services/0/calls/0/service: expected the name of a service (one of \"web\"), found \"api\"");
  }
}

TEST_CASE("validate: names must be unique", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.regions[1].name = "region-a";
  config.backbone.clear();
  config.regions[1].zones = {"region-a-2"};
  config.regions[1].clusters[0].name = "a1";
  config.clients.push_back(config.clients[0]);
  config.faults.push_back(config.faults[0]);
  CHECK(problems(config) ==
        Lines{"/regions/1/name: expected a unique region name, found \"region-a\" again (first at /regions/0/name)",
              "/regions/1/zones/0: expected a unique zone name, found \"region-a-2\" again (first at "
              "/regions/0/zones/1)",
              "/regions/1/clusters/0/name: expected a unique cluster name, found \"a1\" again (first at "
              "/regions/0/clusters/0/name)",
              "/clients/1/name: expected a unique client name, found \"clients-region-a\" again (first at "
              "/clients/0/name)",
              "/faults/1/id: expected a unique fault id, found \"a-down\" again (first at /faults/0/id)"});
}

TEST_CASE("validate: empty names are reported, and not checked further", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.services[1].name = "";
  config.services[0].calls[0].service = "";
  CHECK(problems(config) == Lines{"/services/1/name: expected a non-empty string, found \"\"",
                                  "/services/0/calls/0/service: expected a non-empty string, found \"\""});
}

TEST_CASE("validate: exactly one config cluster", "[models][config]") {
  ScenarioConfig none = small_scenario();
  none.regions[0].clusters[0].config_cluster = false;
  CHECK(problems(none) == Lines{"/regions: expected exactly one cluster with \"config_cluster\": true, found none"});

  ScenarioConfig three = small_scenario();
  three.regions[1].clusters[0].config_cluster = true;
  three.regions[1].clusters.push_back(cluster("b2", 3, true));
  CHECK(problems(three) ==
        Lines{"/regions/1/clusters/0/config_cluster: expected exactly one cluster with \"config_cluster\": true, "
              "found another one besides \"a1\"",
              "/regions/1/clusters/1/config_cluster: expected exactly one cluster with \"config_cluster\": true, "
              "found another one besides \"a1\""});
}

TEST_CASE("validate: a cluster's zones are zones of its region, each listed once", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.regions[0].clusters[0].zones = {"region-a-2", "region-b-1", "region-a-2"};
  CHECK(problems(config) ==
        Lines{"/regions/0/clusters/0/zones/1: expected a zone of the cluster's region (one of \"region-a-1\", "
              "\"region-a-2\"), found \"region-b-1\"; did you mean \"region-a-1\"?",
              "/regions/0/clusters/0/zones/2: expected a unique zone, found \"region-a-2\" again (first at "
              "/regions/0/clusters/0/zones/0)"});
}

TEST_CASE("validate: backbone links join two different known regions, once", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.backbone.push_back(backbone_link("region-b", "region-a"));
  config.backbone.push_back(backbone_link("region-b", "region-b"));
  config.backbone.push_back(backbone_link("regoin-a", "region-z"));
  CHECK(problems(config) ==
        Lines{"/backbone/1: expected one link per pair of regions, found a second link between \"region-a\" and "
              "\"region-b\" (first at /backbone/0)",
              "/backbone/2/to: expected a region other than the link's \"from\", found \"region-b\"",
              "/backbone/3/from: expected the name of a region (one of \"region-a\", \"region-b\"), found "
              "\"regoin-a\"; did you mean \"region-a\"?",
              "/backbone/3/to: expected the name of a region (one of \"region-a\", \"region-b\"), found "
              "\"region-z\"; did you mean \"region-a\"?"});
}

TEST_CASE("validate: the backbone connects every region", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.regions.push_back(region("region-c", {"region-c-1"}, {cluster("c1")}));
  config.regions.push_back(region("region-d", {"region-d-1"}, {cluster("d1")}));
  config.backbone.push_back(backbone_link("region-d", "region-b"));
  CHECK(problems(config) ==
        Lines{"/backbone: expected a backbone connecting every region, found \"region-c\" unreachable from "
              "\"region-a\""});
  // Connected through another region is connected.
  config.backbone.push_back(backbone_link("region-c", "region-d"));
  CHECK(problems(config).empty());

  // A single region needs no backbone.
  ScenarioConfig single = small_scenario();
  single.regions.pop_back();
  single.backbone.clear();
  CHECK(problems(single).empty());
}

TEST_CASE("validate: services are deployed to known clusters", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.services[1].clusters = {"b1", "b2", "b1"};
  CHECK(
      problems(config) ==
      Lines{"/services/1/clusters/1: expected the name of a cluster (one of \"a1\", \"b1\"), found \"b2\"; did you "
            "mean \"b1\"?",
            "/services/1/clusters/2: expected a unique cluster, found \"b1\" again (first at /services/1/clusters/0)"});
}

TEST_CASE("validate: calls name known services", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.services[0].calls.push_back(call("apii"));
  config.services[0].calls.push_back(call("payments"));
  CHECK(problems(config) ==
        Lines{"/services/0/calls/1/service: expected the name of a service (one of \"api\", \"web\"), found "
              "\"apii\"; did you mean \"api\"?",
              "/services/0/calls/2/service: expected the name of a service (one of \"api\", \"web\"), found "
              "\"payments\""});
}

TEST_CASE("validate: choices are listed only when there are few", "[models][config]") {
  ScenarioConfig config = small_scenario();
  for (int i = 0; i < 10; ++i) config.services.push_back(service("extra-" + std::to_string(i)));
  config.services[0].calls[0].service = "extra-12";
  CHECK(problems(config) ==
        Lines{"/services/0/calls/0/service: expected the name of a service, found \"extra-12\"; did you mean "
              "\"extra-1\"?"});
}

TEST_CASE("validate: the call graph has no cycle", "[models][config]") {
  SECTION("a service calling itself") {
    ScenarioConfig config = small_scenario();
    config.services[1].calls = {call("api")};
    CHECK(problems(config) ==
          Lines{"/services/1/calls/0/service: expected calls without cycles, found the cycle \"api -> api\""});
  }
  SECTION("a longer cycle, reported at the call that closes it") {
    ScenarioConfig config = small_scenario();
    config.services.push_back(service("db", {"web"}));
    config.services[1].calls = {call("db")};
    CHECK(problems(config) ==
          Lines{"/services/2/calls/0/service: expected calls without cycles, found the cycle \"web -> api -> db -> "
                "web\""});
  }
  SECTION("a diamond is no cycle") {
    ScenarioConfig config = small_scenario();
    config.services.push_back(service("db"));
    config.services.push_back(service("cache", {"db"}));
    config.services[0].calls.push_back(call("cache"));
    config.services[1].calls = {call("db")};
    CHECK(problems(config).empty());
  }
  SECTION("two separate cycles are both reported") {
    ScenarioConfig config = small_scenario();
    config.services[1].calls = {call("web")};
    config.services.push_back(service("x", {"y"}));
    config.services.push_back(service("y", {"x"}));
    CHECK(problems(config) ==
          Lines{"/services/1/calls/0/service: expected calls without cycles, found the cycle \"web -> api -> web\"",
                "/services/3/calls/0/service: expected calls without cycles, found the cycle \"x -> y -> x\""});
  }
}

TEST_CASE("validate: routes go to deployed services, one route per prefix", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.services[1].replicas_per_cluster = 0;
  config.gateway.routes.push_back(route("/api", "api"));
  config.gateway.routes.push_back(route("/api", "wbe"));
  CHECK(problems(config) ==
        Lines{"/gateway/routes/1/backend: expected a service with at least one replica, found \"api\", which has "
              "\"replicas_per_cluster\": 0",
              "/gateway/routes/2/path_prefix: expected a unique path prefix, found \"/api\" again (first at "
              "/gateway/routes/1/path_prefix)",
              "/gateway/routes/2/backend: expected the name of a service (one of \"api\", \"web\"), found \"wbe\"; "
              "did you mean \"web\"?"});
}

TEST_CASE("validate: gateway regions exist and every client region has a VIP", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.gateway.regions = {"region-b", "region-x"};
  CHECK(problems(config) ==
        Lines{"/gateway/regions/1: expected the name of a region (one of \"region-a\", \"region-b\"), found "
              "\"region-x\"; did you mean \"region-a\"?",
              "/clients/0/region: expected a region with a gateway VIP (one of \"region-b\", \"region-x\"), found "
              "\"region-a\""});
  config.gateway.regions = {"region-a"};
  CHECK(problems(config).empty());
  config.clients[0].region = "region-c";
  CHECK(problems(config) == Lines{"/clients/0/region: expected the name of a region (one of \"region-a\", "
                                  "\"region-b\"), found \"region-c\"; did you mean \"region-a\"?"});
}

TEST_CASE("validate: health-check timeout no longer than the interval", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.gateway.health_check.interval = 5s;
  config.gateway.health_check.timeout = 5s;
  CHECK(problems(config).empty());
  config.gateway.health_check.timeout = 6s;
  CHECK(problems(config) == Lines{"/gateway/health_check/timeout: expected a timeout no longer than the interval "
                                  "(5s), found 6s"});
}

TEST_CASE("validate: the step is no longer than the run", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.run.step = config.run.duration;
  CHECK(problems(config).empty());
  config.run.step = 61s;
  CHECK(problems(config) == Lines{"/run/step: expected a step no longer than the run's duration (1m), found 61s"});
}

TEST_CASE("validate: faults start before the end of the run", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.faults[0].at = 59s;
  CHECK(problems(config).empty());
  config.faults[0].at = 60s;
  CHECK(problems(config) == Lines{"/faults/0/at: expected a start before the end of the run (1m), found 1m"});
}

TEST_CASE("validate: fault targets resolve according to the fault kind", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.gateway.regions = {"region-a"};
  config.faults = {
      fault("region", FaultKind::RegionOutage, "region-b"), fault("zone", FaultKind::ZoneOutage, "region-b-1"),
      fault("cluster", FaultKind::ClusterOutage, "b1"),     fault("istiod", FaultKind::IstiodOutage, "a1"),
      fault("node", FaultKind::NodeCrash, "b1/node-1"),     fault("tier", FaultKind::GatewayTierOutage, "region-a"),
  };
  CHECK(problems(config).empty());

  config.faults = {
      fault("region", FaultKind::RegionOutage, "region-b-1"),  fault("zone", FaultKind::ZoneOutage, "region-b"),
      fault("cluster", FaultKind::ClusterOutage, "region-a"),  fault("istiod", FaultKind::IstiodOutage, "a2"),
      fault("tier", FaultKind::GatewayTierOutage, "region-b"),
  };
  CHECK(problems(config) ==
        Lines{"/faults/0/target: expected the name of a region (one of \"region-a\", \"region-b\"), found "
              "\"region-b-1\"; did you mean \"region-b\"?",
              "/faults/1/target: expected the name of a zone (one of \"region-a-1\", \"region-a-2\", \"region-b-1\"), "
              "found \"region-b\"; did you mean \"region-b-1\"?",
              "/faults/2/target: expected the name of a cluster (one of \"a1\", \"b1\"), found \"region-a\"",
              "/faults/3/target: expected the name of a cluster (one of \"a1\", \"b1\"), found \"a2\"; did you mean "
              "\"a1\"?",
              "/faults/4/target: expected a region with a gateway proxy tier (one of \"region-a\"), found "
              "\"region-b\""});
}

TEST_CASE("validate: a gray failure's service is a service with a pod in the target", "[models][config]") {
  // web and api, three replicas each, in a1 and b1 (two nodes each): web-0, web-1, web-2 on node-0,
  // node-1, node-0, then api-0, api-1, api-2 on node-1, node-0, node-1.
  ScenarioConfig config = small_scenario();
  const auto gray = [](std::string id, std::string target, std::string service) {
    FaultConfig f = fault(std::move(id), FaultKind::GrayFailure, std::move(target));
    f.service = std::move(service);
    return f;
  };
  config.faults = {gray("cluster", "a1", "api"), gray("node", "b1/node-1", "web"), gray("pod", "a1/api-2", "api"),
                   gray("everything", "b1", "")};
  CHECK(problems(config).empty());

  config.faults = {gray("unknown", "a1", "apy"), gray("other-pod", "a1/api-2", "web"), gray("both", "c1", "wbe")};
  CHECK(problems(config) ==
        Lines{"/faults/0/service: expected the name of a service (one of \"api\", \"web\"), found \"apy\"; did you mean "
              "\"api\"?",
              "/faults/1/service: expected a service with a pod in \"a1/api-2\" (one of \"api\"), found \"web\", which "
              "has none there",
              "/faults/2/target: expected the name of a pod (\"<cluster>/<service>-<index>\"), a service in a cluster "
              "(\"<cluster>/<service>\"), a node (\"<cluster>/node-<index>\") or a cluster, found \"c1\"; did you mean \"a1\"?",
              "/faults/2/service: expected the name of a service (one of \"api\", \"web\"), found \"wbe\"; did you mean "
              "\"web\"?"});

  // A service with no replica, or not deployed there, has no pod to fail.
  config.services[1].replicas_per_cluster = 0;
  config.faults = {gray("none", "a1", "api")};
  CHECK(problems(config) ==
        Lines{"/faults/0/service: expected a service with a pod in \"a1\" (one of \"web\"), found \"api\", which has "
              "none there"});
  config.services[1].replicas_per_cluster = 3;
  config.services[1].clusters = {"b1"};
  CHECK(problems(config) ==
        Lines{"/faults/0/service: expected a service with a pod in \"a1\" (one of \"web\"), found \"api\", which has "
              "none there"});
  // With four nodes in b1, web-0..2 go to node-0..2 and api-0..2 to node-3, node-0, node-1: node-2
  // runs no api pod.
  config.services[1].clusters = {};
  config.regions[1].clusters[0].nodes = 4;
  config.faults = {gray("node", "b1/node-2", "api"), gray("fine", "b1/node-3", "api")};
  CHECK(problems(config) ==
        Lines{"/faults/0/service: expected a service with a pod in \"b1/node-2\" (one of \"web\"), found \"api\", "
              "which has none there"});
}

TEST_CASE("validate: node-crash targets name a node that exists", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.faults = {
      fault("first", FaultKind::NodeCrash, "a1/node-0"),     fault("last", FaultKind::NodeCrash, "a1/node-1"),
      fault("past", FaultKind::NodeCrash, "a1/node-2"),      fault("padded", FaultKind::NodeCrash, "a1/node-01"),
      fault("negative", FaultKind::NodeCrash, "a1/node--1"), fault("bare", FaultKind::NodeCrash, "node-0"),
      fault("unknown", FaultKind::NodeCrash, "b2/node-1"),
  };
  config.regions[1].clusters[0].nodes = 1;
  config.faults.push_back(fault("single", FaultKind::NodeCrash, "b1/node-1"));
  CHECK(problems(config) ==
        Lines{"/faults/2/target: expected a node index below 2 (cluster \"a1\" has 2 nodes), found \"a1/node-2\"",
              "/faults/3/target: expected a node \"<cluster>/node-<index>\" such as \"a1/node-0\", found "
              "\"a1/node-01\"",
              "/faults/4/target: expected a node \"<cluster>/node-<index>\" such as \"a1/node-0\", found "
              "\"a1/node--1\"",
              "/faults/5/target: expected a node \"<cluster>/node-<index>\" such as \"a1/node-0\", found \"node-0\"",
              "/faults/6/target: expected a node of a known cluster (one of \"a1\", \"b1\"), found \"b2/node-1\"; did "
              "you mean \"b1/node-1\"?",
              "/faults/7/target: expected a node index below 1 (cluster \"b1\" has 1 node), found \"b1/node-1\""});
}

TEST_CASE("validate: at most 10,000 services and 10,000 route rules (a call carries its rule in 16 bits)",
          "[models][config]") {
  ScenarioConfig config = small_scenario();
  // Names built with append: GCC 12 warns (-Wrestrict, a known false positive) on "literal" + std::string.
  const auto numbered = [](const char* prefix, int i) { return std::string(prefix).append(std::to_string(i)); };
  for (int i = 0; i < 10'000; ++i) config.gateway.routes.push_back(route(numbered("/r", i), "web"));
  CHECK(problems(config) == Lines{"/gateway/routes: expected at most 10000 route rules, found 10001"});
  config = small_scenario();
  for (int i = 0; i < 9'999; ++i) config.services.push_back(service(numbered("s", i)));
  CHECK(problems(config) == Lines{"/services: expected at most 10000 services, found 10001"});
}

TEST_CASE("validate: ztunnel's tables are bounded: a PreferSameZone service is ranked once per zone", "[models][config]") {
  // 1,000 zones with a node each, and a PreferSameZone service of 60,000 pods per cluster:
  // 1,001 tables of its 120,000 pods.
  ScenarioConfig config = small_scenario();
  const auto numbered = [](const char* prefix, int i) { return std::string(prefix).append(std::to_string(i)); };
  for (int i = 3; i <= 1000; ++i) config.regions[0].zones.push_back(numbered("region-a-", i));
  config.regions[0].clusters[0].nodes = 1000;
  config.services[1].traffic_distribution = models::config::TrafficDistribution::PreferSameZone;
  config.services[1].replicas_per_cluster = 60'000;
  CHECK(problems(config) ==
        Lines{"/services/1/traffic_distribution: expected at most 50000000 ztunnel table entries in the fleet (each "
              "service's pods once per zone for PreferSameZone and once per node for PreferSameNode, and a round-robin "
              "cursor per node, waypoint service and region), found 120120006 (120120000 of them from here)"});
  config.services[1].traffic_distribution = models::config::TrafficDistribution::Any;  // one table: fine
  CHECK(problems(config).empty());
}

TEST_CASE("validate: a bad-rollout names a service in a cluster or a region, and can make progress", "[models][config]") {
  ScenarioConfig config = small_scenario();
  config.faults = {fault("v1", FaultKind::BadRollout, "a1/web"), fault("v2", FaultKind::BadRollout, "region-b/api")};
  CHECK(problems(config).empty());
  config.faults = {fault("v3", FaultKind::BadRollout, "region-a/wbe")};
  const Lines lines = problems(config);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("/faults/0/target: expected a service in a cluster \"<cluster>/<service>\" or in a region "
                       "\"<region>/<service>\"", 0) == 0);
  CHECK(lines[0].find("did you mean \"region-a/web\"?") != std::string::npos);
  config.faults = {fault("v4", FaultKind::BadRollout, "a1/web")};
  config.faults[0].max_surge = {0, false};
  config.faults[0].max_unavailable = {0, true};
  CHECK(problems(config) == Lines{"/faults/0/maxUnavailable: expected maxSurge or maxUnavailable above 0 (the Deployment API "
                                  "rejects both at 0: no pod could be replaced), found both 0"});
}
