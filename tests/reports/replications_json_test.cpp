// replications.json / compare.json: tables of per-replication metrics, their documents, the
// shards' partial documents and merging them back into exactly the whole.

#include "reports/replications_json.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/html_report.hpp"

namespace {

using reports::Experiment;
using reports::ExperimentKind;
using reports::ReplicationTable;
using reports::ScalarMetric;
using sim::stats::Direction;

constexpr Direction kHigher = Direction::HigherIsBetter;
constexpr Direction kLower = Direction::LowerIsBetter;

/// Metrics of one run for replication `r` of strategy `s`: some names appear only in some
/// replications, as a fault drawn at random would make them.
std::vector<ScalarMetric> metrics_of(std::uint64_t r, std::size_t s) {
  std::vector<ScalarMetric> out;
  out.push_back(
      {"availability", 0.9 + 0.01 * static_cast<double>(r % 5) + 0.02 * static_cast<double>(s), kHigher, "ratio"});
  if (r % 3 == 1) out.push_back({"fault/x/time_to_recover_s", 10.0 + static_cast<double>(r), kLower, "s"});
  out.push_back({"latency_p99_ms", 30.0 - static_cast<double>(s) + 0.5 * static_cast<double>(r % 4), kLower, "ms"});
  if (r == 5) out.push_back({"late", std::nan(""), kLower, "s"});
  return out;
}

ReplicationTable table_of(std::uint64_t begin, std::uint64_t end, std::size_t strategies, std::uint64_t seed) {
  ReplicationTable table;
  table.strategies = strategies;
  for (std::uint64_t r = begin; r < end; ++r) {
    std::vector<std::vector<ScalarMetric>> by_strategy;
    for (std::size_t s = 0; s < strategies; ++s) by_strategy.push_back(metrics_of(r, s));
    reports::append(table, reports::replication_table(r, sim::replication_seed(seed, r), by_strategy));
  }
  return table;
}

Experiment experiment(ExperimentKind kind, std::uint64_t replications) {
  Experiment e;
  e.kind = kind;
  e.faultline_version = "0.1.0";
  e.scenario = "tiny";
  e.scenario_sha256 = std::string(64, 'a');
  e.strategies = kind == ExperimentKind::Replications ? std::vector<std::string>{"base"}
                                                      : std::vector<std::string>{"base", "fast", "slow"};
  e.baseline = kind == ExperimentKind::Replications ? "" : "base";
  e.seed = 7;
  e.duration_s = 30;
  e.replications = replications;
  return e;
}

std::vector<std::string> names_of(const ReplicationTable& table) {
  std::vector<std::string> names;
  for (const auto& m : table.metrics) names.push_back(m.name);
  return names;
}

/// The partial documents of `shards` shards, merged.
std::string merged_document(const Experiment& e, std::uint64_t shards) {
  std::vector<reports::PartialFile> parts;
  for (std::uint64_t k = shards; k-- > 0;) {  // in reverse: order must not matter
    const sim::Shard shard{k, shards};
    const auto range = sim::replications_of(shard, e.replications);
    parts.push_back(
        {"part-" + std::to_string(k + 1) + ".json",
         reports::experiment_to_json(e, table_of(range.begin, range.end, e.strategies.size(), e.seed), shard)});
  }
  const auto merged = reports::merge_partials(parts);
  CHECK(merged.experiment == e);
  return reports::experiment_to_json(merged.experiment, merged.table);
}

std::string merge_error(const std::vector<reports::PartialFile>& parts) {
  try {
    reports::merge_partials(parts);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("replication tables: metrics in order of first appearance, NaN where a replication lacks one",
          "[reports][replications]") {
  const ReplicationTable table = table_of(0, 6, 1, 7);
  CHECK(table.first == 0);
  CHECK(table.size() == 6);
  CHECK(table.seeds[0] == 7);
  CHECK(names_of(table) ==
        std::vector<std::string>{"availability", "latency_p99_ms", "fault/x/time_to_recover_s", "late"});
  const auto& recover = table.metrics[2].values[0];
  REQUIRE(recover.size() == 6);
  CHECK(std::isnan(recover[0]));
  CHECK(recover[1] == 11.0);
  CHECK(std::isnan(recover[3]));
  CHECK(recover[4] == 14.0);
  CHECK(table.metrics[2].unit == "s");
  CHECK(table.metrics[2].direction == kLower);
}

TEST_CASE("replication tables: appending is associative, so shards build the same table", "[reports][replications]") {
  const ReplicationTable whole = table_of(0, 12, 2, 3);
  for (const std::uint64_t cut : {1u, 2u, 5u, 7u, 11u}) {
    CAPTURE(cut);
    ReplicationTable left = table_of(0, cut, 2, 3);
    reports::append(left, table_of(cut, 12, 2, 3));
    CHECK(left.seeds == whole.seeds);
    REQUIRE(names_of(left) == names_of(whole));
    for (std::size_t m = 0; m < whole.metrics.size(); ++m) {
      for (std::size_t s = 0; s < 2; ++s) {
        const auto& a = left.metrics[m].values[s];
        const auto& b = whole.metrics[m].values[s];
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) CHECK((a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))));
      }
    }
  }
  ReplicationTable gap = table_of(0, 3, 2, 3);
  CHECK_THROWS_AS(reports::append(gap, table_of(4, 6, 2, 3)), std::invalid_argument);
  CHECK_THROWS_AS(reports::append(gap, table_of(3, 6, 1, 3)), std::invalid_argument);
}

