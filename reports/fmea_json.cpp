#include "reports/fmea_json.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "reports/document_reader.hpp"
#include "reports/html_report.hpp"
#include "reports/json_numbers.hpp"

namespace reports {

using json = nlohmann::ordered_json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The names fmea_run_metrics() gives what it keeps.
constexpr std::string_view kImpact = "impact/";
constexpr std::string_view kClientsBad = "clients_bad/";
constexpr std::string_view kClientsBadShare = "clients_bad_share/";
constexpr std::string_view kServicesBad = "services_bad/";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

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

json means_json(const std::vector<std::pair<std::string, double>>& means) {
  json out = json::object();
  for (const auto& [name, mean] : means) out[name] = number_or_null(mean);
  return out;
}

json fault_json(const FmeaFault& f) {
  json out;
  out["kind"] = f.kind;
  out["target"] = f.target;
  out["represents"] = f.represents;
  if (!f.service.empty()) out["service"] = f.service;  // gray failures: in each of `represents`
  if (f.error_rate) out["error_rate"] = number_or_null(*f.error_rate);
  return out;
}

// "cluster-outage use1-a"; a gray failure names its service: "gray-failure use1-a (api)".
std::string label(const FmeaFault& f) {
  std::string name = f.target.empty() ? f.kind : f.kind + " " + f.target;
  if (!f.service.empty()) name += " (" + f.service + ")";
  return name;
}

// One metric of one case over its seeds: values in replication order, NaN where a run lacks it.
struct CaseSeries {
  std::string name, unit;
  std::vector<double> values;
};

// The metrics of case c's runs whose names `keep` accepts, in order of first appearance (by
// replication, then the run's own order).
template <typename Keep>
std::vector<CaseSeries> case_series(const FmeaPlan& plan, const std::vector<FmeaRunMetrics>& runs, std::size_t c,
                                    Keep keep) {
  std::vector<CaseSeries> out;
  std::map<std::string, std::size_t, std::less<>> position;
  for (std::uint64_t j = 0; j < plan.seeds; ++j) {
    for (const ScalarMetric& m : runs[c * plan.seeds + j]) {
      if (!keep(m.name)) continue;
      auto [it, added] = position.try_emplace(m.name, out.size());
      if (added) out.push_back({m.name, m.unit, std::vector<double>(plan.seeds, kNaN)});
      out[it->second].values[j] = m.value;
    }
  }
  return out;
}

std::vector<FmeaMetric> summaries(std::vector<CaseSeries> series, std::size_t strip) {
  std::vector<FmeaMetric> out;
  for (CaseSeries& s : series) out.push_back({s.name.substr(strip), s.unit, sim::stats::summarize(s.values)});
  return out;
}

std::vector<std::pair<std::string, double>> means(const std::vector<CaseSeries>& series, std::size_t strip) {
  std::vector<std::pair<std::string, double>> out;
  for (const CaseSeries& s : series) {
    const sim::stats::Summary summary = sim::stats::summarize(s.values);
    out.emplace_back(s.name.substr(strip), summary.mean.value_or(kNaN));
  }
  return out;
}

// Case c's error budget burned in each replication.
std::vector<double> budgets(const FmeaPlan& plan, const std::vector<FmeaRunMetrics>& runs, std::size_t c) {
  const std::string name = std::string(kImpact) + "error_budget_burned";
  std::vector<double> out(plan.seeds, kNaN);
  for (std::uint64_t j = 0; j < plan.seeds; ++j)
    for (const ScalarMetric& m : runs[c * plan.seeds + j])
      if (m.name == name) out[j] = m.value;
  return out;
}

// ---- Reading partials ----

using detail::child;
using detail::describe;
using Reader = detail::DocumentReader;

struct FmeaPartial {
  FmeaPlan plan;
  sim::Shard shard;
  sim::ReplicationRange range;  // the runs it holds
  std::vector<FmeaRunMetrics> runs;
};

FmeaPartial parse_fmea_partial(std::string_view text, const std::string& file) {
  const Reader read(file);
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& error) {
    read.fail("", std::string("expected JSON, found a syntax error: ") + error.what());
  } catch (const json::out_of_range&) {
    read.fail("", "expected JSON numbers a double can hold, found a number out of range");
  }
  if (!doc.is_object()) read.wrong("", "an object", doc);
  if (!doc.contains("faultline_fmea")) {
    read.fail("", "expected the partial result of a shard of faultline fmea (fmea --shard K/N), found no "
                  "\"faultline_fmea\" key");
  }
  if (const json& version = doc.at("faultline_fmea"); !version.is_number_unsigned() || version.get<std::uint64_t>() != 1)
    read.fail("/faultline_fmea", "expected format version 1, found " + describe(version));
  if (!doc.contains("shard")) {
    read.fail("/shard", "expected the partial result of a shard (written by fmea --shard), found a complete fmea.json "
                        "with no \"shard\"");
  }
  FmeaPartial out;
  FmeaPlan& plan = out.plan;
  plan.faultline_version = read.string(doc, "", "faultline_version");
  plan.scenario = read.string(doc, "", "scenario");
  plan.scenario_sha256 = read.string(doc, "", "scenario_sha256");
  plan.seed = read.whole(doc, "", "seed");
  plan.seeds = read.whole(doc, "", "seeds");
  if (plan.seeds == 0) read.fail("/seeds", "expected at least 1 seed, found 0");
  plan.duration_s = read.number(doc, "", "duration_s");
  plan.at_s = read.number(doc, "", "at_s");
  plan.for_s = read.number(doc, "", "for_s");
  plan.depth = read.whole(doc, "", "depth");
  if (plan.depth != 1 && plan.depth != 2) read.fail("/depth", "expected 1 or 2, found " + describe(doc.at("depth")));
  const json& pairs = read.member(doc, "", "pairs");
  plan.pairs_overlapping = read.whole(pairs, "/pairs", "overlapping");
  plan.pairs_contained = read.whole(pairs, "/pairs", "contained");
  plan.pairs_same_class = read.whole(pairs, "/pairs", "same_class");

