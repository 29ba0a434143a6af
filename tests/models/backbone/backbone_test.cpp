// Backbone faults: a partition between two regions, and a degraded link.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;

namespace {

// Three regions in a triangle. Clients in a; the only backends are in b and c, with c also
// reachable from a through b. a-b is 10ms, b-c 10ms, a-c 40ms.
std::string triangle(const std::string& faults) {
  return R"({
    "faultline": 1, "name": "backbone", "run": { "duration": "60s", "step": "1s", "seed": 41 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 1, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] },
      { "name": "c", "zones": ["c-1"], "clusters": [ { "name": "cc", "nodes": 2 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "10ms" }, { "from": "b", "to": "c", "latency": "10ms" },
                  { "from": "a", "to": "c", "latency": "40ms" } ],
    "services": [ { "name": "web", "clusters": ["cb", "cc"], "replicas_per_cluster": 2,
                    "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "regions": ["a"], "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "interval": "1s", "timeout": "1s" } },
    "clients": [ { "region": "a", "rate": "200/s", "access_latency": "0s" } ],
    "faults": [ )" + faults + " ] }";
}

sim::Duration p50_in(const models::results::RunResult& r, std::size_t step) { return r.all.series[step].latency.p50; }

}  // namespace

TEST_CASE("Backbone partition: the backbone routes around a cut; an isolated region fails",
          "[models][faults][scenario]") {
  // Cut a-b at 20s: a reaches b only through c now (40 + 10 = 50ms) and c directly (40ms), so the
  // gateway's closest backends are c's. Nothing fails; requests are slower.
  const auto r = test_support::run_scenario_text(
      triangle(R"({ "id": "cut", "kind": "backbone-partition", "target": "a/b", "at": "20s", "for": "20s" })"));
  CHECK(r.all.totals.failed == 0);
  // Before: a -> b 10ms each way, plus 1ms of work and the proxy's 1ms: about 22ms.
  CHECK(p50_in(r, 10) < 25ms);
  // During: a -> c 40ms each way: about 82ms.
  CHECK(p50_in(r, 30) > 80ms);
  CHECK(p50_in(r, 30) < 90ms);
  CHECK(p50_in(r, 50) < 25ms);  // after

  // Cut both of a's links: nothing beyond a is reachable, every request fails until the links return.
  const auto isolated = test_support::run_scenario_text(triangle(
      R"({ "id": "cut-ab", "kind": "backbone-partition", "target": "a/b", "at": "20s", "for": "20s" },
         { "id": "cut-ac", "kind": "backbone-partition", "target": "c/a", "at": "20s", "for": "20s" })"));
  CHECK(failed_share(isolated, 0s, 19s) == 0.0);
  CHECK(failed_share(isolated, 21s, 40s) == 1.0);
  CHECK(failed_share(isolated, 42s, 60s) == 0.0);
  // The proxies have no reachable backend left: 503 no healthy upstream.
  CHECK(test_support::failures(isolated, "no_healthy_upstream") == isolated.all.totals.failed);
}

TEST_CASE("Backbone degradation: added latency on a link, and shortest paths around it", "[models][faults][scenario]") {
  // +100ms on a-b from 20s to 40s: the shortest path from a to b is now through c (40 + 10ms), and
  // the closest backends are c's at 40ms: requests get slower but do not fail.
  const auto r = test_support::run_scenario_text(
      triangle(R"({ "id": "slow", "kind": "backbone-degradation", "target": "b/a", "at": "20s", "for": "20s", "added_latency": "100ms" })"));
  CHECK(r.all.totals.failed == 0);
  CHECK(p50_in(r, 10) < 25ms);
  CHECK(p50_in(r, 30) > 80ms);
  CHECK(p50_in(r, 30) < 110ms);
  CHECK(p50_in(r, 50) < 25ms);
}
