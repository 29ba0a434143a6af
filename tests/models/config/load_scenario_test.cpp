// parse_scenario / load_scenario: the scenario format read into ScenarioConfig, and the exact
// messages for files that get it wrong.

#include "models/config/load_scenario.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/models/config/issue_lines.hpp"
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/config/messages.hpp"

namespace {

using namespace std::chrono_literals;
using models::config::FaultKind;
using models::config::parse_scenario;
using models::config::ScenarioConfig;
using models::config::ScenarioError;
using models::config::ServiceTimeKind;

const std::string kSourceDir = FAULTLINE_SOURCE_DIR;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A valid scenario with one cluster per region; tests splice their mistakes into it.
std::string minimal_scenario(const std::string& extra_top_level = "", const std::string& service_extra = "",
                             const std::string& client_extra = "") {
  return R"({
  "faultline": 1,
  "name": "minimal",
  "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "config_cluster": true } ] } ],
  "services": [ { "name": "svc")" +
         service_extra + R"( } ],
  "gateway": { "routes": [ { "backend": "svc" } ] },
  "clients": [ { "region": "r1", "rate": "10/s")" +
         client_extra + R"( } ])" + extra_top_level + "\n}\n";
}

/// "pointer: message" for each problem parse_scenario reports (none when it succeeds).
std::vector<std::string> parse_problems(const std::string& text) {
  try {
    parse_scenario(text, "test.json");
  } catch (const ScenarioError& error) {
    return test_support::issue_lines(error);
  }
  return {};
}

using Lines = std::vector<std::string>;

/// minimal_scenario() with the client's rate written as `rate`.
std::string with_rate(const std::string& rate) {
  std::string text = minimal_scenario();
  text.replace(text.find("\"10/s\""), 6, rate);
  return text;
}

}  // namespace

TEST_CASE("parse_scenario: the three-region example has the values it states and the defaults it omits",
          "[models][config]") {
  const std::string path = kSourceDir + "/scenarios/gke-ambient-3region.json";
  const ScenarioConfig config = models::config::load_scenario(path);

  CHECK(config.file == path);
  CHECK(config.version == 1);
  CHECK(config.name == "gke-ambient-3region");
  CHECK(config.description == "Three regions, nine clusters, ambient mesh; us-east1 GKE outage from 3m to 7m.");
  CHECK(config.run.duration == 10min);
  CHECK(config.run.step == 5s);
  CHECK(config.run.seed == 42);

  REQUIRE(config.regions.size() == 3);
  const auto& east = config.regions[0];
  CHECK(east.name == "us-east1");
  CHECK(east.zones == std::vector<std::string>{"us-east1-b", "us-east1-c", "us-east1-d"});
  CHECK(east.intra_region_latency == 250us);
  CHECK(east.intra_region_jitter == 50us);
  REQUIRE(east.clusters.size() == 3);
  CHECK(east.clusters[0].name == "use1-a");
  CHECK(east.clusters[0].nodes == 6);
  CHECK(east.clusters[0].config_cluster);
  CHECK(east.clusters[0].zones.empty());
  CHECK_FALSE(east.clusters[1].config_cluster);
  CHECK(config.regions[2].clusters[2].name == "usw1-c");

  REQUIRE(config.backbone.size() == 3);
  CHECK(config.backbone[1].from == "us-central1");
  CHECK(config.backbone[1].to == "us-west1");
  CHECK(config.backbone[1].latency == 17ms);
  CHECK(config.backbone[2].jitter == 2ms);

  CHECK(config.mesh.control_plane == models::config::ControlPlaneTopology::MultiPrimary);
  CHECK(config.mesh.push_delay == 500ms);
  CHECK(config.mesh.ztunnel_latency == 50us);
  CHECK(config.mesh.waypoint_latency == 300us);
  CHECK(config.mesh.connect_timeout == 10s);
  CHECK(config.mesh.readiness_period == 10s);
  CHECK(config.mesh.readiness_failure_threshold == 3);
  // Docs say 40s; Kubernetes' code says 50s since 1.32 (kubernetes/kubernetes#126287): we follow the code.
  CHECK(config.mesh.node_monitor_grace_period == 50s);

  REQUIRE(config.services.size() == 5);
  const auto& frontend = config.services[0];
  CHECK(frontend.name == "frontend");
  CHECK(frontend.replicas_per_cluster == 4);
  CHECK(frontend.clusters.empty());
  CHECK(frontend.concurrency == 32);
  CHECK(frontend.queue_limit == 1000);
  CHECK(frontend.service_time.kind == ServiceTimeKind::LogNormal);
  CHECK(frontend.service_time.scale == 3ms);
  CHECK(frontend.service_time.sigma == 0.4);
  CHECK_FALSE(frontend.waypoint.has_value());
  REQUIRE(frontend.calls.size() == 2);
  CHECK(frontend.calls[0].service == "catalog");
  CHECK(frontend.calls[0].probability == 1.0);
  CHECK(frontend.calls[0].timeout == 2s);
  CHECK(frontend.calls[1].service == "checkout");
  CHECK(frontend.calls[1].probability == 0.3);
  CHECK(frontend.calls[1].timeout == 5s);
  CHECK(config.services[1].service_time.kind == ServiceTimeKind::Exponential);
  CHECK(config.services[1].service_time.scale == 4ms);
  const auto& checkout = config.services[2];
  REQUIRE(checkout.waypoint.has_value());
  CHECK(checkout.waypoint->replicas == 2);
  REQUIRE(checkout.calls.size() == 2);
  CHECK(checkout.calls[0].probability == 1.0);  // default
  CHECK(checkout.calls[1].timeout == 1s);
  CHECK(config.services[4].service_time.kind == ServiceTimeKind::Constant);
  CHECK(config.services[4].service_time.scale == 2ms);

  const auto& gateway = config.gateway;
  CHECK(gateway.name == "internal-gateway");
  CHECK(gateway.gateway_class == "gke-l7-cross-regional-internal-managed-mc");
  CHECK(gateway.regions.empty());
  CHECK(gateway.proxy_latency == 1ms);
  CHECK(gateway.timeout == 30s);
  CHECK(gateway.connect_timeout == 5s);
  CHECK(gateway.health_check.interval == 5s);
  CHECK(gateway.health_check.timeout == 5s);
  CHECK(gateway.health_check.healthy_threshold == 2);
  CHECK(gateway.health_check.unhealthy_threshold == 2);
  REQUIRE(gateway.routes.size() == 1);
  CHECK(gateway.routes[0].path_prefix == "/");
  CHECK(gateway.routes[0].backend == "frontend");

  REQUIRE(config.clients.size() == 3);
  CHECK(config.clients[0].name == "clients-us-east1");
  CHECK(config.clients[0].region == "us-east1");
  CHECK(config.clients[0].rate_per_second == 2000.0);
  CHECK(config.clients[1].rate_per_second == 1500.0);
  CHECK(config.clients[2].access_latency == 500us);
  CHECK(config.clients[2].paths.empty());

  REQUIRE(config.faults.size() == 1);
  CHECK(config.faults[0].id == "us-east1-gke-outage");
  CHECK(config.faults[0].kind == FaultKind::RegionOutage);
  CHECK(config.faults[0].target == "us-east1");
  CHECK(config.faults[0].at == 3min);
  CHECK(config.faults[0].duration == std::optional<sim::Duration>(4min));

  CHECK(config.slo.availability == 0.999);
  CHECK(config.slo.latency == 300ms);
}

TEST_CASE("parse_scenario: the small example has the values it states and the defaults it omits", "[models][config]") {
  const ScenarioConfig config =
      models::config::load_and_validate(kSourceDir + "/scenarios/small-2region.json").config();
  CHECK(config.name == "small-2region");
  CHECK(config.description.empty());
  CHECK(config.run.duration == 60s);
  CHECK(config.run.step == 1s);
  CHECK(config.run.seed == 7);
  REQUIRE(config.regions.size() == 2);
  CHECK(config.regions[0].zones == std::vector<std::string>{"region-a-1", "region-a-2"});
  CHECK(config.regions[1].clusters[0].name == "b1");
  CHECK(config.regions[1].clusters[0].nodes == 2);
  CHECK(config.mesh.push_delay == 500ms);
  REQUIRE(config.services.size() == 2);
  CHECK(config.services[0].service_time.kind == ServiceTimeKind::Exponential);
  CHECK(config.services[0].service_time.scale == 2ms);
  CHECK(config.services[0].calls[0].timeout == 1s);
  REQUIRE(config.services[1].waypoint.has_value());
  CHECK(config.services[1].waypoint->replicas == 1);
  CHECK(config.gateway.name == "internal-gateway");
  CHECK(config.gateway.timeout == 30s);
  CHECK(config.gateway.health_check.interval == 2s);
  CHECK(config.gateway.health_check.timeout == 1s);
  CHECK(config.clients[0].name == "clients-region-a");
  CHECK(config.clients[0].rate_per_second == 200.0);
  CHECK(config.faults[0].kind == FaultKind::RegionOutage);
  CHECK(config.faults[0].at == 20s);
  CHECK(config.faults[0].duration == std::optional<sim::Duration>(20s));
  CHECK(config.slo.availability == 0.99);
  CHECK(config.slo.latency == 200ms);
}

TEST_CASE("parse_scenario: a minimal scenario takes every default from the header", "[models][config]") {
  const ScenarioConfig config = parse_scenario(minimal_scenario(), "minimal.json");
  CHECK(config.file == "minimal.json");
  CHECK(config.run.duration == 10min);
  CHECK(config.run.step == 1s);
  CHECK(config.run.seed == 1);
  CHECK(config.backbone.empty());
  CHECK(config.regions[0].clusters[0].nodes == 3);
  const auto& service = config.services[0];
  CHECK(service.replicas_per_cluster == 3);
  CHECK(service.service_time.kind == ServiceTimeKind::Exponential);
  CHECK(service.service_time.scale == 5ms);
  CHECK(service.service_time.sigma == 0.5);
  CHECK(service.concurrency == 16);
  CHECK(service.queue_limit == 1000);
  CHECK_FALSE(service.waypoint.has_value());
  CHECK(service.calls.empty());
  CHECK(config.gateway.routes[0].path_prefix == "/");
  CHECK(config.clients[0].name == "clients-r1");
  CHECK(config.clients[0].rate_per_second == 10.0);
  CHECK(config.faults.empty());
  CHECK(config.slo.availability == 0.999);
  CHECK(config.slo.latency == 300ms);
  CHECK_NOTHROW(models::config::validate(config));
}

TEST_CASE("parse_scenario: every optional key is read into its field", "[models][config]") {
  const std::string text = minimal_scenario(
      R"(,
  "description": "all the keys",
  "run": { "duration": "90s", "step": "250ms", "seed": 18446744073709551615 },
  "mesh": { "control_plane": "multi-primary", "push_delay": "0s", "ztunnel_latency": "20us",
            "waypoint_latency": "1ms", "connect_timeout": "3s",
            "readiness": { "period": "5s", "failure_threshold": 1 }, "node_monitor_grace_period": "20s" },
  "faults": [ { "id": "n", "kind": "node-crash", "target": "c1/node-2", "at": "0s" } ],
  "slo": { "availability": 0.95, "latency": "1.5s" },
  "strategies": { "strict-slo": { "slo": { "availability": 0.999 } } })",
      R"(, "replicas_per_cluster": 0, "clusters": ["c1"], "concurrency": 1, "queue_limit": 0,
        "service_time": { "dist": "lognormal", "median": "1ms" }, "waypoint": true,
        "calls": [ { "service": "svc", "probability": 0 } ])",
      R"(, "name": "edge", "access_latency": "0s",
        "paths": [ { "path": "/a", "weight": 3 }, { "path": "/b" } ])");
  const ScenarioConfig config = parse_scenario(text, "all.json");
  CHECK(config.description == "all the keys");
  CHECK(config.run.duration == 90s);
  CHECK(config.run.step == 250ms);
  CHECK(config.run.seed == UINT64_MAX);
  CHECK(config.mesh.push_delay == 0s);
  CHECK(config.mesh.ztunnel_latency == 20us);
  CHECK(config.mesh.waypoint_latency == 1ms);
  CHECK(config.mesh.connect_timeout == 3s);
  CHECK(config.mesh.readiness_period == 5s);
  CHECK(config.mesh.readiness_failure_threshold == 1);
  CHECK(config.mesh.node_monitor_grace_period == 20s);
  const auto& service = config.services[0];
  CHECK(service.replicas_per_cluster == 0);
  CHECK(service.clusters == std::vector<std::string>{"c1"});
  CHECK(service.concurrency == 1);
  CHECK(service.queue_limit == 0);
  CHECK(service.service_time.kind == ServiceTimeKind::LogNormal);
  CHECK(service.service_time.scale == 1ms);
  CHECK(service.service_time.sigma == 0.5);  // default
  REQUIRE(service.waypoint.has_value());
  CHECK(service.waypoint->replicas == 2);  // true means the defaults
  CHECK(service.calls[0].probability == 0.0);
  CHECK(service.calls[0].timeout == 15s);
  const auto& client = config.clients[0];
  CHECK(client.name == "edge");
  CHECK(client.access_latency == 0s);
  REQUIRE(client.paths.size() == 2);
  CHECK(client.paths[0].path == "/a");
  CHECK(client.paths[0].weight == 3.0);
  CHECK(client.paths[1].weight == 1.0);
  CHECK(config.faults[0].kind == FaultKind::NodeCrash);
  CHECK(config.faults[0].at == 0s);
  CHECK_FALSE(config.faults[0].duration.has_value());
  CHECK(config.slo.availability == 0.95);
  CHECK(config.slo.latency == 1500ms);
}

