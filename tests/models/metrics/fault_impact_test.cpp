// Per-fault metrics on series and cause buckets whose answers are known by construction.
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

// A cause bucket of `faults` holding `bad(k)` failed requests in steps [from, to), all of the one
// client group, entry service "web" and cluster "c0".
template <class Bad>
models::results::CauseBucket bucket(std::vector<std::uint32_t> faults, std::size_t from, std::size_t to, Bad bad) {
  models::results::CauseBucket b;
  b.faults = std::move(faults);
  b.first_step = from;
  std::uint64_t total = 0;
  for (std::size_t k = from; k < to; ++k) {
    b.failed.push_back(static_cast<std::uint32_t>(bad(k)));
    b.slow.push_back(0);
    total += bad(k);
  }
  b.clients = {total};
  b.services = {{"web", total}};
  b.clusters = {{"c0", total}};
  return b;
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
  f.reach_components = {3};
  r.faults.push_back(f);
  r.causes.push_back(bucket({0}, 60, 120, [](std::size_t) { return 100u; }));
  r.reactions.push_back({50s, "too_early", {0}});
  r.reactions.push_back({62s, "another_fault", {}});  // not a reaction to anything this fault did
  r.reactions.push_back({63s, "gateway_health_check", {0}});
  models::results::DatabaseResult db;
  db.failures.push_back({61s, 3, 42, 91s});
  db.failures.push_back({70s, 4, 5, 80s});  // a primary the fault does not reach
  db.failures.push_back({200s, 3, 7, std::nullopt});  // another failure, after this fault
  r.databases.push_back(db);

  models::metrics::measure_fault_impact(r, models::metrics::ImpactOptions{10s, 20s, 0.05});
  const models::results::FaultImpact& im = r.faults[0].impact;
  CHECK(im.time_to_detect == 3s);
  CHECK(im.detected_by == "gateway_health_check");
  CHECK(im.time_to_recover == 69s);  // 60 s failing, then the 10 s window (less one step) sees it
  CHECK(im.time_to_fail_back == 4s);
  CHECK(im.window_start == 60s);
  CHECK(im.window_end == 130s);  // while it lasted, and until it recovered
  CHECK(im.bad == 6000);
  CHECK(im.requests == 7000);
  CHECK(im.bad_share == Approx(6000.0 / 7000.0));
  CHECK(im.peak_error_rate == 1.0);
  CHECK(im.error_budget_burned == Approx(6000.0 / (0.01 * 30000.0)));
  CHECK(im.clients == std::vector<std::string>{"clients-r0"});
  CHECK(im.lost_writes == 42);
  CHECK(im.write_unavailable == 30s);
  CHECK(im.shared == 0);
  CHECK(r.no_fault.bad == 0);
}

TEST_CASE("measure_fault_impact: a fault nobody noticed and that never recovered", "[sim][impact]") {
  models::results::RunResult r = synthetic(100, [](std::size_t k) { return k >= 50 ? 10u : 0u; }, [](std::size_t) { return false; });
  models::results::FaultRecord f;
  f.id = "forever";
  f.start = 50s;
  r.faults.push_back(f);
  r.causes.push_back(bucket({0}, 50, 100, [](std::size_t) { return 10u; }));
  models::metrics::measure_fault_impact(r, models::metrics::ImpactOptions{});
  const models::results::FaultImpact& im = r.faults[0].impact;
  CHECK_FALSE(im.time_to_detect);
  CHECK_FALSE(im.time_to_recover);
  CHECK_FALSE(im.time_to_fail_back);
  CHECK(im.window_end == 100s);
  CHECK(im.bad == 500);
  CHECK(im.peak_error_rate == Approx(0.1));
}

TEST_CASE("measure_fault_impact: by cause, two overlapping faults keep their own requests; shared ones count for both",
          "[sim][impact]") {
  // Fault a (steps 60..120) fails 30 requests a step; fault b (steps 90..150) fails 10 a step on
  // its own; in 90..100, 5 requests a step have both behind them. 2 a step fail all run long with
  // no fault behind them.
  models::results::RunResult r = synthetic(
      300,
      [](std::size_t k) {
        std::uint64_t bad = 2;
        if (k >= 60 && k < 120) bad += 30;
        if (k >= 90 && k < 150) bad += 10;
        if (k >= 90 && k < 100) bad += 5;
        return bad;
      },
      [](std::size_t) { return false; });
  r.all.totals.failed = 0;
  for (const auto& p : r.all.series) r.all.totals.failed += p.counts.failed;
  models::results::FaultRecord a, b;
  a.id = "a";
  a.start = 60s;
  a.end = 120s;
  b.id = "b";
  b.start = 90s;
  b.end = 150s;
  r.faults = {a, b};
  r.causes.push_back(bucket({0}, 60, 120, [](std::size_t) { return 30u; }));
  r.causes.push_back(bucket({1}, 90, 150, [](std::size_t) { return 10u; }));
  r.causes.push_back(bucket({0, 1}, 90, 100, [](std::size_t) { return 5u; }));
  r.reactions.push_back({70s, "gateway_health_check", {0}});
  r.reactions.push_back({95s, "outlier_detection", {1}});

  models::metrics::measure_fault_impact(r, models::metrics::ImpactOptions{10s, 20s, 0.05});
  const models::results::FaultImpact& ia = r.faults[0].impact;
  const models::results::FaultImpact& ib = r.faults[1].impact;
  CHECK(ia.bad == 60 * 30 + 10 * 5);
  CHECK(ib.bad == 60 * 10 + 10 * 5);
  CHECK(ia.shared == 50);
  CHECK(ib.shared == 50);
  // Detection: each its own reaction, not the other's earlier or later one.
  CHECK(ia.time_to_detect == 10s);
  CHECK(ia.detected_by == "gateway_health_check");
  CHECK(ib.time_to_detect == 5s);
  CHECK(ib.detected_by == "outlier_detection");
  // Peak error rate: each fault's own worst step (a's 35 of 100 while shared, b's 15).
  CHECK(ia.peak_error_rate == Approx(0.35));
  CHECK(ib.peak_error_rate == Approx(0.15));
  // Recovery on its own bad requests: a recovers when its own stop, although b still fails 10%.
  REQUIRE(ia.time_to_recover);
  CHECK(*ia.time_to_recover == 69s);
  REQUIRE(ib.time_to_recover);
  CHECK(*ib.time_to_recover == 68s);  // the window ending one step early, 10 bad of 1,000, already meets 99%
  // The two taken as one failure (a pair in faultline fmea): every request either caused, once.
  const models::results::FaultImpact pair = models::metrics::measure_combined_impact(r, {1, 0});
  CHECK(pair.bad == 60 * 30 + 60 * 10 + 10 * 5);
  CHECK(pair.shared == 0);  // no fault outside the pair
  CHECK(pair.time_to_detect == 10s);  // the first reaction to either, from the first start
  CHECK(pair.detected_by == "gateway_health_check");
  CHECK(pair.window_start == 60s);
  CHECK(pair.peak_error_rate == Approx(0.45));
  REQUIRE(pair.time_to_recover);
  CHECK(*pair.time_to_recover == 98s);  // the last bad step is 149: 158 - 60
  CHECK(models::metrics::measure_combined_impact(r, {0}).bad == ia.bad);
  CHECK(models::metrics::measure_combined_impact(r, {7}).bad == 0);  // no such fault
  // What no fault caused: 2 a step, all run long.
  CHECK(r.no_fault.failed == 300 * 2);
  CHECK(r.no_fault.bad == 300 * 2);
  CHECK(r.no_fault.share == Approx(0.02));
}