  const json& cases = read.array(doc, "", "cases");
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const std::string at = child("/cases", c);
    FmeaCase entry;
    const json& faults = read.array(cases[c], at, "faults");
    for (std::size_t f = 0; f < faults.size(); ++f) {
      const std::string fat = child(child(at, "faults"), f);
      FmeaFault fault{read.string(faults[f], fat, "kind"), read.string(faults[f], fat, "target"),
                      read.strings(faults[f], fat, "represents"), {}, {}};
      if (faults[f].contains("service")) fault.service = read.string(faults[f], fat, "service");
      if (faults[f].contains("error_rate")) fault.error_rate = read.number(faults[f], fat, "error_rate");
      entry.faults.push_back(std::move(fault));
    }
    const json& singles = read.array(cases[c], at, "singles");
    for (std::size_t s = 0; s < singles.size(); ++s) {
      const std::uint64_t single = read.whole(singles[s], child(child(at, "singles"), s));
      if (single == 0 || single >= c || plan.cases[single].faults.size() != 1)
        read.fail(child(child(at, "singles"), s), "expected the index of an earlier single failure, found " +
                                                       std::to_string(single));
      entry.singles.push_back(static_cast<std::size_t>(single));
    }
    const bool baseline = c == 0 && entry.faults.empty() && entry.singles.empty();
    const bool single = c > 0 && entry.faults.size() == 1 && entry.singles.empty();
    const bool pair = c > 0 && entry.faults.size() == 2 && entry.singles.size() == 2;
    if (!baseline && !single && !pair) {
      read.fail(at, c == 0 ? "expected the baseline (no faults) first"
                           : "expected one fault, or two faults and the two single failures they pair");
    }
    plan.cases.push_back(std::move(entry));
  }
  if (plan.cases.empty()) read.fail("/cases", "expected at least the baseline, found none");

  const std::string shard_text = read.string(doc, "", "shard");
  try {
    out.shard = sim::parse_shard(shard_text);
  } catch (const std::invalid_argument& error) {
    read.fail("/shard", error.what());
  }
  const std::uint64_t total = read.whole(doc, "", "runs");
  if (total != plan.runs()) {
    read.fail("/runs", "expected " + std::to_string(plan.runs()) + " (the cases times the seeds), found " +
                           std::to_string(total));
  }
  out.range = sim::replications_of(out.shard, total);
  const json& results = read.array(doc, "", "results");
  if (results.size() != out.range.size()) {
    read.fail("/results", "expected the " + std::to_string(out.range.size()) + " runs of shard " + shard_text + " of " +
                              std::to_string(total) + ", found " + std::to_string(results.size()));
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string at = child("/results", i);
    const std::uint64_t run = read.whole(results[i], at, "run");
    if (run != out.range.begin + i)
      read.fail(child(at, "run"), "expected run " + std::to_string(out.range.begin + i) + " (the runs of shard " +
                                      shard_text + " in order), found " + std::to_string(run));
    const json& metrics = read.array(results[i], at, "metrics");
    FmeaRunMetrics values;
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const std::string mat = child(child(at, "metrics"), m);
      ScalarMetric metric;
      metric.name = read.string(metrics[m], mat, "name");
      metric.unit = read.string(metrics[m], mat, "unit");
      const json& value = read.member(metrics[m], mat, "value");
      if (!value.is_null() && !value.is_number()) read.wrong(child(mat, "value"), "a number or null", value);
      metric.value = value.is_null() ? kNaN : value.get<double>();
      values.push_back(std::move(metric));
    }
    out.runs.push_back(std::move(values));
  }
  return out;
}

