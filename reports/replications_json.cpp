#include "reports/replications_json.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "reports/document_reader.hpp"
#include "reports/html_report.hpp"
#include "reports/json_numbers.hpp"

namespace reports {

using json = nlohmann::ordered_json;

namespace {

using sim::stats::Direction;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char* format_key(ExperimentKind kind) {
  return kind == ExperimentKind::Replications ? "faultline_replications" : "faultline_compare";
}

const char* command_of(ExperimentKind kind) {
  return kind == ExperimentKind::Replications ? "faultline run --seeds N" : "faultline compare";
}

std::string direction_name(Direction direction) {
  return direction == Direction::HigherIsBetter ? "higher_is_better" : "lower_is_better";
}

json values_json(const std::vector<double>& values) {
  json out = json::array();
  for (const double v : values) out.push_back(number_or_null(v));
  return out;
}

const char* verdict_name(sim::stats::Verdict verdict) {
  switch (verdict) {
    case sim::stats::Verdict::SignificantlyLower:
      return "significantly_lower";
    case sim::stats::Verdict::SignificantlyHigher:
      return "significantly_higher";
    case sim::stats::Verdict::NotSignificant:
      break;
  }
  return "not_significant";
}

sim::ReplicationRange expected_range(const Experiment& experiment, std::optional<sim::Shard> shard) {
  return shard ? sim::replications_of(*shard, experiment.replications)
               : sim::ReplicationRange{0, experiment.replications};
}

// ---- Reading ----

using detail::child;
using detail::describe;

/// The shared document reader, with the per-replication values of a partial.
class Reader : public detail::DocumentReader {
 public:
  using DocumentReader::DocumentReader;

