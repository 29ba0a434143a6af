// A Cloud DNS outage: who keeps working is decided by caches and pooled connections.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;

namespace {

std::string fleet(const std::string& client_dns) {
  return R"({
    "faultline": 1, "name": "dns-outage", "run": { "duration": "5m", "step": "5s", "seed": 12 },
    "regions": [ { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 2, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "dns": { "policy": "geolocation", "ttl": "60s" },
    "clients": [ { "region": "a", "rate": "100/s", "dns": )" + client_dns + R"( } ],
    "faults": [ { "id": "dns", "kind": "dns-outage", "at": "30s", "for": "2m" } ] })";
}

}  // namespace

TEST_CASE("DNS outage: clients fail as their cached answers expire, pooled connections carry on",
          "[models][dns][scenario]") {
  // The shared resolver fetched the answer near 0s and keeps it for the 60s TTL: from 60s nobody
  // can resolve until Cloud DNS is back at 150s.
  const auto ttl = test_support::run_scenario_text(fleet("{}"));
  CHECK(failed_share(ttl, 30s, 55s) == 0.0);
  CHECK(failed_share(ttl, 65s, 145s) == 1.0);
  CHECK(test_support::failures(ttl, "dns_failure") == ttl.all.totals.failed);
  CHECK(failed_share(ttl, 155s, 300s) == 0.0);
  // A client that keeps its connection for 10 minutes never asks again.
  const auto pooled = test_support::run_scenario_text(fleet(R"({ "connection_lifetime": "10m" })"));
  CHECK(pooled.all.totals.failed == 0);
}
