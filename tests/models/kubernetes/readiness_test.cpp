// Pod readiness (models/kubernetes): a crashed pod leaves istiod's views and its NEG only when the
// readiness probes have failed often enough, and the NEG follows readiness after neg_sync_delay.
// Read from the run's routing reactions: "endpoint_removed" when an istiod pushes the removal to its
// proxies, "neg_endpoint_removed" when the NEG controller takes the endpoint out of its NEG.
//
// The timing, from models/kubernetes/kubernetes.cpp and models/control/istiod.cpp: each cluster
// sweeps its pods' readiness every `period` from a random phase in [0, period). A sweep that finds
// the pod down counts a failed probe; the `threshold`-th in a row makes it NotReady at that sweep's
// time T, which schedules the push to the proxies at T + push_delay (the "endpoint_removed"
// reaction, one per istiod) and, for a pod a route sends to, the NEG change at T + neg_sync_delay.
// The first sweep that sees the crash (at t0) is in [t0, t0 + period]: at t0 itself if it runs
// after the fault at the same instant, at most one period later otherwise. The threshold-th is
// threshold - 1 periods after that, so T - t0 is in [(threshold - 1) x period, threshold x period]
// whatever the phase; and the NEG removal follows the push by exactly neg_sync_delay - push_delay.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

// One cluster of two nodes; web (routed, so in a NEG) and worker (called only, in no NEG), two
// pods each. `mesh` and `gateway` are extra keys for those sections, `faults` the fault list.
std::string fleet(int seed, const std::string& mesh, const std::string& gateway, const std::string& faults) {
  return R"({
    "faultline": 1, "name": "readiness", "run": { "duration": "90s", "step": "1s", "seed": )" +
         std::to_string(seed) + R"( },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true } ] } ],
    "mesh": { )" + mesh + R"( },
    "services": [
      { "name": "web", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "worker" } ] },
      { "name": "worker", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { )" + gateway + R"(  "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "50/s" } ],
    "faults": [ )" + faults + R"( ] })";
}

std::vector<sim::Duration> reactions(const models::results::RunResult& r, const std::string& kind) {
  std::vector<sim::Duration> at;
  for (const auto& reaction : r.reactions)
    if (kind == reaction.kind) at.push_back(reaction.at);
  return at;
}

}  // namespace

TEST_CASE("Readiness: a crashed pod leaves istiod's views after the failed probes, its NEG neg_sync_delay later",
          "[models][kubernetes]") {
  const int seed = GENERATE(1, 2, 3, 4, 5, 6);  // each seed its own sweep phase
  CAPTURE(seed);
  const std::string crash = R"({ "id": "p", "kind": "pod-crash", "target": "c1/web-1", "at": "20s" })";

  SECTION("configured: period 4s, failure threshold 2, push delay 300ms, NEG sync 2s") {
    const auto r = test_support::run_scenario_text(
        fleet(seed, R"("push_delay": "300ms", "readiness": { "period": "4s", "failure_threshold": 2 })",
              R"("neg_sync_delay": "2s",)", crash));
    REQUIRE(r.faults.size() == 1);
    const sim::Duration t0 = r.faults[0].start;
    CHECK(t0 == 20s);
    const auto removed = reactions(r, "endpoint_removed");
    const auto neg = reactions(r, "neg_endpoint_removed");
    REQUIRE(removed.size() == 1);  // one istiod (one cluster), one removal
    REQUIRE(neg.size() == 1);
    // T - t0 in [(2 - 1) x 4s, 2 x 4s]; the push 300ms after T.
    CHECK(removed[0] - t0 >= 4s + 300ms);
    CHECK(removed[0] - t0 <= 8s + 300ms);
    // The NEG changes 2s after T, so 1.7s after the push.
    CHECK(neg[0] - removed[0] == 2s - 300ms);
  }
  SECTION("defaults: period 10s, failure threshold 3, push delay 500ms, NEG sync 5s (scenarios/README.md)") {
    const auto r = test_support::run_scenario_text(fleet(seed, "", "", crash));
    REQUIRE(r.faults.size() == 1);
    const sim::Duration t0 = r.faults[0].start;
    const auto removed = reactions(r, "endpoint_removed");
    const auto neg = reactions(r, "neg_endpoint_removed");
    REQUIRE(removed.size() == 1);
    REQUIRE(neg.size() == 1);
    // T - t0 in [(3 - 1) x 10s, 3 x 10s]; the push 500ms after T.
    CHECK(removed[0] - t0 >= 20s + 500ms);
    CHECK(removed[0] - t0 <= 30s + 500ms);
    CHECK(neg[0] - removed[0] == 5s - 500ms);
  }
}

TEST_CASE("Readiness: only routed pods are in a NEG; a pod back before the threshold stays in every view",
          "[models][kubernetes]") {
  const int seed = GENERATE(1, 2, 3);
  CAPTURE(seed);
  const std::string mesh = R"("readiness": { "period": "10s", "failure_threshold": 3 })";

  SECTION("a crashed worker pod (no route sends to worker) leaves istiod's views but no NEG") {
    const auto r = test_support::run_scenario_text(
        fleet(seed, mesh, "", R"({ "id": "p", "kind": "pod-crash", "target": "c1/worker-0", "at": "20s" })"));
    const auto removed = reactions(r, "endpoint_removed");
    REQUIRE(removed.size() == 1);
    CHECK(removed[0] - 20s >= 20s + 500ms);
    CHECK(removed[0] - 20s <= 30s + 500ms);
    CHECK(reactions(r, "neg_endpoint_removed").empty());
  }
  SECTION("a web pod down for 15s is seen down by at most two sweeps (10s apart): never NotReady") {
    const auto r = test_support::run_scenario_text(
        fleet(seed, mesh, "", R"({ "id": "p", "kind": "pod-crash", "target": "c1/web-1", "at": "20s", "for": "15s" })"));
    REQUIRE(r.faults.size() == 1);
    CHECK(reactions(r, "endpoint_removed").empty());
    CHECK(reactions(r, "neg_endpoint_removed").empty());
  }
}
