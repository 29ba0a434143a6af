#include "reports/compare_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "reports/histogram_resolution.hpp"
#include "reports/summary_cells.hpp"
#include "reports/html_escape.hpp"
#include "reports/slo_target.hpp"
#include "sim/statistics.hpp"

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

// A metric's values per replication for one strategy (NaN for null); empty when the document does
// not hold them.
std::vector<double> values_of(const json& strategy) {
  std::vector<double> out;
  if (!strategy.contains("values") || !strategy["values"].is_array()) return out;
  for (const auto& v : strategy["values"]) {
    if (!v.is_number() && !v.is_null()) return {};
    out.push_back(v.is_number() ? v.get<double>() : std::nan(""));
  }
  return out;
}

std::optional<double> mean_of(const json& strategy) { return number_or_null(strategy["mean"]); }

// How the report states a strategy's paired difference to the baseline.
enum class Call { Better, Worse, NotSignificant, WithinResolution };

Call call_of(const json& metric, std::size_t s, std::size_t baseline) {
  const json& d = metric["strategies"][s]["difference"];
  if (!d.is_object() || !d["verdict"].is_string() || d["verdict"] == "not_significant") return Call::NotSignificant;
  if (is_histogram_quantile(metric["name"].get<std::string>(), metric["unit"].get<std::string>())) {
    const auto diff = number_or_null(d["mean"]);
    const auto hw = d["ci95"].is_object() && d["ci95"].contains("half_width") ? number_or_null(d["ci95"]["half_width"]) : std::nullopt;
    const auto a = mean_of(metric["strategies"][s]), b = mean_of(metric["strategies"][baseline]);
    if (diff && a && b && !difference_resolved(*diff, hw.value_or(0), *a, *b)) return Call::WithinResolution;
  }
  const bool better = d.contains("significantly_better") && d["significantly_better"].is_boolean() && d["significantly_better"].get<bool>();
  return better ? Call::Better : Call::Worse;
}

// The winner compare.json names, unless the metric is a latency quantile and the winner's lead over
// some other strategy is within the histogram's resolution (then `unresolved` is set).
std::optional<std::string> winner_of(const json& metric, bool& unresolved) {
  unresolved = false;
  if (!metric.contains("winner") || !metric["winner"].is_string()) return std::nullopt;
  const std::string winner = metric["winner"].get<std::string>();
  if (!is_histogram_quantile(metric["name"].get<std::string>(), metric["unit"].get<std::string>())) return winner;
  const json& per = metric["strategies"];
  std::size_t w = per.size();
  for (std::size_t s = 0; s < per.size(); ++s)
    if (per[s].contains("strategy") && per[s]["strategy"] == winner) w = s;
  if (w == per.size()) return winner;
  const std::vector<double> won = values_of(per[w]);
  for (std::size_t o = 0; o < per.size(); ++o) {
    if (o == w) continue;
    const auto a = mean_of(per[w]), b = mean_of(per[o]);
    if (!a || !b) continue;
    double diff = *a - *b, hw = 0;
    if (const std::vector<double> other = values_of(per[o]); !won.empty() && other.size() == won.size()) {
      const auto paired = sim::stats::compare_paired(won, other);
      if (paired.difference.mean) diff = *paired.difference.mean;
      if (paired.difference.ci95) hw = paired.difference.ci95->half_width;
    }
    if (!difference_resolved(diff, hw, *a, *b)) {
      unresolved = true;
      return std::nullopt;
    }
  }
  return winner;
}

std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, std::fabs(v) >= 100 ? "%.0f" : std::fabs(v) >= 10 ? "%.1f" : "%.2f", v);
  return buf;
}

// The SLO's availability target, which compare.json does not record (reports/slo_target.hpp).
std::optional<double> slo_target(const json& metrics) {
  const json* good = find_metric(metrics, "slo_good_ratio");
  const json* burned = find_metric(metrics, "error_budget_burned");
  if (!good || !burned) return std::nullopt;
  for (std::size_t s = 0; s < good->at("strategies").size() && s < burned->at("strategies").size(); ++s)
    if (const auto target = slo_target_from_budget(values_of((*good)["strategies"][s]), values_of((*burned)["strategies"][s])))
      return target;
  return std::nullopt;
}

struct Standing {
  std::size_t strategy = 0;
  std::optional<double> availability, good, burned;
};