json plan_head(const FmeaPlan& p) {
  json doc;
  doc["faultline_fmea"] = 1;
  doc["faultline_version"] = p.faultline_version;
  doc["scenario"] = p.scenario;
  doc["scenario_sha256"] = p.scenario_sha256;
  doc["seed"] = p.seed;
  doc["seeds"] = p.seeds;
  doc["duration_s"] = number_or_null(p.duration_s);
  doc["at_s"] = number_or_null(p.at_s);
  doc["for_s"] = number_or_null(p.for_s);
  doc["depth"] = p.depth;
  return doc;
}

}  // namespace

FmeaRunMetrics fmea_run_metrics(const models::results::RunResult& result, const std::vector<std::uint32_t>& faults,
                                const models::results::FaultImpact& impact) {
  FmeaRunMetrics out;
  std::vector<ScalarMetric> all = scalar_metrics(result);
  for (ScalarMetric& m : all)
    if (m.name == "availability" || m.name == "error_budget_burned") out.push_back(std::move(m));
  if (faults.empty() || result.step <= sim::Duration::zero()) return out;
  bool database = false;
  for (std::uint32_t f : faults) database = database || result.faults[f].kind == "database-primary-failure";
  append_fault_metrics(out, std::string(kImpact), impact, database, result);
  // Its own bad requests (caused by one of its faults, alone or with another: README "Metrics"),
  // per client group and entry service; a group's share is of its requests in the window.
  std::vector<std::uint64_t> client_bad(result.clients.size(), 0);
  std::map<std::string, std::uint64_t> service_bad;
  for (const models::results::CauseBucket& b : result.causes) {
    if (std::none_of(faults.begin(), faults.end(),
                     [&](std::uint32_t f) { return std::binary_search(b.faults.begin(), b.faults.end(), f); }))
      continue;
    for (std::size_t c = 0; c < client_bad.size() && c < b.clients.size(); ++c) client_bad[c] += b.clients[c];
    for (const auto& [service, bad] : b.services) service_bad[service] += bad;
  }
  const auto first = static_cast<std::size_t>(impact.window_start / result.step);
  const auto end = static_cast<std::size_t>(impact.window_end / result.step);
  using sim::stats::Direction;
  for (std::size_t c = 0; c < result.clients.size(); ++c) {
    const models::results::GroupResult& g = result.clients[c];
    std::uint64_t requests = 0;
    for (std::size_t k = first; k < end && k < g.series.size(); ++k) requests += g.series[k].counts.requests;
    const auto bad = static_cast<double>(client_bad[c]);
    out.push_back({std::string(kClientsBad) + g.name, bad, Direction::LowerIsBetter, "requests"});
    out.push_back({std::string(kClientsBadShare) + g.name, requests == 0 ? kNaN : bad / static_cast<double>(requests),
                   Direction::LowerIsBetter, "ratio"});
  }
  for (const models::results::Breakdown& b : result.breakdowns) {
    if (b.dimension != "service") continue;
    const auto it = service_bad.find(b.name);
    out.push_back({std::string(kServicesBad) + b.name, it == service_bad.end() ? 0.0 : static_cast<double>(it->second),
                   Direction::LowerIsBetter, "requests"});
  }
  return out;
}

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

