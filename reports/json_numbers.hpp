#pragma once
// Numbers and statistical summaries as the JSON documents write them (replications.json,
// compare.json, fmea.json): a non-finite number is null. Private to reports/.

#include <optional>

#include <nlohmann/json.hpp>

#include "sim/statistics.hpp"

namespace reports {

nlohmann::ordered_json number_or_null(double value);
nlohmann::ordered_json optional_number(const std::optional<double>& value);
/// n, undefined, mean, stddev, ci95 of `summary`, added to `into`.
void add_summary(nlohmann::ordered_json& into, const sim::stats::Summary& summary);

}  // namespace reports
