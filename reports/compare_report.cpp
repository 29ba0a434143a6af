#include "reports/compare_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "reports/html_escape.hpp"

namespace reports {

namespace {

using json = nlohmann::ordered_json;

// Checks one member of the document and returns it, or throws with its pointer.
const json& member(const json& parent, const std::string& pointer, const char* key, json::value_t type,
                   const std::string& file, const char* expected) {
  const std::string at = pointer + "/" + key;
  if (!parent.is_object() || !parent.contains(key))
    throw ResultsDocumentError(file, at, std::string("expected ") + expected + ", found nothing");
  const json& value = parent[key];
  const bool ok = type == json::value_t::number_float ? value.is_number() : value.type() == type;
  if (!ok) throw ResultsDocumentError(file, at, std::string("expected ") + expected + ", found " + value.type_name());
  return value;
}

std::optional<double> number_or_null(const json& j) {
  return j.is_number() ? std::optional<double>(j.get<double>()) : std::nullopt;
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

std::string mean_cell(const json& summary, const std::string& unit) {
  const auto mean = number_or_null(summary["mean"]);
  if (!mean) return "<span class=\"not-measured\">undefined</span>";
  std::string out = format_value(*mean, unit);
  if (summary["ci95"].is_object())
    if (const auto hw = number_or_null(summary["ci95"]["half_width"]))
      out += " <span class=\"why\">± " + format_value(*hw, unit == "ratio" ? "ratio" : unit) + "</span>";
  const auto undefined = summary["undefined"].is_number() ? summary["undefined"].get<std::uint64_t>() : 0;
  if (undefined > 0) out += " <span class=\"why\">(" + std::to_string(undefined) + " undefined)</span>";
  return out;
}

// The metrics drawn as charts: the run's headline figures and each fault's recovery.
bool headline(const std::string& name) {
  if (name == "availability" || name == "slo_good_ratio" || name == "error_budget_burned" || name == "latency_p99_ms" ||
      name == "peak_utilization" || name == "offered_load_factor")
    return true;
  return name.rfind("fault/", 0) == 0 && name.ends_with("/time_to_recover_s");
}

}  // namespace

bool is_compare_document(std::string_view text) { return text.find("\"faultline_compare\"") != std::string_view::npos; }

std::string render_compare_report(std::string_view compare_json, const std::string& file, const ReportInputs& inputs) {
  json doc;
  try {
    doc = json::parse(compare_json);
  } catch (const json::parse_error&) {
    throw ResultsDocumentError(file, "", "expected a faultline compare document (JSON), found a syntax error");
  } catch (const json::out_of_range&) {  // a number beyond a double, such as 1e400 (found by fuzz_results)
    throw ResultsDocumentError(file, "", "expected a faultline compare document (JSON), found a number out of range");
  }
  if (!doc.is_object() || !doc.contains("faultline_compare"))
    throw ResultsDocumentError(file, "", "expected a faultline compare document (with \"faultline_compare\"), found another document");
  const std::string scenario = member(doc, "", "scenario", json::value_t::string, file, "a string").get<std::string>();
  const json& strategies = member(doc, "", "strategies", json::value_t::array, file, "an array of strategy names");
  const std::string baseline = member(doc, "", "baseline", json::value_t::string, file, "a string").get<std::string>();
  const json& metrics = member(doc, "", "metrics", json::value_t::array, file, "an array of metrics");
  const auto replications = member(doc, "", "replications", json::value_t::number_unsigned, file, "a count").get<std::uint64_t>();
  for (std::size_t i = 0; i < strategies.size(); ++i)
    if (!strategies[i].is_string())
      throw ResultsDocumentError(file, "/strategies/" + std::to_string(i), std::string("expected a string, found ") + strategies[i].type_name());

  // Checked once here, so that rendering below can read without guarding every access.
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const std::string at = "/metrics/" + std::to_string(m);
    member(metrics[m], at, "name", json::value_t::string, file, "a string");
    member(metrics[m], at, "unit", json::value_t::string, file, "a string");
    const json& per = member(metrics[m], at, "strategies", json::value_t::array, file, "an array");
    if (per.size() != strategies.size())
      throw ResultsDocumentError(file, at + "/strategies", "expected one entry per strategy (" + std::to_string(strategies.size()) +
                                                               "), found " + std::to_string(per.size()));
    for (std::size_t s = 0; s < per.size(); ++s) {
      const std::string sat = at + "/strategies/" + std::to_string(s);
      if (!per[s].is_object() || !per[s].contains("mean") || !per[s].contains("ci95") || !per[s].contains("difference") ||
          !per[s].contains("undefined"))
        throw ResultsDocumentError(file, sat, "expected a summary with mean, ci95, undefined and difference, found another value");
      const json& d = per[s]["difference"];
      if (!d.is_null() && (!d.is_object() || !d.contains("mean") || !d.contains("ci95") || !d.contains("verdict") ||
                           !d.contains("undefined")))
        throw ResultsDocumentError(file, sat + "/difference", "expected null or a paired difference, found another value");
    }
  }

