// Means with 95% confidence intervals over replications, and paired comparisons of strategies.
// Reference values of Student's t were computed independently with mpmath (inverting the
// regularized incomplete beta function at 30 digits).

#include "sim/statistics.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace {

using sim::stats::compare_paired;
using sim::stats::Direction;
using sim::stats::significant_winner;
using sim::stats::summarize;
using sim::stats::t_critical_95;
using sim::stats::Verdict;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

using Values = std::vector<double>;

}  // namespace

TEST_CASE("t_critical_95: the textbook table to three decimals", "[sim][statistics]") {
  CHECK(t_critical_95(1) == Approx(12.706).margin(0.0005));
  CHECK(t_critical_95(2) == Approx(4.303).margin(0.0005));
  CHECK(t_critical_95(5) == Approx(2.571).margin(0.0005));
  CHECK(t_critical_95(10) == Approx(2.228).margin(0.0005));
  CHECK(t_critical_95(30) == Approx(2.042).margin(0.0005));
  CHECK(t_critical_95(100) == Approx(1.984).margin(0.0005));
  CHECK(t_critical_95(std::numeric_limits<std::uint64_t>::max()) == Approx(1.960).margin(0.0005));
}

TEST_CASE("t_critical_95: high-precision reference values on both sides of the switch to the expansion",
          "[sim][statistics]") {
  const std::vector<std::pair<std::uint64_t, double>> reference = {
      {1, 12.706204736174705},    {2, 4.3026527297494639},    {3, 3.1824463052837096},   {4, 2.7764451051977944},
      {5, 2.5705818356363155},    {6, 2.44691185114497},      {10, 2.2281388519862747},  {20, 2.0859634472658648},
      {29, 2.0452296421327043},   {30, 2.0422724563012383},   {31, 2.0395134463964085},  {40, 2.0210753903062734},
      {60, 2.0002978220142605},   {100, 1.9839715185235523},  {120, 1.9799304050824408}, {1000, 1.9623390808264085},
      {1001, 1.9623367052808799}, {10000, 1.9602012398906263}};
  for (const auto& [df, expected] : reference) {
    INFO("degrees of freedom " << df);
    CHECK(t_critical_95(df) == Approx(expected).epsilon(1e-12));
  }
  // The limit is the standard normal quantile.
  CHECK(t_critical_95(std::uint64_t{1} << 62) == Approx(1.9599639845400542).epsilon(1e-15));
}

TEST_CASE("t_critical_95: decreases with the degrees of freedom and rejects zero", "[sim][statistics]") {
  double previous = t_critical_95(1);
  for (std::uint64_t df = 2; df <= 1100; ++df) {
    const double current = t_critical_95(df);
    INFO("degrees of freedom " << df);
    REQUIRE(current < previous);
    previous = current;
  }
  CHECK_THROWS_AS(t_critical_95(0), std::invalid_argument);
}

TEST_CASE("summarize: mean, sample standard deviation and 95% interval of a known sample", "[sim][statistics]") {
  const Values values = {2, 4, 4, 4, 5, 5, 7, 9};
  const auto summary = summarize(values);
  CHECK(summary.n == 8);
  CHECK(summary.undefined == 0);
  REQUIRE(summary.mean);
  CHECK(*summary.mean == 5.0);
  REQUIRE(summary.stddev);
  CHECK(*summary.stddev == Approx(2.1380899352993951).epsilon(1e-14));  // sqrt(32 / 7)
  REQUIRE(summary.ci95);
  CHECK(summary.ci95->half_width == Approx(1.7874879182362109).epsilon(1e-12));  // t(7) * s / sqrt(8)
  CHECK(summary.ci95->lo == 5.0 - summary.ci95->half_width);
  CHECK(summary.ci95->hi == 5.0 + summary.ci95->half_width);
}

TEST_CASE("summarize: no values have no mean, one value has no spread or interval", "[sim][statistics]") {
  const auto none = summarize(Values{});
  CHECK(none.n == 0);
  CHECK_FALSE(none.mean);
  CHECK_FALSE(none.stddev);
  CHECK_FALSE(none.ci95);

  const auto one = summarize(Values{3.5});
  CHECK(one.n == 1);
  REQUIRE(one.mean);
  CHECK(*one.mean == 3.5);
  CHECK_FALSE(one.stddev);
  CHECK_FALSE(one.ci95);
}

