// faultline run --seeds, compare, --shard and merge, end to end: byte-identical documents whatever
// the number of jobs or shards, intervals that shrink with more seeds, the winner of a comparison,
// and a clear message with status 2 for every bad value.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli/cli_test_support.hpp"

using nlohmann::json;
using test_support::quoted;
using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

namespace {

const std::string kScenario = "scenarios/small-2region.json";

/// Runs faultline and requires success; returns what it printed.
test_support::CommandResult ok(const std::string& args, const ScratchDir& scratch) {
  const auto r = run_faultline(args, scratch);
  INFO("faultline " << args << "\n" << r.err);
  REQUIRE(r.status == 0);
  return r;
}

const json& metric(const json& doc, const std::string& name) {
  for (const auto& m : doc["metrics"])
    if (m["name"] == name) return m;
  FAIL("no metric " << name);
  return doc;
}

}  // namespace

TEST_CASE("faultline run --seeds: byte-identical replications.json with 1 and 2 jobs", "[cli][e2e][replications]") {
  ScratchDir scratch("seeds-jobs");
  for (const char* jobs : {"1", "2"}) {
    ok("run " + kScenario + " --quiet --duration 30s --seeds 6 --jobs " + jobs + " --out " +
           quoted(scratch.path() / ("jobs" + std::string(jobs))),
       scratch);
  }
  const std::string one = slurp(scratch.path() / "jobs1/replications.json");
  REQUIRE(one.size() > 1000);
  CHECK(one == slurp(scratch.path() / "jobs2/replications.json"));

  const json doc = json::parse(one);
  CHECK(doc["faultline_replications"] == 1);
  CHECK(doc["scenario"] == "small-2region");
  CHECK(doc["strategy"] == "base");
  CHECK(doc["replications"] == 6);
  CHECK(doc["duration_s"] == 30.0);
  REQUIRE(doc["seeds"].size() == 6);
  CHECK(doc["seeds"][0] == 7);  // replication 0 is the scenario's own seed
  CHECK(doc["scenario_sha256"].get<std::string>().size() == 64);
  const json& availability = metric(doc, "availability");
  CHECK(availability["unit"] == "ratio");
  CHECK(availability["direction"] == "higher_is_better");
  CHECK(availability["n"] == 6);
  CHECK(availability["values"].size() == 6);
  CHECK(availability["ci95"]["half_width"].get<double>() > 0);

  // results.json is replication 0: the same file a single run with the scenario's seed writes.
  ok("run " + kScenario + " --quiet --duration 30s --out " + quoted(scratch.path() / "single"), scratch);
  CHECK(slurp(scratch.path() / "jobs1/results.json") == slurp(scratch.path() / "single/results.json"));
  CHECK(availability["values"][0].get<double>() ==
        json::parse(slurp(scratch.path() / "single/results.json"))["totals"]["success_rate"].get<double>());
}

TEST_CASE("faultline run --seeds: confidence intervals shrink from 4 to 16 seeds", "[cli][e2e][replications]") {
  ScratchDir scratch("seeds-shrink");
  for (const char* seeds : {"4", "16"}) {
    ok("run " + kScenario + " --quiet --duration 30s --jobs 2 --seeds " + seeds + " --out " +
           quoted(scratch.path() / seeds),
       scratch);
  }
  const json four = json::parse(slurp(scratch.path() / "4/replications.json"));
  const json sixteen = json::parse(slurp(scratch.path() / "16/replications.json"));
  for (const char* name : {"availability", "failed_requests", "latency_p50_ms", "latency_p99_ms"}) {
    CAPTURE(name);
    const double wide = metric(four, name)["ci95"]["half_width"].get<double>();
    const double narrow = metric(sixteen, name)["ci95"]["half_width"].get<double>();
    CHECK(narrow > 0);
    CHECK(narrow < wide);
  }
  // The first four replications are the same runs in both.
  for (int i = 0; i < 4; ++i) CHECK(sixteen["seeds"][i] == four["seeds"][i]);
}