  const std::string name = html_escape(scenario);
  std::string body;
  body += "<header class=\"report-header\">\n<p class=\"kicker\">faultline comparison report</p>\n<h1 id=\"scenario-name\">" +
          name + "</h1>\n<p class=\"subtitle\">" + std::to_string(strategies.size()) + " strategies · " +
          std::to_string(replications) + " replications each, on common random numbers · baseline <b>" +
          html_escape(baseline) + "</b></p>\n</header>\n";

  // The verdict: who wins what.
  std::vector<std::uint64_t> wins(strategies.size(), 0);
  std::uint64_t decided = 0;
  for (const auto& m : metrics)
    if (m.contains("winner") && m["winner"].is_string()) {
      ++decided;
      for (std::size_t s = 0; s < strategies.size(); ++s)
        if (strategies[s] == m["winner"]) ++wins[s];
    }
  std::string verdict = "Of " + std::to_string(metrics.size()) + " metrics, " + std::to_string(decided) +
                        " have a strategy significantly better than every other (paired 95% intervals)";
  std::string tally;
  for (std::size_t s = 0; s < strategies.size(); ++s)
    tally += (s ? ", " : ": ") + std::string("<b>") + html_escape(strategies[s].get<std::string>()) + "</b> wins " +
             std::to_string(wins[s]);
  body += "<section id=\"verdict\" class=\"verdict met\">\n<h2>Verdict</h2>\n<p class=\"verdict-sentence\">" + verdict + tally +
          ".</p>\n</section>\n";

  // Headline charts with error bars.
  json chart_metrics = json::array();
  std::string charts;
  for (const auto& m : metrics) {
    const std::string metric = m["name"].get<std::string>();
    if (!headline(metric)) continue;
    // A metric undefined everywhere (a fault that never recovered in any run) has nothing to draw.
    if (std::none_of(m["strategies"].begin(), m["strategies"].end(), [](const json& s) { return s["mean"].is_number(); }))
      continue;
    const std::string id = "chart-m" + std::to_string(chart_metrics.size());
    json items = json::array();
    for (const auto& s : m["strategies"]) {
      const auto mean = number_or_null(s["mean"]);
      json item{{"strategy", s.contains("strategy") ? s["strategy"] : json("")}, {"mean", mean ? json(*mean) : json(nullptr)}};
      if (s["ci95"].is_object()) {
        item["lo"] = s["ci95"].contains("lo") ? s["ci95"]["lo"] : json(nullptr);
        item["hi"] = s["ci95"].contains("hi") ? s["ci95"]["hi"] : json(nullptr);
      }
      items.push_back(std::move(item));
    }
    chart_metrics.push_back(json{{"id", id}, {"name", metric}, {"unit", m["unit"]},
                                 {"winner", m.contains("winner") ? m["winner"] : json(nullptr)}, {"items", items}});
    charts += html::chart_div(id, "Mean of " + metric + " per strategy with 95% confidence intervals");
  }
  body += html::section("charts", "Headline metrics",
                        "<p class=\"caption\">Mean over the replications, with the 95% confidence interval as an error "
                        "bar. Green: the winner, when one strategy is significantly better than every other.</p>\n" + charts);

