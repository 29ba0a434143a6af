// Per-fault metrics measured on whole simulated runs whose answers are known by construction.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

std::string two_regions(const std::string& gateway_extra, const std::string& faults) {
  return R"({
    "faultline": 1, "name": "metrics", "run": { "duration": "300s", "step": "1s", "seed": 17 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 2, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] )" + gateway_extra + R"( },
    "clients": [ { "region": "a", "rate": "100/s" }, { "region": "b", "rate": "100/s" } ],
    "slo": { "availability": 0.99, "recovery_window": "30s", "recovery_hold": "60s" },
    "faults": [ )" + faults + R"( ] })";
}

}  // namespace

TEST_CASE("fault metrics: a fault that fails exactly one region's traffic for 60 s", "[models][metrics][scenario]") {
  // Region a's gateway proxies are down 60s..120s and nothing redirects its clients (no DNS):
  // every request of clients-a in those 60 s fails, nothing else does.
  const auto r = test_support::run_scenario_text(
      two_regions("", R"({ "id": "vip-a", "kind": "gateway-tier-outage", "target": "a", "at": "60s", "for": "60s" })"));
  REQUIRE(r.faults.size() == 1);
  const models::results::FaultImpact& im = r.faults[0].impact;
  CHECK_FALSE(im.time_to_detect);  // no routing reaction: nothing in front of the VIP can react
  CHECK(im.time_to_recover == 89s);  // 60 s of failures, seen by the 30 s window for 29 s more
  CHECK(im.window_start == 60s);
  CHECK(im.window_end == 150s);
  CHECK(im.failed == test_support::failures(r, "gateway_unreachable"));
  CHECK(static_cast<double>(im.failed) == Approx(100.0 * 60).epsilon(0.05));
  CHECK(im.bad_share == Approx(60.0 / 90.0 / 2).epsilon(0.05));  // half the traffic, 60 of 90 steps
  CHECK(im.peak_error_rate == Approx(0.5).margin(0.1));
  CHECK(im.clients == std::vector<std::string>{"clients-a"});
  CHECK(im.client_regions == std::vector<std::string>{"a"});
  CHECK(im.routes == std::vector<std::string>{"routes/0 PathPrefix /"});
  // Budget: 1% of 60,000 requests may fail; 6,000 did.
  CHECK(im.error_budget_burned == Approx(6000.0 / 600.0).epsilon(0.06));
}

TEST_CASE("fault metrics: time to detect follows the health checks' timing, and fail-back their recovery",
          "[models][metrics][scenario]") {
  // Probes every 2s, 2 failures to mark unhealthy: a refused pod is detected 2 to 4 s after it
  // crashes. Cluster ca is down 60s..120s; its clients fail over to b; after it returns, two passing
  // probes (2 to 4 s) bring them back.
  const auto r = test_support::run_scenario_text(two_regions(
      R"(, "health_check": { "interval": "2s", "timeout": "1s" })",
      R"({ "id": "ca", "kind": "cluster-outage", "target": "ca", "at": "60s", "for": "60s" })"));
  const models::results::FaultImpact& im = r.faults[0].impact;
  REQUIRE(im.time_to_detect);
  CHECK(*im.time_to_detect >= 2s);  // the blackholed pods' probes time out after 1 s
  CHECK(*im.time_to_detect < 5s);
  CHECK(im.detected_by == "gateway_health_check");
  REQUIRE(im.time_to_fail_back);
  CHECK(*im.time_to_fail_back >= 2s);
  CHECK(*im.time_to_fail_back <= 6s);
  CHECK(im.clusters == std::vector<std::string>{"ca"});
  CHECK(im.services == std::vector<std::string>{"web"});
}
