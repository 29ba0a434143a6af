#pragma once
// The SLO's availability target as compare.json and replications.json imply it. They record each
// replication's slo_good_ratio (good ÷ requests) and error_budget_burned (bad ÷ ((1 - target) ×
// requests)), not the target itself; any replication that burned some budget gives it back:
// target = 1 - (1 - good) / burned.

#include <optional>
#include <span>

namespace reports {

/// The target from per-replication values (NaN where undefined), rounded to 1e-9 so that 0.999
/// reads back as 0.999; none when no replication burned any budget.
std::optional<double> slo_target_from_budget(std::span<const double> good, std::span<const double> burned);

}  // namespace reports