  // Every metric.
  std::string table = "<table class=\"wide\"><thead><tr><th>metric</th>";
  for (const auto& s : strategies)
    table += "<th>" + html_escape(s.get<std::string>()) + (s == baseline ? " <span class=\"why\">(baseline)</span>" : "") + "</th>";
  table += "<th>winner</th></tr></thead><tbody>\n";
  for (const auto& m : metrics) {
    const std::string unit = m["unit"].get<std::string>();
    table += "<tr><td>" + html_escape(m["name"].get<std::string>()) + "</td>";
    for (const auto& s : m["strategies"]) {
      table += "<td class=\"num\">" + mean_cell(s, unit);
      const json& d = s["difference"];
      if (d.is_object()) {
        const std::string verdict_name = d["verdict"].is_string() ? d["verdict"].get<std::string>() : "";
        const bool better = d.contains("significantly_better") && d["significantly_better"].is_boolean() &&
                            d["significantly_better"].get<bool>();
        const bool significant = verdict_name != "not_significant";
        table += "<br><span class=\"why\">vs baseline " + (number_or_null(d["mean"]) ? format_value(*number_or_null(d["mean"]), unit) : "n/a") +
                 (significant ? (better ? " ✓ better" : " ✗ worse") : " (not significant)") + "</span>";
      }
      table += "</td>";
    }
    table += "<td>" + (m.contains("winner") && m["winner"].is_string() ? "<b>" + html_escape(m["winner"].get<std::string>()) + "</b>"
                                                                        : std::string("—")) + "</td></tr>\n";
  }
  table += "</tbody></table>\n";
  body += html::section("metrics", "Every metric",
                        "<p class=\"caption\">Mean ± half-width of the 95% confidence interval (Student's t over the "
                        "replications); below, the paired difference to the baseline (replication i of every strategy "
                        "drew the same random inputs), marked when its interval excludes zero.</p>\n" + table);

  // A section per strategy: where it wins and where it loses against the baseline.
  for (std::size_t s = 0; s < strategies.size(); ++s) {
    const std::string sname = strategies[s].get<std::string>();
    std::string won, worse;
    for (const auto& m : metrics) {
      const std::string metric = html_escape(m["name"].get<std::string>());
      if (m.contains("winner") && m["winner"] == strategies[s]) won += (won.empty() ? "" : ", ") + metric;
      const json& d = m["strategies"][s]["difference"];
      if (d.is_object() && d["verdict"].is_string() && d["verdict"] != "not_significant" &&
          d.contains("significantly_better") && d["significantly_better"].is_boolean() && !d["significantly_better"].get<bool>())
        worse += (worse.empty() ? "" : ", ") + metric;
    }
    std::string text = "<p>Best of all strategies on: " + (won.empty() ? std::string("none") : won) + ".</p>\n";
    if (sname != baseline) text += "<p>Significantly worse than the baseline on: " + (worse.empty() ? std::string("none") : worse) + ".</p>\n";
    body += html::section("strategy-" + std::to_string(s), "Strategy " + html_escape(sname) + (sname == baseline ? " (baseline)" : ""), text);
  }
  body += "<footer class=\"report-footer\"><p class=\"caption\">faultline " + html_escape(inputs.faultline_version) +
          "; each strategy's run can be reproduced with <code>faultline run</code> on the scenario with the strategy's "
          "overlay applied and the seed of the replication (listed in compare.json).</p></footer>\n";

  json data{{"kind", "compare"}, {"strategies", strategies}, {"metrics", chart_metrics}};
  return html::page(name + " — faultline comparison report", body, data.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace reports
