#include "reports/replications_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "reports/compare_report.hpp"
#include "reports/histogram_resolution.hpp"
#include "reports/html_escape.hpp"
#include "reports/slo_target.hpp"
#include "reports/summary_cells.hpp"

namespace reports {

namespace {

using json = nlohmann::ordered_json;

// A chart shows one bar per replication up to this many; beyond, the table has the summary.
constexpr std::size_t kMaxBars = 40;

[[noreturn]] void fail(const std::string& file, const std::string& pointer, const std::string& what, const json* found) {
  throw ResultsDocumentError(file, pointer, "expected " + what + ", found " + (found ? std::string(found->type_name()) : "nothing"));
}

const json& member(const json& parent, const std::string& pointer, const char* key, bool (json::*is)() const noexcept,
                   const std::string& file, const char* what) {
  const std::string at = pointer + "/" + key;
  if (!parent.is_object() || !parent.contains(key)) fail(file, at, what, nullptr);
  const json& value = parent[key];
  if (!(value.*is)()) fail(file, at, what, &value);
  return value;
}

std::vector<double> values_of(const json& metric) {
  std::vector<double> out;
  for (const auto& v : metric["values"]) out.push_back(v.is_number() ? v.get<double>() : std::nan(""));
  return out;
}

std::string interval(const json& metric) {
  const json& ci = metric["ci95"];
  const auto hw = ci.is_object() && ci.contains("half_width") ? number_or_null(ci["half_width"]) : std::nullopt;
  return hw ? " ± " + percent3(*hw) : std::string();
}

std::string verdict_html(const json& metrics, std::uint64_t replications, bool& met) {
  const json* good = find_metric(metrics, "slo_good_ratio");
  const json* availability = find_metric(metrics, "availability");
  const json* burned = find_metric(metrics, "error_budget_burned");
  met = false;
  if (!good || !number_or_null((*good)["mean"]))
    return "<p class=\"verdict-sentence\">replications.json holds no SLO availability, so the runs cannot be judged "
           "against an SLO.</p>\n";
  std::optional<double> target;
  if (burned) target = slo_target_from_budget(values_of(*good), values_of(*burned));
  const double mean = *number_or_null((*good)["mean"]);
  std::string s = "SLO availability " + percent3(mean) + interval(*good) + " (requests that succeeded within the SLO's latency "
                  "÷ all requests; mean and 95% interval over " + std::to_string(replications) + " replications)";
  if (target.has_value()) {
    const double t = target.value();
    std::size_t meeting = 0, counted = 0;
    for (const double v : values_of(*good))
      if (std::isfinite(v)) {
        ++counted;
        meeting += v >= t - 1e-12 ? 1 : 0;
      }
    met = mean >= t - 1e-12;
    s += " against a target of " + percent3(t) + ": the SLO was " + (met ? "<strong>met</strong>" : "<strong>missed</strong>") +
         " on average, and in " + std::to_string(meeting) + " of " + std::to_string(counted) + " replications";
    if (const auto b = number_or_null((*burned)["mean"])) s += "; error budget burned " + format_value(*b, "budgets") + " on average";
  } else {
    met = true;
    s += "; no replication had a bad request, so no error budget was burned";
  }
  s += ".";
  if (availability && number_or_null((*availability)["mean"]))
    s += " Counting every success whatever its latency, " + percent3(*number_or_null((*availability)["mean"])) +
         interval(*availability) + " of requests succeeded (the availability metric).";
  return "<p class=\"verdict-sentence\">" + s + "</p>\n";
}

bool headline(const std::string& name) {
  return name == "slo_good_ratio" || name == "availability" || name == "error_budget_burned" || name == "latency_p99_ms" ||
         (name.rfind("fault/", 0) == 0 && name.ends_with("/time_to_recover_s"));
}

}  // namespace

bool is_replications_document(std::string_view text) {
  return text.find("\"faultline_replications\"") != std::string_view::npos;
}

std::string render_replications_report(std::string_view text, const std::string& file, const ReportInputs& inputs) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error&) {
    throw ResultsDocumentError(file, "", "expected a faultline replications document (JSON), found a syntax error");
  } catch (const json::out_of_range&) {
    throw ResultsDocumentError(file, "", "expected a faultline replications document (JSON), found a number out of range");
  }
  if (!doc.is_object() || !doc.contains("faultline_replications"))
    throw ResultsDocumentError(file, "", "expected a faultline replications document (with \"faultline_replications\"), found another document");
  if (doc.contains("shard"))
    throw ResultsDocumentError(file, "/shard", "expected a whole experiment, found a shard's part: merge the shards first (faultline merge)");
  const std::string scenario = member(doc, "", "scenario", &json::is_string, file, "a string").get<std::string>();
  const std::string strategy = member(doc, "", "strategy", &json::is_string, file, "a string").get<std::string>();
  const auto replications = member(doc, "", "replications", &json::is_number_unsigned, file, "a count").get<std::uint64_t>();
  const json& seeds = member(doc, "", "seeds", &json::is_array, file, "an array of seeds");
  const json& metrics = member(doc, "", "metrics", &json::is_array, file, "an array of metrics");
  for (std::size_t i = 0; i < seeds.size(); ++i)
    if (!seeds[i].is_number_unsigned()) fail(file, "/seeds/" + std::to_string(i), "a seed", &seeds[i]);
  // Checked once here, so that rendering below can read without guarding every access.
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const std::string at = "/metrics/" + std::to_string(m);
    member(metrics[m], at, "name", &json::is_string, file, "a string");
    member(metrics[m], at, "unit", &json::is_string, file, "a string");
    for (const char* key : {"mean", "ci95", "undefined"})
      if (!metrics[m].contains(key)) fail(file, at + "/" + key, "a summary member", nullptr);
    const json& values = member(metrics[m], at, "values", &json::is_array, file, "an array of values");
    if (values.size() != seeds.size())
      throw ResultsDocumentError(file, at + "/values", "expected one value per seed (" + std::to_string(seeds.size()) + "), found " +
                                                           std::to_string(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!values[i].is_number() && !values[i].is_null()) fail(file, at + "/values/" + std::to_string(i), "a number or null", &values[i]);
  }

  const std::string name = html_escape(scenario);
  std::string body = "<header class=\"report-header\">\n<p class=\"kicker\">faultline replications report</p>\n<h1 id=\"scenario-name\">" +
                     name + "</h1>\n<p class=\"subtitle\">Strategy <b>" + html_escape(strategy) + "</b> · " +
                     std::to_string(replications) + " replications, each with its own seed</p>\n</header>\n";
  bool met = false;
  const std::string verdict = verdict_html(metrics, replications, met);
  body += "<section id=\"verdict\" class=\"verdict " + std::string(met ? "met" : "missed") + "\">\n<h2>Verdict</h2>\n" + verdict +
          "</section>\n";

  // Headline metrics: the mean with its interval, then one bar per replication, all from zero.
  const std::size_t shown = std::min<std::size_t>(seeds.size(), kMaxBars);
  json chart_metrics = json::array();
  std::string charts;
  for (const auto& m : metrics) {
    const std::string metric = m["name"].get<std::string>();
    if (!headline(metric) || !number_or_null(m["mean"])) continue;
    const std::string id = "chart-m" + std::to_string(chart_metrics.size());
    json items = json::array();
    json mean{{"strategy", "mean (95% CI)"}, {"mean", m["mean"]}};
    if (m["ci95"].is_object() && m["ci95"].contains("lo") && m["ci95"].contains("hi")) {
      mean["lo"] = m["ci95"]["lo"];
      mean["hi"] = m["ci95"]["hi"];
    }
    items.push_back(std::move(mean));
    for (std::size_t i = 0; i < shown; ++i)
      items.push_back(json{{"strategy", "seed " + std::to_string(seeds[i].get<std::uint64_t>())}, {"mean", m["values"][i]}});
    chart_metrics.push_back(json{{"id", id}, {"name", metric}, {"counts", metric_counts(metric)}, {"unit", m["unit"]},
                                 {"winner", nullptr}, {"items", items}});
    charts += html::chart_div(id, metric + ": the mean and each replication's value");
  }
  body += html::section("charts", "Headline metrics",
                        "<p class=\"caption\">The mean over the replications with its 95% confidence interval, then each "
                        "replication's value" +
                            (shown < seeds.size() ? " (the first " + std::to_string(shown) + " of " + std::to_string(seeds.size()) + ")"
                                                  : std::string()) +
                            ". Every axis starts at zero.</p>\n" + charts);

  // Every metric.
  std::string rows;
  for (const auto& m : metrics) {
    const std::string unit = m["unit"].get<std::string>();
    const bool quantile = is_histogram_quantile(m["name"].get<std::string>(), unit);
    std::optional<double> lo, hi;
    for (const double v : values_of(m))
      if (std::isfinite(v)) {
        lo = lo ? std::min(*lo, v) : v;
        hi = hi ? std::max(*hi, v) : v;
      }
    const std::string counts = metric_counts(m["name"].get<std::string>());
    rows += "<tr><th scope=\"row\">" + html_escape(m["name"].get<std::string>()) +
            (counts.empty() ? std::string() : "<br><small>" + counts + "</small>") + "</th><td class=\"num\">" + mean_cell(m, unit, quantile) +
            "</td><td class=\"num\">" + (lo ? format_value(*lo, unit) + " – " + format_value(*hi, unit) : std::string("—")) + "</td><td>" +
            html_escape(unit) + "</td></tr>\n";
  }
  body += html::section("metrics", "Every metric",
                        "<p class=\"caption\">Mean ± half-width of the 95% confidence interval (Student's t over the "
                        "replications), and the lowest and highest replication. availability counts requests that "
                        "succeeded at any latency, slo_good_ratio those that succeeded within the SLO's latency.</p>\n"
                        "<div class=\"table-wrap\"><table>\n<thead><tr><th>metric</th><th>mean ± 95% CI</th><th>range</th>"
                        "<th>unit</th></tr></thead>\n<tbody>\n" + rows + "</tbody></table></div>\n");
  body += "<footer class=\"report-footer\"><p class=\"caption\">faultline " + html_escape(inputs.faultline_version) +
          "; replication i ran with the seed listed in replications.json; reproduce one with <code>faultline run "
          "SCENARIO --seed SEED</code>.</p></footer>\n";
  json data{{"kind", "replications"}, {"metrics", chart_metrics}};
  return html::page(name + " — faultline replications report", body, data.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace reports
