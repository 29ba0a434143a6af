// faultline fmea: every single failure run alone, ranked by the error budget it burns.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/cli/cli_test_support.hpp"

using nlohmann::json;
using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

namespace {

json fmea(const std::string& args, const ScratchDir& scratch, const std::string& out_name) {
  const auto out_dir = scratch.path() / out_name;
  const auto r = run_faultline("fmea " + args + " --out '" + out_dir.string() + "'", scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return json::parse(slurp(out_dir / "fmea.json"));
}

}  // namespace

TEST_CASE("faultline fmea: every failure ranked worst first, and the top one as a run of it alone", "[cli][fmea]") {
  ScratchDir scratch("fmea");
  const json doc = fmea("scenarios/small-2region.json --at 20s --for 20s -q", scratch, "fmea");
  CHECK(doc["faultline_fmea"] == 1);
  CHECK(doc["at_s"] == 20.0);
  CHECK(doc["for_s"] == 20.0);
  const json& failures = doc["failures"];
  REQUIRE(failures.size() >= 10);
  double previous = 1e300;
  std::set<std::string> kinds;
  for (std::size_t i = 0; i < failures.size(); ++i) {
    const json& f = failures[i];
    CHECK(f["rank"] == i + 1);
    CHECK(f["represents"][0] == f["target"]);
    kinds.insert(f["kind"].get<std::string>());
    const json& budget = f["impact"]["error_budget_burned"]["mean"];
    REQUIRE(budget.is_number());
    CHECK(budget.get<double>() <= previous);
    previous = budget.get<double>();
  }
  for (const char* kind : {"region-outage", "zone-outage", "cluster-outage", "gateway-tier-outage", "istiod-outage",
                           "backbone-partition", "node-crash", "waypoint-crash", "gray-failure"})
    CHECK(kinds.count(kind) == 1);
  // A gray failure of each service in each cluster: web and api in a1 and in b1 (different regions,
  // so no two alike), failing 20% of their requests by default.
  std::set<std::string> grays;
  for (const json& f : failures) {
    CHECK(f.contains("service") == (f["kind"] == "gray-failure"));
    if (f["kind"] != "gray-failure") continue;
    grays.insert(f["target"].get<std::string>() + "/" + f["service"].get<std::string>());
    CHECK(f["error_rate"] == 0.2);
    CHECK(f["represents"] == json::array({f["target"]}));
  }
  CHECK(grays == std::set<std::string>{"a1/web", "a1/api", "b1/web", "b1/api"});
  // The baseline, with no failure, burns (almost) nothing; the worst failure burns a lot.
  CHECK(doc["baseline"]["error_budget_burned"]["mean"].get<double>() < 0.5);
  CHECK(failures[0]["impact"]["error_budget_burned"]["mean"].get<double>() > 1.0);

  // The top row, as the scenario with only that failure: `faultline run` gives the same numbers.
  std::ifstream in(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/small-2region.json");
  json scenario = json::parse(in, nullptr, true, /*ignore_comments=*/true);
  const json& top = failures[0];
  json fault = {{"id", "failure"}, {"kind", top["kind"]}, {"at", "20s"}, {"for", "20s"}};
  if (!top["target"].get<std::string>().empty()) fault["target"] = top["target"];
  if (top.contains("service")) {
    fault["service"] = top["service"];
    fault["error_rate"] = top["error_rate"];
  }
  scenario["faults"] = json::array({fault});
  scenario.erase("fault_processes");
  const auto alone = scratch.path() / "alone.json";
  std::ofstream(alone) << scenario.dump(2);
  const auto r = run_faultline("run '" + alone.string() + "' -q --out '" + (scratch.path() / "alone").string() + "'", scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json results = json::parse(slurp(scratch.path() / "alone" / "results.json"));
  REQUIRE(results["faults"].size() == 1);
  const json& impact = results["faults"][0];
  CHECK(impact["observed_blast_radius"]["bad"].get<double>() == top["impact"]["bad_requests"]["mean"].get<double>());
  CHECK(impact["error_budget_burned"].get<double>() == top["impact"]["error_budget_burned"]["mean"].get<double>());
}

TEST_CASE("faultline fmea: the same file whatever the number of jobs; intervals with several seeds", "[cli][fmea]") {
  ScratchDir scratch("fmea-jobs");
  const std::string args = "scenarios/small-2region.json --seeds 3 -q --jobs ";
  fmea(args + "1", scratch, "one");
  const json doc = fmea(args + "2", scratch, "two");
  CHECK(slurp(scratch.path() / "one" / "fmea.json") == slurp(scratch.path() / "two" / "fmea.json"));
  CHECK(doc["seeds"] == 3);
  const json& top = doc["failures"][0]["impact"]["error_budget_burned"];
  CHECK(top["n"] == 3);
  CHECK(top["ci95"].is_object());
}

TEST_CASE("faultline fmea: --gray-error-rate sets the share of requests each gray failure fails", "[cli][fmea]") {
  ScratchDir scratch("fmea-gray");
  const json low = fmea("scenarios/small-2region.json -q --gray-error-rate 0.05", scratch, "low");
  const json high = fmea("scenarios/small-2region.json -q --gray-error-rate 1", scratch, "high");
  // The same failure (web's pods in a1, where the clients' requests go) at both rates.
  const auto web_in_a1 = [](const json& doc) {
    for (const json& f : doc["failures"])
      if (f["kind"] == "gray-failure" && f["target"] == "a1" && f["service"] == "web") return f;
    FAIL("no gray failure of web in a1");
    return json();
  };
  const json a = web_in_a1(low), b = web_in_a1(high);
  CHECK(a["error_rate"] == 0.05);
  CHECK(b["error_rate"] == 1.0);
  CHECK(a["impact"]["bad_requests"]["mean"].get<double>() < b["impact"]["bad_requests"]["mean"].get<double>());
  CHECK(b["impact"]["bad_requests"]["mean"].get<double>() > 0);
}

TEST_CASE("faultline fmea: an existing fmea.json is kept without --force", "[cli][fmea]") {
  ScratchDir scratch("fmea-force");
  fmea("scenarios/small-2region.json -q", scratch, "out");
  const auto r = run_faultline("fmea scenarios/small-2region.json -q --out '" + (scratch.path() / "out").string() + "'", scratch);
  CHECK(r.status == 2);
  CHECK(r.err.find("fmea.json") != std::string::npos);
}

TEST_CASE("faultline fmea: Ctrl-C stops it and writes nothing", "[cli][fmea]") {
  ScratchDir scratch("fmea-interrupt");
  const auto out = scratch.path() / "out";
  const auto r = run_faultline("fmea scenarios/small-2region.json -q --jobs 1 --out '" + out.string() + "'", scratch,
                               "FAULTLINE_TEST_INTERRUPT_AT=30s");
  CHECK(r.status == 130);
  CHECK(r.err.find("nothing was written") != std::string::npos);
  CHECK(!std::filesystem::exists(out / "fmea.json"));
}