TEST_CASE("summarize: identical values have exactly that mean and a zero-width interval", "[sim][statistics]") {
  // 0.1 is not representable: summing ten copies and dividing would not give 0.1 back exactly.
  const auto summary = summarize(Values(10, 0.1));
  REQUIRE(summary.mean);
  CHECK(*summary.mean == 0.1);
  REQUIRE(summary.stddev);
  CHECK(*summary.stddev == 0.0);
  REQUIRE(summary.ci95);
  CHECK(*summary.ci95 == sim::stats::ConfidenceInterval{0.0, 0.1, 0.1});
}

TEST_CASE("summarize: NaN and infinite values are left out and counted as undefined", "[sim][statistics]") {
  const auto summary = summarize(Values{1.0, kNaN, 3.0, kInfinity, -kInfinity});
  CHECK(summary.n == 2);
  CHECK(summary.undefined == 3);
  REQUIRE(summary.mean);
  CHECK(*summary.mean == 2.0);
  CHECK(summary.ci95 == summarize(Values{1.0, 3.0}).ci95);

  const auto all_undefined = summarize(Values{kNaN, kNaN});
  CHECK(all_undefined.n == 0);
  CHECK(all_undefined.undefined == 2);
  CHECK_FALSE(all_undefined.mean);
}

TEST_CASE("compare_paired: common random numbers make a constant improvement significant", "[sim][statistics]") {
  // The replications vary a lot, so the two means' own intervals overlap widely; the paired
  // differences do not vary at all.
  const Values baseline = {10, 40, 20, 90, 30};
  const Values strategy = {9, 39, 19, 89, 29};
  const auto baseline_ci = *summarize(baseline).ci95;
  const auto strategy_ci = *summarize(strategy).ci95;
  CHECK(strategy_ci.hi > baseline_ci.lo);

  const auto comparison = compare_paired(strategy, baseline);
  CHECK(comparison.difference.n == 5);
  REQUIRE(comparison.difference.mean);
  CHECK(*comparison.difference.mean == -1.0);
  REQUIRE(comparison.difference.ci95);
  CHECK(*comparison.difference.ci95 == sim::stats::ConfidenceInterval{0.0, -1.0, -1.0});
  CHECK(comparison.verdict == Verdict::SignificantlyLower);
  CHECK(compare_paired(baseline, strategy).verdict == Verdict::SignificantlyHigher);
}

TEST_CASE("compare_paired: equal values differ by exactly zero, which is not significant", "[sim][statistics]") {
  const Values values = {0.1, 0.7, 0.3};
  const auto comparison = compare_paired(values, values);
  REQUIRE(comparison.difference.ci95);
  CHECK(*comparison.difference.ci95 == sim::stats::ConfidenceInterval{0.0, 0.0, 0.0});
  CHECK(comparison.verdict == Verdict::NotSignificant);
}

TEST_CASE("compare_paired: an interval containing zero is not significant, one above zero is", "[sim][statistics]") {
  const Values baseline = {10, 10, 10, 10, 10};
  // Differences 1.5 2.5 0.5 2.0 1.0: mean 1.5, half-width t(4) * 0.7906 / sqrt(5) = 0.9816.
  const auto higher = compare_paired(Values{11.5, 12.5, 10.5, 12.0, 11.0}, baseline);
  REQUIRE(higher.difference.ci95);
  CHECK(*higher.difference.mean == Approx(1.5));
  CHECK(higher.difference.ci95->half_width == Approx(0.98162158073877885).epsilon(1e-12));
  CHECK(higher.verdict == Verdict::SignificantlyHigher);

  const auto unclear = compare_paired(Values{11, 9, 12, 8, 10.5}, baseline);
  REQUIRE(unclear.difference.ci95);
  CHECK(unclear.difference.ci95->lo < 0.0);
  CHECK(unclear.difference.ci95->hi > 0.0);
  CHECK(unclear.verdict == Verdict::NotSignificant);
}