TEST_CASE("parse_scenario: a waypoint is an object, true or false", "[models][config]") {
  auto waypoint_of = [](const std::string& value) {
    return parse_scenario(minimal_scenario("", ", \"waypoint\": " + value), "w.json").services[0].waypoint;
  };
  CHECK_FALSE(waypoint_of("false").has_value());
  REQUIRE(waypoint_of("true").has_value());
  CHECK(waypoint_of("true")->replicas == 2);
  CHECK(waypoint_of("{ \"replicas\": 5 }")->replicas == 5);
  CHECK(waypoint_of("{}")->replicas == 2);
  CHECK(parse_problems(minimal_scenario("", ", \"waypoint\": 2")) ==
        Lines{"/services/0/waypoint: expected an object such as {\"replicas\": 2}, true or false, found 2 (number)"});
  CHECK(parse_problems(minimal_scenario("", ", \"waypoint\": { \"replicas\": 0, \"replica\": 1 }")) ==
        Lines{"/services/0/waypoint/replicas: expected an integer >= 1, found 0",
              "/services/0/waypoint/replica: expected a known key, found the unknown key \"replica\"; did you mean \"replicas\"?"});
}

TEST_CASE("parse_scenario: a service time takes the keys of its distribution", "[models][config]") {
  auto service_time_of = [](const std::string& value) {
    return parse_scenario(minimal_scenario("", ", \"service_time\": " + value), "st.json").services[0].service_time;
  };
  CHECK(service_time_of(R"({ "dist": "constant", "value": "0s" })").scale == 0s);  // a pass-through service
  CHECK(service_time_of(R"({ "dist": "lognormal", "median": "7ms", "sigma": 1.25 })").sigma == 1.25);
  CHECK(service_time_of(R"({ "dist": "exponential", "mean": "1.5ms" })").scale == 1500us);

  CHECK(parse_problems(
            minimal_scenario("", R"(, "service_time": { "dist": "lognormal", "median": "0s", "sigma": 0 })")) ==
        Lines{"/services/0/service_time/median: expected a duration > 0, found \"0s\"",
              "/services/0/service_time/sigma: expected a number > 0, found 0"});
  CHECK(parse_problems(
            minimal_scenario("", R"(, "service_time": { "dist": "constant", "value": "1ms", "mean": "1ms" })")) ==
        Lines{"/services/0/service_time/mean: expected a known key, found the unknown key \"mean\""});
  // Without a readable "dist", the other keys cannot be judged and are not reported.
  CHECK(parse_problems(minimal_scenario("", R"(, "service_time": { "mean": "1ms", "foo": 1 })")) ==
        Lines{"/services/0/service_time/dist: expected the required key \"dist\", found none"});
  CHECK(parse_problems(minimal_scenario("", R"(, "service_time": { "dist": "Exponential", "mean": "1ms" })")) ==
        Lines{"/services/0/service_time/dist: expected one of \"constant\", \"exponential\", \"lognormal\", found "
              "\"Exponential\"; did you mean \"exponential\"?"});
}