TEST_CASE("faultline run --shard then merge: the same replications.json as one machine", "[cli][e2e][replications]") {
  ScratchDir scratch("shard-merge-run");
  const std::string common = "run " + kScenario + " --quiet --duration 30s --seeds 7 --jobs 2 ";
  ok(common + "--out " + quoted(scratch.path() / "whole"), scratch);
  std::string parts;
  for (const char* shard : {"1/3", "2/3", "3/3"})
    ok(common + "--shard " + shard + " --out " + quoted(scratch.path() / "parts"), scratch);
  for (const char* k : {"3", "1", "2"})
    parts += quoted(scratch.path() / "parts" / ("replications.shard-" + std::string(k) + "-of-3.json")) + " ";
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "parts/results.json"));
  const json part = json::parse(slurp(scratch.path() / "parts/replications.shard-2-of-3.json"));
  CHECK(part["shard"] == "2/3");
  CHECK(part["replication_indices"] == json::array({3, 4}));
  ok("merge " + parts + "--out " + quoted(scratch.path() / "merged"), scratch);
  const std::string whole = slurp(scratch.path() / "whole/replications.json");
  REQUIRE(whole.size() > 1000);
  CHECK(slurp(scratch.path() / "merged/replications.json") == whole);

  // A part missing, or given twice: status 2, naming the files.
  const auto missing = run_faultline("merge " + quoted(scratch.path() / "parts/replications.shard-1-of-3.json") +
                                         " --out " + quoted(scratch.path() / "never"),
                                     scratch);
  CHECK(missing.status == 2);
  CHECK(missing.err.find("expected replication 3 once, found it 0 times") != std::string::npos);
  const auto twice =
      run_faultline("merge " + parts + quoted(scratch.path() / "parts/replications.shard-2-of-3.json"), scratch);
  CHECK(twice.status == 2);
  CHECK(twice.err.find("replications.shard-2-of-3.json and ") != std::string::npos);
  const auto whole_part = run_faultline("merge " + quoted(scratch.path() / "whole/replications.json"), scratch);
  CHECK(whole_part.status == 2);
  CHECK(whole_part.err.find("whole/replications.json: /shard: expected the partial result of a shard") !=
        std::string::npos);
}

TEST_CASE("faultline compare: the better strategy is named the winner, and compare.json holds it all",
          "[cli][e2e][replications]") {
  ScratchDir scratch("compare-winner");
  const auto r = ok("compare " + kScenario +
                        " --duration 30s --seeds 6 --jobs 2 --strategies "
                        "default-health-checks,fast-health-checks --out " +
                        quoted(scratch.path()),
                    scratch);
  // Probing every second with one failure to mark an endpoint down stops sending requests to the
  // failed region sooner than Compute Engine's default 5 s x 2.
  CHECK(r.out.find("availability (ratio, higher is better): best fast-health-checks") != std::string::npos);
  const json doc = json::parse(slurp(scratch.path() / "compare.json"));
  CHECK(doc["faultline_compare"] == 1);
  CHECK(doc["strategies"] == json::array({"default-health-checks", "fast-health-checks"}));
  CHECK(doc["baseline"] == "default-health-checks");
  CHECK(doc["replications"] == 6);
  const json& availability = metric(doc, "availability");
  CHECK(availability["winner"] == "fast-health-checks");
  const json& fast = availability["strategies"][1];
  CHECK(fast["strategy"] == "fast-health-checks");
  CHECK(fast["difference"]["verdict"] == "significantly_higher");
  CHECK(fast["difference"]["significantly_better"] == true);
  CHECK(fast["values"].size() == 6);
  CHECK(availability["strategies"][0]["difference"].is_null());
  CHECK(metric(doc, "failed_requests")["winner"] == "fast-health-checks");

  // Common random numbers: a strategy that changes nothing the clients draw sees the same
  // arrivals with the same seed (replication 1's here), so the same number of requests.
  const std::string seed = std::to_string(doc["seeds"][1].get<std::uint64_t>());
  for (const char* strategy : {"default-health-checks", "fast-health-checks"}) {
    ok("run " + kScenario + " --quiet --duration 30s --seed " + seed + " --strategy " + strategy + " --out " +
           quoted(scratch.path() / strategy),
       scratch);
  }
  const json slow_run = json::parse(slurp(scratch.path() / "default-health-checks/results.json"));
  const json fast_run = json::parse(slurp(scratch.path() / "fast-health-checks/results.json"));
  CHECK(slow_run["totals"]["requests"] == fast_run["totals"]["requests"]);
  CHECK(slow_run["totals"]["succeeded"] != fast_run["totals"]["succeeded"]);
  CHECK(slow_run["totals"]["success_rate"].get<double>() == availability["strategies"][0]["values"][1].get<double>());
  CHECK(fast_run["totals"]["success_rate"].get<double>() == fast["values"][1].get<double>());
}

