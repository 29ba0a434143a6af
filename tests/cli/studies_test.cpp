// The example studies: `faultline compare` names the strategy each one is written to show.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_test_support.hpp"

namespace {

struct Study {
  const char* file;
  const char* winner;
};

}  // namespace

TEST_CASE("faultline compare: each example study's expected strategy wins on availability and error budget",
          "[cli][compare][studies]") {
  const Study studies[] = {{"study-health-check-depth", "deep"},
                           {"study-control-plane", "base"},  // multi-primary
                           {"study-dns-ttl", "ttl-30s"},
                           {"study-outlier-ejection", "max-ejection-50"},
                           {"study-capacity-headroom", "headroom"}};
  for (const Study& study : studies) {
    INFO(study.file);
    test_support::ScratchDir scratch(study.file);
    const auto r = test_support::run_faultline(std::string("compare scenarios/") + study.file + ".json --seeds 3 --jobs 2 -q --out '" +
                                                   scratch.path().string() + "'",
                                               scratch);
    REQUIRE(r.status == 0);
    const auto doc = nlohmann::json::parse(test_support::slurp(scratch.path() / "compare.json"));
    int checked = 0;
    for (const auto& m : doc["metrics"]) {
      const std::string name = m["name"].get<std::string>();
      if (name != "availability" && name != "error_budget_burned") continue;
      INFO(name);
      REQUIRE(m["winner"].is_string());
      CHECK(m["winner"].get<std::string>() == study.winner);
      ++checked;
    }
    CHECK(checked == 2);
  }
}

TEST_CASE("faultline compare: at the daily peak, headroom absorbs the failover, autoscaling most of it, and unbudgeted client retries make it worse",
          "[cli][compare][studies]") {
  test_support::ScratchDir scratch("study-peak-failover");
  const auto r = test_support::run_faultline(
      "compare scenarios/study-peak-failover.json --seeds 3 --jobs 2 -q --out '" + scratch.path().string() + "'", scratch);
  REQUIRE(r.status == 0);
  const auto doc = nlohmann::json::parse(test_support::slurp(scratch.path() / "compare.json"));
  // The mean of one metric for one strategy.
  const auto mean = [&](const std::string& metric, const std::string& strategy) {
    for (const auto& m : doc["metrics"])
      if (m["name"] == metric)
        for (const auto& s : m["strategies"])
          if (s["strategy"] == strategy) return s["mean"].get<double>();
    FAIL("no " << metric << " for " << strategy);
    return 0.0;
  };
  for (const auto& m : doc["metrics"])
    if (m["name"] == "availability") CHECK(m["winner"] == "headroom-retries");
  CHECK(mean("availability", "headroom") - mean("availability", "base") > 0.03);
  CHECK(mean("peak_utilization", "base") > 0.99);     // the failover saturates us-east1
  CHECK(mean("peak_utilization", "headroom") < 0.8);  // ...unless it has room
  // The storm: unbudgeted retries multiply the offered load and burn more budget than none.
  CHECK(mean("offered_load_factor", "retries") > 1.1);
  CHECK(mean("offered_load_factor", "retry-budget") < 1.05);
  CHECK(mean("error_budget_burned", "retries") > 1.5 * mean("error_budget_burned", "base"));
  // Autoscaling recovers most of the failover's loss, but the minute it takes to scale costs more
  // than headroom bought in advance.
  CHECK(mean("availability", "autoscaling") - mean("availability", "base") > 0.03);
  CHECK(mean("availability", "autoscaling") < mean("availability", "headroom"));
  CHECK(mean("peak_utilization", "autoscaling") > 0.99);  // saturated until the new pods are in
}
