#pragma once
// One run's results flattened to named scalars: what replications summarise (mean and 95%
// interval over seeds) and what strategy comparisons set side by side. Each has a direction, so a
// comparison knows which way is better, and a unit for tables. A metric that is undefined in a run
// (a time to recover when the run never recovers) is NaN there; the statistics leave it out.

#include <string>
#include <vector>

#include "models/results/run_result.hpp"
#include "sim/statistics.hpp"

namespace reports {

struct ScalarMetric {
  std::string name;  // stable key, e.g. "availability", "latency_p99_ms", "fault/<id>/time_to_recover_s"
  double value = 0;
  sim::stats::Direction direction = sim::stats::Direction::HigherIsBetter;
  std::string unit;  // "ratio", "ms", "s", "requests", "writes"
};

/// Every scalar of a run, in a fixed order (the same scenario gives the same names in the same
/// order whatever the seed).
std::vector<ScalarMetric> scalar_metrics(const models::results::RunResult& result);

/// One fault's metrics (or a set of faults' taken as one) under `prefix`, as scalar_metrics() gives
/// them for "fault/<id>/"; lost writes and write downtime only for a `database` failure.
void append_fault_metrics(std::vector<ScalarMetric>& out, const std::string& prefix,
                          const models::results::FaultImpact& impact, bool database,
                          const models::results::RunResult& result);

}  // namespace reports