// The verdict: availability against the SLO and the error budget first, per strategy, best first;
// then the count of metric wins, which weighs a latency quantile as much as availability.
std::string verdict_html(const json& metrics, const json& strategies, const std::string& baseline, bool& met) {
  const json* availability = find_metric(metrics, "availability");
  const json* good = find_metric(metrics, "slo_good_ratio");
  const json* burned = find_metric(metrics, "error_budget_burned");
  const auto target = slo_target(metrics);
  std::vector<Standing> standings;
  for (std::size_t s = 0; s < strategies.size(); ++s) {
    Standing st{s, {}, {}, {}};
    if (availability) st.availability = mean_of((*availability)["strategies"][s]);
    if (good) st.good = mean_of((*good)["strategies"][s]);
    if (burned) st.burned = mean_of((*burned)["strategies"][s]);
    standings.push_back(st);
  }
  // Best first: the most requests good within the SLO, then the most that succeeded.
  const auto key = [](const Standing& st) { return std::pair(st.good.value_or(-1), st.availability.value_or(-1)); };
  std::stable_sort(standings.begin(), standings.end(), [&](const Standing& a, const Standing& b) { return key(a) > key(b); });
  const auto name = [&](std::size_t s) { return html_escape(strategies[s].get<std::string>()); };
  met = false;
  std::string out;
  if ((!availability && !good) || standings.empty()) {
    out += "<p class=\"verdict-sentence\">compare.json holds no availability metric, so the strategies cannot be "
           "judged against an SLO.</p>\n";
  } else {
    const Standing& best = standings.front();
    const auto meets = [&](const Standing& st) { return target && st.good && *st.good >= *target - 1e-12; };
    std::size_t meeting = 0;
    for (const auto& st : standings) meeting += meets(st) ? 1 : 0;
    met = meets(best);
    std::string sentence = "Best against the SLO: <b>" + name(best.strategy) + "</b>";
    if (best.good) sentence += ", with " + percent3(*best.good) + " of requests good (succeeded within the SLO's latency)";
    if (target) {
      sentence += " against a target of " + percent3(*target);
      if (best.burned) sentence += ", " + short_number(*best.burned) + " error budgets burned";
      sentence += meeting == standings.size() ? ": every strategy met the SLO"
                  : meeting == 0              ? ": <strong>no strategy met the SLO</strong>"
                                              : ": " + std::to_string(meeting) + " of " + std::to_string(standings.size()) +
                                       " strategies met the SLO";
    } else {
      sentence += " (no request was bad in any replication, so the SLO's target cannot be read from compare.json)";
    }
    out += "<p class=\"verdict-sentence\">" + sentence + ".</p>\n";
    std::string rows;
    for (std::size_t r = 0; r < standings.size(); ++r) {
      const Standing& st = standings[r];
      const auto cell = [](const std::optional<double>& v, auto format) {
        return v ? format(*v) : std::string("<span class=\"not-measured\">undefined</span>");
      };
      std::string behind = "—";
      if (r > 0 && best.good && st.good) behind = short_number(100 * (*best.good - *st.good)) + " points";
      const bool is_met = meets(st);
      rows += "<tr><td class=\"num\">" + std::to_string(r + 1) + "</td><th scope=\"row\" class=\"name-cell\">" + name(st.strategy) +
              (strategies[st.strategy] == baseline ? " <span class=\"why\">(baseline)</span>" : "") + "</th><td class=\"num\">" +
              cell(st.good, percent3) + "</td><td class=\"num\">" + behind + "</td><td class=\"num\">" +
              cell(st.burned, short_number) + "</td><td>" +
              (!target ? std::string("—") : is_met ? std::string("met") : std::string("<strong>missed</strong>")) +
              "</td><td class=\"num\">" + cell(st.availability, percent3) + "</td></tr>\n";
    }
    out += "<div class=\"table-wrap\"><table class=\"standings\">\n<thead><tr><th>rank</th><th>strategy</th>"
           "<th>good within the SLO<br><small>succeeded in time ÷ requests</small></th><th>behind the best</th>"
           "<th>error budget burned<br><small>bad ÷ (1 − target) × requests</small></th><th>SLO" +
           (target ? " " + percent3(*target) : std::string()) +
           "</th><th>availability<br><small>succeeded ÷ requests, any latency</small></th></tr></thead>\n<tbody>\n" + rows +
           "</tbody></table></div>\n";
  }

  // Then the metric wins.
  std::vector<std::uint64_t> wins(strategies.size(), 0);
  std::uint64_t decided = 0, unresolved_count = 0;
  for (const auto& m : metrics) {
    bool unresolved = false;
    const auto winner = winner_of(m, unresolved);
    unresolved_count += unresolved ? 1 : 0;
    if (!winner) continue;
    ++decided;
    for (std::size_t s = 0; s < strategies.size(); ++s)
      if (strategies[s] == *winner) ++wins[s];
  }
  std::string tally;
  for (std::size_t s = 0; s < strategies.size(); ++s)
    if (wins[s] > 0) tally += (tally.empty() ? ": " : ", ") + std::string("<b>") + name(s) + "</b> wins " + std::to_string(wins[s]);
  out += "<p class=\"caption\">Metric by metric: of " + std::to_string(metrics.size()) + " metrics, " + std::to_string(decided) +
         " have a strategy significantly better than every other (paired 95% intervals)" + tally + "." +
         (unresolved_count ? " " + std::to_string(unresolved_count) +
                                 " latency quantiles have a leader whose lead is within the latency histogram's resolution, "
                                 "which is not counted as a win."
                           : std::string()) +
         " A count of wins weighs a latency quantile as much as availability: read the table above first.</p>\n";
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

  bool met = false;
  const std::string verdict = verdict_html(metrics, strategies, baseline, met);
  body += "<section id=\"verdict\" class=\"verdict " + std::string(met ? "met" : "missed") + "\">\n<h2>Verdict</h2>\n" + verdict +
          "</section>\n";

  // The baseline's position, for the paired differences.
  std::size_t baseline_index = 0;
  for (std::size_t s = 0; s < strategies.size(); ++s)
    if (strategies[s] == baseline) baseline_index = s;
  std::vector<std::optional<std::string>> winners;
  for (const auto& m : metrics) {
    bool unresolved = false;
    winners.push_back(winner_of(m, unresolved));
  }

  // Headline charts with error bars: horizontal bars from zero, one labelled row per strategy.
  json chart_metrics = json::array();
  std::string charts;
  for (std::size_t mi = 0; mi < metrics.size(); ++mi) {
    const json& m = metrics[mi];
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
    chart_metrics.push_back(json{{"id", id}, {"name", metric}, {"counts", metric_counts(metric)}, {"unit", m["unit"]},
                                 {"winner", winners[mi] ? json(*winners[mi]) : json(nullptr)}, {"items", items}});
    charts += html::chart_div(id, "Mean of " + metric + " per strategy with 95% confidence intervals");
  }
  body += html::section("charts", "Headline metrics",
                        "<p class=\"caption\">Mean over the replications, with the 95% confidence interval as an error "
                        "bar; every axis starts at zero, so bar lengths compare (the labels give the values). Green: the "
                        "winner, when one strategy is significantly better than every other.</p>\n" + charts);

  // Every metric, in a table that scrolls inside the page when the strategies do not fit.
  std::string table = "<div class=\"table-wrap\"><table class=\"wide\"><thead><tr><th class=\"sticky\">metric</th>";
  for (const auto& s : strategies)
    table += "<th>" + html_escape(s.get<std::string>()) + (s == baseline ? " <span class=\"why\">(baseline)</span>" : "") + "</th>";
  table += "<th>winner</th></tr></thead><tbody>\n";
  for (std::size_t mi = 0; mi < metrics.size(); ++mi) {
    const json& m = metrics[mi];
    const std::string unit = m["unit"].get<std::string>();
    const bool quantile = is_histogram_quantile(m["name"].get<std::string>(), unit);
    const std::string counts = metric_counts(m["name"].get<std::string>());
    table += "<tr><th scope=\"row\" class=\"sticky\">" + html_escape(m["name"].get<std::string>()) +
             (counts.empty() ? std::string() : "<br><small>" + counts + "</small>") + "</th>";
    for (std::size_t s = 0; s < m["strategies"].size(); ++s) {
      const json& item = m["strategies"][s];
      table += "<td class=\"num\">" + mean_cell(item, unit, quantile);
      const json& d = item["difference"];
      if (d.is_object()) {
        const char* said = "";
        switch (call_of(m, s, baseline_index)) {
          case Call::Better: said = " ✓ better"; break;
          case Call::Worse: said = " ✗ worse"; break;
          case Call::NotSignificant: said = " (not significant)"; break;
          case Call::WithinResolution: said = " (within the histogram's resolution)"; break;
        }
        table += "<br><span class=\"why\">vs baseline " +
                 (number_or_null(d["mean"]) ? format_value(*number_or_null(d["mean"]), unit) : "n/a") + said + "</span>";
      }
      table += "</td>";
    }
    table += "<td>" + (winners[mi] ? "<b>" + html_escape(*winners[mi]) + "</b>" : std::string("—")) + "</td></tr>\n";
  }
  table += "</tbody></table></div>\n";
  body += html::section("metrics", "Every metric",
                        "<p class=\"caption\">Mean ± half-width of the 95% confidence interval (Student's t over the "
                        "replications); below, the paired difference to the baseline (replication i of every strategy "
                        "drew the same random inputs), marked when its interval excludes zero. Latency percentiles come "
                        "from a histogram with 128 buckets per power of two (a bucket is 0.13 ms wide from 17 to 34 ms): a "
                        "difference within its interval plus one bucket is not called significant.</p>\n" + table);

  // A section per strategy: where it wins and where it loses against the baseline.
  for (std::size_t s = 0; s < strategies.size(); ++s) {
    const std::string sname = strategies[s].get<std::string>();
    std::string won, worse;
    for (std::size_t mi = 0; mi < metrics.size(); ++mi) {
      const json& m = metrics[mi];
      const std::string metric = html_escape(m["name"].get<std::string>());
      if (winners[mi] && *winners[mi] == sname) won += (won.empty() ? "" : ", ") + metric;
      if (s != baseline_index && call_of(m, s, baseline_index) == Call::Worse) worse += (worse.empty() ? "" : ", ") + metric;
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
