// A request's path through the whole simulator (models/traffic and the proxies it passes): the
// latency of each hop, calls through a waypoint and with their probability, a pod's concurrency and
// queue, and how a dead pod, a dead node, a gray failure, a lost waypoint and a gateway tier outage
// look to the requests.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

using test_support::failures;

// A one-region fleet with no jitter and constant service times, so latencies are exact sums.
std::string fleet(const std::string& services, const std::string& extra = "", const std::string& nodes = "1",
                  const std::string& rate = "100/s") {
  return R"({
    "faultline": 1, "name": "t",
    "run": { "duration": "30s", "step": "1s", "seed": 1 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "intra_region_latency": "250us", "intra_region_jitter": "0s",
                   "clusters": [ { "name": "c1", "nodes": )" +
         nodes + R"(, "config_cluster": true } ] } ],
    "mesh": { "ztunnel_latency": "50us", "waypoint_latency": "300us" },
    "services": )" +
         services + R"(,
    "gateway": { "proxy_latency": "1ms", "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "interval": "1s", "timeout": "1s", "healthy_threshold": 1, "unhealthy_threshold": 1 } },
    "clients": [ { "region": "r1", "rate": ")" +
         rate + R"(", "access_latency": "500us" } ])" + extra + "}";
}

models::results::RunResult run(const std::string& text) { return test_support::run_scenario_text(text); }

}  // namespace

TEST_CASE("Simulation: latency is the sum of the hops on the path", "[models][simulation]") {
  // client -> VIP 0.5ms, proxy 1ms, proxy -> node 0.25ms, ztunnel 0.05ms: 1.8ms each way, plus 2ms of work.
  const auto r = run(fleet(R"([ { "name": "web", "replicas_per_cluster": 2,
                                   "service_time": { "dist": "constant", "value": "2ms" } } ])"));
  CHECK(r.all.totals.failed == 0);
  CHECK(r.all.totals.succeeded > 2500);
  CHECK(r.all.latency.p50 == 5600us);
  CHECK(r.all.latency.max == 5600us);
}

TEST_CASE("Simulation: a call through a waypoint adds both ztunnels, the waypoint and the work", "[models][simulation]") {
  // web -> api: ztunnel 0.05 + 0.25 to the waypoint + waypoint 0.3 + 0.25 to the pod + ztunnel 0.05
  // = 0.9ms each way, plus api's 1ms: 2.8ms on top of web's 5.6ms.
  const auto r = run(fleet(R"([
      { "name": "web", "replicas_per_cluster": 1, "service_time": { "dist": "constant", "value": "2ms" },
        "calls": [ { "service": "api" } ] },
      { "name": "api", "replicas_per_cluster": 1, "service_time": { "dist": "constant", "value": "1ms" },
        "waypoint": { "replicas": 1 } } ])"));
  CHECK(r.all.totals.failed == 0);
  CHECK(r.all.latency.p50 == 8400us);
  CHECK(r.all.latency.max == 8400us);
}

TEST_CASE("Simulation: calls are made with their probability", "[models][simulation]") {
  const auto r = run(fleet(R"([
      { "name": "web", "replicas_per_cluster": 1, "service_time": { "dist": "constant", "value": "2ms" },
        "calls": [ { "service": "api", "probability": 0.25 } ] },
      { "name": "api", "replicas_per_cluster": 1, "service_time": { "dist": "constant", "value": "1ms" } } ])",
                           "", "1", "1000/s"));
  // Without the call a request takes 5.6ms; with it, 0.35ms each way (two ztunnels and one
  // intra-region hop) and 1ms of work more: 7.3ms. A quarter of the requests make it.
  CHECK(r.all.latency.p50 == 5600us);
  CHECK(r.all.latency.p90.count() == Approx(7.3e6).epsilon(0.004));  // histogram precision
  CHECK(r.all.latency.max == 7300us);
  CHECK(r.all.totals.failed == 0);
}

TEST_CASE("Simulation: overload queues, then rejects, at the configured concurrency", "[models][simulation]") {
  // One pod working on one request at a time for 10ms: 100 requests/s at most, offered 400/s.
  const auto r = run(fleet(R"([ { "name": "web", "replicas_per_cluster": 1, "concurrency": 1, "queue_limit": 5,
                                   "service_time": { "dist": "constant", "value": "10ms" } } ])",
                           "", "1", "400/s"));
  const double seconds = 30;
  CHECK(static_cast<double>(r.all.totals.succeeded) == Approx(100 * seconds).epsilon(0.02));
  CHECK(failures(r, "overloaded") == r.all.totals.failed);
  CHECK(r.all.totals.failed > 0);
  // Waiting in the queue shows as latency: up to 5 requests ahead, 10ms each.
  CHECK(r.all.latency.max > 50ms);
  CHECK(r.all.latency.max < 70ms);
}

