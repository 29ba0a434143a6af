// Strategies: JSON Merge Patch overlays on the scenario, each checked as a whole scenario, with
// problems reported under /strategies/<name>.

#include <catch2/catch.hpp>

#include "tests/models/config/issue_lines.hpp"
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"

namespace {

using namespace std::chrono_literals;
using models::config::NamedScenario;
using models::config::parse_strategies;
using models::config::ScenarioError;

std::string scenario_with(const std::string& strategies) {
  return R"({
  "faultline": 1,
  "name": "tiny",
  "run": { "duration": "30s", "seed": 5 },
  "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "config_cluster": true } ] } ],
  "services": [ { "name": "svc", "replicas_per_cluster": 2 } ],
  "gateway": { "health_check": { "interval": "2s", "timeout": "1s" }, "routes": [ { "backend": "svc" } ] },
  "clients": [ { "region": "r1", "rate": "10/s" } ],
  "faults": [ { "id": "f", "kind": "pod-crash", "target": "c1/svc-0", "at": "5s" } ],
  "strategies": )" +
         strategies + "\n}\n";
}

std::vector<std::string> problems(const std::string& text) {
  try {
    parse_strategies(text, "s.json");
  } catch (const ScenarioError& error) {
    return test_support::issue_lines(error);
  }
  return {};
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("strategies: the base scenario first, then each overlay in file order", "[models][config][strategies]") {
  const auto all = parse_strategies(scenario_with(R"({
    "slow": { "gateway": { "health_check": { "interval": "10s", "unhealthy_threshold": 3 } } },
    "deep": { "gateway": { "health_check": { "depth": "deep" } }, "faults": null },
    "more": { "services": [ { "name": "svc", "replicas_per_cluster": 4 } ] }
  })"),
                                    "s.json");
  REQUIRE(all.size() == 4);
  CHECK(all[0].name == "base");
  CHECK(all[0].pointer.empty());
  CHECK(all[1].name == "slow");
  CHECK(all[1].pointer == "/strategies/slow");
  CHECK(all[2].name == "deep");
  CHECK(all[3].name == "more");

  const auto& base = all[0].config.gateway.health_check;
  CHECK(base.interval == 2s);
  CHECK(base.timeout == 1s);
  CHECK(base.unhealthy_threshold == 2);
  CHECK_FALSE(base.deep);
  CHECK(all[0].config.faults.size() == 1);

  // A merge patch: members it names change, the others stay.
  const auto& slow = all[1].config.gateway.health_check;
  CHECK(slow.interval == 10s);
  CHECK(slow.timeout == 1s);
  CHECK(slow.unhealthy_threshold == 3);
  CHECK(all[2].config.gateway.health_check.deep);
  CHECK(all[2].config.faults.empty());  // null removes a member
  REQUIRE(all[3].config.services.size() == 1);
  CHECK(all[3].config.services[0].replicas_per_cluster == 4);  // an array is replaced whole

  // Every strategy shares the run, so replication i draws the same seed in each.
  for (const NamedScenario& s : all) {
    CHECK(s.config.run.seed == 5);
    CHECK(s.config.run.duration == 30s);
    CHECK(s.config.file == "s.json");
    CHECK_NOTHROW(models::config::validate(s));
  }
}

TEST_CASE("strategies: none, or an empty object, leave the base alone", "[models][config][strategies]") {
  CHECK(parse_strategies(scenario_with("{}"), "s.json").size() == 1);
  CHECK(models::config::parse_scenario(scenario_with("{}"), "s.json").name == "tiny");
}

TEST_CASE("strategies: a patched scenario that is not valid is reported under its strategy's pointer",
          "[models][config][strategies]") {
  CHECK(problems(scenario_with(R"({
    "deep": { "gateway": { "health_check": { "depth": "deeper" } } },
    "typo": { "gateway": { "health_chek": { "interval": "1s" } } },
    "slow": { "gateway": { "health_check": { "timeout": "9s" } } },
    "renamed": { "services": [ { "name": "other" } ] },
    "fine": {}
  })")) == Lines{
               "/strategies/deep/gateway/health_check/depth: expected one of \"shallow\", \"deep\", found \"deeper\"; "
               "did you mean \"deep\"?",
               "/strategies/typo/gateway/health_chek: expected a known key, found the unknown key \"health_chek\"; did you mean \"health_check\"?",
               "/strategies/slow/gateway/health_check/timeout: expected a timeout no longer than the interval (2s), "
               "found 9s",
               "/strategies/renamed/gateway/routes/0/backend: expected the name of a service (one of \"other\"), "
               "found \"svc\"",
               "/strategies/renamed/faults/0/target: expected the name of a pod (\"<cluster>/<service>-<index>\") or of a "
               "service in a cluster (\"<cluster>/<service>\") (one of \"c1/other\", \"c1/other-0\", \"c1/other-1\", "
               "\"c1/other-2\"), found \"c1/svc-0\"",
           });
}

TEST_CASE("strategies: names, shapes, and what a strategy may not change", "[models][config][strategies]") {
  CHECK(problems(scenario_with(R"({
    "base": {},
    "two words": {},
    "list": [1],
    "runs": { "run": { "seed": 3 } },
    "nested": { "strategies": { "x": {} } }
  })")) == Lines{
               "/strategies/base: expected a strategy name other than \"base\" (the scenario itself is strategy "
               "\"base\"), found \"base\"",
               "/strategies/two words: expected a strategy name of letters, digits, \".\", \"_\" and \"-\", found "
               "\"two words\"",
               "/strategies/list: expected an object (a JSON Merge Patch over the scenario), found [1] (array)",
               "/strategies/runs/run: expected no \"run\" in a strategy (strategies share the scenario's duration, "
               "step and seed, so that they are compared on the same random inputs), found {\"seed\":3}",
               "/strategies/nested/strategies: expected no \"strategies\" inside a strategy, found {\"x\":{}}",
           });
}

TEST_CASE("strategies: over an invalid base only the base's problems are reported", "[models][config][strategies]") {
  std::string text = scenario_with(R"({ "deep": { "gateway": { "health_check": { "depth": "deep" } } } })");
  text.replace(text.find(R"("backend": "svc")"), 16, R"("backend": "nope")");
  const auto lines = problems(text);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].starts_with("/gateway/routes/0/backend: expected the name of a service"));
  // parse_scenario() leaves the cross-reference checks to validate(), as for a file without
  // strategies; the strategies are checked once the base passes them.
  const auto base = models::config::parse_scenario(text, "s.json");
  CHECK_THROWS_AS(models::config::validate(base), ScenarioError);
}

TEST_CASE("strategies: validate() of a strategy reports under its pointer", "[models][config][strategies]") {
  auto all = parse_strategies(scenario_with(R"({ "fast": { "gateway": { "health_check": { "interval": "1s" } } } })"),
                              "s.json");
  REQUIRE(all.size() == 2);
  all[1].config.run.step = 1h;  // as a --duration override shorter than the step would
  try {
    models::config::validate(all[1]);
    FAIL("no ScenarioError");
  } catch (const ScenarioError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].pointer.starts_with("/strategies/fast/run"));
  }
  CHECK(models::config::unknown_strategy(all, "fsat") ==
        "expected one of \"base\", \"fast\", found \"fsat\"; did you mean \"fast\"?");
}
