#pragma once
// The run report's bar charts of what results.json breaks down but the time charts do not show:
// each service's utilization per region over the whole run (mean and peak step), and the requests
// by route, by entry service and by serving cluster (breakdowns), good and bad. Read defensively:
// older results lack these members, and anything malformed is left out rather than drawn.

#include <nlohmann/json.hpp>
#include <optional>

namespace reports {

/// [{name: "web @ region-a", mean, peak}] in percent, for every service and region with at least
/// one step of running pods; none when results.json has no services[].utilization.
std::optional<nlohmann::ordered_json> service_utilization_data(const nlohmann::ordered_json& results);

/// [{group: "route" | "service" | "cluster", name, requests, good}] in that order; none when
/// results.json has no breakdowns.
std::optional<nlohmann::ordered_json> breakdowns_data(const nlohmann::ordered_json& results);

}  // namespace reports
