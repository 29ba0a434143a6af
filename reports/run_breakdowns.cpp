#include "reports/run_breakdowns.hpp"

#include <algorithm>
#include <cmath>

namespace reports {

using json = nlohmann::ordered_json;

namespace {

// Multiplying back would leave binary noise (6.340000000000001) in the page's JSON.
double round2(double v) { return std::round(v * 100) / 100; }

}  // namespace

std::optional<json> service_utilization_data(const json& results) {
  if (!results.contains("services") || !results["services"].is_array()) return std::nullopt;
  json out = json::array();
  for (const auto& service : results["services"]) {
    if (!service.is_object() || !service.contains("name") || !service["name"].is_string() || !service.contains("utilization") ||
        !service["utilization"].is_object())
      continue;
    for (const auto& [region, column] : service["utilization"].items()) {
      if (!column.is_array()) continue;
      double sum = 0, peak = 0;
      std::size_t steps = 0;
      for (const auto& v : column)
        if (v.is_number()) {
          sum += v.get<double>();
          peak = std::max(peak, v.get<double>());
          ++steps;
        }
      if (steps == 0) continue;
      out.push_back(json{{"name", service["name"].get<std::string>() + " @ " + region},
                         {"mean", round2(100 * sum / static_cast<double>(steps))},
                         {"peak", round2(100 * peak)}});
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<json> breakdowns_data(const json& results) {
  if (!results.contains("breakdowns") || !results["breakdowns"].is_object()) return std::nullopt;
  json out = json::array();
  for (const char* group : {"route", "service", "cluster"}) {
    const json& b = results["breakdowns"];
    if (!b.contains(group) || !b[group].is_array()) continue;
    for (const auto& item : b[group]) {
      if (!item.is_object() || !item.contains("name") || !item["name"].is_string() || !item.contains("requests") ||
          !item["requests"].is_number_unsigned() || !item.contains("good") || !item["good"].is_number_unsigned())
        continue;
      const auto requests = item["requests"].get<std::uint64_t>();
      out.push_back(json{{"group", group},
                         {"name", item["name"]},
                         {"requests", requests},
                         {"good", std::min(requests, item["good"].get<std::uint64_t>())}});
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace reports
