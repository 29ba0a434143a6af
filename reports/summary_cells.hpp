#pragma once
// Table cells shared by the comparison and replications reports: a value in its unit, and a mean
// with its 95% interval as compare.json and replications.json summarise it.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace reports {

/// "99.123%" for a ratio, "3052" for counts, "40.4 ms" for times, three significant digits otherwise.
std::string format_value(double v, const std::string& unit);

/// The cell of a summary ({mean, ci95, undefined}), HTML: the mean, "± half-width" or, for a latency
/// quantile (`quantile`) whose spread is below the histogram's bucket, "± < bucket"; undefined counts.
std::string mean_cell(const nlohmann::ordered_json& summary, const std::string& unit, bool quantile);

/// What a metric counts, for the ones whose name alone could mislead (availability,
/// slo_good_ratio, error_budget_burned); "" for the others.
std::string metric_counts(const std::string& metric);

/// The entry of `metrics` (compare.json's or replications.json's array) named `name`, or null.
const nlohmann::ordered_json* find_metric(const nlohmann::ordered_json& metrics, std::string_view name);

/// "99.123%": a ratio as a percentage with three decimals.
std::string percent3(double ratio);

/// The number, or none for null or anything else.
std::optional<double> number_or_null(const nlohmann::ordered_json& j);

}  // namespace reports
