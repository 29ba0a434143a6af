// Faults of the mesh's own parts: ztunnels, waypoints, crash loops, overloads, slow pods.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;
using test_support::failures;

namespace {

// One cluster of 4 nodes; web (4 pods, one per node) calls api (4 pods, one per node), api with
// or without a waypoint of 2 replicas. Health checks every second, so the gateway reacts fast.
std::string mesh(const std::string& faults, const std::string& api_extra = "", const std::string& health = "",
                 const std::string& run = R"("duration": "100s", "step": "1s", "seed": 21)", int api_replicas = 4) {
  return R"({
    "faultline": 1, "name": "mesh-faults", "run": { )" + run + R"( },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 4, "config_cluster": true } ] } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 4, "concurrency": 256, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": )" + std::to_string(api_replicas) + R"(, "concurrency": 256,
        "service_time": { "dist": "constant", "value": "1ms" } )" + api_extra + R"( } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "interval": "1s", "timeout": "1s" )" + health + R"( } },
    "clients": [ { "region": "r1", "rate": "400/s" } ],
    "faults": [ )" + faults + " ] }";
}

// The median latency of the successful requests sent in steps starting in [from, to).
sim::Duration median_latency(const models::results::RunResult& r, sim::Duration from, sim::Duration to) {
  std::vector<sim::Duration> medians;
  for (const auto& p : r.all.series)
    if (p.start >= from && p.start < to && p.counts.succeeded > 0) medians.push_back(p.latency.p50);
  std::sort(medians.begin(), medians.end());
  return medians.at(medians.size() / 2);
}

}  // namespace

TEST_CASE("ztunnel crash: its pods stay Ready, so mesh callers keep failing until it restarts",
          "[models][faults][scenario]") {
  // node-0's ztunnel is down 10s..70s. Kubernetes keeps its pods Ready (kubelet probes bypass
  // ztunnel), so the other ztunnels keep sending a quarter of api calls there, refused, for the
  // whole minute. The gateway's checks on the traffic's port go through ztunnel and take node-0's
  // web pod out of rotation within seconds.
  const std::string crash = R"({ "id": "zt", "kind": "ztunnel-crash", "target": "c1/node-0", "at": "10s", "for": "60s" })";
  const auto r = test_support::run_scenario_text(mesh(crash));
  CHECK(failed_share(r, 0s, 9s) == 0.0);
  CHECK(failed_share(r, 15s, 40s) == Approx(0.25).margin(0.06));
  CHECK(failed_share(r, 45s, 69s) == Approx(0.25).margin(0.06));  // readiness (30s) changed nothing
  CHECK(failed_share(r, 72s, 100s) == 0.0);
  REQUIRE(r.faults.size() == 1);
  CHECK(r.faults[0].components.front() == "c1/node-0/ztunnel");

  // The flaw: a check on a separate port (outside ztunnel's capture) keeps passing, so the
  // gateway also keeps sending a quarter of its requests to node-0's web pod: 1 - 3/4 * 3/4 fail.
  const auto flawed = test_support::run_scenario_text(mesh(crash, "", R"(, "port": "separate")"));
  CHECK(failed_share(flawed, 15s, 69s) == Approx(1.0 - 0.75 * 0.75).margin(0.06));
  CHECK(failures(flawed, "connection_refused") > failures(r, "connection_refused"));
}

TEST_CASE("waypoint crash: fails closed once every replica is gone, and heals after the restart",
          "[models][faults][scenario]") {
  const std::string waypoint = R"(, "waypoint": { "replicas": 2 })";
  // Every replica of api's waypoint is down 10s..70s: calls are refused, then (once readiness and
  // istiod have removed them) ztunnel has no waypoint and fails closed.
  const auto all = test_support::run_scenario_text(
      mesh(R"({ "id": "wp", "kind": "waypoint-crash", "target": "c1/api-waypoint", "at": "10s", "for": "60s" })", waypoint));
  CHECK(failed_share(all, 0s, 9s) == 0.0);
  CHECK(failed_share(all, 11s, 70s) == Approx(1.0).margin(0.01));
  CHECK(failures(all, "dependency_failed") > 0);
  CHECK(failed_share(all, 85s, 100s) == 0.0);
  REQUIRE(all.faults.size() == 1);
  CHECK(all.faults[0].components.size() == 2);  // both replicas

  // One replica of two: half the calls are refused until readiness and istiod remove it.
  const auto one = test_support::run_scenario_text(
      mesh(R"({ "id": "wp0", "kind": "waypoint-crash", "target": "c1/api-waypoint-0", "at": "10s" })", waypoint));
  CHECK(failed_share(one, 11s, 35s) == Approx(0.5).margin(0.08));
  CHECK(failed_share(one, 55s, 100s) == 0.0);
}

