#include "reports/fmea_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/compare_report.hpp"
#include "reports/html_escape.hpp"

namespace reports {

namespace {

using json = nlohmann::ordered_json;

// A summary as fmea.json writes it: the mean and, with several seeds, the 95% interval.
struct Stat {
  std::optional<double> mean, lo, hi, half_width;
};

// One row of the ranking, read and checked.
struct Row {
  std::uint64_t rank = 0;
  std::string kind, target;
  std::vector<std::string> represents;
  bool pair = false;
  std::vector<std::pair<std::string, std::string>> faults;  // a pair's two (kind, target)
  Stat budget, bad, peak, detect, recover, clients, services, clusters, clients_share, services_share, clusters_share;
  std::vector<std::pair<std::string, std::optional<double>>> clients_bad, clients_bad_share;
  std::optional<Stat> interaction;
  bool worse_than_sum = false;
};

class Checked {
 public:
  explicit Checked(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw ResultsDocumentError(file_, pointer, message);
  }
  const json& member(const json& parent, const std::string& pointer, const char* key, const char* expected,
                     bool (json::*is)() const noexcept) const {
    const std::string at = pointer + "/" + key;
    if (!parent.is_object() || !parent.contains(key)) fail(at, std::string("expected ") + expected + ", found nothing");
    const json& value = parent[key];
    if (!(value.*is)()) fail(at, std::string("expected ") + expected + ", found " + value.type_name());
    return value;
  }
  std::string string(const json& parent, const std::string& pointer, const char* key) const {
    return member(parent, pointer, key, "a string", &json::is_string).get<std::string>();
  }
  std::vector<std::string> strings(const json& parent, const std::string& pointer, const char* key) const {
    const json& list = member(parent, pointer, key, "an array of strings", &json::is_array);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string())
        fail(pointer + "/" + key + "/" + std::to_string(i), std::string("expected a string, found ") + list[i].type_name());
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }
  // A metric's summary; a metric the row does not have reads as undefined.
  Stat stat(const json& metrics, const std::string& pointer, const char* name) const {
    Stat s;
    if (!metrics.contains(name)) return s;
    const json& m = metrics[name];
    const std::string at = pointer + "/" + name;
    if (!m.is_object() || !m.contains("mean")) fail(at, "expected a summary with a mean, found another value");
    if (!m["mean"].is_null() && !m["mean"].is_number()) fail(at + "/mean", "expected a number or null, found another value");
    if (m["mean"].is_number()) s.mean = m["mean"].get<double>();
    if (m.contains("ci95") && m["ci95"].is_object()) {
      const json& ci = m["ci95"];
      const auto number = [](const json& parent, const char* key) {
        return parent.contains(key) && parent[key].is_number() ? std::optional<double>(parent[key].get<double>()) : std::nullopt;
      };
      s.lo = number(ci, "lo");
      s.hi = number(ci, "hi");
      s.half_width = number(ci, "half_width");
    }
    return s;
  }
  std::vector<std::pair<std::string, std::optional<double>>> means(const json& parent, const std::string& pointer,
                                                                   const char* key) const {
    std::vector<std::pair<std::string, std::optional<double>>> out;
    if (!parent.contains(key)) return out;
    const json& object = member(parent, pointer, key, "an object", &json::is_object);
    for (const auto& [name, value] : object.items()) {
      if (!value.is_null() && !value.is_number())
        fail(pointer + "/" + key + "/" + name, std::string("expected a number or null, found ") + value.type_name());
      out.emplace_back(name, value.is_number() ? std::optional<double>(value.get<double>()) : std::nullopt);
    }
    return out;
  }