TEST_CASE("compare_paired: swapping the two mirrors the interval exactly", "[sim][statistics]") {
  const Values a = {1.25, 7.5, 3.0, 4.75, 2.0, 9.0};
  const Values b = {0.5, 6.0, 3.5, 2.25, 1.0, 7.0};
  const auto ab = compare_paired(a, b);
  const auto ba = compare_paired(b, a);
  REQUIRE(ab.difference.ci95);
  REQUIRE(ba.difference.ci95);
  CHECK(*ab.difference.mean == -*ba.difference.mean);
  CHECK(ab.difference.ci95->half_width == ba.difference.ci95->half_width);
  CHECK(ab.difference.ci95->lo == -ba.difference.ci95->hi);
}

TEST_CASE("compare_paired: a pair with an undefined value is left out", "[sim][statistics]") {
  const auto comparison = compare_paired(Values{5, kNaN, 7, 8}, Values{4, 1, kNaN, 7});
  CHECK(comparison.difference.n == 2);
  CHECK(comparison.difference.undefined == 2);
  REQUIRE(comparison.difference.ci95);
  CHECK(*comparison.difference.ci95 == sim::stats::ConfidenceInterval{0.0, 1.0, 1.0});
  CHECK(comparison.verdict == Verdict::SignificantlyHigher);

  // One usable pair is not enough to tell.
  const auto single = compare_paired(Values{5, kNaN}, Values{4, 1});
  CHECK(single.difference.n == 1);
  CHECK_FALSE(single.difference.ci95);
  CHECK(single.verdict == Verdict::NotSignificant);
}

TEST_CASE("compare_paired: different numbers of replications are an error", "[sim][statistics]") {
  CHECK_THROWS_AS(compare_paired(Values{1, 2, 3}, Values{1, 2}), std::invalid_argument);
}

TEST_CASE("is_significantly_better: follows the metric's direction", "[sim][statistics]") {
  const auto lower = compare_paired(Values{1, 2, 3}, Values{2, 3, 4});
  CHECK(is_significantly_better(lower, Direction::LowerIsBetter));
  CHECK_FALSE(is_significantly_better(lower, Direction::HigherIsBetter));
  const auto same = compare_paired(Values{1, 2, 3}, Values{1, 2, 3});
  CHECK_FALSE(is_significantly_better(same, Direction::LowerIsBetter));
  CHECK_FALSE(is_significantly_better(same, Direction::HigherIsBetter));
}

TEST_CASE("significant_winner: only a candidate better than every other one wins", "[sim][statistics]") {
  const Values baseline = {50, 80, 60, 70, 90};
  const Values fast = {40, 70, 50, 60, 80};         // 10 lower than the baseline every time
  const Values faster = {39, 69.5, 48, 59, 78.5};   // lower still, by 1 to 2
  const Values close = {40.5, 69, 50.5, 59, 80.5};  // lower than the baseline, not clearly so than fast

  CHECK(significant_winner(std::vector<Values>{baseline, fast}, Direction::LowerIsBetter) == 1u);
  CHECK(significant_winner(std::vector<Values>{baseline, fast}, Direction::HigherIsBetter) == 0u);
  CHECK(significant_winner(std::vector<Values>{baseline, fast, faster}, Direction::LowerIsBetter) == 2u);
  // Both beat the baseline, but neither beats the other.
  CHECK(significant_winner(std::vector<Values>{baseline, fast, close}, Direction::LowerIsBetter) == std::nullopt);
  // Identical candidates: nobody wins.
  CHECK(significant_winner(std::vector<Values>{fast, fast}, Direction::LowerIsBetter) == std::nullopt);
}

TEST_CASE("significant_winner: fewer than two candidates have no winner, unequal lengths are an error",
          "[sim][statistics]") {
  CHECK(significant_winner(std::vector<Values>{}, Direction::LowerIsBetter) == std::nullopt);
  CHECK(significant_winner(std::vector<Values>{{1, 2, 3}}, Direction::LowerIsBetter) == std::nullopt);
  CHECK_THROWS_AS(significant_winner(std::vector<Values>{{1, 2, 3}, {1, 2, 3}, {1, 2}}, Direction::LowerIsBetter),
                  std::invalid_argument);
}