TEST_CASE("parse_scenario: unknown key suggests the closest", "[models][config]") {
  CHECK(parse_problems(minimal_scenario("", ", \"concurency\": 4")) ==
        Lines{"/services/0/concurency: expected a known key, found the unknown key \"concurency\"; did you mean \"concurrency\"?"});
  CHECK(parse_problems(minimal_scenario(",\n  \"sloo\": {}")) ==
        Lines{"/sloo: expected a known key, found the unknown key \"sloo\"; did you mean \"slo\"?"});
  CHECK(parse_problems(minimal_scenario("", "", ", \"rates\": \"1/s\"")) ==
        Lines{"/clients/0/rates: expected a known key, found the unknown key \"rates\"; did you mean \"rate\"?"});
}

TEST_CASE("parse_scenario: an unknown key far from every known key gets no suggestion", "[models][config]") {
  CHECK(parse_problems(minimal_scenario(",\n  \"foo\": 1")) == Lines{"/foo: expected a known key, found the unknown key \"foo\""});
  CHECK(parse_problems(minimal_scenario("", ", \"vertical_scaling\": true")) ==
        Lines{"/services/0/vertical_scaling: expected a known key, found the unknown key \"vertical_scaling\""});
}

TEST_CASE("parse_scenario: keys with / or ~ are escaped in pointers", "[models][config]") {
  CHECK(parse_problems(minimal_scenario(",\n  \"a/b~c\": 1")) == Lines{"/a~1b~0c: expected a known key, found the unknown key \"a/b~c\""});
}

