// Meeting users where they work, end to end: a YAML scenario runs byte-identically to its JSON
// twin, --gate makes a pipeline fail on a missed SLO or a worse strategy, --csv writes the series,
// --duration shorter than a scripted fault leaves it out with a warning, and a mistyped command
// gets a suggestion.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

using nlohmann::json;
using test_support::quoted;
using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
    fields.push_back(line.substr(start, comma - start));
  fields.push_back(line.substr(start));
  return fields;
}

}  // namespace

TEST_CASE("faultline run: a YAML copy of the default scenario writes byte-identical results.json; --gate exits 3",
          "[cli][e2e][yaml][gate]") {
  ScratchDir scratch("yaml-default");
  const auto from_json = run_faultline("run scenarios/gke-ambient-3region.json -q --out " + quoted(scratch.path() / "json"), scratch);
  INFO(from_json.err);
  REQUIRE(from_json.status == 0);
  const auto from_yaml = run_faultline(
      "run tests/data/gke-ambient-3region.yaml -q --gate --csv --out " + quoted(scratch.path() / "yaml"), scratch);
  INFO(from_yaml.err);
  const std::string results = slurp(scratch.path() / "json/results.json");
  REQUIRE(results.size() > 10000);
  CHECK(slurp(scratch.path() / "yaml/results.json") == results);

  // The default scenario misses its 99.9% SLO: the gate fails after writing everything, and says
  // by how much, from the same figures results.json holds.
  CHECK(from_yaml.status == 3);
  const json doc = json::parse(results);
  const double requests = doc["totals"]["requests"].get<double>();
  const double met = (doc["totals"]["succeeded"].get<double>() - doc["totals"]["slow"].get<double>()) / requests;
  char expected[160];
  std::snprintf(expected, sizeof expected, "gate: SLO missed by %.3f points: %.3f%% of requests met the SLO",
                100.0 * (doc["slo"]["availability"].get<double>() - met), 100.0 * met);
  CHECK(from_yaml.out.find(expected) != std::string::npos);
  CHECK(from_yaml.out.find("against a 99.900% target; error budget burned") != std::string::npos);

  // --csv: results.json's series, a row per step and client group.
  const auto rows = lines_of(slurp(scratch.path() / "yaml/timeseries.csv"));
  REQUIRE(!rows.empty());
  const auto header = split(rows[0]);
  CHECK(std::vector<std::string>(header.begin(), header.begin() + 7) ==
        std::vector<std::string>{"t_s", "client_group", "requests", "succeeded", "failed", "slow", "success_rate"});
  const std::size_t steps = doc["series"]["t_s"].size();
  const std::size_t groups = 1 + doc["clients"].size();
  REQUIRE(rows.size() == 1 + steps * groups);
  for (std::size_t k : {std::size_t{0}, steps / 2, steps - 1}) {
    const auto all = split(rows[1 + k * groups]);
    CHECK(all[1] == "all");
    CHECK(std::stod(all[0]) == doc["series"]["t_s"][k].get<double>());
    CHECK(std::stoull(all[2]) == doc["series"]["all"]["requests"][k].get<std::uint64_t>());
    CHECK(std::stoull(all[4]) == doc["series"]["all"]["failed"][k].get<std::uint64_t>());
    const auto first_group = split(rows[2 + k * groups]);
    const std::string name = doc["clients"][0]["name"].get<std::string>();
    CHECK(first_group[1] == name);
    CHECK(std::stoull(first_group[3]) == doc["series"]["clients"][name]["succeeded"][k].get<std::uint64_t>());
  }
  for (const auto& row : rows) CHECK(split(row).size() == header.size());
}

