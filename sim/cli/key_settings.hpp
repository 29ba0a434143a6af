#pragma once
// The run report's "Key settings": the values that decide how a failover goes (health checks,
// outlier detection, capacity, timeouts, DNS), read from the scenario as it ran, defaults filled in.
// results.json does not record them, so the commands that know the scenario (`run --report`,
// `report --scenario`) hand them to the report as text (reports::ReportInputs::settings).

#include <string>
#include <utility>
#include <vector>

#include "models/config/scenario_config.hpp"

namespace cli {

/// (what, its values) rows, plain text (the report escapes them), in a fixed order: the gateway's
/// health check, outlier detection, capacity and timeouts, DNS, then each service's capacity and
/// its waypoint's policy.
std::vector<std::pair<std::string, std::string>> key_settings(const models::config::ScenarioConfig& config);

}  // namespace cli
