// DNS in front of the gateway: how long clients keep using a dead VIP.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

// Two regions with a VIP each; clients in region a resolve the gateway through Cloud DNS
// (geolocation: nearest healthy VIP). Region a's gateway proxies fail at 60s for good.
std::string fleet(const std::string& ttl, const std::string& client_dns) {
  return R"({
    "faultline": 1, "name": "dns", "run": { "duration": "8m", "step": "5s", "seed": 12 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 2, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "dns": { "policy": "geolocation", "ttl": ")" + ttl + R"(", "health_delay": "30s" },
    "clients": [ { "region": "a", "rate": "100/s", "dns": )" + client_dns + R"( } ],
    "faults": [ { "id": "vip-a", "kind": "gateway-tier-outage", "target": "a", "at": "60s" } ] })";
}

// The last step start with a failure, in seconds.
double last_failure_s(const models::results::RunResult& r) {
  double last = 0;
  for (const auto& p : r.all.series)
    if (p.counts.failed > 0) last = sim::to_seconds(p.start);
  return last;
}

}  // namespace

TEST_CASE("DNS: a TTL of 300s delays failover by about that much", "[models][dns][scenario]") {
  // The resolver fetched the answer at the first request (t ~ 0) and keeps it for the TTL; Cloud
  // DNS itself sees region a's VIP as unhealthy from 90s (30s health delay).
  const auto slow = test_support::run_scenario_text(fleet("300s", "{}"));
  const double slow_end = last_failure_s(slow);
  CHECK(slow_end >= 290);  // failing until the TTL of the answer cached at t ~ 0 runs out at 300s
  CHECK(slow_end < 305);
  const auto fast = test_support::run_scenario_text(fleet("30s", "{}"));
  const double fast_end = last_failure_s(fast);
  CHECK(fast_end >= 85);   // not before Cloud DNS sees the failure (90s) ...
  CHECK(fast_end < 125);   // ... and within one TTL after
  CHECK(slow_end - fast_end > 150);
}

TEST_CASE("DNS: clients that cache forever never fail over; a pooled connection breaks with its VIP",
          "[models][dns][scenario]") {
  const auto forever = test_support::run_scenario_text(fleet("30s", R"({ "cache": "forever" })"));
  CHECK(last_failure_s(forever) >= 470);  // still failing at the end
  // A JVM-style 30s cache on top of a 30s TTL: up to a minute more than the TTL alone.
  const auto jvm = test_support::run_scenario_text(fleet("30s", R"({ "cache": "30s", "connection_lifetime": "5m" })"));
  CHECK(last_failure_s(jvm) < 160);
  CHECK(last_failure_s(jvm) >= 85);
}