TEST_CASE("parse_scenario: problems are reported in the order of the file", "[models][config]") {
  // Read order is name, replicas_per_cluster, ..., concurrency; file order is what counts.
  CHECK(parse_problems(minimal_scenario("", R"(, "concurrency": 0, "bogus": 1, "replicas_per_cluster": -1)")) ==
        Lines{"/services/0/concurrency: expected an integer >= 1, found 0", "/services/0/bogus: expected a known key, found the unknown key \"bogus\"",
              "/services/0/replicas_per_cluster: expected an integer >= 0, found -1"});
  // A missing key sorts at the end of its object.
  CHECK(parse_problems(R"({ "faultline": 1, "regions": 3, "services": [], "gateway": {}, "clients": [] })") ==
        Lines{"/regions: expected an array, found 3 (number)", "/services: expected a non-empty array, found []",
              "/gateway/routes: expected the required key \"routes\", found none", "/clients: expected a non-empty array, found []",
              "/name: expected the required key \"name\", found none"});
}

TEST_CASE("parse_scenario: wrong types name the type found", "[models][config]") {
  CHECK(parse_problems(minimal_scenario(",\n  \"description\": 3")) ==
        Lines{"/description: expected a string, found 3 (number)"});
  CHECK(parse_problems(minimal_scenario(",\n  \"run\": []")) == Lines{"/run: expected an object, found [] (array)"});
  CHECK(parse_problems(minimal_scenario("", ", \"concurrency\": 2.5")) ==
        Lines{"/services/0/concurrency: expected an integer >= 1, found 2.5"});
  CHECK(parse_problems(minimal_scenario("", ", \"concurrency\": null")) ==
        Lines{"/services/0/concurrency: expected an integer >= 1, found null"});
  CHECK(parse_problems(minimal_scenario("", ", \"clusters\": [\"c1\", 7]")) ==
        Lines{"/services/0/clusters/1: expected a non-empty string, found 7 (number)"});
  CHECK(parse_problems(minimal_scenario(",\n  \"strategies\": [1]")) ==
        Lines{"/strategies: expected an object, found [1] (array)"});
  CHECK(parse_problems(minimal_scenario(",\n  \"faults\": [ 5 ]")) ==
        Lines{"/faults/0: expected an object, found 5 (number)"});
}

TEST_CASE("parse_scenario: integers must fit their fields", "[models][config]") {
  CHECK(parse_problems(minimal_scenario("", ", \"concurrency\": 4294967296")) ==
        Lines{"/services/0/concurrency: expected an integer between 1 and 4294967295, found 4294967296"});
  CHECK(parse_scenario(minimal_scenario("", ", \"queue_limit\": 4294967295"), "q.json").services[0].queue_limit ==
        4294967295u);
  CHECK(parse_problems(minimal_scenario(",\n  \"run\": { \"seed\": 18446744073709551616 }")) ==
        Lines{"/run/seed: expected an integer between 0 and 18446744073709551615, found 1.8446744073709552e+19"});
}

TEST_CASE("parse_scenario: durations and rates are strings with units", "[models][config]") {
  CHECK(parse_problems(minimal_scenario(",\n  \"run\": { \"duration\": 600 }")) ==
        Lines{"/run/duration: expected a duration string such as \"250ms\" or \"1m30s\", found 600"});
  CHECK(parse_problems(minimal_scenario(",\n  \"run\": { \"duration\": \"-5s\" }")) ==
        Lines{"/run/duration: expected a duration string such as \"250ms\" or \"1m30s\", found \"-5s\""});
  CHECK(parse_problems(with_rate("2000")) ==
        Lines{"/clients/0/rate: expected a rate string such as \"2000/s\", found 2000"});
  CHECK(parse_problems(with_rate("\"-5/s\"")) ==
        Lines{"/clients/0/rate: expected a rate string such as \"2000/s\", found \"-5/s\""});
  CHECK(parse_problems(with_rate("\"0/s\"")) == Lines{"/clients/0/rate: expected a rate > 0, found \"0/s\""});
  CHECK(parse_scenario(with_rate("\"120/m\""), "r.json").clients[0].rate_per_second == 2.0);
}

