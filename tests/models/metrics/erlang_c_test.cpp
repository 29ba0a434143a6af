#include <catch2/catch.hpp>

#include <cmath>

#include "models/metrics/erlang_c.hpp"

TEST_CASE("Erlang C: M/M/c against textbook values, and an overloaded queue", "[metrics][erlang]") {
  using models::metrics::erlang_c;
  // M/M/1: P(wait) = rho, Wq = rho / (mu - lambda).
  const auto one = erlang_c(80, 0.01, 1);
  CHECK(one.utilization == Approx(0.8));
  CHECK(one.wait_probability == Approx(0.8));
  CHECK(one.mean_wait_s == Approx(0.8 / (100 - 80)));
  // M/M/4 at a = 3: C(4, 3) = 13.5 / 26.5 (the saturation test's example), Wq = C / (c mu - lambda).
  const auto four = erlang_c(300, 0.01, 4);
  CHECK(four.wait_probability == Approx(13.5 / 26.5));
  CHECK(four.mean_wait_s == Approx((13.5 / 26.5) / (400 - 300)));
  // Thousands of servers stay finite (no factorials).
  const auto big = erlang_c(190000, 0.01, 2000);
  CHECK(std::isfinite(big.wait_probability));
  CHECK(big.wait_probability >= 0);
  CHECK(big.wait_probability <= 1);
  const auto over = erlang_c(500, 0.01, 4);
  CHECK_FALSE(over.stable);
  CHECK(std::isinf(over.mean_wait_s));
}
