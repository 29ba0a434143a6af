// Client retries (models/traffic/clients, client_retries): a failed request is re-sent up to its
// attempts, after a back-off, within the group's budget; the request's outcome is its last
// attempt's, its latency runs from the first; re-sends count as load in the step they are sent.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "models/traffic/client_retries.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

// One pod of `web` that answers `error_rate` of its requests with 503 from 10 s to 40 s (a gray
// failure), or adds `added_latency`; the clients send 500/s for 50 s with `retries`.
std::string fleet(const std::string& retries, const std::string& fault) {
  return R"({
    "faultline": 1, "name": "t",
    "run": { "duration": "50s", "step": "1s", "seed": 5 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 1, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 1, "concurrency": 10000,
                    "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "timeout": "2s", "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "500/s", "retries": )" +
         retries + R"( } ],
    "faults": [ { "id": "g", "kind": "gray-failure", "target": "c1/web-0", "at": "10s", "for": "30s", )" +
         fault + R"( } ] })";
}

std::uint64_t failures(const models::results::RunResult& r, const std::string& reason) {
  return test_support::failures(r, reason);
}

// Within 4.5 standard deviations of a binomial count's mean.
bool binomial_near(double count, double n, double p) { return std::abs(count - n * p) <= 4.5 * std::sqrt(n * p * (1 - p)) + 1; }

}  // namespace

TEST_CASE("Client retries: three attempts against a pod failing half its requests succeed 1 - 0.5^3 of the time", "[traffic][simulation]") {
  const auto r = test_support::run_scenario_text(fleet(R"({ "attempts": 3 })", R"("error_rate": 0.5)"));
  // Requests first sent while the fault lasts, steps 10 to 39 (a 20 ms back-off ends inside them).
  double requests = 0, failed = 0, retries = 0, outside_retries = 0;
  for (std::size_t k = 0; k < r.all.series.size(); ++k) {
    const auto p = r.all.series[k];
    if (k >= 10 && k < 40) {
      requests += static_cast<double>(p.counts.requests);
      failed += static_cast<double>(p.counts.failed);
      retries += static_cast<double>(p.counts.retries);
    } else {
      outside_retries += static_cast<double>(p.counts.retries);
    }
  }
  REQUIRE(requests > 14000);
  CHECK(binomial_near(failed, requests, 0.125));  // every one of three attempts failed
  // Each request is re-sent once after a first failure (1/2) and again after a second (1/4).
  CHECK(std::abs(retries - 0.75 * requests) < 4.5 * std::sqrt(requests * 0.6875) + 10);
  CHECK(outside_retries <= 10);  // only the last back-offs of step 9 and of step 39 spill over
  CHECK(r.all.totals.retries == static_cast<std::uint64_t>(retries + outside_retries));
  CHECK(failures(r, "error_response") == r.all.totals.failed);
}

TEST_CASE("Client retries: a failover-free outage is a retry storm multiplying offered load by the attempts", "[traffic][simulation]") {
  const auto r = test_support::run_scenario_text(fleet(R"({ "attempts": 4, "backoff": "10ms" })", R"("error_rate": 1.0)"));
  double requests = 0, retries = 0, good = 0;
  for (std::size_t k = 12; k < 38; ++k) {
    const auto p = r.all.series[k];
    requests += static_cast<double>(p.counts.requests);
    retries += static_cast<double>(p.counts.retries);
    good += static_cast<double>(p.counts.succeeded);
  }
  CHECK(good == 0);
  // Every request is tried four times: offered load is 4x the clients' rate, within the noise of
  // which step a re-send falls in.
  CHECK((requests + retries) / requests == Approx(4.0).epsilon(0.01));
  // Before the fault nothing is re-sent.
  for (std::size_t k = 0; k < 10; ++k) CHECK(r.all.series[k].counts.retries == 0);
}

TEST_CASE("Client retries: a budget of 10% caps re-sends at a tenth of the requests", "[traffic][simulation]") {
  const auto r =
      test_support::run_scenario_text(fleet(R"({ "attempts": 4, "backoff": "10ms", "budget": 0.1 })", R"("error_rate": 1.0)"));
  // The fault's three whole 10 s windows: each window's budget goes in a burst at its start (the
  // requests of the ten seconds before allow it), then nothing until those seconds have passed.
  double requests = 0, retries = 0;
  for (std::size_t k = 10; k < 40; ++k) {
    requests += static_cast<double>(r.all.series[k].counts.requests);
    retries += static_cast<double>(r.all.series[k].counts.retries);
  }
  CHECK(retries / requests <= 0.1 + 0.005);
  CHECK(retries / requests >= 0.09);  // the budget is used to its end: every request failed
  CHECK(r.all.series[10].counts.retries > 400);  // the first burst
}

TEST_CASE("Client retries: only the listed failures are re-sent; a timeout is, at its deadline", "[traffic][simulation]") {
  // 503s are not in "on": no retries.
  const auto errors = test_support::run_scenario_text(fleet(R"({ "attempts": 3, "on": ["timeout"] })", R"("error_rate": 1.0)"));
  CHECK(errors.all.totals.retries == 0);
  CHECK(failures(errors, "error_response") > 14000);
  // A pod 3 s slow against a 2 s deadline: every attempt times out; two attempts each.
  const auto slow = test_support::run_scenario_text(
      fleet(R"({ "attempts": 2, "on": ["timeout"] })", R"("error_rate": 0, "added_latency": "3s")"));
  double requests = 0, timeouts = 0, retries = 0;
  for (std::size_t k = 10; k < 37; ++k) {  // second attempts before the fault ends at 40 s
    const auto p = slow.all.series[k];
    requests += static_cast<double>(p.counts.requests);
    timeouts += static_cast<double>(p.counts.failures_by_reason[9]);  // "timeout"
  }
  for (std::size_t k = 12; k < 39; ++k) retries += static_cast<double>(slow.all.series[k].counts.retries);
  REQUIRE(slow.failure_reasons[9] == "timeout");
  CHECK(timeouts == requests);                        // each request ends in its second timeout
  CHECK(retries / requests == Approx(1.0).epsilon(0.02));  // re-sent 2 s (its deadline) after it was sent
  // Every request has an outcome: the run's last steps closed after the longest retried request.
  CHECK(slow.all.totals.requests == slow.all.totals.succeeded + slow.all.totals.failed);
}

TEST_CASE("RetryBudget: retries within a fraction of the requests of the last ten seconds", "[traffic]") {
  models::traffic::RetryBudget budget;
  for (int i = 0; i < 100; ++i) budget.request(sim::SimTime::at(1s));
  for (int i = 0; i < 20; ++i) {
    REQUIRE(budget.allows(sim::SimTime::at(2s), 0.2));
    budget.retry(sim::SimTime::at(2s));
  }
  CHECK_FALSE(budget.allows(sim::SimTime::at(2s), 0.2));  // 21 > 20% of 100
  CHECK_FALSE(budget.allows(sim::SimTime::at(10s), 0.2));  // the requests of second 1 still count
  CHECK_FALSE(budget.allows(sim::SimTime::at(11s), 0.2));  // ...and none are left: second 1 has gone
  budget.request(sim::SimTime::at(11s));
  for (int i = 0; i < 9; ++i) budget.request(sim::SimTime::at(11s));
  CHECK_FALSE(budget.allows(sim::SimTime::at(11s), 0.2));  // 20 retries of second 2 against 10 requests
  CHECK(budget.allows(sim::SimTime::at(12s), 0.2));        // second 2 has gone: 1 <= 0.2 x 10
}