TEST_CASE("parse_scenario: long values are shortened in messages", "[models][config]") {
  const std::string long_name(100, 'x');
  CHECK(parse_problems(minimal_scenario(",\n  \"description\": [\"" + long_name + "\"]")) ==
        Lines{"/description: expected a string, found [\"" + std::string(55, 'x') + "... (array)"});
}

TEST_CASE("parse_scenario: a syntax error gives line and column", "[models][config]") {
  CHECK(parse_problems("{\n  \"faultline\": 1,\n  \"name\" \"x\"\n}") ==
        Lines{": expected valid JSON, found a syntax error at line 3, column 12: unexpected string literal; "
              "expected ':'"});
  // Columns count characters, not bytes: "é" is two bytes of UTF-8. The column is that of the last
  // character read, the space that ends "tru".
  CHECK(parse_problems("{ \"é\": tru }") ==
        Lines{": expected valid JSON, found a syntax error at line 1, column 11: invalid literal"});
  CHECK(parse_problems("") ==
        Lines{": expected valid JSON, found a syntax error at line 1, column 1: unexpected end of input; "
              "expected '[', '{', or a literal"});
  CHECK(parse_problems("// only a comment\n") ==
        Lines{": expected valid JSON, found a syntax error at line 2, column 1: unexpected end of input; "
              "expected '[', '{', or a literal"});
  // The rendered message shows the whole document as "/".
  try {
    parse_scenario("{,}", "bad.json");
    FAIL("no exception");
  } catch (const ScenarioError& error) {
    CHECK(std::string(error.what()) ==
          "bad.json: /: expected valid JSON, found a syntax error at line 1, column 2: unexpected ','; "
          "expected string literal");
    CHECK(error.file() == "bad.json");
  }
}

TEST_CASE("parse_scenario: a key repeated in one object is reported", "[models][config]") {
  CHECK(parse_problems(minimal_scenario("", ", \"concurrency\": 2, \"concurrency\": 3")) ==
        Lines{"/services/0/concurrency: expected each key at most once per object, found \"concurrency\" again"});
  CHECK(parse_problems(
            minimal_scenario("", R"(, "service_time": { "dist": "constant", "value": "1ms", "dist": "constant" })")) ==
        Lines{"/services/0/service_time/dist: expected each key at most once per object, found \"dist\" again"});
  // The same key in two different objects is fine.
  CHECK(parse_problems(minimal_scenario(",\n  \"strategies\": { \"a\": { \"name\": \"x\" }, \"b\": { \"name\": \"y\" } }"))
            .empty());
}

TEST_CASE("parse_scenario: a deeply nested value is reported briefly", "[models][config]") {
  constexpr std::size_t kDepth = 100000;
  const std::string nested = std::string(kDepth, '[') + std::string(kDepth, ']');
  CHECK(parse_problems(minimal_scenario(",\n  \"description\": " + nested)) ==
        Lines{"/description: expected a string, found " + std::string(57, '[') + "... (array)"});
}

TEST_CASE("parse_scenario: only format version 1 is read", "[models][config]") {
  std::string text = minimal_scenario(",\n  \"bogus\": 1");
  text.replace(text.find("\"faultline\": 1"), 14, "\"faultline\": 3");
  CHECK(parse_problems(text) == Lines{"/faultline: expected format version 1, found 3"});
  text.replace(text.find("\"faultline\": 3"), 14, "\"faultline\": \"1\"");
  CHECK(parse_problems(text) ==
        Lines{"/faultline: expected format version 1, found \"1\" (string)", "/bogus: expected a known key, found the unknown key \"bogus\""});
}

TEST_CASE("parse_scenario: a client without a name is named after its region", "[models][config]") {
  const ScenarioConfig config = parse_scenario(minimal_scenario("", "", ", \"name\": \"mobile\""), "c.json");
  CHECK(config.clients[0].name == "mobile");
  // A name that fails to read is not replaced by the default, and is reported once.
  CHECK(parse_problems(minimal_scenario("", "", ", \"name\": \"\"")) ==
        Lines{"/clients/0/name: expected a non-empty string, found \"\""});
}

TEST_CASE("parse_scenario: cross-reference problems are reported with the parse problems", "[models][config]") {
  CHECK(parse_problems(minimal_scenario("", R"(, "concurency": 4, "calls": [ { "service": "svd" } ])")) ==
        Lines{"/services/0/concurency: expected a known key, found the unknown key \"concurency\"; did you mean \"concurrency\"?",
              "/services/0/calls/0/service: expected the name of a service (one of \"svc\"), found \"svd\"; did you "
              "mean \"svc\"?"});
  // Without a parse problem, parse_scenario returns and validate() reports the same check.
  const ScenarioConfig config =
      parse_scenario(minimal_scenario("", R"(, "calls": [ { "service": "svd" } ])"), "refs.json");
  try {
    models::config::validate(config);
    FAIL("no exception");
  } catch (const ScenarioError& error) {
    CHECK(std::string(error.what()) ==
          "refs.json: /services/0/calls/0/service: expected the name of a service (one of \"svc\"), found \"svd\"; "
          "did you mean \"svc\"?");
  }
}

