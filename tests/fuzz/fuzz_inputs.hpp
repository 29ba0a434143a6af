#pragma once
// The code paths the fuzz targets drive, shared with the regression test that replays every input
// the fuzzers once crashed on (tests/data/fuzz_regressions/), so that both run exactly the same
// code. Each function returns how the input ended; anything else (another exception, a crash, a
// sanitizer report, a hang) is a bug.

#include <string>
#include <string_view>

#include "models/config/load_scenario.hpp"
#include "models/world.hpp"
#include "reports/compare_report.hpp"
#include "reports/replications_report.hpp"
#include "reports/html_report.hpp"
#include "reports/replications_json.hpp"

namespace fuzz {

enum class Outcome { Accepted, Rejected };

/// A scenario file's text through the loader and the validator, as `faultline run` and `validate`
/// read it; a scenario that passes is built into a World. The simulation is not run: an input can
/// legitimately ask for hours of work (a 1 ns health-check interval, a million requests per
/// second), so a time limit per input would flag valid but expensive scenarios, not bugs.
/// ScenarioError is the expected way for bad input to end.
inline Outcome scenario_input(std::string_view text) {
  try {
    const models::config::ValidatedScenario scenario =
        models::config::validate(models::config::parse_scenario(text, "fuzz-input.json"));
    const models::World world = models::build_world(scenario, scenario.config().run.seed);
    return Outcome::Accepted;
  } catch (const models::config::ScenarioError&) {
    return Outcome::Rejected;
  }
}

/// A results document's text through every reader of saved results: the run report and the
/// comparison and replications reports behind `faultline report`, and the partial-file reader behind `faultline merge`.
/// ResultsDocumentError is the expected way for bad input to end; Accepted if any reader took it.
inline Outcome results_input(std::string_view text) {
  const reports::ReportInputs inputs{"fuzz", false, "scenario.json", std::string(64, '0')};
  const auto accepted = [](auto&& read) {
    try {
      read();
      return true;
    } catch (const reports::ResultsDocumentError&) {
      return false;
    }
  };
  const bool run = accepted([&] { (void)reports::render_html_report(text, "fuzz-results.json", inputs); });
  const bool compare = accepted([&] { (void)reports::render_compare_report(text, "fuzz-compare.json", inputs); });
  const bool partial = accepted([&] { (void)reports::parse_partial(text, "fuzz-partial.json"); });
  const bool replications = accepted([&] { (void)reports::render_replications_report(text, "fuzz-replications.json", inputs); });
  return run || compare || partial || replications ? Outcome::Accepted : Outcome::Rejected;
}

}  // namespace fuzz
