// Client load over time (models/traffic/arrival_rate): the rate each shape gives at a time, its
// mean, and arrivals drawn by piecewise thinning counted against the rate's integral.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "models/traffic/arrival_rate.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using models::traffic::ArrivalRate;

namespace {

using Shape = ArrivalRate::Shape;

// Arrivals in each window [k * window, (k + 1) * window) up to `end`.
std::vector<double> counts(const ArrivalRate& rate, sim::Duration window, sim::Duration end, const char* stream) {
  sim::RngStream rng(7, 0, stream);
  std::vector<double> out(static_cast<std::size_t>(end / window), 0.0);
  const sim::SimTime stop = sim::SimTime::at(end);
  sim::SimTime t{};
  bool first = true;
  while ((t = rate.next(t, first, stop, rng)) < stop) {
    first = false;
    out[static_cast<std::size_t>(t.since_start() / window)] += 1;
  }
  return out;
}

// A Poisson count is within 4.5 standard deviations of its mean (fails about once in 150,000).
bool poisson_near(double count, double mean) { return std::abs(count - mean) <= 4.5 * std::sqrt(mean) + 1; }

}  // namespace

TEST_CASE("ArrivalRate: a constant rate draws exactly a plain Poisson process's gaps", "[traffic]") {
  const ArrivalRate rate = ArrivalRate::constant(250);
  sim::RngStream a(1, 0, "client/x"), b(1, 0, "client/x");
  const sim::SimTime end = sim::SimTime::at(1h);
  sim::SimTime t = rate.next(sim::SimTime{}, true, end, a);
  sim::SimTime expected = sim::SimTime::at(sim::from_seconds(b.exponential(1.0 / 250)));
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(t == expected);
    t = rate.next(t, false, end, a);
    expected = expected + std::max(sim::Duration{1}, sim::from_seconds(b.exponential(1.0 / 250)));
  }
}

TEST_CASE("ArrivalRate: the rate of a step and a linear profile, held before the first point and after the last", "[traffic]") {
  const ArrivalRate step = ArrivalRate::profile({{10s, 100, Shape::Step}, {20s, 300, Shape::Linear}, {40s, 100, Shape::Step}});
  CHECK(step.at(sim::SimTime::at(0s)) == 100);   // before the first point: its rate
  CHECK(step.at(sim::SimTime::at(15s)) == 100);  // step: held to the next point
  CHECK(step.at(sim::SimTime::at(20s)) == 300);
  CHECK(step.at(sim::SimTime::at(30s)) == Approx(200));  // linear: halfway from 300 to 100
  CHECK(step.at(sim::SimTime::at(40s)) == 100);
  CHECK(step.at(sim::SimTime::at(1h)) == 100);   // after the last: held
  CHECK(step.peak() == 300);
}

TEST_CASE("ArrivalRate: a step profile's arrivals per step are Poisson at each step's rate, none at rate 0", "[traffic]") {
  const ArrivalRate rate = ArrivalRate::profile(
      {{0s, 1000, Shape::Step}, {10s, 5000, Shape::Step}, {20s, 0, Shape::Step}, {30s, 2000, Shape::Step}});
  const auto per_window = counts(rate, 10s, 40s, "client/step");
  CHECK(poisson_near(per_window[0], 10000));
  CHECK(poisson_near(per_window[1], 50000));
  CHECK(per_window[2] == 0);
  CHECK(poisson_near(per_window[3], 20000));
}

TEST_CASE("ArrivalRate: a linear ramp's arrivals follow the area under the ramp", "[traffic]") {
  const ArrivalRate ramp = ArrivalRate::profile({{0s, 0, Shape::Linear}, {100s, 1000, Shape::Step}});
  const auto per_window = counts(ramp, 25s, 100s, "client/ramp");
  // The integral of 10 t over each quarter: 3,125, 9,375, 15,625, 21,875.
  CHECK(poisson_near(per_window[0], 3125));
  CHECK(poisson_near(per_window[1], 9375));
  CHECK(poisson_near(per_window[2], 15625));
  CHECK(poisson_near(per_window[3], 21875));
}

TEST_CASE("ArrivalRate: a diurnal sine peaks at peak_at and its arrivals per quarter day follow its integral", "[traffic]") {
  const ArrivalRate day = ArrivalRate::diurnal(10, 2, 3h);
  CHECK(day.at(sim::SimTime::at(3h)) == Approx(10));
  CHECK(day.at(sim::SimTime::at(15h)) == Approx(2));
  CHECK(day.at(sim::SimTime::at(9h)) == Approx(6));
  CHECK(day.at(sim::SimTime::at(27h)) == Approx(10));  // every day
  CHECK(day.peak() == 10);
  // Over [0, 6h): 6 x 21,600 + 4 x (86,400 / 2 pi) x (sin(pi/4) - sin(-pi/4)) requests.
  const double per_radian = 86400 / (2 * std::numbers::pi);
  const double first_quarter = 6 * 21600 + 4 * per_radian * (2 * std::sin(std::numbers::pi / 4));
  const auto per_window = counts(day, 6h, 24h, "client/day");
  CHECK(poisson_near(per_window[0], first_quarter));
  CHECK(poisson_near(per_window[2], 12 * 21600 - first_quarter));  // the trough's quarter mirrors it around the mean
  CHECK(poisson_near(per_window[0] + per_window[1] + per_window[2] + per_window[3], 6 * 86400));
}

TEST_CASE("ArrivalRate: a run with a step profile counts each step's requests at that step's rate", "[traffic][simulation]") {
  const std::string scenario = R"({
    "faultline": 1, "name": "t",
    "run": { "duration": "40s", "step": "10s", "seed": 3 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 4, "concurrency": 64 } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "profile": [ { "at": "0s", "rate": "200/s" }, { "at": "10s", "rate": "800/s" },
                                                { "at": "20s", "rate": "0/s" }, { "at": "30s", "rate": "400/s" } ] } ] })";
  const auto r = test_support::run_scenario_text(scenario);
  REQUIRE(r.all.series.size() >= 4);
  CHECK(poisson_near(static_cast<double>(r.all.series[0].counts.requests), 2000));
  CHECK(poisson_near(static_cast<double>(r.all.series[1].counts.requests), 8000));
  CHECK(r.all.series[2].counts.requests == 0);
  CHECK(poisson_near(static_cast<double>(r.all.series[3].counts.requests), 4000));
  CHECK(r.all.totals.failed == 0);
}