TEST_CASE("parse_scenario: values that failed to read cause no knock-on problems", "[models][config]") {
  // The unreadable interval is not compared with the timeout (against the default 5s it would fail).
  CHECK(parse_problems(minimal_scenario(R"(,
  "run": { "duration": "1m", "step": "2mins" })")) ==
        Lines{"/run/step: expected a duration string such as \"250ms\" or \"1m30s\", found \"2mins\""});
  // A region whose name failed: references to regions cannot be judged.
  CHECK(parse_problems(R"({ "faultline": 1, "name": "x",
    "regions": [ { "name": 1, "zones": ["z"], "clusters": [ { "name": "c1", "config_cluster": true } ] } ],
    "services": [ { "name": "svc" } ],
    "gateway": { "regions": ["r1"], "routes": [ { "backend": "svc" } ] },
    "clients": [ { "region": "r1", "rate": "1/s" } ],
    "faults": [ { "id": "f", "kind": "region-outage", "target": "r1", "at": "1s" } ] })") ==
        Lines{"/regions/0/name: expected a non-empty string, found 1 (number)"});
  // A fault kind that failed: its target cannot be judged. A start that failed: not compared.
  CHECK(parse_problems(minimal_scenario(R"(,
  "faults": [ { "id": "f", "kind": "zone-down", "target": "nowhere", "at": "forever" } ])")) ==
        Lines{"/faults/0/kind: expected one of \"region-outage\", \"zone-outage\", \"cluster-outage\", \"node-crash\", "
              "\"gateway-tier-outage\", \"istiod-outage\", \"pod-crash\", \"gray-failure\", \"database-primary-failure\", "
              "\"backbone-partition\", \"backbone-degradation\", \"ztunnel-crash\", \"waypoint-crash\", "
              "\"waypoint-overload\", \"crash-loop\", \"dns-outage\", \"config-cluster-outage\", \"bad-rollout\", found \"zone-down\"",
              "/faults/0/at: expected a duration string such as \"250ms\" or \"1m30s\", found \"forever\""});
  // A misspelt "config_cluster" is not also "no config cluster".
  std::string text = minimal_scenario();
  text.replace(text.find("\"config_cluster\""), 16, "\"config_clustr\"");
  CHECK(parse_problems(text) ==
        Lines{"/regions/0/clusters/0/config_clustr: expected a known key, found the unknown key \"config_clustr\"; did you mean \"config_cluster\"?"});
}

TEST_CASE("parse_scenario: unsupported mesh and gateway choices say what is supported", "[models][config]") {
  CHECK(parse_problems(minimal_scenario(",\n  \"mesh\": { \"control_plane\": \"multi-primary-ish\" }")) ==
        Lines{"/mesh/control_plane: expected one of \"multi-primary\", \"primary-remote\", found \"multi-primary-ish\"; "
              "did you mean \"multi-primary\"?"});
  CHECK(parse_problems(
            minimal_scenario(",\n  \"mesh\": { \"readiness\": { \"failure_threshold\": 0, \"perod\": \"1s\" } }")) ==
        Lines{"/mesh/readiness/failure_threshold: expected an integer >= 1, found 0",
              "/mesh/readiness/perod: expected a known key, found the unknown key \"perod\"; did you mean \"period\"?"});
}

TEST_CASE("load_scenario: an unreadable file is a ScenarioError", "[models][config]") {
  const std::string missing = kSourceDir + "/tests/data/no-such-scenario.json";
  try {
    models::config::load_scenario(missing);
    FAIL("no exception");
  } catch (const ScenarioError& error) {
    CHECK(error.file() == missing);
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].pointer.empty());
    CHECK(error.issues()[0].message == "expected a readable file, found No such file or directory");
  }
  try {
    models::config::load_scenario(kSourceDir + "/scenarios");
    FAIL("no exception");
  } catch (const ScenarioError& error) {
    CHECK(error.issues()[0].message == "expected a readable file, found Is a directory");
  }
}

TEST_CASE("parse_rate: a number, a slash and a unit, in requests per second", "[models][config]") {
  using models::config::parse_rate;
  CHECK(parse_rate("2000/s") == 2000.0);
  CHECK(parse_rate("120/m") == 2.0);
  CHECK(parse_rate("7200/h") == 2.0);
  CHECK(parse_rate("1.5/ms") == 1500.0);
  CHECK(parse_rate("0/s") == 0.0);
  CHECK(parse_rate("0.25/s") == 0.25);
  for (const char* bad : {"", "2000", "/s", "2000/", "2000/sec", "2000/ns", "-1/s", "+1/s", "1e3/s", " 1/s", "1 /s",
                          "1./s", ".5/s", "1.5.2/s", "1/s/s", "nan/s", "inf/s"}) {
    INFO(bad);
    CHECK_FALSE(parse_rate(bad).has_value());
  }
}

TEST_CASE("to_string: the spellings scenario files use", "[models][config]") {
  using models::config::to_string;
  CHECK(std::string(to_string(FaultKind::RegionOutage)) == "region-outage");
  CHECK(std::string(to_string(FaultKind::ZoneOutage)) == "zone-outage");
  CHECK(std::string(to_string(FaultKind::ClusterOutage)) == "cluster-outage");
  CHECK(std::string(to_string(FaultKind::NodeCrash)) == "node-crash");
  CHECK(std::string(to_string(FaultKind::GatewayTierOutage)) == "gateway-tier-outage");
  CHECK(std::string(to_string(FaultKind::IstiodOutage)) == "istiod-outage");
  CHECK(std::string(to_string(ServiceTimeKind::Constant)) == "constant");
  CHECK(std::string(to_string(ServiceTimeKind::Exponential)) == "exponential");
  CHECK(std::string(to_string(ServiceTimeKind::LogNormal)) == "lognormal");
}

TEST_CASE("closest_match: suggests a likely typo and nothing else", "[models][config]") {
  using models::config::detail::closest_match;
  using models::config::detail::edit_distance;
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("wbe", "web") == 1);  // a swap of neighbours is one edit
  CHECK(closest_match("wbe", {"api", "web"}) == "web");
  CHECK(closest_match("c2", {"c1"}) == "c1");
  CHECK(closest_match("foo", {"slo", "for"}) == "for");
  CHECK(closest_match("concurency", {"name", "concurrency", "queue_limit"}) == "concurrency");
  CHECK(closest_match("region-outtage", {"zone-outage", "region-outage"}) == "region-outage");
  CHECK_FALSE(closest_match("foo", {"name", "zones"}).has_value());
  CHECK_FALSE(closest_match("ab", {"xy"}).has_value());  // a full rewrite is no typo
  // max(2, length / 3): 12 letters allow 4 edits, but not 5.
  CHECK(closest_match("abcdefghijkl", {"abcdefghwxyz"}) == "abcdefghwxyz");
  CHECK_FALSE(closest_match("abcdefghijkl", {"abcdefgvwxyz"}).has_value());
}

