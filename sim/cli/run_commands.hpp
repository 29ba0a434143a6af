#pragma once
// The commands that run simulations, `faultline run` and `faultline compare`. Private to sim/cli.

#include <ostream>

#include "sim/cli/command_options.hpp"

namespace cli {

/// One run, writing results.json (and report.html); with --seeds N > 1 or a shard, replications.
int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);

/// The strategies of a scenario on the same seeds, writing compare.json (and compare.html).
int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cli
