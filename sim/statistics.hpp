#pragma once
// Statistics over replications: the mean of a metric with its 95% confidence interval, and paired
// comparisons of strategies run with common random numbers (replication i of every strategy draws
// the same random inputs, so the per-replication differences cancel most of the noise).
//
// Deterministic by construction: sums run in index order, in plain loops, so the same values give
// the same bits whatever the thread count or sharding that produced them.
//
// Undefined values: a metric can be undefined in a replication (time to recover when the system
// never recovers). Such a replication records NaN. Every non-finite value (NaN or an infinity) is
// left out of the summary and counted in `undefined`; the statistics are those of the defined
// values alone. Statistics that need more values than there are (a mean of none, a spread or an
// interval of fewer than two) are std::nullopt rather than NaN, so they cannot leak into sums.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sim::stats {

/// A 95% confidence interval for a mean: [lo, hi] = mean -/+ half_width.
struct ConfidenceInterval {
  double half_width = 0.0;
  double lo = 0.0;
  double hi = 0.0;
  bool operator==(const ConfidenceInterval&) const = default;
};

struct Summary {
  std::size_t n = 0;                       // defined values summarised
  std::size_t undefined = 0;               // values left out because they were NaN or infinite
  std::optional<double> mean;              // absent when n == 0
  std::optional<double> stddev;            // sample standard deviation (divisor n - 1); absent when n < 2
  std::optional<ConfidenceInterval> ci95;  // Student's t with n - 1 degrees of freedom; absent when n < 2
};

/// Summarises `values` in index order (see above for undefined values).
Summary summarize(std::span<const double> values);

/// Student's t two-sided 95% critical value: the 0.975 quantile with `degrees_of_freedom` >= 1.
/// Exact (to rounding) up to 1000 degrees of freedom, by inverting the closed-form distribution
/// function for integer degrees of freedom; a Cornish-Fisher expansion above, where its error is
/// below 1e-13. Throws std::invalid_argument for 0.
double t_critical_95(std::uint64_t degrees_of_freedom);

/// Where the 95% interval of a mean difference lies relative to zero.
enum class Verdict {
  NotSignificant,       // the interval contains 0, or there are fewer than two pairs
  SignificantlyLower,   // the whole interval is below 0: the strategy's values are lower
  SignificantlyHigher,  // the whole interval is above 0: the strategy's values are higher
};

struct PairedComparison {
  /// Of strategy[i] - baseline[i]. A pair counts as undefined when either value is, so `n` is the
  /// number of replications where both are defined.
  Summary difference;
  Verdict verdict = Verdict::NotSignificant;
};

/// The paired t comparison of a strategy with the baseline; element i of both comes from
/// replication i. Throws std::invalid_argument when the lengths differ.
PairedComparison compare_paired(std::span<const double> strategy, std::span<const double> baseline);

enum class Direction { HigherIsBetter, LowerIsBetter };

/// Whether `comparison` shows the strategy significantly better than what it was compared with.
bool is_significantly_better(const PairedComparison& comparison, Direction direction);

/// The candidate that is significantly better than every other candidate in paired comparisons
/// (each pair tested at 95%, without a correction for the number of pairs), or none; none also
/// when there are fewer than two candidates. At most one candidate can win: being better than
/// another excludes the reverse, so no tie-break is needed. Include the baseline among the
/// candidates to require that the winner also beats it. Each candidate's values are per
/// replication, aligned as for compare_paired(); throws std::invalid_argument when lengths differ.
std::optional<std::size_t> significant_winner(std::span<const std::vector<double>> values_by_candidate,
                                              Direction direction);

}  // namespace sim::stats
