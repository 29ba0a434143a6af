#include "sim/statistics.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace sim::stats {
namespace {

// Above this many degrees of freedom the Cornish-Fisher expansion is as good as exact, and the
// closed form's cost (one term per two degrees of freedom, per bisection step) stops paying.
constexpr std::uint64_t kExactDegreesOfFreedom = 1000;

constexpr double kTwoSidedLevel = 0.95;
// The standard normal 0.975 quantile: the limit of t as the degrees of freedom grow.
constexpr double kNormal975 = 1.959963984540054;

/// P(|T| <= sqrt(df) tan(theta)) for Student's t with integer df: Abramowitz and Stegun 26.7.3
/// (odd df) and 26.7.4 (even df). Increases with theta over [0, pi/2].
double two_sided_probability(double theta, std::uint64_t df) {
  const double cos_theta = std::cos(theta);
  const double sin_theta = std::sin(theta);
  const double cos_squared = cos_theta * cos_theta;
  double sum = 0.0;
  if (df % 2 == 1) {
    // cos + (2/3) cos^3 + (2*4)/(3*5) cos^5 + ... up to cos^(df-2); empty for df = 1.
    double term = cos_theta;
    for (std::uint64_t k = 0; 2 * k + 3 <= df; ++k) {
      sum += term;
      term *= cos_squared * static_cast<double>(2 * k + 2) / static_cast<double>(2 * k + 3);
    }
    return 2.0 / std::numbers::pi * (theta + sin_theta * sum);
  }
  // 1 + (1/2) cos^2 + (1*3)/(2*4) cos^4 + ... up to cos^(df-2).
  double term = 1.0;
  for (std::uint64_t k = 0; 2 * k + 2 <= df; ++k) {
    sum += term;
    term *= cos_squared * static_cast<double>(2 * k + 1) / static_cast<double>(2 * k + 2);
  }
  return sin_theta * sum;
}

/// Inverts two_sided_probability() by bisection on theta, down to adjacent doubles: a fixed,
/// data-independent sequence of steps, so the result is the same on every run.
double exact_t_critical_95(std::uint64_t df) {
  double lo = 0.0;
  double hi = std::numbers::pi / 2.0;
  for (;;) {
    const double mid = lo + (hi - lo) / 2.0;
    if (mid <= lo || mid >= hi) break;
    if (two_sided_probability(mid, df) < kTwoSidedLevel) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::sqrt(static_cast<double>(df)) * std::tan(lo + (hi - lo) / 2.0);
}

/// Cornish-Fisher expansion of the t quantile in powers of 1/df (Abramowitz and Stegun 26.7.5).
double asymptotic_t_critical_95(std::uint64_t df) {
  const double z = kNormal975;
  const double z2 = z * z;
  const double z3 = z2 * z;
  const double z5 = z3 * z2;
  const double z7 = z5 * z2;
  const double z9 = z7 * z2;
  const double g1 = (z3 + z) / 4.0;
  const double g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
  const double g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
  const double g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92160.0;
  const double v = static_cast<double>(df);
  return z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v;
}

}  // namespace

double t_critical_95(std::uint64_t degrees_of_freedom) {
  if (degrees_of_freedom == 0)
    throw std::invalid_argument("t_critical_95: expected at least 1 degree of freedom, found 0");
  if (degrees_of_freedom <= kExactDegreesOfFreedom) return exact_t_critical_95(degrees_of_freedom);
  return asymptotic_t_critical_95(degrees_of_freedom);
}

Summary summarize(std::span<const double> values) {
  Summary summary;
  std::vector<double> defined;
  defined.reserve(values.size());
  for (const double value : values) {
    if (std::isfinite(value)) {
      defined.push_back(value);
    } else {
      ++summary.undefined;
    }
  }
  summary.n = defined.size();
  if (defined.empty()) return summary;

  // Summing offsets from the first value: identical values then give exactly that value as the
  // mean and exactly zero spread (sum / n could be off by a rounding), and a large common offset
  // cancels before it can swamp the differences.
  const double origin = defined.front();
  double offset_sum = 0.0;
  for (const double value : defined) offset_sum += value - origin;
  const double count = static_cast<double>(defined.size());
  const double mean = origin + offset_sum / count;
  summary.mean = mean;
  if (defined.size() < 2) return summary;

  double squared_deviations = 0.0;
  for (const double value : defined) {
    const double deviation = value - mean;
    squared_deviations += deviation * deviation;
  }
  const double stddev = std::sqrt(squared_deviations / (count - 1.0));
  const double half_width = t_critical_95(defined.size() - 1) * stddev / std::sqrt(count);
  summary.stddev = stddev;
  summary.ci95 = ConfidenceInterval{half_width, mean - half_width, mean + half_width};
  return summary;
}

PairedComparison compare_paired(std::span<const double> strategy, std::span<const double> baseline) {
  if (strategy.size() != baseline.size()) {
    throw std::invalid_argument("compare_paired: expected one value per replication for both, found " +
                                std::to_string(strategy.size()) + " and " + std::to_string(baseline.size()));
  }
  std::vector<double> differences(strategy.size());
  for (std::size_t i = 0; i < strategy.size(); ++i) {
    const bool both_defined = std::isfinite(strategy[i]) && std::isfinite(baseline[i]);
    differences[i] = both_defined ? strategy[i] - baseline[i] : std::numeric_limits<double>::quiet_NaN();
  }
  PairedComparison comparison;
  comparison.difference = summarize(differences);
  if (const auto& ci = comparison.difference.ci95) {
    if (ci->lo > 0.0) comparison.verdict = Verdict::SignificantlyHigher;
    if (ci->hi < 0.0) comparison.verdict = Verdict::SignificantlyLower;
  }
  return comparison;
}

bool is_significantly_better(const PairedComparison& comparison, Direction direction) {
  const Verdict better =
      direction == Direction::HigherIsBetter ? Verdict::SignificantlyHigher : Verdict::SignificantlyLower;
  return comparison.verdict == better;
}

std::optional<std::size_t> significant_winner(std::span<const std::vector<double>> values_by_candidate,
                                              Direction direction) {
  for (const std::vector<double>& values : values_by_candidate) {
    if (values.size() != values_by_candidate.front().size()) {
      throw std::invalid_argument("significant_winner: expected one value per replication for every candidate, found " +
                                  std::to_string(values_by_candidate.front().size()) + " and " +
                                  std::to_string(values.size()));
    }
  }
  if (values_by_candidate.size() < 2) return std::nullopt;
  for (std::size_t candidate = 0; candidate < values_by_candidate.size(); ++candidate) {
    bool beats_all = true;
    for (std::size_t other = 0; other < values_by_candidate.size() && beats_all; ++other) {
      if (other == candidate) continue;
      beats_all = is_significantly_better(compare_paired(values_by_candidate[candidate], values_by_candidate[other]),
                                          direction);
    }
    if (beats_all) return candidate;
  }
  return std::nullopt;
}

}  // namespace sim::stats