FmeaDocument fmea_document(const FmeaPlan& plan, const std::vector<FmeaRunMetrics>& runs) {
  if (runs.size() != plan.runs() || plan.cases.empty()) {
    throw std::invalid_argument("fmea_document: expected " + std::to_string(plan.runs()) + " runs, found " +
                                std::to_string(runs.size()));
  }
  FmeaDocument d;
  d.faultline_version = plan.faultline_version;
  d.scenario = plan.scenario;
  d.scenario_sha256 = plan.scenario_sha256;
  d.seed = plan.seed;
  d.seeds = plan.seeds;
  d.duration_s = plan.duration_s;
  d.at_s = plan.at_s;
  d.for_s = plan.for_s;
  d.depth = plan.depth;
  d.pairs_overlapping = plan.pairs_overlapping;
  d.pairs_contained = plan.pairs_contained;
  d.pairs_same_class = plan.pairs_same_class;
  const auto of_run = [](std::string_view name) { return name == "availability" || name == "error_budget_burned"; };
  const auto with = [](std::string_view prefix) { return [prefix](std::string_view name) { return starts_with(name, prefix); }; };
  d.baseline = summaries(case_series(plan, runs, 0, of_run), 0);
  for (std::size_t c = 1; c < plan.cases.size(); ++c) {
    const FmeaCase& k = plan.cases[c];
    FmeaFailure f;
    f.faults = k.faults;
    if (k.faults.size() == 1) {
      f.kind = k.faults[0].kind;
      f.target = k.faults[0].target;
      f.represents = k.faults[0].represents;
      f.service = k.faults[0].service;
      f.error_rate = k.faults[0].error_rate;
      ++d.singles;
    } else {
      f.kind = "pair";
      f.target = label(k.faults[0]) + " + " + label(k.faults[1]);
      f.represents = {f.target};
      ++d.pairs_run;
    }
    f.impact = summaries(case_series(plan, runs, c, with(kImpact)), kImpact.size());
    f.run = summaries(case_series(plan, runs, c, of_run), 0);
    f.clients_bad = means(case_series(plan, runs, c, with(kClientsBad)), kClientsBad.size());
    f.clients_bad_share = means(case_series(plan, runs, c, with(kClientsBadShare)), kClientsBadShare.size());
    f.services_bad = means(case_series(plan, runs, c, with(kServicesBad)), kServicesBad.size());
    if (k.singles.size() == 2) {
      const std::vector<double> pair = budgets(plan, runs, c);
      const std::vector<double> a = budgets(plan, runs, k.singles[0]);
      const std::vector<double> b = budgets(plan, runs, k.singles[1]);
      std::vector<double> difference(plan.seeds);
      for (std::uint64_t j = 0; j < plan.seeds; ++j) difference[j] = pair[j] - a[j] - b[j];  // NaN stays NaN
      f.interaction = sim::stats::summarize(difference);
      f.singles_budget = {sim::stats::summarize(a).mean.value_or(kNaN), sim::stats::summarize(b).mean.value_or(kNaN)};
    }
    d.failures.push_back(std::move(f));
  }
  rank_failures(d.failures);
  return d;
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
  doc["depth"] = d.depth;
  doc["ranked_by"] = "error_budget_burned";
  doc["singles"] = d.singles;
  if (d.depth >= 2) {
    doc["pairs"] = json{{"overlapping", d.pairs_overlapping},
                        {"contained", d.pairs_contained},
                        {"same_class", d.pairs_same_class},
                        {"run", d.pairs_run}};
  }
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
    json faults = json::array();
    for (const FmeaFault& fault : f.faults) faults.push_back(fault_json(fault));
    entry["faults"] = std::move(faults);
    entry["at_s"] = number_or_null(d.at_s);
    entry["for_s"] = number_or_null(d.for_s);
    entry["impact"] = metrics_json(f.impact);
    entry["run"] = metrics_json(f.run);
    entry["clients_bad"] = means_json(f.clients_bad);
    entry["clients_bad_share"] = means_json(f.clients_bad_share);
    entry["services_bad"] = means_json(f.services_bad);
    if (f.interaction) {
      json interaction;
      json budget;
      add_summary(budget, *f.interaction);
      interaction["error_budget_burned"] = std::move(budget);
      json singles = json::array();
      for (const double v : f.singles_budget) singles.push_back(number_or_null(v));
      interaction["singles_error_budget_burned"] = std::move(singles);
      const bool above = f.interaction->mean && *f.interaction->mean > 0 &&
                         (!f.interaction->ci95 || f.interaction->ci95->lo > 0);
      interaction["worse_than_sum"] = above;
      entry["interaction"] = std::move(interaction);
    }
    failures.push_back(std::move(entry));
  }
  doc["failures"] = std::move(failures);
  return doc.dump(2) + "\n";
}