TEST_CASE("faultline compare --shard then merge: the same compare.json as one machine, whatever the jobs",
          "[cli][e2e][replications]") {
  ScratchDir scratch("shard-merge-compare");
  const std::string common =
      "compare " + kScenario + " --quiet --duration 25s --seeds 5 --baseline fast-health-checks ";
  ok(common + "--jobs 1 --out " + quoted(scratch.path() / "whole"), scratch);
  ok(common + "--jobs 2 --out " + quoted(scratch.path() / "whole2"), scratch);
  const std::string whole = slurp(scratch.path() / "whole/compare.json");
  REQUIRE(whole.size() > 1000);
  CHECK(slurp(scratch.path() / "whole2/compare.json") == whole);
  ok(common + "--shard 2/2 --out " + quoted(scratch.path() / "parts"), scratch);
  // The first shard as an Indexed Job's pod would run it.
  ::setenv("JOB_COMPLETION_INDEX", "0", 1);
  ok(common + "--shard-from-env --shard-count 2 --out " + quoted(scratch.path() / "parts"), scratch);
  ::unsetenv("JOB_COMPLETION_INDEX");
  ok("merge " + quoted(scratch.path() / "parts/compare.shard-1-of-2.json") + " " +
         quoted(scratch.path() / "parts/compare.shard-2-of-2.json") + " --out " + quoted(scratch.path() / "merged"),
     scratch);
  CHECK(slurp(scratch.path() / "merged/compare.json") == whole);
  const json doc = json::parse(whole);
  CHECK(doc["baseline"] == "fast-health-checks");
  CHECK(doc["strategies"] == json::array({"base", "default-health-checks", "fast-health-checks"}));

  // As a Slurm array task 1 of --array=1-2 would: the same first shard.
  ::setenv("SLURM_ARRAY_TASK_ID", "1", 1);
  ::setenv("SLURM_ARRAY_TASK_MIN", "1", 1);
  ::setenv("SLURM_ARRAY_TASK_COUNT", "2", 1);
  ok(common + "--shard-from-env --out " + quoted(scratch.path() / "slurm"), scratch);
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  ::unsetenv("SLURM_ARRAY_TASK_MIN");
  ::unsetenv("SLURM_ARRAY_TASK_COUNT");
  CHECK(slurp(scratch.path() / "slurm/compare.shard-1-of-2.json") ==
        slurp(scratch.path() / "parts/compare.shard-1-of-2.json"));

  // Parts of different experiments do not merge.
  ok("compare " + kScenario + " --quiet --duration 25s --seeds 5 --shard 2/2 --out " + quoted(scratch.path() / "other"),
     scratch);
  const auto mixed = run_faultline("merge " + quoted(scratch.path() / "parts/compare.shard-1-of-2.json") + " " +
                                       quoted(scratch.path() / "other/compare.shard-2-of-2.json"),
                                   scratch);
  CHECK(mixed.status == 2);
  CHECK(mixed.err.find("other/compare.shard-2-of-2.json: /baseline: expected \"fast-health-checks\"") !=
        std::string::npos);
}

TEST_CASE("faultline run, compare and merge: bad values exit 2 with a clear message", "[cli][replications]") {
  ScratchDir scratch("replications-bad");
  const std::string never = " --out " + quoted(scratch.path() / "never");
  struct Case {
    std::string args;
    std::string message;
  };
  const Case cases[] = {
      {"run " + kScenario + " --seeds 0", "faultline: --seeds: expected a whole number from 1 to 1000000, found \"0\""},
      {"run " + kScenario + " --seeds -3", "--seeds"},
      {"run " + kScenario + " --seeds 4 --jobs 0",
       "faultline: --jobs: expected a whole number from 1 to 1024, found \"0\""},
      {"run " + kScenario + " --seeds 4 --shard 3/2",
       "faultline: --shard: expected a shard number between 1 and 2, found \"3/2\""},
      {"run " + kScenario + " --shard 1/2", "faultline: --shard: expected --seeds N with N >= 2"},
      {"run " + kScenario + " --seeds 4 --shard 1/2 --report", "faultline: --report: a shard writes no results.json"},
      {"run " + kScenario + " --strategy fats-health-checks",
       "faultline: --strategy: expected one of \"base\", \"default-health-checks\", \"fast-health-checks\", found "
       "\"fats-health-checks\"; did you mean \"fast-health-checks\"?"},
      {"compare " + kScenario + " --strategies base,nope", "faultline: --strategies: expected one of \"base\""},
      {"compare " + kScenario + " --strategies base,base", "faultline: --strategies: expected each strategy once"},
      {"compare " + kScenario + " --strategies base", "faultline: --strategies: expected at least two strategies"},
      {"compare " + kScenario + " --baseline nope",
       "faultline: --baseline: expected one of the compared strategies (\"base\", \"default-health-checks\", "
       "\"fast-health-checks\"), found \"nope\""},
      {"compare scenarios/istiod-outage.json",
       "faultline: compare: expected at least two strategies, found only \"base\""},
      {"compare " + kScenario + " --shard-from-env",
       "faultline: --shard-from-env: expected JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID"},
      {"compare " + kScenario + " --shard 1/2 --shard-from-env", "faultline: --shard and --shard-from-env"},
      {"compare " + kScenario + " --shard-count 2", "faultline: --shard-count: expected it only with --shard-from-env"},
      {"compare tests/data/bad_scenarios/strategy_overlays.json",
       "tests/data/bad_scenarios/strategy_overlays.json: /strategies/deep/gateway/health_check/depth: expected one of"},
      {"merge " + quoted(scratch.path() / "missing.json"), "missing.json: /: expected a readable file"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args);
    const auto r = run_faultline(c.args + never, scratch);
    CHECK(r.status == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "never"));
}
