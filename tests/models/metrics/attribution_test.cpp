// Attribution by cause on whole runs: two faults that overlap in time but not in effect keep what
// each does alone; two that interact count their shared bad requests for both.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

const models::results::FaultRecord& fault(const models::results::RunResult& r, const std::string& id) {
  const auto it = std::find_if(r.faults.begin(), r.faults.end(), [&](const auto& f) { return f.id == id; });
  REQUIRE(it != r.faults.end());
  return *it;
}

// Three regions, one cluster each; region c is closest to b. A region outage of c and a gray
// failure of a's pods (20% of their requests answered 503), as in issue 13.
std::string three_regions(const std::string& faults) {
  return R"({
    "faultline": 1, "name": "overlap", "run": { "duration": "300s", "step": "1s", "seed": 23 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 2, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] },
      { "name": "c", "zones": ["c-1"], "clusters": [ { "name": "cc", "nodes": 2 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "20ms" }, { "from": "b", "to": "c", "latency": "10ms" },
                  { "from": "a", "to": "c", "latency": "40ms" } ],
    "services": [ { "name": "web", "replicas_per_cluster": 3, "concurrency": 8,
                    "service_time": { "dist": "exponential", "mean": "5ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ], "health_check": { "interval": "2s", "timeout": "1s" } },
    "clients": [ { "region": "a", "rate": "200/s" }, { "region": "b", "rate": "200/s" }, { "region": "c", "rate": "200/s" } ],
    "slo": { "availability": 0.99, "latency": "500ms" },
    "faults": [ )" + faults + R"( ] })";
}

const std::string kRegionC = R"({ "id": "c-down", "kind": "region-outage", "target": "c", "at": "60s", "for": "120s" })";
const std::string kGrayA =
    R"({ "id": "a-gray", "kind": "gray-failure", "target": "ca", "error_rate": 0.2, "at": "90s", "for": "120s" })";

// Equal within the noise of a count of this size: 5% and a few requests.
void check_close(std::uint64_t together, std::uint64_t alone) {
  CHECK(static_cast<double>(together) == Approx(static_cast<double>(alone)).epsilon(0.05).margin(20));
}

}  // namespace

TEST_CASE("attribution: two faults that overlap in time but not in effect each keep what they do alone",
          "[models][metrics][attribution][scenario]") {
  const auto both = test_support::run_scenario_text(three_regions(kRegionC + ", " + kGrayA));
  const auto outage_alone = test_support::run_scenario_text(three_regions(kRegionC));
  const auto gray_alone = test_support::run_scenario_text(three_regions(kGrayA));

  for (const auto& [id, alone] : {std::pair<std::string, const models::results::RunResult*>{"c-down", &outage_alone},
                                  {"a-gray", &gray_alone}}) {
    INFO(id);
    const auto& together = fault(both, id).impact;
    const auto& apart = fault(*alone, id).impact;
    CHECK(apart.bad > 100);  // each alone does real harm
    check_close(together.bad, apart.bad);
    check_close(together.failed, apart.failed);
    CHECK(together.clients == apart.clients);
    CHECK(together.client_regions == apart.client_regions);
    CHECK(together.detected_by == apart.detected_by);
    CHECK(together.time_to_detect.has_value() == apart.time_to_detect.has_value());
    if (together.time_to_detect && apart.time_to_detect)
      CHECK(sim::to_seconds(*together.time_to_detect) == Approx(sim::to_seconds(*apart.time_to_detect)).margin(2.0));
    CHECK(together.peak_error_rate == Approx(apart.peak_error_rate).margin(0.05));
    CHECK(together.shared == 0);
  }
  // Who saw them: the outage's clients are region c's, the gray failure's region a's.
  CHECK(fault(both, "c-down").impact.client_regions == std::vector<std::string>{"c"});
  CHECK(fault(both, "a-gray").impact.client_regions == std::vector<std::string>{"a"});
  // The gray failure passes every health check: no gateway health check detects it.
  CHECK(fault(both, "a-gray").impact.detected_by != "gateway_health_check");
  // Every bad request of the run is some fault's or no fault's.
  const auto& totals = both.all.totals;
  CHECK(fault(both, "c-down").impact.bad + fault(both, "a-gray").impact.bad + both.no_fault.bad ==
        totals.failed + totals.slow);
}

TEST_CASE("attribution: a failover into a region that lost capacity overloads it; the bad requests are both faults', shared",
          "[models][metrics][attribution][scenario]") {
  // Each region serves about 800 requests/s (2 pods, concurrency 4, 10 ms) and gets 300/s. Region
  // a's outage alone sends b 600/s (75%); b's node crash alone leaves it one pod for 300/s (75%);
  // together one pod gets 600/s, its queue fills and it turns requests away.
  const auto scenario = [](const std::string& faults) {
    return R"({
      "faultline": 1, "name": "interaction", "run": { "duration": "240s", "step": "1s", "seed": 29 },
      "regions": [
        { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 2, "config_cluster": true } ] },
        { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 2 } ] } ],
      "backbone": [ { "from": "a", "to": "b", "latency": "12ms" } ],
      "services": [ { "name": "web", "replicas_per_cluster": 2, "concurrency": 4, "queue_limit": 50,
                      "service_time": { "dist": "exponential", "mean": "10ms" } } ],
      "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ], "health_check": { "interval": "2s", "timeout": "1s" } },
      "clients": [ { "region": "a", "rate": "300/s" }, { "region": "b", "rate": "300/s" } ],
      "slo": { "availability": 0.999, "latency": "250ms" },
      "faults": [ )" + faults + R"( ] })";
  };
  const std::string outage = R"({ "id": "a-down", "kind": "region-outage", "target": "a", "at": "60s", "for": "120s" })";
  const std::string crash = R"({ "id": "b-node", "kind": "node-crash", "target": "cb/node-0", "at": "60s", "for": "120s" })";
  const auto both = test_support::run_scenario_text(scenario(outage + ", " + crash));
  const auto& a = fault(both, "a-down").impact;
  const auto& b = fault(both, "b-node").impact;
  CHECK(test_support::failures(both, "overloaded") > 100);
  // The overload's failures have both faults behind them: counted for each, and said to be shared.
  CHECK(a.shared > 100);
  CHECK(b.shared == a.shared);  // two faults: what one shares, the other does
  CHECK(a.bad >= a.shared);
  CHECK(b.bad >= b.shared);
  // Counted once in the run: each fault's own plus the shared once plus no fault's is every bad request.
  const auto& totals = both.all.totals;
  CHECK(a.bad + b.bad - a.shared + both.no_fault.bad == totals.failed + totals.slow);
  // Together worse than apart: the node crash alone hurts far less than in the pair.
  const auto crash_alone = test_support::run_scenario_text(scenario(crash));
  CHECK(fault(crash_alone, "b-node").impact.bad * 2 < b.bad);
  CHECK(fault(crash_alone, "b-node").impact.shared == 0);
}
