#include "reports/fmea_json.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "reports/json_numbers.hpp"

namespace reports {

using json = nlohmann::ordered_json;

namespace {

json metrics_json(const std::vector<FmeaMetric>& metrics) {
  json out = json::object();
  for (const FmeaMetric& m : metrics) {
    json entry;
    entry["unit"] = m.unit;
    add_summary(entry, m.summary);
    out[m.name] = std::move(entry);
  }
  return out;
}

}  // namespace

std::optional<double> mean_of(const std::vector<FmeaMetric>& metrics, const std::string& name) {
  for (const FmeaMetric& m : metrics)
    if (m.name == name) return m.summary.mean;
  return std::nullopt;
}

void rank_failures(std::vector<FmeaFailure>& failures) {
  std::stable_sort(failures.begin(), failures.end(), [](const FmeaFailure& a, const FmeaFailure& b) {
    const std::optional<double> x = mean_of(a.impact, "error_budget_burned");
    const std::optional<double> y = mean_of(b.impact, "error_budget_burned");
    if (!y) return x.has_value();
    return x && *x > *y;
  });
}

std::string fmea_to_json(const FmeaDocument& d) {
  json doc;
  doc["faultline_fmea"] = 1;
  doc["faultline_version"] = d.faultline_version;
  doc["scenario"] = d.scenario;
  doc["scenario_sha256"] = d.scenario_sha256;
  doc["seed"] = d.seed;
  doc["seeds"] = d.seeds;
  doc["duration_s"] = number_or_null(d.duration_s);
  doc["at_s"] = number_or_null(d.at_s);
  doc["for_s"] = number_or_null(d.for_s);
  doc["ranked_by"] = "error_budget_burned";
  doc["baseline"] = metrics_json(d.baseline);
  json failures = json::array();
  for (std::size_t i = 0; i < d.failures.size(); ++i) {
    const FmeaFailure& f = d.failures[i];
    json entry;
    entry["rank"] = i + 1;
    entry["kind"] = f.kind;
    entry["target"] = f.target;
    entry["represents"] = f.represents;
    if (!f.service.empty()) entry["service"] = f.service;  // gray failures: in each of `represents`
    if (f.error_rate) entry["error_rate"] = number_or_null(*f.error_rate);
    entry["at_s"] = number_or_null(d.at_s);
    entry["for_s"] = number_or_null(d.for_s);
    entry["impact"] = metrics_json(f.impact);
    entry["run"] = metrics_json(f.run);
    failures.push_back(std::move(entry));
  }
  doc["failures"] = std::move(failures);
  return doc.dump(2) + "\n";
}

}  // namespace reports
