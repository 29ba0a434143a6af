#pragma once
// Replications and strategy comparisons: running every (strategy, replication) pair of a slice of
// replications on a thread pool, and the tables printed for them.

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "reports/replications_json.hpp"
#include "sim/replications.hpp"
#include "models/results/run_result.hpp"

namespace cli {

struct StrategyRun {
  std::string name;
  models::config::ValidatedScenario scenario;
};

struct ExperimentPlan {
  std::vector<StrategyRun> strategies;  // all share run.seed and run.duration
  std::uint64_t seed = 0;               // replication i runs sim::replication_seed(seed, i)
  sim::ReplicationRange replications;   // the slice this machine runs
  std::size_t jobs = 1;
  bool keep_replication_zero = false;  // keep the whole result of strategy 0, replication 0
  bool show_progress = false;          // a counter on stderr (a terminal) once it takes over a second
};

struct ExperimentOutcome {
  reports::ReplicationTable table;  // the slice's replications, in index order
  std::optional<models::results::RunResult> replication_zero;
  std::uint64_t runs = 0;      // simulations run: strategies x replications
  std::uint64_t requests = 0;  // simulated, over every run
};

/// Runs every strategy in every replication of the slice, each run with its own World and
/// Simulation, on plan.jobs threads. The outcome does not depend on the number of threads:
/// results are stored by (replication, strategy), never by completion order.
ExperimentOutcome run_experiment(const ExperimentPlan& plan);

/// One simulation of an experiment: strategy `strategy` in replication `replication`.
struct RunCell {
  std::size_t strategy = 0;
  std::uint64_t replication = 0;
};

/// What to keep of a finished run.
using RunMetrics = std::function<std::vector<reports::ScalarMetric>(const models::results::RunResult&)>;

/// Runs each cell (its own World and Simulation, seeded sim::replication_seed(seed, replication))
/// on `jobs` threads and returns `metrics` of each, in the order of `cells` (never of completion).
/// Adds the simulated requests to `requests`. Stops with Interrupted on Ctrl-C.
std::vector<std::vector<reports::ScalarMetric>> run_cells(const std::vector<StrategyRun>& strategies, std::uint64_t seed,
                                                          const std::vector<RunCell>& cells, std::size_t jobs,
                                                          bool show_progress, const RunMetrics& metrics,
                                                          std::uint64_t& requests);

/// The table `faultline run --seeds N`, `compare` and `merge` print: every metric's mean with its
/// 95% confidence interval and, for a comparison, the paired difference to the baseline and the
/// significant winner. A latency quantile's difference within the histogram's resolution is marked
/// "~" and wins nothing (reports/histogram_resolution.hpp).
void print_experiment(std::ostream& out, const reports::Experiment& experiment, const reports::ReplicationTable& table);

}  // namespace cli