  /// A per-replication value: a number, or null for an undefined one.
  double value(const json& value, const std::string& pointer) const {
    if (value.is_null()) return kNaN;
    if (!value.is_number()) wrong(pointer, "a number or null", value);
    return value.get<double>();
  }
  std::vector<double> values(const json& parent, const std::string& pointer, std::size_t count) const {
    const json& list = array(parent, pointer, "values");
    const std::string at = child(pointer, "values");
    if (list.size() != count) {
      fail(at, "expected " + std::to_string(count) + " values, one per replication of the shard, found " +
                   std::to_string(list.size()));
    }
    std::vector<double> out;
    out.reserve(count);
    for (std::size_t i = 0; i < list.size(); ++i) out.push_back(value(list[i], child(at, i)));
    return out;
  }
};

}  // namespace

ReplicationTable replication_table(std::uint64_t index, std::uint64_t seed,
                                   const std::vector<std::vector<ScalarMetric>>& by_strategy) {
  if (by_strategy.empty()) throw std::invalid_argument("replication_table: expected at least 1 strategy, found 0");
  ReplicationTable table;
  table.strategies = by_strategy.size();
  table.first = index;
  table.seeds = {seed};
  std::map<std::string, std::size_t, std::less<>> position;
  for (std::size_t s = 0; s < by_strategy.size(); ++s) {
    std::set<std::string, std::less<>> seen;
    for (const ScalarMetric& metric : by_strategy[s]) {
      if (!seen.insert(metric.name).second) continue;  // a repeated name keeps its first value
      auto [it, added] = position.try_emplace(metric.name, table.metrics.size());
      if (added) {
        table.metrics.push_back(MetricSeries{metric.name, metric.unit, metric.direction,
                                             std::vector<std::vector<double>>(table.strategies, {kNaN})});
      }
      table.metrics[it->second].values[s][0] = metric.value;
    }
  }
  return table;
}

void append(ReplicationTable& into, const ReplicationTable& next) {
  if (into.strategies != next.strategies) {
    throw std::invalid_argument("append: expected tables of " + std::to_string(into.strategies) +
                                " strategies, found " + std::to_string(next.strategies));
  }
  if (next.size() == 0) return;
  if (into.size() == 0) {
    into.first = next.first;
  } else if (next.first != into.first + into.size()) {
    throw std::invalid_argument("append: expected replication " + std::to_string(into.first + into.size()) +
                                " next, found " + std::to_string(next.first));
  }
  const std::size_t held = into.size();
  const std::size_t total = held + next.size();
  std::map<std::string, std::size_t, std::less<>> position;
  for (std::size_t i = 0; i < into.metrics.size(); ++i) position.emplace(into.metrics[i].name, i);
  std::vector<MetricSeries> added;
  for (const MetricSeries& metric : next.metrics) {
    const auto it = position.find(metric.name);
    if (it != position.end()) {
      for (std::size_t s = 0; s < into.strategies; ++s) {
        std::vector<double>& values = into.metrics[it->second].values[s];
        values.insert(values.end(), metric.values[s].begin(), metric.values[s].end());
      }
      continue;
    }
    MetricSeries series{metric.name, metric.unit, metric.direction, {}};
    for (std::size_t s = 0; s < into.strategies; ++s) {
      std::vector<double> values(held, kNaN);
      values.insert(values.end(), metric.values[s].begin(), metric.values[s].end());
      series.values.push_back(std::move(values));
    }
    added.push_back(std::move(series));
  }
  for (MetricSeries& metric : into.metrics)
    for (std::vector<double>& values : metric.values) values.resize(total, kNaN);  // absent from `next`
  for (MetricSeries& metric : added) into.metrics.push_back(std::move(metric));
  into.seeds.insert(into.seeds.end(), next.seeds.begin(), next.seeds.end());
}

std::string experiment_file_name(ExperimentKind kind, std::optional<sim::Shard> shard) {
  const std::string stem = kind == ExperimentKind::Replications ? "replications" : "compare";
  if (!shard) return stem + ".json";
  return stem + ".shard-" + std::to_string(shard->index + 1) + "-of-" + std::to_string(shard->count) + ".json";
}

std::string experiment_to_json(const Experiment& experiment, const ReplicationTable& table,
                               std::optional<sim::Shard> shard) {
  const std::size_t strategies = experiment.strategies.size();
  if (strategies == 0 || table.strategies != strategies ||
      (experiment.kind == ExperimentKind::Replications && strategies != 1)) {
    throw std::invalid_argument("experiment_to_json: the table's strategies are not the experiment's");
  }
  const sim::ReplicationRange range = expected_range(experiment, shard);
  if (table.size() != range.size() || (range.size() != 0 && table.first != range.begin)) {
    throw std::invalid_argument("experiment_to_json: expected replications " + std::to_string(range.begin) + " to " +
                                std::to_string(range.end) + " (exclusive), found " + std::to_string(table.size()) +
                                " from " + std::to_string(table.first));
  }
  const auto baseline_at = std::find(experiment.strategies.begin(), experiment.strategies.end(), experiment.baseline);
  if (experiment.kind == ExperimentKind::Compare && baseline_at == experiment.strategies.end()) {
    throw std::invalid_argument("experiment_to_json: the baseline is not among the strategies");
  }
  const std::size_t baseline = static_cast<std::size_t>(baseline_at - experiment.strategies.begin());

  json doc = json::object();
  doc[format_key(experiment.kind)] = 1;
  doc["faultline_version"] = experiment.faultline_version;
  doc["scenario"] = experiment.scenario;
  doc["scenario_sha256"] = experiment.scenario_sha256;
  if (experiment.kind == ExperimentKind::Replications) {
    doc["strategy"] = experiment.strategies.front();
  } else {
    doc["strategies"] = experiment.strategies;
    doc["baseline"] = experiment.baseline;
  }
  doc["seed"] = experiment.seed;
  doc["duration_s"] = experiment.duration_s;
  doc["replications"] = experiment.replications;
  if (shard) {
    doc["shard"] = sim::to_string(*shard);
    json indices = json::array();
    for (std::uint64_t i = range.begin; i < range.end; ++i) indices.push_back(i);
    doc["replication_indices"] = std::move(indices);
  }
  doc["seeds"] = table.seeds;

  json metrics = json::array();
  for (const MetricSeries& metric : table.metrics) {
    json entry = json::object();
    entry["name"] = metric.name;
    entry["unit"] = metric.unit;
    entry["direction"] = direction_name(metric.direction);
    if (experiment.kind == ExperimentKind::Replications) {
      add_summary(entry, sim::stats::summarize(metric.values.front()));
      entry["values"] = values_json(metric.values.front());
    } else {
      const auto winner = sim::stats::significant_winner(metric.values, metric.direction);
      entry["winner"] = winner ? json(experiment.strategies[*winner]) : json(nullptr);
      json per_strategy = json::array();
      for (std::size_t s = 0; s < strategies; ++s) {
        json item = json::object();
        item["strategy"] = experiment.strategies[s];
        add_summary(item, sim::stats::summarize(metric.values[s]));
        if (s == baseline) {
          item["difference"] = nullptr;
        } else {
          const auto comparison = sim::stats::compare_paired(metric.values[s], metric.values[baseline]);
          json difference = json::object();
          add_summary(difference, comparison.difference);
          difference["verdict"] = verdict_name(comparison.verdict);
          difference["significantly_better"] = sim::stats::is_significantly_better(comparison, metric.direction);
          item["difference"] = std::move(difference);
        }
        item["values"] = values_json(metric.values[s]);
        per_strategy.push_back(std::move(item));
      }
      entry["strategies"] = std::move(per_strategy);
    }
    metrics.push_back(std::move(entry));
  }
  doc["metrics"] = std::move(metrics);
  return doc.dump(2) + "\n";
}

PartialExperiment parse_partial(std::string_view text, const std::string& file) {
  const Reader read(file);
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& error) {
    read.fail("", std::string("expected JSON, found a syntax error: ") + error.what());
  } catch (const json::out_of_range&) {  // a number beyond a double, such as 1e400 (found by fuzz_results)
    read.fail("", "expected JSON numbers a double can hold, found a number out of range");
  }
  if (!doc.is_object()) read.wrong("", "an object", doc);

