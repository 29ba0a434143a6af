#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "sim/run_result.hpp"
#include "sim/step_log.hpp"

namespace {

sim::SeriesPoint point(std::uint64_t k) {
  sim::SeriesPoint p;
  p.start = sim::Duration{static_cast<std::int64_t>(k) * 5'000'000'000};
  p.counts.requests = 100 + k;
  p.counts.succeeded = 90 + k;
  p.counts.failed = 10;
  p.counts.slow = k % 3;
  p.counts.failures_by_reason = {0, k, 2 * k};
  p.counts.served_by_region = {k, 7};
  p.latency = sim::LatencySummary{sim::Duration{k}, sim::Duration{2}, sim::Duration{-3}, sim::Duration{4}, sim::Duration{5}};
  return p;
}

bool same(const sim::SeriesPoint& a, const sim::SeriesPoint& b) {
  return a.start == b.start && a.counts.requests == b.counts.requests && a.counts.succeeded == b.counts.succeeded &&
         a.counts.failed == b.counts.failed && a.counts.slow == b.counts.slow &&
         a.counts.failures_by_reason == b.counts.failures_by_reason &&
         a.counts.served_by_region == b.counts.served_by_region && a.latency.p50 == b.latency.p50 &&
         a.latency.p90 == b.latency.p90 && a.latency.p99 == b.latency.p99 && a.latency.p999 == b.latency.p999 &&
         a.latency.max == b.latency.max;
}

}  // namespace

TEST_CASE("StepLog: rows beyond a block go to disk and read back exactly, in any order", "[sim][step_log]") {
  sim::StepLog log(3);
  const std::size_t rows = 3 * sim::StepLog::kRowsPerBlock + 17;  // three spilled blocks and a tail
  for (std::uint64_t k = 0; k < rows; ++k) {
    const std::uint64_t row[3] = {k, k * k, ~k};
    log.append(row);
  }
  REQUIRE(log.size() == rows);
  for (const std::size_t k : {std::size_t{0}, rows - 1, std::size_t{1024}, std::size_t{5}, std::size_t{2047}, std::size_t{3072},
                              std::size_t{1023}, rows - 17}) {
    CAPTURE(k);
    std::uint64_t row[3];
    log.read(k, row);
    CHECK(row[0] == k);
    CHECK(row[1] == k * k);
    CHECK(row[2] == ~static_cast<std::uint64_t>(k));
    CHECK(log.first_word(k) == k);
  }
  CHECK_THROWS_AS(log.first_word(rows), std::out_of_range);
}

TEST_CASE("StepLog: a copy shares what was spilled, and both go on appending on their own", "[sim][step_log]") {
  sim::CountSeries a;
  for (std::uint64_t k = 0; k < 1500; ++k) a.push_back(k);
  sim::CountSeries b = a;
  for (std::uint64_t k = 0; k < 1000; ++k) a.push_back(10'000 + k);
  for (std::uint64_t k = 0; k < 1000; ++k) b.push_back(20'000 + k);
  REQUIRE(a.size() == 2500);
  REQUIRE(b.size() == 2500);
  for (std::size_t k = 0; k < 1500; ++k) REQUIRE((a[k] == k && b[k] == k));
  for (std::size_t k = 1500; k < 2500; ++k) REQUIRE((a[k] == 10'000 + k - 1500 && b[k] == 20'000 + k - 1500));
  std::uint64_t sum = 0;
  for (const std::uint64_t v : a) sum += v;
  CHECK(sum == 1499 * 1500 / 2 + 10'000 * 1000 + 999 * 1000 / 2);
  CHECK(a.to_vector().size() == 2500);
}

TEST_CASE("PointSeries: a day of points round-trips, negative durations included", "[sim][step_log]") {
  sim::PointSeries series;
  const std::uint64_t steps = 17'280;  // a day at a 5 s step
  for (std::uint64_t k = 0; k < steps; ++k) series.push_back(point(k));
  REQUIRE(series.size() == steps);
  CHECK(same(series.front(), point(0)));
  CHECK(same(series.back(), point(steps - 1)));
  std::uint64_t k = 0;
  bool all_same = true;
  for (const sim::SeriesPoint& p : series) all_same = all_same && same(p, point(k++));
  CHECK(all_same);
  CHECK(k == steps);

  sim::SeriesPoint other = point(1);
  other.counts.served_by_region.push_back(0);  // a third region
  CHECK_THROWS_AS(series.push_back(other), std::invalid_argument);
}