TEST_CASE("faultline compare --gate: exit 3 when the gated strategy is significantly worse than the baseline",
          "[cli][e2e][gate]") {
  ScratchDir scratch("compare-gate");
  const std::string base = "compare scenarios/small-2region.json -q --duration 30s --seeds 6 --jobs 2 --out ";
  // Compute Engine's default checks (5 s x 2) leave the failed region in rotation longer.
  const auto worse = run_faultline(base + quoted(scratch.path() / "a") +
                                       " --strategies fast-health-checks,default-health-checks --gate default-health-checks",
                                   scratch);
  INFO(worse.err);
  CHECK(worse.status == 3);
  CHECK(worse.out.find("gate: \"default-health-checks\" against the baseline \"fast-health-checks\" over 6 seeds is "
                       "significantly worse: availability -") != std::string::npos);
  CHECK(std::filesystem::exists(scratch.path() / "a/compare.json"));  // written all the same

  const auto better = run_faultline(base + quoted(scratch.path() / "b") +
                                        " --strategies default-health-checks,fast-health-checks --gate fast-health-checks",
                                    scratch);
  CHECK(better.status == 0);
  CHECK(better.out.find("is not significantly worse") != std::string::npos);

  const auto baseline = run_faultline(base + quoted(scratch.path() / "c") +
                                          " --strategies default-health-checks,fast-health-checks --gate default-health-checks",
                                      scratch);
  CHECK(baseline.status == 2);
  CHECK(baseline.err.find("--gate: expected a strategy other than the baseline") != std::string::npos);
}

TEST_CASE("faultline run --duration before a scripted fault: the fault is left out with a warning", "[cli][e2e]") {
  ScratchDir scratch("duration-fault");
  // The README's own example: the default scenario's outage starts at 3m.
  const auto r = run_faultline("run scenarios/gke-ambient-3region.json --seed 7 --duration 2m -q --out " +
                                   quoted(scratch.path()),
                               scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.find("warning: --duration 2m ends the run before fault \"") != std::string::npos);
  CHECK(r.err.find("starts (at 3m): it is left out; a --duration over 3m includes it") != std::string::npos);
  const json doc = json::parse(slurp(scratch.path() / "results.json"));
  CHECK(doc["faults"].empty());
  CHECK(doc["duration_s"] == 120);
}

TEST_CASE("faultline: a mistyped command gets a suggestion; options say what they take", "[cli]") {
  ScratchDir scratch("did-you-mean");
  const auto r = run_faultline("valdate scenarios/small-2region.json", scratch);
  CHECK(r.status == 2);
  CHECK(r.err.find("found \"valdate\"; did you mean \"validate\"?") != std::string::npos);

  const auto help = run_faultline("run --help", scratch);
  CHECK(help.status == 0);
  CHECK(help.out.find("--seeds N") != std::string::npos);
  CHECK(help.out.find("--duration DURATION") != std::string::npos);
  CHECK(help.out.find("--shard K/N") != std::string::npos);
  CHECK(help.out.find("TEXT") == std::string::npos);
  CHECK(help.out.find("Examples:") != std::string::npos);

  const auto compound = run_faultline("run scenarios/small-2region.json -q --duration 1m30s --out " +
                                          quoted(scratch.path()),
                                      scratch);
  INFO(compound.err);
  CHECK(compound.status == 0);
  CHECK(json::parse(slurp(scratch.path() / "results.json"))["duration_s"] == 90);
}

TEST_CASE("faultline completion bash: commands, options and values complete", "[cli]") {
  ScratchDir scratch("completion");
  const auto script = run_faultline("completion bash", scratch);
  REQUIRE(script.status == 0);
  const std::filesystem::path file = scratch.path() / "faultline.bash";
  {
    std::ofstream out(file);
    out << script.out;
  }
  // What bash offers after WORDS (the last one being completed).
  const auto complete = [&](const std::string& words) {
    const auto result = scratch.path() / "reply.txt";
    const std::string command = "cd '" + std::string(FAULTLINE_SOURCE_DIR) + "' && bash -c 'source \"" + file.string() +
                                "\"; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _faultline; " +
                                "printf \"%s\\n\" \"${COMPREPLY[@]}\"' > '" + result.string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    std::vector<std::string> offered;  // printf prints one empty line for no words at all
    for (std::string& line : lines_of(slurp(result)))
      if (!line.empty()) offered.push_back(std::move(line));
    return offered;
  };
  CHECK(complete("faultline val") == std::vector<std::string>{"validate"});
  CHECK(complete("faultline run --se") == std::vector<std::string>{"--seed", "--seeds"});
  CHECK(complete("faultline compare x.json --ga") == std::vector<std::string>{"--gate"});
  CHECK(complete("faultline run --seeds \"\"").empty());  // a number: nothing to offer
  const auto scenarios = complete("faultline validate scenarios/small-2");
  CHECK(scenarios == std::vector<std::string>{"scenarios/small-2region.json"});
  CHECK(complete("faultline run x.json --out scen") == std::vector<std::string>{"scenarios"});
}