  PartialExperiment out;
  Experiment& experiment = out.experiment;
  if (doc.contains("faultline_replications")) {
    experiment.kind = ExperimentKind::Replications;
  } else if (doc.contains("faultline_compare")) {
    experiment.kind = ExperimentKind::Compare;
  } else {
    read.fail("",
              "expected the partial result of a shard (faultline run --seeds N --shard K/N or faultline compare "
              "--shard K/N), found no \"faultline_replications\" or \"faultline_compare\" key");
  }
  const std::string version_key = format_key(experiment.kind);
  if (const json& version = doc.at(version_key); !version.is_number_unsigned() || version.get<std::uint64_t>() != 1) {
    read.fail(child("", version_key), "expected format version 1, found " + describe(version));
  }
  if (!doc.contains("shard")) {
    read.fail("/shard",
              "expected the partial result of a shard (written with --shard or --shard-from-env), found a "
              "complete result with no \"shard\"");
  }
  experiment.faultline_version = read.string(doc, "", "faultline_version");
  experiment.scenario = read.string(doc, "", "scenario");
  experiment.scenario_sha256 = read.string(doc, "", "scenario_sha256");
  if (experiment.kind == ExperimentKind::Replications) {
    experiment.strategies = {read.string(doc, "", "strategy")};
  } else {
    const json& names = read.array(doc, "", "strategies");
    if (names.size() < 2) read.fail("/strategies", "expected at least 2 strategies, found " + describe(names));
    std::set<std::string> distinct;
    for (std::size_t i = 0; i < names.size(); ++i) {
      experiment.strategies.push_back(read.string(names[i], child("/strategies", i)));
      if (!distinct.insert(experiment.strategies.back()).second) {
        read.fail(child("/strategies", i), "expected each strategy once, found " + describe(names[i]) + " again");
      }
    }
    experiment.baseline = read.string(doc, "", "baseline");
    if (!distinct.contains(experiment.baseline)) {
      read.fail("/baseline", "expected one of the strategies, found " + describe(doc.at("baseline")));
    }
  }
  experiment.seed = read.whole(doc, "", "seed");
  experiment.duration_s = read.number(doc, "", "duration_s");
  experiment.replications = read.whole(doc, "", "replications");
  if (experiment.replications == 0) read.fail("/replications", "expected at least 1 replication, found 0");

