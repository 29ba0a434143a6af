#include "reports/json_numbers.hpp"

#include <cmath>

namespace reports {

using json = nlohmann::ordered_json;

json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json optional_number(const std::optional<double>& value) { return value ? number_or_null(*value) : json(nullptr); }

/// n, undefined, mean, stddev, ci95 of `summary`, added to `into`.
void add_summary(json& into, const sim::stats::Summary& summary) {
  into["n"] = summary.n;
  into["undefined"] = summary.undefined;
  into["mean"] = optional_number(summary.mean);
  into["stddev"] = optional_number(summary.stddev);
  if (summary.ci95) {
    into["ci95"] = json{{"half_width", number_or_null(summary.ci95->half_width)},
                        {"lo", number_or_null(summary.ci95->lo)},
                        {"hi", number_or_null(summary.ci95->hi)}};
  } else {
    into["ci95"] = nullptr;
  }
}

}  // namespace reports
