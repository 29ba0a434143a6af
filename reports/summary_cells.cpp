#include "reports/summary_cells.hpp"

#include <cmath>
#include <cstdio>

#include "reports/histogram_resolution.hpp"

namespace reports {

using json = nlohmann::ordered_json;

std::optional<double> number_or_null(const json& j) {
  return j.is_number() ? std::optional<double>(j.get<double>()) : std::nullopt;
}

std::string metric_counts(const std::string& metric) {
  const std::size_t slash = metric.rfind('/');
  const std::string last = slash == std::string::npos ? metric : metric.substr(slash + 1);
  if (last == "availability") return "succeeded at any latency ÷ requests";
  if (last == "slo_good_ratio") return "succeeded within the SLO latency ÷ requests";
  if (last == "error_budget_burned") return "bad ÷ bad the SLO allows (1 = all of it)";
  return "";
}

std::string format_value(double v, const std::string& unit) {
  char buf[64];
  if (unit == "ratio") std::snprintf(buf, sizeof buf, "%.3f%%", 100.0 * v);
  else if (std::abs(v) >= 1000 || unit == "requests" || unit == "writes") std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  std::string out = buf;
  if (unit == "ms" || unit == "s") out += " " + unit;
  return out;
}

std::string mean_cell(const json& summary, const std::string& unit, bool quantile) {
  const auto mean = number_or_null(summary["mean"]);
  if (!mean) return "<span class=\"not-measured\">undefined</span>";
  std::string out = format_value(*mean, unit);
  if (summary["ci95"].is_object() && summary["ci95"].contains("half_width"))
    if (const auto hw = number_or_null(summary["ci95"]["half_width"])) {
      // A quantile that fell in the same bucket in every replication has no spread to show: its
      // interval is the bucket, not 0.
      const double resolution = quantile ? histogram_resolution_ms(*mean) : 0;
      out += *hw < resolution ? " <span class=\"why\">± &lt; " + format_value(resolution, unit) + " (one histogram bucket)</span>"
                              : " <span class=\"why\">± " + format_value(*hw, unit == "ratio" ? "ratio" : unit) + "</span>";
    }
  const auto undefined = summary["undefined"].is_number() ? summary["undefined"].get<std::uint64_t>() : 0;
  if (undefined > 0) out += " <span class=\"why\">(" + std::to_string(undefined) + " undefined)</span>";
  return out;
}

const nlohmann::ordered_json* find_metric(const nlohmann::ordered_json& metrics, std::string_view name) {
  for (const auto& m : metrics)
    if (m["name"] == name) return &m;
  return nullptr;
}

std::string percent3(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f%%", 100.0 * ratio);
  return buf;
}

}  // namespace reports
