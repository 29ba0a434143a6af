#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/cli/cli_test_support.hpp"

using test_support::quoted;
using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

TEST_CASE("faultline run --report and faultline report write the same self-contained HTML report", "[cli][e2e]") {
  ScratchDir scratch("report");
  const auto out = scratch.path() / "run";
  const auto ran = run_faultline("run scenarios/small-2region.json --quiet --report --out " + quoted(out), scratch);
  INFO(ran.err);
  REQUIRE(ran.status == 0);
  CHECK(ran.out.find("Wrote " + (out / "report.html").string()) != std::string::npos);
  const std::string from_run = slurp(out / "report.html");
  CHECK(from_run.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(from_run.find("<h1 id=\"scenario-name\">small-2region</h1>") != std::string::npos);
  CHECK(from_run.find("faultline run scenarios/small-2region.json --seed 7 --duration 60s --report") != std::string::npos);
  CHECK(from_run.find("(ran the simulation and wrote this report)") != std::string::npos);
  // Key settings with their values, defaults filled in (small-2region sets the interval and timeout).
  CHECK(from_run.find("<th scope=\"row\">Gateway health check</th><td>every 2s, timeout 1s; down after 2 failures, up "
                      "after 2 passes") != std::string::npos);
  CHECK(from_run.find("<th scope=\"row\">Service api</th><td>2 pods per cluster, 8 requests at once per pod") !=
        std::string::npos);
  CHECK(from_run.find("waypoint (1 per cluster): outlier detection 5 consecutive 5xx") != std::string::npos);

  // `report` beside its input by default, from the same document through the same renderer; the
  // run's report is there already, so only with --force.
  const auto refused = run_faultline("report " + quoted(out / "results.json") + " --scenario scenarios/small-2region.json", scratch);
  CHECK(refused.status == 2);
  CHECK(refused.err.find((out / "report.html").string() + ": expected a new output file, found one already there (pass --force") !=
        std::string::npos);
  CHECK(slurp(out / "report.html") == from_run);
  const auto again = run_faultline("report " + quoted(out / "results.json") + " --scenario scenarios/small-2region.json --force", scratch);
  INFO(again.err);
  REQUIRE(again.status == 0);
  const std::string from_report = slurp(out / "report.html");
  CHECK(from_report.find("faultline run scenarios/small-2region.json --seed 7 --duration 60s --report") != std::string::npos);
  CHECK(from_report.find("results.json does not record the version that ran the simulation") != std::string::npos);
  // Only the line about which program ran the simulation differs, and where the settings come from.
  const std::string note_run = "(ran the simulation and wrote this report)";
  const std::string note_report = "(wrote this report; results.json does not record the version that ran the simulation)";
  const std::string settings_run = "as the scenario ran: its file's values";
  const std::string settings_report = "from the scenario file given with --scenario (without any strategy's overlay)";
  std::string normalised = from_report;
  normalised.replace(normalised.find(note_report), note_report.size(), note_run);
  REQUIRE(normalised.find(settings_report) != std::string::npos);
  normalised.replace(normalised.find(settings_report), settings_report.size(), settings_run);
  CHECK(normalised == from_run);

  // --out, twice: byte-identical.
  for (const char* name : {"a.html", "b.html"}) {
    const auto r = run_faultline("report " + quoted(out / "results.json") + " --out " + quoted(scratch.path() / name), scratch);
    REQUIRE(r.status == 0);
  }
  CHECK(slurp(scratch.path() / "a.html") == slurp(scratch.path() / "b.html"));
  CHECK(slurp(scratch.path() / "a.html").find("faultline run SCENARIO --seed 7") != std::string::npos);
  // Without the scenario the report cannot know the settings' values, and says how to get them.
  CHECK(slurp(scratch.path() / "a.html").find("Gateway health check") == std::string::npos);
  CHECK(slurp(scratch.path() / "a.html").find("`faultline report --scenario FILE` lists them here") != std::string::npos);
}

TEST_CASE("faultline report replications.json: run --seeds gets a report too", "[cli][e2e]") {
  ScratchDir scratch("report-replications");
  const auto out = scratch.path() / "seeds";
  const auto ran = run_faultline("run scenarios/small-2region.json --seeds 2 --quiet --out " + quoted(out), scratch);
  INFO(ran.err);
  REQUIRE(ran.status == 0);
  const auto report = run_faultline("report " + quoted(out / "replications.json"), scratch);
  INFO(report.err);
  REQUIRE(report.status == 0);
  CHECK(report.out == "Wrote " + (out / "report.html").string() + "\n");
  const std::string html = slurp(out / "report.html");
  CHECK(html.find("<p class=\"kicker\">faultline replications report</p>") != std::string::npos);
  CHECK(html.find("over 2 replications) against a target of 99.000%") != std::string::npos);
}

TEST_CASE("faultline report: bad input exits with status 2 and names the file", "[cli]") {
  ScratchDir scratch("report-bad");
  {
    std::ofstream(scratch.path() / "not-json.json") << "{\"faultline_results\": 1,";
    std::ofstream(scratch.path() / "wrong.json") << "{\"faultline_results\": 1, \"scenario\": 7}";
  }
  struct Case {
    std::string args;
    std::string says;
  };
  const std::string dir = scratch.path().string();
  const std::vector<Case> cases{
      {"report", "results"},
      {"report no/such/results.json", "no/such/results.json: /: expected a readable file, found No such file or directory"},
      {"report '" + dir + "'", dir + ": /: expected a readable file, found Is a directory"},
      {"report '" + dir + "/not-json.json'", dir + "/not-json.json: /: expected a faultline results document (JSON), found a syntax error"},
      {"report scenarios/small-2region.json",
       "scenarios/small-2region.json: /: expected a faultline results document (JSON), found a syntax error"},
      {"report '" + dir + "/wrong.json'", dir + "/wrong.json: /scenario: expected a string, found 7"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto r = run_faultline(c.args + " --out '" + dir + "/report.html'", scratch);
    CHECK(r.status == 2);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(!std::filesystem::exists(scratch.path() / "report.html"));
  }
}
