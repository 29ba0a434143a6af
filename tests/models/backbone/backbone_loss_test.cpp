// Packet loss on a backbone link: requests crossing it wait for TCP retransmissions.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

TEST_CASE("backbone loss: a lossy link adds retransmission timeouts to the requests that cross it",
          "[models][faults][scenario]") {
  // Clients in a reach web, which runs only in b. From 0s the a-b link loses 30% of packets: a
  // crossing that loses one waits Linux's 200 ms minimum RTO (counted on the way back too), so
  // about 30% of requests are slower than the 300 ms SLO. Hardly any fails: only a request that
  // loses 8 packets in a row (0.3^8, about one in 15,000) outlasts the gateway's 30s timeout.
  const auto r = test_support::run_scenario_text(R"({
    "faultline": 1, "name": "loss", "run": { "duration": "60s", "step": "1s", "seed": 5 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 1, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2, "clusters": ["cb"], "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "regions": ["a"], "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "timeout": "1s" } },
    "clients": [ { "region": "a", "rate": "200/s" } ],
    "slo": { "latency": "300ms" },
    "faults": [ { "id": "lossy", "kind": "backbone-degradation", "target": "a/b", "at": "0s", "loss": 0.3 } ] })");
  CHECK(r.all.totals.failed <= 3);
  const double slow = static_cast<double>(r.all.totals.slow) / static_cast<double>(r.all.totals.succeeded);
  CHECK(slow == Approx(0.3).margin(0.02));
}
