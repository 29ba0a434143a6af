#pragma once
// The code paths the fuzz targets drive, shared with the regression test that replays every input
// the fuzzers once crashed on (tests/data/fuzz_regressions/), so that both run exactly the same
// code. Each function returns how the input ended; anything else (another exception, a crash, a
// sanitizer report, a hang) is a bug.

#include <string>
#include <string_view>

#include "models/config/load_scenario.hpp"
#include "models/world.hpp"
#include "reports/html_report.hpp"

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

/// A results document's text through the reader behind `faultline report`: it checks the document
/// and renders the HTML report from it. ResultsDocumentError is the expected way for bad input to
/// end.
// TODO(compare/merge): when the compare.json reader used by `faultline merge` lands, add its entry
// point here (and a corpus of compare.json files in .ci/fuzz), so fuzz_results covers it as well.
inline Outcome results_input(std::string_view text) {
  try {
    const reports::ReportInputs inputs{"fuzz", false, "scenario.json", std::string(64, '0')};
    const std::string html = reports::render_html_report(text, "fuzz-results.json", inputs);
    return Outcome::Accepted;
  } catch (const reports::ResultsDocumentError&) {
    return Outcome::Rejected;
  }
}

}  // namespace fuzz
