#include "reports/results_csv.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace reports {
namespace {

/// A double as results.json writes it (the shortest text that reads back the same).
std::string number(double value) { return nlohmann::json(value).dump(); }

std::string ms(sim::Duration d) { return number(static_cast<double>(d.count()) / 1e6); }

/// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

void write_series_csv(const models::results::RunResult& r, const Sink& sink) {
  // The reasons that occur anywhere in the run, so every row has the same columns.
  std::vector<std::size_t> reasons;
  for (std::size_t reason = 1; reason < r.failure_reasons.size(); ++reason) {
    if (reason < r.all.totals.failures_by_reason.size() && r.all.totals.failures_by_reason[reason] != 0)
      reasons.push_back(reason);
  }
  // Cells are appended piecewise ("," + text trips GCC 12's -Wrestrict false positive).
  std::string text;
  const auto cell = [&text](std::string_view value) {
    text += ',';
    text += value;
  };
  text = "t_s,client_group,requests,succeeded,failed,slow,success_rate";
  if (r.client_retries) cell("retries");
  for (const char* name : {"p50_ms", "p90_ms", "p99_ms", "p99.9_ms"}) cell(name);
  for (const std::size_t reason : reasons) cell(field("failed_" + r.failure_reasons[reason]));
  for (const std::string& region : r.regions) cell(field("served_" + region));
  text += "\r\n";
  sink(text);

  std::vector<std::pair<std::string_view, const models::results::PointSeries*>> groups{{"all", &r.all.series}};
  for (const auto& g : r.clients) groups.emplace_back(g.name, &g.series);
  for (std::size_t k = 0; k < r.all.series.size(); ++k) {
    text.clear();
    for (const auto& [name, series] : groups) {
      const models::results::SeriesPoint p = (*series)[k];
      const auto& c = p.counts;
      text += number(static_cast<double>(p.start.count()) / 1e9);
      cell(field(name));
      for (const std::uint64_t count : {c.requests, c.succeeded, c.failed, c.slow}) cell(std::to_string(count));
      cell(c.requests == 0 ? std::string() : number(static_cast<double>(c.succeeded) / static_cast<double>(c.requests)));
      if (r.client_retries) cell(std::to_string(c.retries));
      for (const sim::Duration d : {p.latency.p50, p.latency.p90, p.latency.p99, p.latency.p999}) cell(ms(d));
      for (const std::size_t reason : reasons)
        cell(std::to_string(reason < c.failures_by_reason.size() ? c.failures_by_reason[reason] : 0));
      for (std::size_t region = 0; region < r.regions.size(); ++region)
        cell(std::to_string(region < c.served_by_region.size() ? c.served_by_region[region] : 0));
      text += "\r\n";
    }
    sink(text);
  }
}

}  // namespace reports