TEST_CASE("bad scenarios: each file reports exactly its expected problems", "[models][config]") {
  const std::filesystem::path directory = kSourceDir + "/tests/data/bad_scenarios";
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 20);
  for (const std::string& name : names) {
    const std::string label = "tests/data/bad_scenarios/" + name + ".json";
    INFO(label);
    const std::string text = read_text(kSourceDir + "/" + label);
    std::string expected = read_text(kSourceDir + "/tests/data/bad_scenarios/" + name + ".expected");
    REQUIRE(expected.ends_with('\n'));
    expected.pop_back();
    try {
      models::config::validate(parse_scenario(text, label));
      FAIL("no ScenarioError for " << label);
    } catch (const ScenarioError& error) {
      CHECK(std::string(error.what()) == expected);
      CHECK(error.file() == label);
    }
  }
}

TEST_CASE("parse_scenario: a client's load is a rate, a profile or a diurnal sine, exactly one", "[models][config]") {
  // The client written without its "rate", then with `load`.
  const auto with_load = [](const std::string& load) {
    std::string text = minimal_scenario();
    const std::string rate = "\"rate\": \"10/s\"";
    text.replace(text.find(rate), rate.size(), load);
    return text;
  };
  const ScenarioConfig profile = parse_scenario(
      with_load(R"("profile": [ { "at": "0s", "rate": "0/s" }, { "at": "1m", "rate": "100/s", "shape": "linear" },
                               { "at": "2m", "rate": "50/s" } ], "shape": "linear")"),
      "p.json");
  REQUIRE(profile.clients[0].profile.size() == 3);
  CHECK(profile.clients[0].profile[0].rate_per_second == 0);
  CHECK(profile.clients[0].profile[1].at == 1min);
  CHECK(profile.clients[0].profile[1].shape == models::config::RateShape::Linear);
  CHECK(!profile.clients[0].profile[2].shape);
  CHECK(profile.clients[0].shape == models::config::RateShape::Linear);
  const ScenarioConfig diurnal =
      parse_scenario(with_load(R"("diurnal": { "peak": "900/s", "trough": "100/s", "peak_at": "14h" })"), "d.json");
  REQUIRE(diurnal.clients[0].diurnal);
  CHECK(diurnal.clients[0].diurnal->peak == 900);
  CHECK(diurnal.clients[0].diurnal->trough == 100);
  CHECK(diurnal.clients[0].diurnal->peak_at == 14h);

  CHECK(parse_problems(with_load(R"("access_latency": "1ms")")) ==
        Lines{"/clients/0/rate: expected the required key \"rate\" (or a load \"profile\" or \"diurnal\" instead), found none"});
  CHECK(parse_problems(with_load(R"("rate": "10/s", "profile": [ { "at": "0s", "rate": "5/s" } ])")) ==
        Lines{"/clients/0/profile: expected one of \"rate\", \"profile\" and \"diurnal\", found \"rate\" and \"profile\""});
  CHECK(parse_problems(with_load(R"("profile": [ { "at": "1m", "rate": "5/s" }, { "at": "1m", "rate": "6/s" } ])")) ==
        Lines{"/clients/0/profile/1/at: expected a time after the previous point's 1m (points in increasing \"at\"), found 1m"});
  CHECK(parse_problems(with_load(R"("profile": [])")) ==
        Lines{"/clients/0/profile: expected a non-empty array of { \"at\", \"rate\" } points, found []"});
  CHECK(parse_problems(with_load(R"("profile": [ { "at": "0s", "rate": "5/s", "shape": "cubic" } ])")) ==
        Lines{"/clients/0/profile/0/shape: expected one of \"step\", \"linear\", found \"cubic\""});
  CHECK(parse_problems(with_load(R"("rate": "10/s", "shape": "linear")")) ==
        Lines{"/clients/0/shape: expected \"shape\" only with a \"profile\", found it without one"});
  CHECK(parse_problems(with_load(R"("diurnal": { "peak": "100/s", "trough": "200/s" })")) ==
        Lines{"/clients/0/diurnal/trough: expected a trough at most the peak, found a trough above it"});
  CHECK(parse_problems(with_load(R"("diurnal": { "peak": "100/s", "trough": "0/s", "peek_at": "2h" })")) ==
        Lines{"/clients/0/diurnal/peek_at: expected a known key, found the unknown key \"peek_at\"; did you mean \"peak_at\"?"});
}

