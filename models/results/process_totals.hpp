#pragma once
// A fault process's generated faults taken together: how many, how long the components were down,
// and the bad requests any of them caused (counted once even where two of its faults overlap).

#include <cstdint>
#include <string>
#include <vector>

#include "models/results/run_result.hpp"

namespace models::results {

struct ProcessTotals {
  std::string id;
  std::string kind;                  // the kind of its faults
  std::uint64_t failures = 0;        // faults it generated in the run
  std::uint64_t components = 0;      // distinct targets that failed
  Duration downtime{};               // sum of its faults' durations, clipped to the run
  std::uint64_t failed = 0, slow = 0, bad = 0;  // requests with at least one of its faults behind them
  double error_budget_burned = 0;    // bad / the run's error budget
};

/// One entry per process that generated a fault, in the order of their first fault.
std::vector<ProcessTotals> process_totals(const RunResult& r);

}  // namespace models::results