TEST_CASE("replications.json: summaries, per-replication values, null for undefined", "[reports][replications]") {
  const Experiment e = experiment(ExperimentKind::Replications, 6);
  const auto doc = nlohmann::json::parse(reports::experiment_to_json(e, table_of(0, 6, 1, 7)));
  CHECK(doc["faultline_replications"] == 1);
  CHECK(doc["strategy"] == "base");
  CHECK(doc["replications"] == 6);
  CHECK(doc["seeds"].size() == 6);
  CHECK_FALSE(doc.contains("shard"));
  const auto& availability = doc["metrics"][0];
  CHECK(availability["name"] == "availability");
  CHECK(availability["direction"] == "higher_is_better");
  CHECK(availability["n"] == 6);
  CHECK(availability["undefined"] == 0);
  CHECK(availability["ci95"]["lo"].get<double>() < availability["mean"].get<double>());
  CHECK(availability["values"].size() == 6);
  const auto& late = doc["metrics"][3];
  CHECK(late["name"] == "late");
  CHECK(late["n"] == 0);
  CHECK(late["undefined"] == 6);
  CHECK(late["mean"].is_null());
  CHECK(late["ci95"].is_null());
  CHECK(late["values"][5].is_null());
  CHECK_THROWS_AS(reports::experiment_to_json(e, table_of(0, 5, 1, 7)), std::invalid_argument);
}

TEST_CASE("compare.json: paired differences to the baseline and the significant winner", "[reports][replications]") {
  const Experiment e = experiment(ExperimentKind::Compare, 8);
  const auto doc = nlohmann::json::parse(reports::experiment_to_json(e, table_of(0, 8, 3, 7)));
  CHECK(doc["faultline_compare"] == 1);
  CHECK(doc["strategies"] == nlohmann::json::array({"base", "fast", "slow"}));
  CHECK(doc["baseline"] == "base");
  const auto& availability = doc["metrics"][0];
  CHECK(availability["winner"] == "slow");  // +0.02 per strategy index, in every replication
  CHECK(availability["strategies"][0]["difference"].is_null());
  const auto& fast = availability["strategies"][1];
  CHECK(fast["strategy"] == "fast");
  CHECK(fast["difference"]["mean"].get<double>() == Approx(0.02));
  CHECK(fast["difference"]["verdict"] == "significantly_higher");
  CHECK(fast["difference"]["significantly_better"] == true);
  const auto& latency = doc["metrics"][1];
  CHECK(latency["winner"] == "slow");  // -1 ms per strategy index: lower is better
  CHECK(latency["strategies"][2]["difference"]["verdict"] == "significantly_lower");
}

TEST_CASE("merge_partials: the shards' documents merge into the whole one, byte for byte", "[reports][replications]") {
  for (const ExperimentKind kind : {ExperimentKind::Replications, ExperimentKind::Compare}) {
    const Experiment e = experiment(kind, 10);
    const std::string whole = reports::experiment_to_json(e, table_of(0, 10, e.strategies.size(), e.seed));
    for (const std::uint64_t shards : {1u, 2u, 3u, 10u, 13u}) {
      CAPTURE(shards);
      CHECK(merged_document(e, shards) == whole);
    }
  }
}