TEST_CASE("waypoint overload: every request through the saturated waypoint waits", "[models][faults][scenario]") {
  const auto r = test_support::run_scenario_text(
      mesh(R"({ "id": "cpu", "kind": "waypoint-overload", "target": "c1/api-waypoint", "at": "30s", "for": "30s",
                "added_latency": "200ms" })",
           R"(, "waypoint": { "replicas": 2 })"));
  const sim::Duration before = median_latency(r, 0s, 30s);
  const sim::Duration during = median_latency(r, 31s, 60s);
  const sim::Duration after = median_latency(r, 61s, 100s);
  CHECK(sim::to_seconds(during - before) == Approx(0.2).epsilon(0.02));
  CHECK(after == before);
  CHECK(r.all.totals.failed == 0);
}

TEST_CASE("gray failure with added latency: slow pods, no errors, probes still pass", "[models][faults][scenario]") {
  const auto r = test_support::run_scenario_text(
      mesh(R"({ "id": "slow", "kind": "gray-failure", "target": "c1", "at": "30s", "for": "30s", "added_latency": "100ms" })"));
  // Every web and api pod is slower by 100ms: a request passes one of each.
  CHECK(sim::to_seconds(median_latency(r, 31s, 59s) - median_latency(r, 0s, 30s)) == Approx(0.2).epsilon(0.02));
  CHECK(r.all.totals.failed == 0);
}

TEST_CASE("gray failure of one service: only its pods in the target fail requests", "[models][faults][scenario]") {
  // node-0 runs web-0 and api-0. Restricted to api, the gray failure fails api-0's answers: a
  // quarter of web's calls to api, so a quarter of requests (dependency_failed at web). Without
  // "service", web-0 fails too: 1 - 3/4 x 3/4 of requests, some answered 503 by web-0 itself.
  const auto api = test_support::run_scenario_text(mesh(
      R"({ "id": "g", "kind": "gray-failure", "target": "c1/node-0", "service": "api", "at": "30s", "for": "30s" })"));
  CHECK(failed_share(api, 0s, 30s) == 0.0);
  CHECK(failed_share(api, 31s, 59s) == Approx(0.25).margin(0.05));
  CHECK(failures(api, "dependency_failed") == api.all.totals.failed);
  REQUIRE(api.faults.size() == 1);
  CHECK(api.faults[0].service == "api");
  CHECK(api.faults[0].components == std::vector<std::string>{"c1/api-0"});
  const auto node = test_support::run_scenario_text(
      mesh(R"({ "id": "g", "kind": "gray-failure", "target": "c1/node-0", "at": "30s", "for": "30s" })"));
  CHECK(failed_share(node, 31s, 59s) == Approx(1.0 - 0.75 * 0.75).margin(0.05));
  CHECK(failures(node, "error_response") > 0);
}

TEST_CASE("crash loop: down and up again on CrashLoopBackOff's doubling schedule", "[models][faults][scenario]") {
  // api's only pod crashes at 10s and every 20s after each restart; the kubelet waits 10s, 20s,
  // 40s, 80s, 160s before restarting it: down 10-20, up 20-40, down 40-60, up 60-80, down 80-120,
  // up 120-140, down 140-220, up 220-240, down 240-400.
  std::string text = mesh(R"({ "id": "loop", "kind": "crash-loop", "target": "c1/api-0", "at": "10s", "up_for": "20s" })",
                          "", "", R"("duration": "300s", "step": "1s", "seed": 21)", 1);
  const auto r = test_support::run_scenario_text(text);
  const auto down = [&](int from_s, int to_s) {
    return failed_share(r, std::chrono::seconds{from_s}, std::chrono::seconds{to_s});
  };
  // (Each window leaves out the step before a change: requests sent then meet the change.)
  CHECK(down(0, 9) == 0.0);
  CHECK(down(11, 19) == 1.0);
  CHECK(down(22, 39) == 0.0);  // the gateway's probes bring it back within two seconds
  CHECK(down(41, 59) == 1.0);
  CHECK(down(71, 79) == 0.0);
  CHECK(down(81, 119) == 1.0);
  CHECK(down(131, 139) == 0.0);
  CHECK(down(141, 219) == 1.0);
  CHECK(down(231, 239) == 0.0);
  CHECK(down(241, 300) == 1.0);
}
