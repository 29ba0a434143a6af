// Control-plane topologies and what stops when the control plane is gone: endpoint pushes, the
// config cluster's API server, workload certificates.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/scenario_error.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;
using test_support::failures;

namespace {

// Two clusters in one region, web and api (no waypoint) in both. c1's istiod is down 10s..90s and
// one of c2's api pods crashes at 15s.
std::string churn(const std::string& mesh) {
  return R"({
    "faultline": 1, "name": "churn", "run": { "duration": "100s", "step": "1s", "seed": 14 },
    "regions": [ { "name": "r1", "zones": ["r1-a"],
                   "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true }, { "name": "c2", "nodes": 2 } ] } ],
    "mesh": )" + mesh + R"(,
    "services": [
      { "name": "web", "replicas_per_cluster": 2, "concurrency": 256, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "400/s" } ],
    "faults": [ { "id": "cp", "kind": "istiod-outage", "target": "c1", "at": "10s", "for": "80s" },
                { "id": "api", "kind": "pod-crash", "target": "c2/api-0", "at": "15s" } ] })";
}

}  // namespace

TEST_CASE("primary-remote: the primary's istiod outage freezes the remote clusters too",
          "[models][control][scenario]") {
  // Right after the crash, a quarter of api calls (one pod of four) fail everywhere. Readiness
  // marks the pod unready by ~45s; then in multi-primary c2's own istiod tells c2's ztunnels, and
  // only c1's half of the traffic keeps failing: 1/8. In primary-remote c2's proxies hear from
  // c1's istiod, which is down: the quarter stays until it returns at 90s.
  const auto multi = test_support::run_scenario_text(churn(R"({ "control_plane": "multi-primary" })"));
  const auto remote = test_support::run_scenario_text(churn(R"({ "control_plane": "primary-remote", "primaries": ["c1"] })"));
  CHECK(failed_share(multi, 16s, 40s) == Approx(0.25).margin(0.05));
  CHECK(failed_share(remote, 16s, 40s) == Approx(0.25).margin(0.05));
  CHECK(failed_share(multi, 50s, 89s) == Approx(0.125).margin(0.04));
  CHECK(failed_share(remote, 50s, 89s) == Approx(0.25).margin(0.05));
  CHECK(failed_share(multi, 92s, 100s) == 0.0);
  CHECK(failed_share(remote, 92s, 100s) == 0.0);
}

TEST_CASE("primary-remote: an istiod outage must name a primary", "[models][control][config]") {
  std::string text = churn(R"({ "control_plane": "primary-remote", "primaries": ["c1"] })");
  const std::string istiod_target = R"("target": "c1")";
  text.replace(text.find(istiod_target), istiod_target.size(), R"("target": "c2")");
  try {
    test_support::run_scenario_text(text);
    FAIL("expected a scenario error");
  } catch (const models::config::ScenarioError& e) {
    INFO(e.what());
    REQUIRE(e.issues().size() == 1);
    CHECK(e.issues()[0].pointer == "/faults/0/target");
    CHECK(e.issues()[0].message ==
          "expected a cluster that runs an istiod (primary-remote: one of \"c1\"), found the remote cluster \"c2\"");
  }
}

TEST_CASE("config cluster outage: traffic flows on, but its endpoint changes wait", "[models][control][scenario]") {
  // The config cluster c1's control plane is down 10s..90s while one of its api pods crashes: its
  // API server cannot mark the pod unready, so every ztunnel keeps a quarter of api calls going
  // to it. Without the outage readiness removes it within ~30s.
  std::string base = churn(R"({ "control_plane": "multi-primary" })");
  base.replace(base.find(R"("kind": "istiod-outage")"), 23, R"("kind": "config-cluster-outage")");
  std::string normal = base;
  base.replace(base.find(R"("target": "c2/api-0")"), 20, R"("target": "c1/api-0")");
  const auto outage = test_support::run_scenario_text(base);
  CHECK(failed_share(outage, 0s, 14s) == 0.0);          // the data plane does not notice the outage
  CHECK(failed_share(outage, 50s, 89s) == Approx(0.25).margin(0.05));
  // The same crash in c2, whose API server is up: removed everywhere by ~45s.
  const auto elsewhere = test_support::run_scenario_text(normal);
  CHECK(failed_share(elsewhere, 50s, 89s) == 0.0);
}

TEST_CASE("certificates: mTLS fails once istiod has been away longer than a certificate's remaining life",
          "[models][control][scenario]") {
  // Certificates of 1h, renewed at half life: when istiod goes away at 5m each proxy's has between
  // 30 and 60 minutes left. The gateway reaches web without mTLS; web's calls to api need it.
  const auto scenario = [](const std::string& ttl) {
    return R"({
    "faultline": 1, "name": "certs", "run": { "duration": "140m", "step": "1m", "seed": 3 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 3, "config_cluster": true } ] } ],
    "mesh": { "certificates": { "ttl": ")" + ttl + R"(" } },
    "services": [
      { "name": "web", "replicas_per_cluster": 3, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 3, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "20/s" } ],
    "faults": [ { "id": "ca", "kind": "istiod-outage", "target": "c1", "at": "5m", "for": "2h" } ] })";
  };
  const auto r = test_support::run_scenario_text(scenario("1h"));
  CHECK(failed_share(r, 0min, 35min) == 0.0);
  CHECK(failed_share(r, 66min, 125min) == 1.0);
  // (web answers the gateway "dependency failed": the expired certificate is inside the mesh.)
  CHECK(failures(r, "dependency_failed") == r.all.totals.failed);
  // Back at 2h05m; proxies retry at most every 150s.
  CHECK(failed_share(r, 128min, 140min) == 0.0);
  // With the default 24h certificates the same outage costs nothing: static stability.
  CHECK(test_support::run_scenario_text(scenario("24h")).all.totals.failed == 0);
}