TEST_CASE("parse_scenario: a client's retries, with Envoy's back-off defaults", "[models][config]") {
  const ScenarioConfig c =
      parse_scenario(minimal_scenario("", "", R"(, "retries": { "attempts": 3, "budget": 0.2, "on": ["timeout", "overloaded"] })"), "r.json");
  REQUIRE(c.clients[0].retries);
  CHECK(c.clients[0].retries->attempts == 3);
  CHECK(c.clients[0].retries->backoff == 25ms);
  CHECK(!c.clients[0].retries->max_backoff);
  CHECK(c.clients[0].retries->budget == 0.2);
  CHECK(c.clients[0].retries->on ==
        std::vector<models::traffic::Failure>{models::traffic::Failure::Timeout, models::traffic::Failure::Overloaded});

  CHECK(parse_problems(minimal_scenario("", "", R"(, "retries": {})")) ==
        Lines{"/clients/0/retries/attempts: expected the required key \"attempts\", found none"});
  CHECK(parse_problems(minimal_scenario("", "", R"(, "retries": { "attempts": 11 })")) ==
        Lines{"/clients/0/retries/attempts: expected an integer between 1 and 10, found 11"});
  CHECK(parse_problems(minimal_scenario("", "", R"(, "retries": { "attempts": 2, "backoff": "1s", "max_backoff": "100ms" })")) ==
        Lines{"/clients/0/retries/max_backoff: expected a duration at least \"backoff\" (1s), found 100ms"});
  CHECK(parse_problems(minimal_scenario("", "", R"(, "retries": { "attempts": 2, "budget": 1.5 })")) ==
        Lines{"/clients/0/retries/budget: expected a number between 0 and 1, found 1.5"});
  CHECK(parse_problems(minimal_scenario("", "", R"(, "retries": { "attempts": 2, "on": ["timeuot"] })")) ==
        Lines{"/clients/0/retries/on/0: expected one of \"gateway_unreachable\", \"no_route\", \"no_healthy_upstream\", "
              "\"connection_refused\", \"connect_timeout\", \"overloaded\", \"waypoint_unavailable\", \"dependency_failed\", "
              "\"timeout\", \"error_response\", \"no_backend\", \"dns_failure\", \"certificate_expired\", found \"timeuot\"; "
              "did you mean \"timeout\"?"});
}

TEST_CASE("parse_scenario: a service's autoscaling takes the HPA's fields, defaults and limits", "[models][config]") {
  auto with = [](const std::string& autoscaling) {
    return minimal_scenario("", ", \"autoscaling\": " + autoscaling + ", \"pod_startup\": \"45s\"");
  };
  const auto scenario = models::config::parse_scenario(with(R"({ "maxReplicas": 8 })"), "s.json");
  const auto& hpa = scenario.services[0].autoscaling;
  REQUIRE(hpa.has_value());
  CHECK(hpa->min_replicas == 1);
  CHECK(hpa->max_replicas == 8);
  CHECK(hpa->target_utilization == 80);
  CHECK(hpa->scale_down.stabilization_window_seconds == 300);
  CHECK(hpa->scale_up.policies.size() == 2);
  CHECK(scenario.services[0].pod_startup == std::chrono::seconds(45));
  CHECK(parse_problems(with("{}")) == Lines{"/services/0/autoscaling/maxReplicas: expected the required key \"maxReplicas\", found none"});
  CHECK(parse_problems(with(R"({ "minReplicas": 4, "maxReplicas": 3 })")) ==
        Lines{"/services/0/autoscaling/maxReplicas: expected at least minReplicas (4), found 3"});
  CHECK(parse_problems(with(R"({ "maxReplicas": 3, "targetUtilization": 0.7 })")) ==
        Lines{"/services/0/autoscaling/targetUtilization: expected an integer >= 1, found 0.7"});
  CHECK(parse_problems(with(R"({ "maxReplicas": 3, "targetUtilization": 150 })")) ==
        Lines{"/services/0/autoscaling/targetUtilization: expected a percentage of the pods' concurrency from 1 to 100 (as the "
              "HPA's averageUtilization), found 150"});
  CHECK(parse_problems(with(R"({ "maxReplicas": 3, "behavior": { "scaleUp": { "policies": [] } } })")) ==
        Lines{"/services/0/autoscaling/behavior/scaleUp/policies: expected at least one policy (as the HPA API does), found []"});
  CHECK(parse_problems(with(R"({ "maxReplicas": 3, "behavior": { "scaleDown": { "policies": [ { "type": "Pod", "value": 1 } ] } } })")) ==
        Lines{"/services/0/autoscaling/behavior/scaleDown/policies/0/type: expected one of \"Pods\", \"Percent\", found \"Pod\"; did "
              "you mean \"Pods\"?"});
}

TEST_CASE("parse_scenario: a bad-rollout reads the Deployment's rolling update and rollback_after, not for", "[models][config]") {
  auto with = [](const std::string& keys) {
    return minimal_scenario(",\n  \"faults\": [ { \"id\": \"v2\", \"kind\": \"bad-rollout\", \"target\": \"c1/svc\", \"at\": \"10s\"" + keys + " } ]");
  };
  const auto scenario = models::config::parse_scenario(
      with(R"(, "maxSurge": 3, "maxUnavailable": "10%", "minReadySeconds": 5, "health_checks": "fail", "rollback_after": "2m")"), "s.json");
  const auto& f = scenario.faults[0];
  CHECK(f.max_surge.value == 3);
  CHECK(!f.max_surge.percent);
  CHECK(f.max_unavailable.value == 10);
  CHECK(f.max_unavailable.percent);
  CHECK(f.min_ready_seconds == 5);
  CHECK(f.health_checks_fail);
  CHECK(f.duration == std::chrono::minutes(2));
  CHECK(parse_problems(with(R"(, "for": "1m")")) ==
        Lines{"/faults/0/for: expected no \"for\" on a bad-rollout fault (it lasts until rolled back: \"rollback_after\"), found \"1m\""});
  CHECK(parse_problems(with(R"(, "maxSurge": "125%")")) ==
        Lines{"/faults/0/maxSurge: expected an integer >= 0 or a percentage such as \"25%\" (0% to 100%), found \"125%\" (string)"});
  CHECK(parse_problems(with(R"(, "health_checks": "fial")")) ==
        Lines{"/faults/0/health_checks: expected one of \"pass\", \"fail\", found \"fial\"; did you mean \"fail\"?"});
}