FmeaEffects fmea_effects(const FmeaPlan& plan, const std::vector<FmeaRunMetrics>& runs, std::size_t c) {
  std::set<std::string> clients, services;
  for (std::uint64_t j = 0; j < plan.seeds; ++j) {
    for (const ScalarMetric& m : runs.at(c * plan.seeds + j)) {
      if (!(m.value > 0)) continue;
      if (starts_with(m.name, kClientsBad)) clients.insert(m.name.substr(kClientsBad.size()));
      if (starts_with(m.name, kServicesBad)) services.insert(m.name.substr(kServicesBad.size()));
    }
  }
  return {{clients.begin(), clients.end()}, {services.begin(), services.end()}};
}

bool effects_overlap(const FmeaEffects& a, const FmeaEffects& b) {
  const auto shares = [](const std::vector<std::string>& x, const std::vector<std::string>& y) {
    std::vector<std::string> both;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
    return !both.empty();
  };
  return shares(a.clients, b.clients) || shares(a.services, b.services);
}

std::string fmea_file_name(std::optional<sim::Shard> shard) {
  if (!shard) return "fmea.json";
  return "fmea.shard-" + std::to_string(shard->index + 1) + "-of-" + std::to_string(shard->count) + ".json";
}

std::string fmea_partial_to_json(const FmeaPlan& plan, sim::Shard shard, const std::vector<FmeaRunMetrics>& slice) {
  const sim::ReplicationRange range = sim::replications_of(shard, plan.runs());
  if (slice.size() != range.size()) {
    throw std::invalid_argument("fmea_partial_to_json: expected the " + std::to_string(range.size()) +
                                " runs of the shard, found " + std::to_string(slice.size()));
  }
  json doc = plan_head(plan);
  doc["pairs"] = json{{"overlapping", plan.pairs_overlapping},
                      {"contained", plan.pairs_contained},
                      {"same_class", plan.pairs_same_class}};
  json cases = json::array();
  for (const FmeaCase& c : plan.cases) {
    json faults = json::array();
    for (const FmeaFault& f : c.faults) faults.push_back(fault_json(f));
    cases.push_back(json{{"faults", std::move(faults)}, {"singles", c.singles}});
  }
  doc["cases"] = std::move(cases);
  doc["shard"] = sim::to_string(shard);
  doc["runs"] = plan.runs();
  json results = json::array();
  for (std::size_t i = 0; i < slice.size(); ++i) {
    json metrics = json::array();
    for (const ScalarMetric& m : slice[i])
      metrics.push_back(json{{"name", m.name}, {"unit", m.unit}, {"value", number_or_null(m.value)}});
    results.push_back(json{{"run", range.begin + i}, {"metrics", std::move(metrics)}});
  }
  doc["results"] = std::move(results);
  return doc.dump(1) + "\n";
}