 private:
  std::string file_;
};

std::string printf_text(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

std::string undefined(const std::string& why) { return "<span class=\"not-measured\">" + why + "</span>"; }

std::string budgets_text(const Stat& s) {
  if (!s.mean) return undefined("undefined");
  std::string out = printf_text("%.2f", *s.mean);
  if (s.half_width) out += " <span class=\"why\">± " + printf_text("%.2f", *s.half_width) + "</span>";
  return out;
}

std::string count_text(const Stat& s) {
  if (!s.mean) return undefined("undefined");
  return printf_text(std::abs(*s.mean - std::round(*s.mean)) < 1e-9 ? "%.0f" : "%.1f", *s.mean);
}

std::string percent_text(const std::optional<double>& v) {
  if (!v) return undefined("undefined");
  return printf_text(*v >= 0.1 ? "%.1f%%" : "%.2f%%", 100.0 * *v);
}

std::string seconds_text(const Stat& s, const char* when_undefined) {
  if (!s.mean) return undefined(when_undefined);
  return printf_text(*s.mean >= 100 ? "%.0f s" : "%.1f s", *s.mean);
}

std::string affected_text(const Stat& count, const Stat& share) {
  if (!count.mean) return undefined("undefined");
  std::string out = count_text(count);
  if (share.mean) out += " <span class=\"why\">(" + printf_text("%.0f%%", 100.0 * *share.mean) + ")</span>";
  return out;
}

std::string row_label(const Row& r) {
  return r.pair ? r.target : r.target.empty() ? r.kind : r.kind + " " + r.target;
}

std::string row_html(const Row& r) {
  if (r.pair && r.faults.size() == 2) {
    std::string out = "<span class=\"why\">pair</span> ";
    for (std::size_t i = 0; i < 2; ++i)
      out += (i ? " + " : "") + std::string("<b>") + html_escape(r.faults[i].first) + "</b> " + html_escape(r.faults[i].second);
    return out;
  }
  return "<b>" + html_escape(r.kind) + "</b> " + html_escape(r.target);
}

json optional_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

std::string seconds_words(double s) {
  if (s >= 60 && std::fmod(s, 60) == 0) return printf_text("%.0f min", s / 60);
  return printf_text(s == std::floor(s) ? "%.0f s" : "%.3g s", s);
}

// As the command line takes it: "200s", "1500ms".
std::string duration_argument(double s) {
  return s == std::floor(s) ? printf_text("%.0fs", s) : printf_text("%.0fms", s * 1000.0);
}

}  // namespace

std::string render_fmea_report(std::string_view fmea_json, const std::string& file, const ReportInputs& inputs) {
  json doc;
  try {
    doc = json::parse(fmea_json);
  } catch (const json::parse_error&) {
    throw ResultsDocumentError(file, "", "expected a faultline fmea document (JSON), found a syntax error");
  } catch (const json::out_of_range&) {
    throw ResultsDocumentError(file, "", "expected a faultline fmea document (JSON), found a number out of range");
  }
  if (!doc.is_object() || !doc.contains("faultline_fmea"))
    throw ResultsDocumentError(file, "", "expected a faultline fmea document (with \"faultline_fmea\"), found another document");
  const Checked read(file);
  if (doc.contains("shard"))
    read.fail("/shard", "expected a whole fmea.json, found the partial result of a shard (merge the shards first)");
  const std::string scenario = read.string(doc, "", "scenario");
  const double at_s = read.member(doc, "", "at_s", "a number", &json::is_number).get<double>();
  const double for_s = read.member(doc, "", "for_s", "a number", &json::is_number).get<double>();
  const auto seeds = read.member(doc, "", "seeds", "a count", &json::is_number_unsigned).get<std::uint64_t>();
  const auto seed = read.member(doc, "", "seed", "a whole number", &json::is_number_unsigned).get<std::uint64_t>();
  const std::uint64_t depth = doc.contains("depth") && doc["depth"].is_number_unsigned() ? doc["depth"].get<std::uint64_t>() : 1;
  const json& baseline = read.member(doc, "", "baseline", "an object", &json::is_object);
  const json& failures = read.member(doc, "", "failures", "an array of failures", &json::is_array);

  std::vector<Row> rows;
  std::vector<std::string> groups;  // client groups, in order of first appearance
  std::size_t targets = 0, singles = 0, pairs = 0, worse_pairs = 0;
  for (std::size_t i = 0; i < failures.size(); ++i) {
    const std::string at = "/failures/" + std::to_string(i);
    const json& f = failures[i];
    Row r;
    r.rank = read.member(f, at, "rank", "a whole number", &json::is_number_unsigned).get<std::uint64_t>();
    r.kind = read.string(f, at, "kind");
    r.target = read.string(f, at, "target");
    r.represents = read.strings(f, at, "represents");
    r.pair = r.kind == "pair";
    // A gray failure names the service whose pods fail: "use1-a (api)".
    if (f.contains("service")) r.target += " (" + read.string(f, at, "service") + ")";
    if (f.contains("faults")) {
      const json& faults = read.member(f, at, "faults", "an array", &json::is_array);
      for (std::size_t k = 0; k < faults.size(); ++k) {
        const std::string fat = at + "/faults/" + std::to_string(k);
        std::string target = read.string(faults[k], fat, "target");
        if (faults[k].contains("service")) target += " (" + read.string(faults[k], fat, "service") + ")";
        r.faults.emplace_back(read.string(faults[k], fat, "kind"), std::move(target));
      }
    }
    const json& impact = read.member(f, at, "impact", "an object", &json::is_object);
    const std::string iat = at + "/impact";
    r.budget = read.stat(impact, iat, "error_budget_burned");
    r.bad = read.stat(impact, iat, "bad_requests");
    r.peak = read.stat(impact, iat, "peak_error_rate");
    r.detect = read.stat(impact, iat, "time_to_detect_s");
    r.recover = read.stat(impact, iat, "time_to_recover_s");
    r.clients = read.stat(impact, iat, "clients_affected");
    r.services = read.stat(impact, iat, "services_affected");
    r.clusters = read.stat(impact, iat, "clusters_affected");
    r.clients_share = read.stat(impact, iat, "clients_affected_share");
    r.services_share = read.stat(impact, iat, "services_affected_share");
    r.clusters_share = read.stat(impact, iat, "clusters_affected_share");
    r.clients_bad = read.means(f, at, "clients_bad");
    r.clients_bad_share = read.means(f, at, "clients_bad_share");
    for (const auto& [group, value] : r.clients_bad)
      if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    if (f.contains("interaction")) {
      const json& interaction = read.member(f, at, "interaction", "an object", &json::is_object);
      r.interaction = read.stat(interaction, at + "/interaction", "error_budget_burned");
      r.worse_than_sum = interaction.contains("worse_than_sum") && interaction["worse_than_sum"].is_boolean() &&
                         interaction["worse_than_sum"].get<bool>();
      worse_pairs += r.worse_than_sum ? 1 : 0;
    }
    if (r.pair) {
      ++pairs;
    } else {
      ++singles;
      targets += r.represents.size();
    }
    rows.push_back(std::move(r));
  }

  const std::string name = html_escape(scenario);
  std::string body;
  body += "<header class=\"report-header\">\n<p class=\"kicker\">faultline fmea report</p>\n<h1 id=\"scenario-name\">" + name +
          "</h1>\n<p class=\"subtitle\">" + plural(singles, "single failure", "single failures") + " standing for " +
          plural(targets, "target", "targets") + (depth >= 2 ? " · " + plural(pairs, "pair", "pairs") + " of them" : "") +
          " · each from " + seconds_words(at_s) + " for " + seconds_words(for_s) + " · " + plural(seeds, "seed", "seeds") +
          "</p>\n</header>\n";

  // The verdict: the worst failure, and how many burn the whole budget.
  const Stat base_budget = read.stat(baseline, "/baseline", "error_budget_burned");
  std::size_t over_budget = 0;
  for (const Row& r : rows) over_budget += r.budget.mean && *r.budget.mean >= 1.0 ? 1 : 0;
  std::string verdict;
  bool met = true;
  if (rows.empty() || !rows.front().budget.mean) {
    verdict = "No failure's error budget could be measured.";
  } else {
    const Row& top = rows.front();
    met = *top.budget.mean < 1.0;
    verdict = "The worst failure, <strong>" + html_escape(row_label(top)) + "</strong>, burns <strong>" +
              printf_text("%.2f", *top.budget.mean) + "</strong> error budgets (" + count_text(top.bad) +
              " bad requests, peak error rate " + percent_text(top.peak.mean) + "). " + std::to_string(over_budget) + " of " +
              std::to_string(rows.size()) + " burn a whole budget or more on their own; with no failure the run burns " +
              (base_budget.mean ? printf_text("%.2f", *base_budget.mean) : std::string("an undefined share")) + ".";
    if (depth >= 2)
      verdict += " " + plural(pairs, "pair", "pairs") + " of overlapping failures ran; " + std::to_string(worse_pairs) +
                 " burn more together than their two failures alone.";
  }
  body += "<section id=\"verdict\" class=\"verdict " + std::string(met ? "met" : "missed") +
          "\">\n<h2>Verdict</h2>\n<p class=\"verdict-sentence\">" + verdict + "</p>\n</section>\n";
  body += "<noscript><p class=\"note-box\">The charts need JavaScript; the table below does not.</p></noscript>\n";

  // The chart data: the worst failures' budgets, and the heat map of the worst rows by client group.
  json bars = json::array();
  for (std::size_t i = 0; i < rows.size() && i < kFmeaBars; ++i) {
    const Row& r = rows[i];
    bars.push_back(json{{"name", "#" + std::to_string(r.rank) + " " + row_label(r)},
                        {"mean", optional_json(r.budget.mean)},
                        {"lo", optional_json(r.budget.lo)},
                        {"hi", optional_json(r.budget.hi)}});
  }
  json heat_rows = json::array(), cells = json::array();
  const std::size_t heat_count = std::min(rows.size(), kFmeaHeatRows);
  for (std::size_t i = 0; i < heat_count; ++i) {
    const Row& r = rows[i];
    heat_rows.push_back("#" + std::to_string(r.rank) + " " + row_label(r));
    for (std::size_t g = 0; g < groups.size(); ++g) {
      std::optional<double> share, count;
      for (const auto& [group, value] : r.clients_bad_share)
        if (group == groups[g]) share = value;
      for (const auto& [group, value] : r.clients_bad)
        if (group == groups[g]) count = value;
      cells.push_back(json::array({g, i, share ? json(100.0 * *share) : json(nullptr), optional_json(count)}));
    }
  }
  if (bars.empty()) {
    body += "<section id=\"top\">\n<h2>Worst failures</h2>\n<p class=\"note-box\">No failure to rank.</p>\n</section>\n";
  } else {
    body += html::section(
        "top", "Worst failures by error budget burned",
        "<p class=\"caption\">The " + plural(bars.size(), "worst failure", "worst failures") + " of " +
            std::to_string(rows.size()) +
            ": the error budget each burns on its own (its bad requests, failed or slower than the SLO latency, over the "
            "run's allowance at the SLO target; 1 = the whole budget)" +
            (seeds > 1 ? ", mean over the seeds with its 95% confidence interval" : "") + ".</p>\n" +
            html::chart_div("chart-fmea-budget", "Error budget burned by the worst failures"));
  }
  if (groups.empty() || heat_count == 0) {
    body += "<section id=\"heatmap\">\n<h2>Failures by client group</h2>\n<p class=\"note-box\">This fmea.json does not "
            "record bad requests per client group.</p>\n</section>\n";
  } else {
    body += html::section(
        "heatmap", "Failures by client group",
        "<p class=\"caption\">Rows: the " + plural(heat_count, "worst failure", "worst failures") +
            "; columns: client groups. Colour: the share of the group's requests sent in the failure's window that "
            "failed or broke the SLO latency (hover for the count of bad requests)" +
            (seeds > 1 ? ", mean over the seeds" : "") + ".</p>\n" +
            html::chart_div("chart-fmea-heatmap", "Share of bad requests per failure and client group"));
  }

  // The ranking.
  std::string table = "<div class=\"table-wrap\"><table class=\"wide\"><thead><tr><th>#</th><th>failure</th>"
                      "<th>stands for</th><th>budget burned</th><th>bad requests</th><th>peak error rate</th>"
                      "<th>time to detect</th><th>time to recover</th><th>client groups</th><th>services</th>"
                      "<th>clusters</th>";
  if (depth >= 2) table += "<th>together vs alone</th>";
  table += "</tr></thead><tbody>\n";
  for (const Row& r : rows) {
    table += "<tr><td class=\"num\">" + std::to_string(r.rank) + "</td><td class=\"name-cell\">" + row_html(r) + "</td><td>";
    if (r.pair) {
      table += "this pair";
    } else if (r.represents.size() <= 1) {
      table += std::to_string(r.represents.size());
    } else {
      table += "<details><summary>" + std::to_string(r.represents.size()) + " targets</summary><p class=\"components\">";
      for (std::size_t k = 0; k < r.represents.size(); ++k) table += (k ? ", " : "") + html_escape(r.represents[k]);
      table += "</p></details>";
    }
    table += "</td><td class=\"num\">" + budgets_text(r.budget) + "</td><td class=\"num\">" + count_text(r.bad) +
             "</td><td class=\"num\">" + percent_text(r.peak.mean) + "</td><td class=\"num\">" +
             seconds_text(r.detect, "no reaction") + "</td><td class=\"num\">" + seconds_text(r.recover, "not within the run") +
             "</td><td class=\"num\">" + affected_text(r.clients, r.clients_share) + "</td><td class=\"num\">" +
             affected_text(r.services, r.services_share) + "</td><td class=\"num\">" +
             affected_text(r.clusters, r.clusters_share) + "</td>";
    if (depth >= 2) {
      table += "<td class=\"num\">";
      if (r.interaction && r.interaction->mean) {
        table += printf_text("%+.2f", *r.interaction->mean) +
                 (r.worse_than_sum ? " <b>✗ worse than the sum</b>" : " <span class=\"why\">not worse</span>");
      } else {
        table += r.pair ? undefined("undefined") : std::string("—");
      }
      table += "</td>";
    }
    table += "</tr>\n";
  }
  table += "</tbody></table></div>\n";
  body += html::section(
      "ranking", "Every failure, worst first",
      "<p class=\"caption\">Each failure alone on the scenario's traffic (its own faults left out), from " +
          seconds_words(at_s) + " for " + seconds_words(for_s) + (seeds > 1 ? "; means over the seeds, ± the 95% interval" : "") +
          ". Stands for: the structurally identical targets the row's target represents. Bad requests: failed or slower "
          "than the SLO latency, sent in the failure's window (from its start until it ended or the service recovered, "
          "whichever is later). Affected: the client groups, entry services and clusters that saw bad requests, with "
          "their share of the fleet's." +
          (depth >= 2 ? std::string(" Together vs alone (pairs): the pair's error budget burned minus its two failures' "
                                    "alone; worse than the sum when it is above zero (with several seeds: its 95% "
                                    "interval is).")
                      : std::string()) +
          "</p>\n" + table);

  body += "<footer class=\"report-footer\"><p class=\"caption\">faultline " + html_escape(inputs.faultline_version) +
          (inputs.scenario_sha256.empty() ? std::string() : "; scenario SHA-256 <code>" + html_escape(inputs.scenario_sha256) + "</code>") +
          ". Reproduce: <code>faultline fmea " + html_escape(inputs.scenario_path.empty() ? std::string("SCENARIO") : inputs.scenario_path) +
          " --seed " + std::to_string(seed) + " --at " + duration_argument(at_s) + " --for " + duration_argument(for_s) +
          " --seeds " + std::to_string(seeds) + (depth >= 2 ? " --depth 2" : "") +
          "</code>; a row's numbers are those of <code>faultline run</code> of "
          "the scenario with only that failure.</p></footer>\n";

  json data{{"kind", "fmea"},
            {"bars", bars},
            {"heat", json{{"rows", heat_rows}, {"columns", groups}, {"cells", cells}}}};
  return html::page(name + " — faultline fmea report", body, data.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace reports
