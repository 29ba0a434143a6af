#pragma once
// The human-readable summary printed after a run.

#include <ostream>

#include "models/results/run_result.hpp"

namespace cli {

void print_summary(std::ostream& out, const models::results::RunResult& result);

}  // namespace cli
