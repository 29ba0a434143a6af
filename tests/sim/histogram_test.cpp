#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "sim/histogram.hpp"
#include "sim/rng.hpp"

using sim::Duration;
using sim::LatencyHistogram;

TEST_CASE("LatencyHistogram: buckets tile the value range without gaps", "[sim][histogram]") {
  for (std::size_t b = 0; b < 4000; ++b) {
    CAPTURE(b);
    CHECK(LatencyHistogram::bucket_of(LatencyHistogram::bucket_low(b)) == b);
    CHECK(LatencyHistogram::bucket_low(b + 1) == LatencyHistogram::bucket_low(b) + LatencyHistogram::bucket_width(b));
  }
}

TEST_CASE("LatencyHistogram: quantiles are within 1% of the exact order statistic", "[sim][histogram]") {
  sim::RngStream rng(3, 0, "histogram");
  std::vector<std::int64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 100000; ++i) {
    // Log-uniform from 10us to 10s: every octave gets exercised.
    const double x = 1e4 * std::pow(1e6, rng.uniform01());
    const auto v = static_cast<std::int64_t>(x);
    values.push_back(v);
    h.record_ns(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999}) {
    CAPTURE(q);
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    const double exact = static_cast<double>(values[rank - 1]);
    const double approx = static_cast<double>(h.quantile(q).count());
    CHECK(std::abs(approx - exact) / exact < 0.01);
  }
  CHECK(h.count() == 100000);
  CHECK(h.max().count() == values.back());
  CHECK(h.min().count() == values.front());
}

TEST_CASE("LatencyHistogram: small values are exact, merge adds, clear empties", "[sim][histogram]") {
  LatencyHistogram a, b;
  for (int v = 1; v <= 100; ++v) a.record_ns(v);
  CHECK(a.quantile(0.5).count() == 50);
  CHECK(a.quantile(1.0).count() == 100);
  b.record_ns(1000, 100);
  a.merge(b);
  CHECK(a.count() == 200);
  CHECK(a.quantile(0.25).count() == 50);
  CHECK(a.quantile(0.5).count() == 100);
  CHECK(a.quantile(0.75).count() == Approx(1000).epsilon(0.004));
  a.clear();
  CHECK(a.count() == 0);
  CHECK(a.quantile(0.5) == Duration::zero());
}

TEST_CASE("LatencyHistogram: the mean is exact, whatever the buckets and the merge order", "[sim][histogram]") {
  LatencyHistogram a, b, c;
  CHECK(a.mean() == Duration::zero());
  a.record_ns(1'000'000'007);      // a bucket a few microseconds wide: the mean still counts every ns
  b.record_ns(3, 2);
  c.record_ns(90'000'000'000, 3);  // 90 s, three times: the sum passes 2^64 ns only with many more
  LatencyHistogram ab = a;
  ab.merge(b);
  ab.merge(c);
  LatencyHistogram cb = c;
  cb.merge(b);
  cb.merge(a);
  const std::int64_t expected = (1'000'000'007 + 6 + 270'000'000'000) / 6;
  CHECK(ab.mean().count() == expected);
  CHECK(cb.mean().count() == expected);
  // Beyond 64 bits of nanoseconds: 2^40 values of 10 s sum to 1.1e22 ns.
  LatencyHistogram big;
  big.record_ns(10'000'000'000, std::uint64_t{1} << 40);
  CHECK(big.mean().count() == 10'000'000'000);
  ab.clear();
  CHECK(ab.mean() == Duration::zero());
}
