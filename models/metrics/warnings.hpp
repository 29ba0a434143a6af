#pragma once
// What a run should tell its user before they read its numbers (results.json `warnings`): a
// service saturated, or a client group missing its SLO, before any fault started (the baseline is
// already broken, so the faults' impact is not what it seems), and calls crossing regions for lack
// of traffic_distribution (from the static estimate, models/fleet/capacity_estimate.hpp).

#include <string>
#include <vector>

#include "models/fleet/capacity_estimate.hpp"
#include "models/fleet/fleet.hpp"
#include "models/results/run_result.hpp"

namespace models::metrics {

/// Utilization over the steps before the first fault at or above which a service is saturated.
inline constexpr double kSaturated = 0.95;

std::vector<std::string> run_warnings(const models::results::RunResult& r, const CapacityEstimate& estimate);

}  // namespace models::metrics