bool is_fmea_document(std::string_view text) { return text.find("\"faultline_fmea\"") != std::string_view::npos; }

FmeaMerged merge_fmea_partials(const std::vector<PartialFile>& parts) {
  if (parts.empty()) throw MergeError("expected at least one partial result to merge, found none");
  std::vector<FmeaPartial> parsed;
  parsed.reserve(parts.size());
  for (const PartialFile& part : parts) parsed.push_back(parse_fmea_partial(part.text, part.file));

  // Every part must come from the same analysis; each field is compared on its own, so that the
  // message says which one differs.
  const FmeaPlan& reference = parsed.front().plan;
  for (std::size_t p = 1; p < parsed.size(); ++p) {
    const FmeaPlan& e = parsed[p].plan;
    const auto differs = [&](const std::string& pointer, const std::string& expected, const std::string& found) {
      throw ResultsDocumentError(parts[p].file, pointer,
                                 "expected " + expected + " as in " + parts.front().file +
                                     " (the parts of one analysis agree on it), found " + found);
    };
    const auto quoted = [](const std::string& text) { return "\"" + text + "\""; };
    const auto number = [](double v) { return json(v).dump(); };
    if (e.faultline_version != reference.faultline_version)
      differs("/faultline_version", quoted(reference.faultline_version), quoted(e.faultline_version));
    if (e.scenario != reference.scenario) differs("/scenario", quoted(reference.scenario), quoted(e.scenario));
    if (e.scenario_sha256 != reference.scenario_sha256)
      differs("/scenario_sha256", quoted(reference.scenario_sha256) + " (the same scenario file)", quoted(e.scenario_sha256));
    if (e.seed != reference.seed) differs("/seed", std::to_string(reference.seed), std::to_string(e.seed));
    if (e.seeds != reference.seeds) differs("/seeds", std::to_string(reference.seeds), std::to_string(e.seeds));
    if (e.duration_s != reference.duration_s) differs("/duration_s", number(reference.duration_s), number(e.duration_s));
    if (e.at_s != reference.at_s) differs("/at_s", number(reference.at_s), number(e.at_s));
    if (e.for_s != reference.for_s) differs("/for_s", number(reference.for_s), number(e.for_s));
    if (e.depth != reference.depth) differs("/depth", std::to_string(reference.depth), std::to_string(e.depth));
    if (e.pairs_overlapping != reference.pairs_overlapping || e.pairs_contained != reference.pairs_contained ||
        e.pairs_same_class != reference.pairs_same_class ||
        e.cases != reference.cases) {
      differs("/cases", "the same " + std::to_string(reference.cases.size()) + " failure cases",
              std::to_string(e.cases.size()) + " cases that differ");
    }
  }

  // Each run exactly once. Every part holds its shard's contiguous block, so ordering the parts by
  // their first run orders every run.
  std::vector<std::size_t> order(parsed.size());
  for (std::size_t p = 0; p < order.size(); ++p) order[p] = p;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return parsed[a].range.begin < parsed[b].range.begin; });
  std::vector<std::uint64_t> indices;
  for (const std::size_t p : order)
    for (std::uint64_t r = parsed[p].range.begin; r < parsed[p].range.end; ++r) indices.push_back(r);
  if (const auto problem = sim::coverage_problem(indices, reference.runs())) {
    std::string shards;
    for (const std::size_t p : order) shards += (shards.empty() ? "" : ", ") + sim::to_string(parsed[p].shard);
    throw MergeError(*problem + " (runs of failure cases x seeds; the parts hold shards " + shards + " of " +
                     std::to_string(reference.runs()) + " runs: merge every shard's file, each once)");
  }
  FmeaMerged merged{reference, {}};
  merged.runs.reserve(reference.runs());
  for (const std::size_t p : order)
    for (FmeaRunMetrics& run : parsed[p].runs) merged.runs.push_back(std::move(run));
  return merged;
}

}  // namespace reports