  const std::string shard_text = read.string(doc, "", "shard");
  try {
    out.shard = sim::parse_shard(shard_text);
  } catch (const std::invalid_argument& error) {
    read.fail("/shard", error.what());
  }
  const sim::ReplicationRange range = sim::replications_of(out.shard, experiment.replications);
  const json& indices = read.array(doc, "", "replication_indices");
  bool indices_match = indices.size() == range.size();
  for (std::size_t i = 0; indices_match && i < indices.size(); ++i) {
    indices_match = indices[i].is_number_unsigned() && indices[i].get<std::uint64_t>() == range.begin + i;
  }
  if (!indices_match) {
    const std::string expected =
        range.size() == 0 ? std::string("none")
                          : std::to_string(range.begin) + " to " + std::to_string(range.end - 1) + " in order";
    read.fail("/replication_indices", "expected the replications of shard " + shard_text + " of " +
                                          std::to_string(experiment.replications) + " (" + expected + "), found " +
                                          describe(indices));
  }

  ReplicationTable& table = out.table;
  table.strategies = experiment.strategies.size();
  table.first = range.begin;
  const json& seeds = read.array(doc, "", "seeds");
  if (seeds.size() != range.size()) {
    read.fail("/seeds", "expected " + std::to_string(range.size()) +
                            " seeds, one per replication of the shard, found " + std::to_string(seeds.size()));
  }
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const std::uint64_t replication = range.begin + i;
    const std::uint64_t expected = sim::replication_seed(experiment.seed, replication);
    const std::uint64_t seed = read.whole(seeds[i], child("/seeds", i));
    if (seed != expected) {
      read.fail(child("/seeds", i), "expected " + std::to_string(expected) + " (the seed of replication " +
                                        std::to_string(replication) + " for seed " + std::to_string(experiment.seed) +
                                        "), found " + std::to_string(seed));
    }
    table.seeds.push_back(seed);
  }

  const json& metrics = read.array(doc, "", "metrics");
  std::set<std::string> names;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const std::string at = child("/metrics", m);
    const json& entry = metrics[m];
    if (!entry.is_object()) read.wrong(at, "an object", entry);
    MetricSeries series;
    series.name = read.string(entry, at, "name");
    if (!names.insert(series.name).second) {
      read.fail(child(at, "name"), "expected each metric once, found \"" + series.name + "\" again");
    }
    series.unit = read.string(entry, at, "unit");
    const std::string direction = read.string(entry, at, "direction");
    if (direction == "higher_is_better") {
      series.direction = Direction::HigherIsBetter;
    } else if (direction == "lower_is_better") {
      series.direction = Direction::LowerIsBetter;
    } else {
      read.fail(child(at, "direction"),
                "expected \"higher_is_better\" or \"lower_is_better\", found " + describe(entry.at("direction")));
    }
    if (experiment.kind == ExperimentKind::Replications) {
      series.values.push_back(read.values(entry, at, range.size()));
    } else {
      const json& per_strategy = read.array(entry, at, "strategies");
      const std::string list_at = child(at, "strategies");
      if (per_strategy.size() != table.strategies) {
        read.fail(list_at, "expected " + std::to_string(table.strategies) + " entries, one per strategy, found " +
                               std::to_string(per_strategy.size()));
      }
      for (std::size_t s = 0; s < per_strategy.size(); ++s) {
        const std::string item_at = child(list_at, s);
        if (!per_strategy[s].is_object()) read.wrong(item_at, "an object", per_strategy[s]);
        const std::string name = read.string(per_strategy[s], item_at, "strategy");
        if (name != experiment.strategies[s]) {
          read.fail(child(item_at, "strategy"),
                    "expected \"" + experiment.strategies[s] + "\" (the order of /strategies), found \"" + name + "\"");
        }
        series.values.push_back(read.values(per_strategy[s], item_at, range.size()));
      }
    }
    table.metrics.push_back(std::move(series));
  }
  return out;
}

