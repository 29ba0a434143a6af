#pragma once
// The commands that run simulations, `faultline run` and `faultline compare`, and what `faultline
// fmea` shares with them. Private to sim/cli.

#include <ostream>

#include "sim/cli/command_options.hpp"

namespace cli {

/// One run, writing results.json (and report.html); with --seeds N > 1 or a shard, replications.
int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);

/// The strategies of a scenario on the same seeds, writing compare.json (and compare.html).
int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err);

/// Whether progress may be drawn on stderr: a terminal, and not --quiet.
bool stderr_is_terminal(const std::ostream& err, bool quiet);
/// "faultline: 12 runs on 2 jobs in 3.40 s wall (3.53 runs/s, 1.20 M requests/s)" on stderr.
void report_throughput(std::ostream& err, const ExperimentOutcome& outcome, std::size_t jobs, double wall);

}  // namespace cli
