// A replicated database behind a service: writes lost inside the replication lag (RPO), writes
// refused until a replica is promoted (RTO), and synchronous replication's price.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

std::string fleet(const std::string& replication) {
  return R"({
    "faultline": 1, "name": "db", "run": { "duration": "3m", "step": "1s", "seed": 31 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 2, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "20ms" } ],
    "services": [ { "name": "orders", "clusters": ["ca"], "replicas_per_cluster": 2, "concurrency": 64,
                    "service_time": { "dist": "constant", "value": "1ms" }, "database": "orders-db" } ],
    "databases": [ { "name": "orders-db", "primary_region": "a", "replica_regions": ["b"], )" + replication + R"(,
                     "replication_lag": "500ms", "failover_detection": "20s", "promotion_delay": "40s" } ],
    "gateway": { "regions": ["a"], "routes": [ { "path_prefix": "/", "backend": "orders" } ] },
    "clients": [ { "region": "a", "rate": "200/s" } ],
    "faults": [ { "id": "db", "kind": "database-primary-failure", "target": "orders-db", "at": "60s" } ] })";
}

}  // namespace

TEST_CASE("Database: asynchronous replication loses the writes inside the lag, writes fail until promotion",
          "[models][data][scenario]") {
  const auto r = test_support::run_scenario_text(fleet(R"("replication": "async")"));
  REQUIRE(r.databases.size() == 1);
  const auto& db = r.databases[0];
  // Writes committed in the lag before the failure: rate x mean lag = 200/s x 0.5s = 100 expected.
  CHECK(db.lost_writes > 60);
  CHECK(db.lost_writes < 150);
  // Detection 20s + promotion 40s: 60s without a writable primary, then region b's replica.
  CHECK(db.write_unavailable == 60s);
  CHECK(db.failovers == 1);
  CHECK(db.primary_region == "b");
  CHECK(static_cast<double>(db.failed_writes) == Approx(200 * 60).epsilon(0.05));
  CHECK(test_support::failures(r, "dependency_failed") == db.failed_writes);
}

TEST_CASE("Database: synchronous replication loses nothing and costs a round trip per write", "[models][data][scenario]") {
  const auto sync = test_support::run_scenario_text(fleet(R"("replication": "sync")"));
  const auto async = test_support::run_scenario_text(fleet(R"("replication": "async")"));
  CHECK(sync.databases[0].lost_writes == 0);
  CHECK(sync.databases[0].write_unavailable == 60s);
  // Before the failure the commit waits for region b: + 40ms (2 x 20ms) on every request.
  const auto p50 = [](const models::results::RunResult& r) { return r.all.series[10].latency.p50; };
  CHECK(p50(sync) - p50(async) > 39ms);
  CHECK(p50(sync) - p50(async) < 42ms);
}