ExperimentResults merge_partials(const std::vector<PartialFile>& parts) {
  if (parts.empty()) throw MergeError("expected at least one partial result to merge, found none");
  std::vector<PartialExperiment> parsed;
  parsed.reserve(parts.size());
  for (const PartialFile& part : parts) parsed.push_back(parse_partial(part.text, part.file));

  // Every part must come from the same experiment: the same command, program, scenario file and
  // options. Each field is compared on its own, so that the message says which one differs.
  const Experiment& reference = parsed.front().experiment;
  const std::string& first_file = parts.front().file;
  for (std::size_t p = 1; p < parsed.size(); ++p) {
    const Experiment& e = parsed[p].experiment;
    const std::string& file = parts[p].file;
    auto differs = [&](const std::string& pointer, const std::string& expected, const std::string& found) {
      throw ResultsDocumentError(file, pointer,
                                 "expected " + expected + " as in " + first_file + " (the parts of one " +
                                     "experiment agree on it), found " + found);
    };
    auto quoted = [](const std::string& text) { return "\"" + text + "\""; };
    auto list = [](const std::vector<std::string>& names) {
      std::string out = "[";
      for (const std::string& name : names) out += (out.size() > 1 ? ", \"" : "\"") + name + "\"";
      return out + "]";
    };
    if (e.kind != reference.kind) {
      differs("", std::string("a partial of ") + command_of(reference.kind),
              std::string("one of ") + command_of(e.kind));
    }
    if (e.faultline_version != reference.faultline_version) {
      differs("/faultline_version", quoted(reference.faultline_version), quoted(e.faultline_version));
    }
    if (e.scenario != reference.scenario) differs("/scenario", quoted(reference.scenario), quoted(e.scenario));
    if (e.scenario_sha256 != reference.scenario_sha256) {
      differs("/scenario_sha256", quoted(reference.scenario_sha256) + " (the same scenario file)",
              quoted(e.scenario_sha256));
    }
    if (e.strategies != reference.strategies) {
      if (e.kind == ExperimentKind::Replications) {
        differs("/strategy", quoted(reference.strategies.front()), quoted(e.strategies.front()));
      }
      differs("/strategies", list(reference.strategies), list(e.strategies));
    }
    if (e.baseline != reference.baseline) differs("/baseline", quoted(reference.baseline), quoted(e.baseline));
    if (e.seed != reference.seed) differs("/seed", std::to_string(reference.seed), std::to_string(e.seed));
    if (e.duration_s != reference.duration_s) {
      differs("/duration_s", json(reference.duration_s).dump(), json(e.duration_s).dump());
    }
    if (e.replications != reference.replications) {
      differs("/replications", std::to_string(reference.replications), std::to_string(e.replications));
    }
  }

  // Each replication exactly once. Every part holds its shard's contiguous block (parse_partial
  // checks it), so ordering the parts by their first replication orders every replication.
  std::vector<std::size_t> order(parsed.size());
  for (std::size_t p = 0; p < order.size(); ++p) order[p] = p;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return parsed[a].table.first < parsed[b].table.first; });
  std::vector<std::uint64_t> indices;
  for (const std::size_t p : order)
    for (std::uint64_t i = 0; i < parsed[p].table.size(); ++i) indices.push_back(parsed[p].table.first + i);
  if (const auto problem = sim::coverage_problem(indices, reference.replications)) {
    // Name the parts involved: those holding the first replication held other than once.
    std::uint64_t replication = 0;
    std::vector<std::string> holders;
    for (; replication < reference.replications; ++replication) {
      holders.clear();
      for (std::size_t p = 0; p < parsed.size(); ++p) {
        const ReplicationTable& t = parsed[p].table;
        if (replication >= t.first && replication < t.first + t.size()) holders.push_back(parts[p].file);
      }
      if (holders.size() != 1) break;
    }
    std::string shards;
    for (const std::size_t p : order) shards += (shards.empty() ? "" : ", ") + sim::to_string(parsed[p].shard);
    std::string where;
    if (holders.empty()) {
      where = "no part holds it (the parts hold shards " + shards + " of " + std::to_string(reference.replications) +
              " replications: merge every shard's file)";
    } else {
      where = "held by";
      for (std::size_t h = 0; h < holders.size(); ++h) where += (h == 0 ? " " : " and ") + holders[h];
    }
    throw MergeError(*problem + ": " + where);
  }

  ExperimentResults merged{reference, ReplicationTable{}};
  merged.table.strategies = reference.strategies.size();
  for (const std::size_t p : order) append(merged.table, parsed[p].table);
  return merged;
}

}  // namespace reports