TEST_CASE("merge_partials: parts of different experiments or missing replications are refused",
          "[reports][replications]") {
  const Experiment e = experiment(ExperimentKind::Compare, 6);
  auto part = [](const Experiment& ex, std::uint64_t k, std::uint64_t n, const std::string& file) {
    const sim::Shard shard{k - 1, n};
    const auto range = sim::replications_of(shard, ex.replications);
    return reports::PartialFile{file,
                                reports::experiment_to_json(ex, table_of(range.begin, range.end, 3, ex.seed), shard)};
  };
  CHECK(merge_error({part(e, 1, 3, "a.json"), part(e, 3, 3, "c.json")}) ==
        "expected replication 2 once, found it 0 times: no part holds it (the parts hold shards 1/3, 3/3 of 6 "
        "replications: merge every shard's file)");
  CHECK(merge_error({part(e, 1, 2, "a.json"), part(e, 1, 3, "b.json"), part(e, 2, 2, "c.json")}) ==
        "expected replication 0 once, found it 2 times: held by a.json and b.json");
  Experiment other = e;
  other.scenario_sha256 = std::string(64, 'b');
  CHECK(merge_error({part(e, 1, 2, "a.json"), part(other, 2, 2, "b.json")}) ==
        "b.json: /scenario_sha256: expected \"" + std::string(64, 'a') +
            "\" (the same scenario file) as in a.json (the parts of one experiment agree on it), found \"" +
            std::string(64, 'b') + "\"");
  other = e;
  other.seed = 8;
  CHECK(merge_error({part(e, 1, 2, "a.json"), part(other, 2, 2, "b.json")}).starts_with("b.json: /seed: expected 7"));
  other = e;
  other.baseline = "fast";
  CHECK(merge_error({part(e, 1, 2, "a.json"), part(other, 2, 2, "b.json")}).starts_with("b.json: /baseline:"));
  CHECK(merge_error({}) == "expected at least one partial result to merge, found none");
  // A complete document is no part.
  CHECK(merge_error({{"whole.json", reports::experiment_to_json(e, table_of(0, 6, 3, 7))}}) ==
        "whole.json: /shard: expected the partial result of a shard (written with --shard or --shard-from-env), found "
        "a complete result with no \"shard\"");
}

TEST_CASE("parse_partial: a damaged part names the file and the JSON pointer", "[reports][replications]") {
  const Experiment e = experiment(ExperimentKind::Replications, 4);
  const sim::Shard shard{1, 2};
  auto doc = nlohmann::ordered_json::parse(reports::experiment_to_json(e, table_of(2, 4, 1, 7), shard));
  auto error_of = [](const nlohmann::ordered_json& d) {
    try {
      reports::parse_partial(d.dump(), "p.json");
    } catch (const reports::ResultsDocumentError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  CHECK(error_of(doc).empty());
  auto bad = doc;
  bad["seeds"][1] = 5;
  CHECK(error_of(bad).starts_with("p.json: /seeds/1: expected " + std::to_string(sim::replication_seed(7, 3)) +
                                  " (the seed of replication 3 for seed 7), found 5"));
  bad = doc;
  bad["replication_indices"] = {1, 2};
  CHECK(error_of(bad) ==
        "p.json: /replication_indices: expected the replications of shard 2/2 of 4 (2 to 3 in order), "
        "found [1,2]");
  bad = doc;
  bad["metrics"][0]["values"][0] = "x";
  CHECK(error_of(bad) == "p.json: /metrics/0/values/0: expected a number or null, found \"x\" (string)");
  bad = doc;
  bad["metrics"][1]["values"].erase(0);
  CHECK(error_of(bad) == "p.json: /metrics/1/values: expected 2 values, one per replication of the shard, found 1");
  bad = doc;
  bad.erase("faultline_replications");
  CHECK(error_of(bad).starts_with("p.json: /: expected the partial result of a shard"));
  bad = doc;
  bad["shard"] = "3/2";
  CHECK(error_of(bad) == "p.json: /shard: expected a shard number between 1 and 2, found \"3/2\"");
  CHECK_THROWS_AS(reports::parse_partial("{", "p.json"), reports::ResultsDocumentError);
}
