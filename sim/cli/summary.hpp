#pragma once
// The human-readable summary printed after a run.

#include <ostream>

#include "sim/run_result.hpp"

namespace cli {

void print_summary(std::ostream& out, const sim::RunResult& result);

}  // namespace cli
