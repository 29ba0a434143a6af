// `faultline run` and `faultline compare`: the simulations, their progress and their files.

#include "sim/cli/run_commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "sim/cli/key_settings.hpp"
#include "models/simulation.hpp"
#include "reports/atomic_file.hpp"
#include "reports/compare_report.hpp"
#include "reports/html_report.hpp"
#include "reports/replications_json.hpp"
#include "reports/results_json.hpp"
#include "reports/results_csv.hpp"
#include "reports/sha256.hpp"
#include "sim/cli/command_options.hpp"
#include "sim/cli/experiments.hpp"
#include "sim/cli/gate.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/summary.hpp"
#include "sim/replications.hpp"

namespace cli {

namespace {

// Shows a progress bar on a terminal once a run has taken longer than a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled), started_(std::chrono::steady_clock::now()) {}
  void update(sim::SimTime now, sim::SimTime end) {
    if (!enabled_) return;
    const auto wall_now = std::chrono::steady_clock::now();
    if (wall_now - started_ < std::chrono::seconds(1) || wall_now - last_drawn_ < std::chrono::milliseconds(100)) return;
    last_drawn_ = wall_now;
    const double fraction = static_cast<double>(now.ns()) / static_cast<double>(std::max<std::int64_t>(1, end.ns()));
    const int filled = static_cast<int>(fraction * 30);
    std::fprintf(stderr, "\r[%s%s] %3d%%  simulated %s of %s", std::string(filled, '#').c_str(),
                 std::string(30 - filled, ' ').c_str(), static_cast<int>(fraction * 100),
                 sim::format_duration(std::chrono::duration_cast<std::chrono::seconds>(now.since_start())).c_str(),
                 sim::format_duration(std::chrono::duration_cast<std::chrono::seconds>(end.since_start())).c_str());
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\r%80s\r", "");
    shown_ = false;
  }
  ~ProgressBar() { finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_drawn_{};
};

double duration_seconds(sim::Duration d) { return static_cast<double>(d.count()) / 1e9; }

reports::Experiment experiment_of(reports::ExperimentKind kind, const std::string& scenario_path,
                                  const std::vector<StrategyRun>& strategies, const std::string& baseline,
                                  std::uint64_t replications) {
  const auto& config = strategies.front().scenario.config();
  reports::Experiment experiment;
  experiment.kind = kind;
  experiment.faultline_version = FAULTLINE_VERSION;
  experiment.scenario = config.name;
  experiment.scenario_sha256 = reports::to_hex(reports::sha256(reports::read_file_bytes(scenario_path)));
  for (const StrategyRun& s : strategies) experiment.strategies.push_back(s.name);
  experiment.baseline = baseline;
  experiment.seed = config.run.seed;
  experiment.duration_s = duration_seconds(config.run.duration);
  experiment.replications = replications;
  return experiment;
}

/// "Shard 2/4: replications 5 to 9 of 20"
std::string shard_line(sim::Shard shard, std::uint64_t replications) {
  const sim::ReplicationRange range = sim::replications_of(shard, replications);
  std::string line = "Shard " + sim::to_string(shard) + ": ";
  if (range.size() == 0) return line + "no replications (more shards than the " + std::to_string(replications) + ")\n";
  return line + "replications " + std::to_string(range.begin) + " to " + std::to_string(range.end - 1) + " of " +
         std::to_string(replications) + "\n";
}

/// Runs the experiment's slice and writes its document: the whole one, or the shard's partial.
std::filesystem::path run_and_write(const reports::Experiment& experiment, ExperimentPlan plan,
                                    std::optional<sim::Shard> shard, const std::filesystem::path& out_dir,
                                    std::ostream& out, std::ostream& err, bool quiet, ExperimentOutcome* kept) {
  const auto wall_start = std::chrono::steady_clock::now();
  ExperimentOutcome outcome = run_experiment(plan);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const std::filesystem::path file = out_dir / reports::experiment_file_name(experiment.kind, shard);
  const sim::SimTime end = sim::SimTime::at(plan.strategies.front().scenario.config().run.duration);
  throw_if_interrupted(end, end);  // a signal after the last run: still write nothing
  reports::write_file_atomically(file, reports::experiment_to_json(experiment, outcome.table, shard));
  if (!quiet && !shard) print_experiment(out, experiment, outcome.table);
  report_throughput(err, outcome, plan.jobs, wall);
  if (kept != nullptr) *kept = std::move(outcome);
  return file;
}

int run_replications(const RunOptions& options, std::ostream& out, std::ostream& err);

/// Writes results.json (and report.html) of one run. results.json is streamed to its file a
/// member at a time; the report is rendered from that file, as `faultline report` does.
std::filesystem::path write_results(const models::results::RunResult& result, const RunOptions& options,
                                    std::vector<std::pair<std::string, std::string>> settings,
                                    const std::filesystem::path& out_dir) {
  const std::filesystem::path results = out_dir / "results.json";
  reports::write_file_atomically(results, [&result](const reports::Sink& sink) { reports::write_results_json(result, sink); });
  if (options.csv) {
    reports::write_file_atomically(out_dir / "timeseries.csv",
                                   [&result](const reports::Sink& sink) { reports::write_series_csv(result, sink); });
  }
  if (options.report) {
    const reports::ReportInputs inputs{FAULTLINE_VERSION, true, options.scenario,
                                       reports::to_hex(reports::sha256(reports::read_file_bytes(options.scenario))),
                                       std::move(settings)};
    reports::write_file_atomically(out_dir / "report.html", reports::render_html_report(reports::read_file_bytes(results),
                                                                                        results.string(), inputs));
  }
  return results;
}

}  // namespace

bool stderr_is_terminal(const std::ostream& err, bool quiet) {
  return !quiet && &err == &std::cerr && ::isatty(STDERR_FILENO);
}

void report_throughput(std::ostream& err, const ExperimentOutcome& outcome, std::size_t jobs, double wall) {
  err << "faultline: " << outcome.runs << (outcome.runs == 1 ? " run on " : " runs on ") << jobs << (jobs == 1 ? " job" : " jobs") << " in "
      << fixed(wall, 2) << " s wall (" << fixed(static_cast<double>(outcome.runs) / wall, 2) << " runs/s, "
      << fixed(static_cast<double>(outcome.requests) / wall / 1e6, 2) << " M requests/s)\n";
}


int run_command(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const ReplicationOptions& r = options.replication;
  if ((!r.seeds.empty() && parse_count("--seeds", r.seeds, 1, kMaxReplications) > 1) || !r.shard.empty() ||
      r.shard_from_env || !r.shard_count.empty()) {
    return run_replications(options, out, err);
  }
  if (!r.jobs.empty()) jobs_of(r);  // checked, though one run takes one thread
  const auto scenario =
      options.strategy.empty()
          ? load(options.scenario, &options, &err)
          : std::move(load_strategies(options.scenario, {options.strategy}, options.seed, options.duration,
                                      "--strategy", &err)
                          .front()
                          .scenario);
  const auto& cfg = scenario.config();
  const std::filesystem::path out_dir = output_directory(options.out_dir, cfg.name);
  const std::filesystem::path results = out_dir / "results.json";
  std::vector<std::filesystem::path> outputs{results};
  if (options.report) outputs.push_back(out_dir / "report.html");
  if (options.csv) outputs.push_back(out_dir / "timeseries.csv");
  claim_outputs(out_dir, outputs, options.force);
  const auto wall_start = std::chrono::steady_clock::now();
  models::Simulation simulation(models::build_world(scenario, cfg.run.seed));
  ProgressBar progress(!options.quiet && &err == &std::cerr && ::isatty(STDERR_FILENO));
  const sim::SimTime run_end = sim::SimTime::at(cfg.run.duration);
  const models::results::RunResult result = simulation.run([&](sim::SimTime now, sim::SimTime end) {
    progress.update(now, end);
    throw_if_interrupted(now, run_end);
  });
  progress.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  throw_if_interrupted(run_end, run_end);  // a signal after the last chunk: still write nothing

  write_results(result, options, key_settings(cfg), out_dir);
  const std::filesystem::path report = out_dir / "report.html";

  if (!options.quiet) print_summary(out, result);
  out << "\nWrote " << results.string() << std::endl;
  if (options.report) out << "Wrote " << report.string() << " (open it in a browser; it loads nothing from the network)\n";
  if (options.csv) out << "Wrote " << (out_dir / "timeseries.csv").string() << '\n';
  // Wall-clock figures go to stderr only: results.json must not depend on the machine.
  err << "faultline: " << result.events << " events, " << result.all.totals.requests << " requests in "
      << fixed(wall, 2) << " s wall (" << fixed(static_cast<double>(result.all.totals.requests) / wall / 1e6, 2)
      << " M requests/s, " << fixed(static_cast<double>(result.events) / wall / 1e6, 2) << " M events/s)\n";
  if (!options.gate) return 0;
  const GateVerdict verdict = slo_gate(result);
  out << verdict.message << std::endl;
  return verdict.passed ? 0 : kGateFailed;
}

namespace {

// faultline run with --seeds, --shard, --jobs or --strategy.
int run_replications(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const ReplicationOptions& r = options.replication;
  const std::uint64_t seeds = r.seeds.empty() ? 1 : parse_count("--seeds", r.seeds, 1, kMaxReplications);
  const std::size_t jobs = jobs_of(r);
  const std::optional<sim::Shard> shard = shard_of(r);
  if (shard && seeds < 2) {
    throw UsageError{"--shard: expected --seeds N with N >= 2 (one run is not split into shards), found --seeds " +
                     std::to_string(seeds)};
  }
  if (shard && options.report) {
    throw UsageError{"--report: a shard writes no results.json to report on; run the report after merging, or "
                     "leave out --shard"};
  }
  if (shard && (options.gate || options.csv)) {
    throw UsageError{std::string(options.gate ? "--gate" : "--csv") +
                     ": a shard writes a partial result, with no run or verdict of its own; leave out --shard"};
  }
  const std::string strategy = options.strategy.empty() ? std::string(models::config::kBaseStrategy) : options.strategy;
  std::vector<StrategyRun> strategies =
      load_strategies(options.scenario, {strategy}, options.seed, options.duration, "--strategy", &err);
  const auto& cfg = strategies.front().scenario.config();
  const std::filesystem::path out_dir = output_directory(options.out_dir, cfg.name);
  std::vector<std::filesystem::path> outputs{out_dir / reports::experiment_file_name(reports::ExperimentKind::Replications, shard)};
  if (!shard) outputs.push_back(out_dir / "results.json");
  if (options.report) outputs.push_back(out_dir / "report.html");
  if (options.csv) outputs.push_back(out_dir / "timeseries.csv");
  claim_outputs(out_dir, outputs, options.force);
  const double availability_target = cfg.slo.availability;

  std::vector<std::pair<std::string, std::string>> settings = key_settings(cfg);  // before `strategies` moves
  const reports::Experiment experiment =
      experiment_of(reports::ExperimentKind::Replications, options.scenario, strategies, "", seeds);
  ExperimentPlan plan{std::move(strategies), experiment.seed,
                      shard ? sim::replications_of(*shard, seeds) : sim::ReplicationRange{0, seeds},
                      jobs,
                      !shard,
                      stderr_is_terminal(err, options.quiet)};
  ExperimentOutcome outcome;
  const auto file = run_and_write(experiment, std::move(plan), shard, out_dir, out, err, options.quiet, &outcome);
  if (outcome.replication_zero) {
    const auto results = write_results(*outcome.replication_zero, options, std::move(settings), out_dir);
    out << (options.quiet ? "" : "\n") << "Wrote " << results.string() << " (replication 0, seed " << experiment.seed
        << ")\n";
    if (options.report) out << "Wrote " << (out_dir / "report.html").string() << " (replication 0)\n";
    if (options.csv) out << "Wrote " << (out_dir / "timeseries.csv").string() << " (replication 0)\n";
  } else {
    out << shard_line(*shard, seeds);
  }
  out << "Wrote " << file.string() << std::endl;
  if (!options.gate) return 0;
  const GateVerdict verdict = slo_gate(outcome.table, availability_target);
  out << verdict.message << std::endl;
  return verdict.passed ? 0 : kGateFailed;
}

}  // namespace

int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err) {
  const ReplicationOptions& r = options.replication;
  const std::uint64_t seeds =
      r.seeds.empty() ? kDefaultCompareSeeds : parse_count("--seeds", r.seeds, 1, kMaxReplications);
  const std::size_t jobs = jobs_of(r);
  const std::optional<sim::Shard> shard = shard_of(r);
  std::vector<std::string> names;
  if (!options.strategies.empty()) {
    names = split_names(options.strategies, "--strategies");
  } else {
    for (const auto& s : models::config::load_strategies(options.scenario)) names.push_back(s.name);
  }
  if (names.size() < 2) {
    throw UsageError{options.strategies.empty()
                         ? "compare: expected at least two strategies, found only \"base\": " + options.scenario +
                               " has no \"strategies\" (see scenarios/README.md)"
                         : "--strategies: expected at least two strategies, found \"" + options.strategies + "\""};
  }
  // --baseline and --gate each name one of the compared strategies.
  const auto require_compared = [&names](const char* option, const std::string& name) {
    if (std::find(names.begin(), names.end(), name) != names.end()) return;
    std::string listed;
    for (const auto& n : names) listed += (listed.empty() ? "\"" : ", \"") + n + "\"";
    throw UsageError{std::string(option) + ": expected one of the compared strategies (" + listed + "), found \"" +
                     name + "\""};
  };
  const std::string baseline = options.baseline.empty() ? names.front() : options.baseline;
  require_compared("--baseline", baseline);
  if (!options.gate.empty()) {
    require_compared("--gate", options.gate);
    if (options.gate == baseline) {
      throw UsageError{"--gate: expected a strategy other than the baseline \"" + baseline +
                       "\" (it is compared with the baseline), found \"" + options.gate + "\""};
    }
    if (shard) throw UsageError{"--gate: a shard writes a partial result, with no verdict of its own; leave out --shard"};
  }
  std::vector<StrategyRun> strategies =
      load_strategies(options.scenario, names, options.seed, options.duration, "--strategies", &err);
  const std::filesystem::path out_dir = output_directory(options.out_dir, strategies.front().scenario.config().name);
  if (shard && options.report) throw UsageError{"--report: a shard writes a partial result; report on the merged compare.json"};
  std::vector<std::filesystem::path> outputs{out_dir / reports::experiment_file_name(reports::ExperimentKind::Compare, shard)};
  if (options.report) outputs.push_back(out_dir / "compare.html");
  claim_outputs(out_dir, outputs, options.force);
  const reports::Experiment experiment =
      experiment_of(reports::ExperimentKind::Compare, options.scenario, strategies, baseline, seeds);
  ExperimentPlan plan{std::move(strategies), experiment.seed,
                      shard ? sim::replications_of(*shard, seeds) : sim::ReplicationRange{0, seeds},
                      jobs,
                      false,
                      stderr_is_terminal(err, options.quiet)};
  ExperimentOutcome outcome;
  const auto file = run_and_write(experiment, std::move(plan), shard, out_dir, out, err, options.quiet, &outcome);
  if (shard) out << shard_line(*shard, seeds);
  out << (options.quiet || shard ? "" : "\n") << "Wrote " << file.string() << std::endl;
  if (options.report) {
    const std::string text = reports::read_file_bytes(file);
    reports::ReportInputs inputs{FAULTLINE_VERSION, true, options.scenario, experiment.scenario_sha256};
    const std::filesystem::path html = out_dir / "compare.html";
    reports::write_file_atomically(html, reports::render_compare_report(text, file.string(), inputs));
    out << "Wrote " << html.string() << " (open it in a browser; it loads nothing from the network)\n";
  }
  if (options.gate.empty()) return 0;
  const GateVerdict verdict = strategy_gate(experiment, outcome.table, options.gate);
  out << verdict.message << std::endl;
  return verdict.passed ? 0 : kGateFailed;
}

}  // namespace cli
