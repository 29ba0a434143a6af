// The results' series of points: a row per step in a sim::StepLog, read back exactly.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "models/results/run_result.hpp"

namespace {

models::results::SeriesPoint point(std::uint64_t k) {
  models::results::SeriesPoint p;
  p.start = sim::Duration{static_cast<std::int64_t>(k) * 5'000'000'000};
  p.counts.requests = 100 + k;
  p.counts.succeeded = 90 + k;
  p.counts.failed = 10;
  p.counts.slow = k % 3;
  p.counts.failures_by_reason = {0, k, 2 * k};
  p.counts.served_by_region = {k, 7};
  p.latency = models::results::LatencySummary{sim::Duration{k}, sim::Duration{2}, sim::Duration{-3}, sim::Duration{4}, sim::Duration{5}, sim::Duration{}};
  return p;
}

bool same(const models::results::SeriesPoint& a, const models::results::SeriesPoint& b) {
  return a.start == b.start && a.counts.requests == b.counts.requests && a.counts.succeeded == b.counts.succeeded &&
         a.counts.failed == b.counts.failed && a.counts.slow == b.counts.slow &&
         a.counts.failures_by_reason == b.counts.failures_by_reason &&
         a.counts.served_by_region == b.counts.served_by_region && a.latency.p50 == b.latency.p50 &&
         a.latency.p90 == b.latency.p90 && a.latency.p99 == b.latency.p99 && a.latency.p999 == b.latency.p999 &&
         a.latency.max == b.latency.max;
}

}  // namespace

TEST_CASE("PointSeries: a day of points round-trips, negative durations included", "[models][results]") {
  models::results::PointSeries series;
  const std::uint64_t steps = 17'280;  // a day at a 5 s step
  for (std::uint64_t k = 0; k < steps; ++k) series.push_back(point(k));
  REQUIRE(series.size() == steps);
  CHECK(same(series.front(), point(0)));
  CHECK(same(series.back(), point(steps - 1)));
  std::uint64_t k = 0;
  bool all_same = true;
  for (const models::results::SeriesPoint& p : series) all_same = all_same && same(p, point(k++));
  CHECK(all_same);
  CHECK(k == steps);

  models::results::SeriesPoint other = point(1);
  other.counts.served_by_region.push_back(0);  // a third region
  CHECK_THROWS_AS(series.push_back(other), std::invalid_argument);
}
