#pragma once
// Running a scenario given as text, in-process, and reading its results: shared by the
// simulation tests.

#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"

namespace test_support {

inline sim::RunResult run_scenario_text(const std::string& text) {
  auto scenario = models::config::validate(models::config::parse_scenario(text, "inline.json"));
  models::Simulation simulation(models::build_world(scenario, scenario.config().run.seed));
  return simulation.run();
}

/// Requests that failed for `reason` over the whole run.
inline std::uint64_t failures(const sim::RunResult& r, const std::string& reason) {
  for (std::size_t i = 0; i < r.failure_reasons.size(); ++i)
    if (r.failure_reasons[i] == reason) return r.all.totals.failures_by_reason[i];
  FAIL("no such reason " << reason);
  return 0;
}

}  // namespace test_support
