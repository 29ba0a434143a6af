#pragma once
// The human-readable summary printed after a run.

#include <ostream>
#include <string>

#include "models/results/run_result.hpp"

namespace cli {

/// `v` with `decimals` digits after the point.
std::string fixed(double v, int decimals);

void print_summary(std::ostream& out, const models::results::RunResult& result);

}  // namespace cli
