#pragma once
// Running a scenario given as text, in-process, and reading its results: shared by the
// simulation tests.

#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"

namespace test_support {

inline models::results::RunResult run_scenario_text(const std::string& text) {
  auto scenario = models::config::validate(models::config::parse_scenario(text, "inline.json"));
  models::Simulation simulation(models::build_world(scenario, scenario.config().run.seed));
  return simulation.run();
}

/// Requests that failed for `reason` over the whole run.
inline std::uint64_t failures(const models::results::RunResult& r, const std::string& reason) {
  for (std::size_t i = 0; i < r.failure_reasons.size(); ++i)
    if (r.failure_reasons[i] == reason) return r.all.totals.failures_by_reason[i];
  FAIL("no such reason " << reason);
  return 0;
}

/// Share of the requests sent in steps starting in [from, to) that failed.
inline double failed_share(const models::results::RunResult& r, sim::Duration from, sim::Duration to) {
  double failed = 0, all = 0;
  for (const auto& p : r.all.series)
    if (p.start >= from && p.start < to) {
      failed += static_cast<double>(p.counts.failed);
      all += static_cast<double>(p.counts.requests);
    }
  return failed / all;
}

}  // namespace test_support
