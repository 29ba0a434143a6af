// Per-fault metrics on series whose answers are known by construction.
#include <catch2/catch.hpp>

#include <cmath>

#include "models/metrics/fault_impact.hpp"

using namespace std::chrono_literals;

namespace {

// A run of `steps` 1 s steps, 100 requests each; `bad(k)` of them fail in step k. Two regions:
// before and after the fault all traffic goes to region 0; while `moved(k)` it goes to region 1.
template <class Bad, class Moved>
models::results::RunResult synthetic(std::size_t steps, Bad bad, Moved moved) {
  models::results::RunResult r;
  r.step = 1s;
  r.duration = std::chrono::seconds{static_cast<std::int64_t>(steps)};
  r.slo_availability = 0.99;
  r.regions = {"r0", "r1"};
  for (std::size_t k = 0; k < steps; ++k) {
    models::results::SeriesPoint p;
    p.start = std::chrono::seconds{static_cast<std::int64_t>(k)};
    p.counts.requests = 100;
    p.counts.failed = bad(k);
    p.counts.succeeded = 100 - p.counts.failed;
    p.counts.served_by_region = moved(k) ? std::vector<std::uint64_t>{0, 100} : std::vector<std::uint64_t>{100, 0};
    r.all.series.push_back(p);
  }
  r.all.totals.requests = 100 * steps;
  models::results::GroupResult clients = r.all;
  clients.name = "clients-r0";
  clients.region = "r0";
  r.clients.push_back(clients);
  return r;
}

}  // namespace

TEST_CASE("first_recovered_step: the first step whose window and the hold after it meet the target", "[sim][impact]") {
  const std::vector<std::uint64_t> requests(20, 100);
  std::vector<std::uint64_t> good(20, 100);
  for (std::size_t k = 5; k < 10; ++k) good[k] = 0;
  CHECK(models::metrics::first_recovered_step(requests, good, 5, 1, 3, 0.99) == 10u);
  CHECK(models::metrics::first_recovered_step(requests, good, 5, 4, 3, 0.99) == 13u);  // the window still sees step 9 until 13
  CHECK(models::metrics::first_recovered_step(requests, good, 5, 1, 15, 0.99) == std::nullopt);  // the run ends first
  CHECK(models::metrics::first_recovered_step(requests, good, 0, 1, 2, 0.99) == 0u);  // good before the failure counts too
}

TEST_CASE("measure_fault_impact: an outage that fails every request for 60 s", "[sim][impact]") {
  // Steps 60..119 fail entirely; traffic moves to r1 from 62 to 124 (failback 4 s after the end).
  models::results::RunResult r = synthetic(300, [](std::size_t k) { return k >= 60 && k < 120 ? 100u : 0u; },
                               [](std::size_t k) { return k >= 62 && k < 124; });
  models::results::FaultRecord f;
  f.id = "outage";
  f.start = 60s;
  f.end = 120s;
  r.faults.push_back(f);
  r.reactions.push_back({50s, "too_early"});
  r.reactions.push_back({63s, "gateway_health_check"});
  models::results::DatabaseResult db;
  db.failures.push_back({61s, 42, 91s});
  db.failures.push_back({200s, 7, std::nullopt});  // another failure, after this fault
  r.databases.push_back(db);

  models::metrics::measure_fault_impact(r, models::metrics::ImpactOptions{10s, 20s, 0.05});
  const models::results::FaultImpact& im = r.faults[0].impact;
  CHECK(im.time_to_detect == 3s);
  CHECK(im.detected_by == "gateway_health_check");
  CHECK(im.time_to_recover == 69s);  // 60 s failing, then the 10 s window (less one step) sees it
  CHECK(im.time_to_fail_back == 4s);
  CHECK(im.window_start == 60s);
  CHECK(im.window_end == 130s);
  CHECK(im.bad == 6000);
  CHECK(im.requests == 7000);
  CHECK(im.bad_share == Approx(6000.0 / 7000.0));
  CHECK(im.peak_error_rate == 1.0);
  CHECK(im.error_budget_burned == Approx(6000.0 / (0.01 * 30000.0)));
  CHECK(im.clients == std::vector<std::string>{"clients-r0"});
  CHECK(im.lost_writes == 42);
  CHECK(im.write_unavailable == 30s);
}

TEST_CASE("measure_fault_impact: a fault nobody noticed and that never recovered", "[sim][impact]") {
  models::results::RunResult r = synthetic(100, [](std::size_t k) { return k >= 50 ? 10u : 0u; }, [](std::size_t) { return false; });
  models::results::FaultRecord f;
  f.id = "forever";
  f.start = 50s;
  r.faults.push_back(f);
  models::metrics::measure_fault_impact(r, models::metrics::ImpactOptions{});
  const models::results::FaultImpact& im = r.faults[0].impact;
  CHECK_FALSE(im.time_to_detect);
  CHECK_FALSE(im.time_to_recover);
  CHECK_FALSE(im.time_to_fail_back);
  CHECK(im.window_end == 100s);
  CHECK(im.bad == 500);
  CHECK(im.peak_error_rate == Approx(0.1));
}