TEST_CASE("Simulation: a node crash blackholes its pods until the health checks react", "[models][simulation]") {
  const auto r = run(fleet(R"([ { "name": "web", "replicas_per_cluster": 2,
                                   "service_time": { "dist": "constant", "value": "2ms" } } ])",
                           R"(, "faults": [ { "id": "n0", "kind": "node-crash", "target": "c1/node-0", "at": "10s" } ])",
                           "2"));
  // Round robin sends every other request to the dead node until the first failed probe (1s
  // interval, 1s timeout, 1 failure), then nothing more. Those requests wait out the 5s connect
  // timeout.
  CHECK(failures(r, "connect_timeout") == r.all.totals.failed);
  CHECK(r.all.totals.failed > 10);
  CHECK(r.all.totals.failed < 150);
  std::uint64_t late_failures = 0;
  for (const auto& point : r.all.series)
    if (point.start >= 13s) late_failures += point.counts.failed;
  CHECK(late_failures == 0);
  REQUIRE(r.faults.size() == 1);
  CHECK(r.faults[0].components == std::vector<std::string>{"c1/node-0", "c1/node-0/ztunnel", "c1/web-0"});
}

TEST_CASE("Simulation: a gateway tier outage fails every request of its clients", "[models][simulation]") {
  const auto r = run(fleet(R"([ { "name": "web", "replicas_per_cluster": 1,
                                   "service_time": { "dist": "constant", "value": "2ms" } } ])",
                           R"(, "faults": [ { "id": "gw", "kind": "gateway-tier-outage", "target": "r1", "at": "10s", "for": "10s" } ])"));
  std::uint64_t during = 0, during_failed = 0, outside_failed = 0;
  for (const auto& point : r.all.series) {
    const bool in = point.start >= 10s && point.start < 20s;
    (in ? during_failed : outside_failed) += point.counts.failed;
    if (in) during += point.counts.requests;
  }
  CHECK(during > 0);
  // Requests already past the proxies when it goes lose their answers too (counted as timeouts).
  CHECK(during_failed == during);
  CHECK(outside_failed <= 2);
  CHECK(failures(r, "gateway_unreachable") + failures(r, "timeout") == r.all.totals.failed);
}

TEST_CASE("Simulation: a pod crash on a live node is refused at once", "[models][simulation]") {
  const auto r = run(fleet(R"([ { "name": "web", "replicas_per_cluster": 2,
                                   "service_time": { "dist": "constant", "value": "2ms" } } ])",
                           R"(, "faults": [ { "id": "p", "kind": "pod-crash", "target": "c1/web-1", "at": "10s" } ])",
                           "2"));
  CHECK(r.all.totals.failed > 0);
  CHECK(failures(r, "connection_refused") == r.all.totals.failed);
  REQUIRE(r.faults.size() == 1);
  CHECK(r.faults[0].components == std::vector<std::string>{"c1/web-1"});
}

TEST_CASE("Simulation: a gray failure fails its share of requests while probes keep passing", "[models][simulation]") {
  // Half the requests that reach web-0 get a 503 from 10s on; the gateway's health checks keep
  // passing (the shallow check only asks whether the pod is up), so web-0 stays in rotation: a
  // zombie. Round robin sends it half the traffic, so about a quarter of requests fail.
  const auto r = run(fleet(R"([ { "name": "web", "replicas_per_cluster": 2,
                                   "service_time": { "dist": "constant", "value": "2ms" } } ])",
                           R"(, "faults": [ { "id": "g", "kind": "gray-failure", "target": "c1/web-0", "at": "10s",
                                              "error_rate": 0.5 } ])",
                           "2", "1000/s"));
  std::uint64_t before = 0, after = 0, after_requests = 0;
  for (const auto& point : r.all.series) {
    if (point.start < 10s) before += point.counts.failed;
    else {
      after += point.counts.failed;
      after_requests += point.counts.requests;
    }
  }
  CHECK(before == 0);
  CHECK(static_cast<double>(after) / static_cast<double>(after_requests) == Approx(0.25).margin(0.02));
  CHECK(failures(r, "error_response") == r.all.totals.failed);
}

TEST_CASE("Simulation: a service whose waypoint cannot be resolved fails closed", "[models][simulation]") {
  // web -> api through api's only waypoint replica, on node 2. Node 2 dies at 10s: first calls
  // time out against the dead waypoint; once the node is NotReady (50s grace) and istiod has pushed,
  // ztunnel has no waypoint for api and fails the call at once rather than bypass the waypoint.
  std::string text = fleet(R"([
      { "name": "web", "replicas_per_cluster": 1, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 1, "service_time": { "dist": "constant", "value": "1ms" },
        "waypoint": { "replicas": 1 } } ])",
                           R"(, "faults": [ { "id": "n2", "kind": "node-crash", "target": "c1/node-2", "at": "10s" } ])",
                           "3");
  text.replace(text.find(R"("duration": "30s")"), 17, R"("duration": "90s")");
  const auto r = run(text);
  // web sees its call fail (and, while calls hang for their 1s timeout, web itself backs up).
  CHECK(failures(r, "dependency_failed") > 0);
  std::uint64_t late_ok = 0, late_requests = 0;
  for (const auto& point : r.all.series)
    if (point.start >= 75s) {
      late_ok += point.counts.succeeded;
      late_requests += point.counts.requests;
    }
  CHECK(late_requests > 0);
  CHECK(late_ok == 0);  // fail closed: nothing reaches api without its waypoint
  REQUIRE(r.services.size() == 2);
  std::uint64_t api_late = 0;
  for (const auto& by_region : r.services[1].requests_by_region)
    for (std::size_t s = 75; s < by_region.size(); ++s) api_late += by_region[s];
  CHECK(api_late == 0);
}
