#include "sim/cli/commands.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "reports/atomic_file.hpp"
#include "reports/compare_report.hpp"
#include "reports/html_report.hpp"
#include "reports/replications_json.hpp"
#include "reports/results_json.hpp"
#include "reports/sha256.hpp"
#include "sim/cli/experiments.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/summary.hpp"
#include "sim/replications.hpp"

namespace cli {

namespace {

// How many replications, on how many threads, and which slice of them (run and compare). Kept
// as text, so that bad values get faultline's own messages.
struct ReplicationOptions {
  std::string seeds;
  std::string jobs;
  std::string shard;
  bool shard_from_env = false;
  std::string shard_count;
};

struct RunOptions {
  std::string scenario;
  std::string seed;  // as typed: parse_count checks it
  std::string duration;
  std::string out_dir;
  std::string strategy;
  bool report = false;
  bool quiet = false;
  bool force = false;
  ReplicationOptions replication;
};

struct CompareOptions {
  std::string scenario;
  std::string seed;  // as typed: parse_count checks it
  std::string duration;
  std::string out_dir;
  std::string strategies;
  std::string baseline;
  bool quiet = false;
  bool report = false;
  bool force = false;
  ReplicationOptions replication;
};

struct MergeOptions {
  std::vector<std::string> parts;
  std::string out_dir;
  bool quiet = false;
  bool force = false;
};

struct ReportOptions {
  std::string results;
  std::string out_file;
  std::string scenario;
  bool force = false;
};

/// "1h42m30s", "6m4s", "30s": whole seconds, for people reading where a run stopped.
std::string hours_minutes_seconds(sim::Duration d) {
  const std::int64_t total = std::chrono::floor<std::chrono::seconds>(d).count();
  std::string text;
  if (total >= 3600) text += std::to_string(total / 3600) + "h";
  if (total % 3600 >= 60) text += std::to_string(total % 3600 / 60) + "m";
  if (total % 60 != 0 || text.empty()) text += std::to_string(total % 60) + "s";
  return text;
}

// Bad command-line values get the same treatment as bad scenario values: a clear message, exit 2.
struct UsageError {
  std::string message;
};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

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

constexpr const char* kForceHelp =
    "Replace output files that already exist (without it, faultline stops before running if one does)";

constexpr std::uint64_t kMaxReplications = 1'000'000;
constexpr std::uint64_t kMaxJobs = 1024;
constexpr std::uint64_t kDefaultCompareSeeds = 10;

/// A whole number in [minimum, maximum], or a UsageError naming `option`.
std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t minimum,
                          std::uint64_t maximum) {
  std::uint64_t value = 0;
  bool ok = !text.empty();
  for (const char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (c < '0' || c > '9' || value > (UINT64_MAX - digit) / 10) {  // not a digit, or beyond 64 bits
      ok = false;
      break;
    }
    value = value * 10 + digit;
  }
  if (!ok || value < minimum || value > maximum) {
    throw UsageError{option + ": expected a whole number from " + std::to_string(minimum) + " to " +
                     std::to_string(maximum) + ", found \"" + text + "\""};
  }
  return value;
}

std::size_t jobs_of(const ReplicationOptions& options) {
  if (!options.jobs.empty()) return static_cast<std::size_t>(parse_count("--jobs", options.jobs, 1, kMaxJobs));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

/// The slice of replications this machine runs: --shard K/N, or the array job's task index
/// (--shard-from-env); none when neither is given.
std::optional<sim::Shard> shard_of(const ReplicationOptions& options) {
  if (!options.shard.empty() && options.shard_from_env) {
    throw UsageError{"--shard and --shard-from-env: expected one of them, found both"};
  }
  if (!options.shard_count.empty() && !options.shard_from_env) {
    throw UsageError{"--shard-count: expected it only with --shard-from-env (with --shard, write K/N)"};
  }
  if (!options.shard.empty()) {
    try {
      return sim::parse_shard(options.shard);
    } catch (const std::invalid_argument& e) {
      throw UsageError{std::string("--shard: ") + e.what()};
    }
  }
  if (!options.shard_from_env) return std::nullopt;
  auto from_task = [](const std::string& variable, const std::string& index, std::uint64_t first, std::uint64_t count) {
    try {
      return sim::shard_from_task_index(index, first, count);
    } catch (const std::invalid_argument& e) {
      throw UsageError{"--shard-from-env: " + variable + "=\"" + index + "\": " + e.what()};
    }
  };
  if (const std::string index = environment("JOB_COMPLETION_INDEX"); !index.empty()) {
    if (options.shard_count.empty()) {
      throw UsageError{"--shard-from-env: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): expected "
                       "--shard-count N, the Job's completions, found none"};
    }
    return from_task("JOB_COMPLETION_INDEX", index, 0,
                     parse_count("--shard-count", options.shard_count, 1, kMaxReplications));
  }
  if (const std::string index = environment("SLURM_ARRAY_TASK_ID"); !index.empty()) {
    if (const std::string step = environment("SLURM_ARRAY_TASK_STEP"); !step.empty() && step != "1") {
      throw UsageError{"--shard-from-env: expected a Slurm array without a step (such as --array=0-7), found "
                       "SLURM_ARRAY_TASK_STEP=" + step};
    }
    const std::string min = environment("SLURM_ARRAY_TASK_MIN");
    if (min.empty()) throw UsageError{"--shard-from-env: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not"};
    const std::uint64_t first = parse_count("SLURM_ARRAY_TASK_MIN", min, 0, UINT64_MAX / 2);
    std::uint64_t count = 0;
    if (!options.shard_count.empty()) {
      count = parse_count("--shard-count", options.shard_count, 1, kMaxReplications);
    } else {
      const std::string count_text = environment("SLURM_ARRAY_TASK_COUNT");
      if (count_text.empty()) {
        throw UsageError{"--shard-from-env: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: expected "
                         "--shard-count N"};
      }
      count = parse_count("SLURM_ARRAY_TASK_COUNT", count_text, 1, kMaxReplications);
    }
    return from_task("SLURM_ARRAY_TASK_ID", index, first, count);
  }
  throw UsageError{"--shard-from-env: expected JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or "
                   "SLURM_ARRAY_TASK_ID (a Slurm job array) in the environment, found neither"};
}

/// --seed and --duration, which apply to the base scenario and every strategy alike.
void apply_overrides(models::config::ScenarioConfig& config, const std::string& seed, const std::string& duration) {
  if (!seed.empty()) config.run.seed = parse_count("--seed", seed, 0, UINT64_MAX);
  if (!duration.empty()) {
    const auto d = sim::parse_duration(duration);
    if (!d || *d <= sim::Duration::zero())
      throw UsageError{"--duration: expected a positive duration such as \"90s\" or \"10m\", found \"" + duration +
                       "\""};
    config.run.duration = *d;
  }
}

models::config::ValidatedScenario load(const std::string& path, const RunOptions* options) {
  models::config::ScenarioConfig config = models::config::load_scenario(path);
  if (options != nullptr) apply_overrides(config, options->seed, options->duration);
  return models::config::validate(std::move(config));
}

/// The named strategies of a scenario file, with --seed and --duration applied, validated.
std::vector<StrategyRun> load_strategies(const std::string& path, const std::vector<std::string>& names,
                                         const std::string& seed, const std::string& duration,
                                         const std::string& option) {
  std::vector<models::config::NamedScenario> all = models::config::load_strategies(path);
  std::vector<StrategyRun> out;
  for (const std::string& name : names) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
    if (it == all.end()) {
      throw UsageError{option + ": " + models::config::unknown_strategy(all, name) + " (the strategies of " + path + ")"};
    }
    models::config::NamedScenario scenario = *it;
    apply_overrides(scenario.config, seed, duration);
    out.push_back(StrategyRun{name, models::config::validate(std::move(scenario))});
  }
  return out;
}

/// --out, or out/<scenario name>.
std::filesystem::path output_directory(const std::string& option, const std::string& scenario_name) {
  return option.empty() ? std::filesystem::path("out") / scenario_name : std::filesystem::path(option);
}

/// Before anything runs: creates the output directory, checks that faultline can write there and
/// that none of `files` exists yet (unless --force). A long run must not end in an error, and
/// nothing a user already has is replaced by surprise.
void claim_outputs(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& files, bool force) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!ec && !std::filesystem::is_directory(dir)) ec = std::make_error_code(std::errc::not_a_directory);
  if (ec) {
    throw UsageError{"output directory " + dir.string() + ": expected a directory faultline can create, found \"" +
                     ec.message() + "\""};
  }
  // Permission bits do not stop root, but a read-only file system does: try a file.
  std::string probe = (dir / ".faultline-write-probe-XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) {
    throw UsageError{"output directory " + dir.string() + ": expected a directory faultline can write, found \"" +
                     std::strerror(errno) + "\""};
  }
  ::close(fd);
  ::unlink(probe.c_str());
  if (force) return;
  for (const std::filesystem::path& file : files) {
    std::error_code status_ec;
    if (std::filesystem::symlink_status(file, status_ec).type() != std::filesystem::file_type::not_found) {
      throw UsageError{file.string() + ": expected a new output file, found one already there (pass --force to "
                       "replace it, or --out another directory)"};
    }
  }
}

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

bool stderr_is_terminal(const std::ostream& err, bool quiet) {
  return !quiet && &err == &std::cerr && ::isatty(STDERR_FILENO);
}

void report_throughput(std::ostream& err, const ExperimentOutcome& outcome, std::size_t jobs, double wall) {
  err << "faultline: " << outcome.runs << (outcome.runs == 1 ? " run on " : " runs on ") << jobs << (jobs == 1 ? " job" : " jobs") << " in "
      << fixed(wall, 2) << " s wall (" << fixed(static_cast<double>(outcome.runs) / wall, 2) << " runs/s, "
      << fixed(static_cast<double>(outcome.requests) / wall / 1e6, 2) << " M requests/s)\n";
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
std::filesystem::path write_results(const sim::RunResult& result, const RunOptions& options,
                                    const std::filesystem::path& out_dir) {
  const std::filesystem::path results = out_dir / "results.json";
  reports::write_file_atomically(results, [&result](const reports::Sink& sink) { reports::write_results_json(result, sink); });
  if (options.report) {
    const reports::ReportInputs inputs{FAULTLINE_VERSION, true, options.scenario,
                                       reports::to_hex(reports::sha256(reports::read_file_bytes(options.scenario)))};
    reports::write_file_atomically(out_dir / "report.html", reports::render_html_report(reports::read_file_bytes(results),
                                                                                        results.string(), inputs));
  }
  return results;
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
          ? load(options.scenario, &options)
          : std::move(load_strategies(options.scenario, {options.strategy}, options.seed, options.duration,
                                      "--strategy")
                          .front()
                          .scenario);
  const auto& cfg = scenario.config();
  const std::filesystem::path out_dir = output_directory(options.out_dir, cfg.name);
  const std::filesystem::path results = out_dir / "results.json";
  claim_outputs(out_dir, options.report ? std::vector{results, out_dir / "report.html"} : std::vector{results},
                options.force);
  const auto wall_start = std::chrono::steady_clock::now();
  models::Simulation simulation(models::build_world(scenario, cfg.run.seed));
  ProgressBar progress(!options.quiet && &err == &std::cerr && ::isatty(STDERR_FILENO));
  const sim::SimTime run_end = sim::SimTime::at(cfg.run.duration);
  const sim::RunResult result = simulation.run([&](sim::SimTime now, sim::SimTime end) {
    progress.update(now, end);
    throw_if_interrupted(now, run_end);
  });
  progress.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  throw_if_interrupted(run_end, run_end);  // a signal after the last chunk: still write nothing

  write_results(result, options, out_dir);
  const std::filesystem::path report = out_dir / "report.html";

  if (!options.quiet) print_summary(out, result);
  out << "\nWrote " << results.string() << std::endl;
  if (options.report) out << "Wrote " << report.string() << " (open it in a browser; it loads nothing from the network)\n";
  // Wall-clock figures go to stderr only: results.json must not depend on the machine.
  err << "faultline: " << result.events << " events, " << result.all.totals.requests << " requests in "
      << fixed(wall, 2) << " s wall (" << fixed(static_cast<double>(result.all.totals.requests) / wall / 1e6, 2)
      << " M requests/s, " << fixed(static_cast<double>(result.events) / wall / 1e6, 2) << " M events/s)\n";
  return 0;
}

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
  const std::string strategy = options.strategy.empty() ? std::string(models::config::kBaseStrategy) : options.strategy;
  std::vector<StrategyRun> strategies =
      load_strategies(options.scenario, {strategy}, options.seed, options.duration, "--strategy");
  const auto& cfg = strategies.front().scenario.config();
  const std::filesystem::path out_dir = output_directory(options.out_dir, cfg.name);
  std::vector<std::filesystem::path> outputs{out_dir / reports::experiment_file_name(reports::ExperimentKind::Replications, shard)};
  if (!shard) outputs.push_back(out_dir / "results.json");
  if (options.report) outputs.push_back(out_dir / "report.html");
  claim_outputs(out_dir, outputs, options.force);

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
    const auto results = write_results(*outcome.replication_zero, options, out_dir);
    out << (options.quiet ? "" : "\n") << "Wrote " << results.string() << " (replication 0, seed " << experiment.seed
        << ")\n";
    if (options.report) out << "Wrote " << (out_dir / "report.html").string() << " (replication 0)\n";
  } else {
    out << shard_line(*shard, seeds);
  }
  out << "Wrote " << file.string() << std::endl;
  return 0;
}

std::vector<std::string> split_names(const std::string& text, const std::string& option) {
  std::vector<std::string> names;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty()) {
      throw UsageError{option + ": expected strategy names separated by commas, such as \"base,deep\", found \"" +
                       text + "\""};
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      throw UsageError{option + ": expected each strategy once, found \"" + name + "\" twice"};
    }
    names.push_back(name);
    if (comma == std::string::npos) return names;
    start = comma + 1;
  }
}

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
  const std::string baseline = options.baseline.empty() ? names.front() : options.baseline;
  if (std::find(names.begin(), names.end(), baseline) == names.end()) {
    std::string listed;
    for (const auto& n : names) listed += (listed.empty() ? "\"" : ", \"") + n + "\"";
    throw UsageError{"--baseline: expected one of the compared strategies (" + listed + "), found \"" + baseline +
                     "\""};
  }
  std::vector<StrategyRun> strategies =
      load_strategies(options.scenario, names, options.seed, options.duration, "--strategies");
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
  const auto file = run_and_write(experiment, std::move(plan), shard, out_dir, out, err, options.quiet, nullptr);
  if (shard) out << shard_line(*shard, seeds);
  out << (options.quiet || shard ? "" : "\n") << "Wrote " << file.string() << std::endl;
  if (options.report) {
    const std::string text = reports::read_file_bytes(file);
    reports::ReportInputs inputs{FAULTLINE_VERSION, true, options.scenario, experiment.scenario_sha256};
    const std::filesystem::path html = out_dir / "compare.html";
    reports::write_file_atomically(html, reports::render_compare_report(text, file.string(), inputs));
    out << "Wrote " << html.string() << " (open it in a browser; it loads nothing from the network)\n";
  }
  return 0;
}

int merge_command(const MergeOptions& options, std::ostream& out) {
  std::vector<reports::PartialFile> parts;
  for (const std::string& part : options.parts) parts.push_back({part, reports::read_file_bytes(part)});
  const reports::ExperimentResults merged = reports::merge_partials(parts);
  const std::filesystem::path out_dir = output_directory(options.out_dir, merged.experiment.scenario);
  const std::filesystem::path file = out_dir / reports::experiment_file_name(merged.experiment.kind);
  claim_outputs(out_dir, {file}, options.force);
  reports::write_file_atomically(file, reports::experiment_to_json(merged.experiment, merged.table));
  if (!options.quiet) {
    print_experiment(out, merged.experiment, merged.table);
    out << '\n';
  }
  out << "Wrote " << file.string() << " (merged from " << parts.size() << (parts.size() == 1 ? " part" : " parts")
      << ")" << std::endl;
  return 0;
}

int report_command(const ReportOptions& options, std::ostream& out) {
  const std::filesystem::path results(options.results);
  const std::filesystem::path target = options.out_file.empty() ? results.parent_path() / "report.html"
                                                                : std::filesystem::path(options.out_file);
  reports::ReportInputs inputs{FAULTLINE_VERSION, false, options.scenario, ""};
  if (!options.scenario.empty())
    inputs.scenario_sha256 = reports::to_hex(reports::sha256(reports::read_file_bytes(options.scenario)));
  // results.json gives a run report, compare.json a comparison report.
  const std::string text = reports::read_file_bytes(results);
  claim_outputs(target.has_parent_path() ? target.parent_path() : std::filesystem::path("."), {target}, options.force);
  const std::string html = reports::is_compare_document(text)
                               ? reports::render_compare_report(text, results.string(), inputs)
                               : reports::render_html_report(text, results.string(), inputs);
  reports::write_file_atomically(target, html);
  out << "Wrote " << target.string() << '\n';
  return 0;
}

int validate_command(const std::string& path, std::ostream& out) {
  std::vector<models::config::NamedScenario> strategies = models::config::load_strategies(path);
  std::vector<std::string> names;
  for (std::size_t i = 1; i < strategies.size(); ++i) {
    names.push_back(strategies[i].name);
    models::config::validate(std::move(strategies[i]));
  }
  const auto scenario = models::config::validate(std::move(strategies.front()));
  const auto& cfg = scenario.config();
  std::size_t clusters = 0;
  for (const auto& r : cfg.regions) clusters += r.clusters.size();
  out << path << ": ok (scenario \"" << cfg.name << "\": " << cfg.regions.size() << " regions, " << clusters
      << " clusters, " << cfg.services.size() << " services, " << cfg.clients.size() << " client groups, "
      << cfg.faults.size() << " faults";
  if (!names.empty()) {
    out << "; strategies";
    for (std::size_t i = 0; i < names.size(); ++i) out << (i == 0 ? " " : ", ") << names[i];
  }
  out << ")\n";
  return 0;
}

}  // namespace

int faultline_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"faultline: a discrete-event simulator of multi-region failover for GKE multi-cluster Gateways\n"
               "and Istio ambient mesh. Describe a fleet in a scenario file, inject failures, replay the\n"
               "routing request by request, and read off blast radius and recovery time.",
               "faultline"};
  app.set_version_flag("--version", std::string("faultline ") + FAULTLINE_VERSION);
  app.require_subcommand(1);
  app.footer("Exit status: 0 success; 2 bad arguments, a bad scenario or results file, or outputs that cannot be\n"
             "written or already exist (see --force); 130 or 143 interrupted by Ctrl-C or SIGTERM (nothing is\n"
             "written); 1 internal error.\n"
             "Scenario format: scenarios/README.md");

  RunOptions run_options;
  CLI::App* run = app.add_subcommand("run", "Run a scenario: print a summary and write DIR/results.json (and DIR/report.html)");
  run->add_option("scenario", run_options.scenario, "Scenario file (JSON, comments allowed)")->required();
  run->add_option("--seed", run_options.seed, "Seed for every random stream (default: the scenario's run.seed)");
  run->add_option("--duration", run_options.duration,
                  "Simulated time over which clients send requests, e.g. 90s or 10m (default: run.duration)");
  run->add_option("--out", run_options.out_dir,
                  "Output directory for results.json and report.html (default: out/<scenario name>)");
  run->add_flag("--report", run_options.report, "Also write report.html, the HTML run report, beside results.json");
  run->add_flag("--quiet,-q", run_options.quiet, "Print no summary and no progress");
  run->add_flag("--force", run_options.force, kForceHelp);

  auto add_replication_options = [](CLI::App* command, ReplicationOptions& o, const std::string& seeds_default) {
    command->add_option("--seeds", o.seeds,
                        "Replications: run the scenario with N seeds (replication i uses a seed derived from the "
                        "scenario's and i; replication 0 uses the scenario's own) and report each metric's mean with "
                        "its 95% confidence interval (default: " + seeds_default + ")");
    command->add_option("--jobs,-j", o.jobs,
                        "Threads running replications at once (default: every core); results do not depend on it");
    command->add_option("--shard", o.shard,
                        "Run only the K-th of N slices of the replications, K/N with 1 <= K <= N, and write a partial "
                        "result for `faultline merge`");
    command->add_flag("--shard-from-env", o.shard_from_env,
                      "Take the shard from an array job: JOB_COMPLETION_INDEX (Kubernetes Indexed Job, 0-based; "
                      "needs --shard-count) or SLURM_ARRAY_TASK_ID (Slurm job array, from SLURM_ARRAY_TASK_MIN, "
                      "SLURM_ARRAY_TASK_COUNT tasks)");
    command->add_option("--shard-count", o.shard_count,
                        "With --shard-from-env: the number of shards (the Job's completions; default for Slurm: "
                        "SLURM_ARRAY_TASK_COUNT)");
  };
  run->add_option("--strategy", run_options.strategy,
                  "Run one of the scenario's strategies instead of the scenario itself (default: base)");
  add_replication_options(run, run_options.replication, "1: one run, results.json alone");

  CompareOptions compare_options;
  CLI::App* compare = app.add_subcommand(
      "compare", "Run the scenario's strategies on the same seeds and compare them: print a table per metric and "
                 "write DIR/compare.json");
  compare->add_option("scenario", compare_options.scenario, "Scenario file with \"strategies\"")->required();
  compare->add_option("--strategies", compare_options.strategies,
                      "Strategies to compare, separated by commas; \"base\" is the scenario itself (default: base "
                      "and every strategy of the file, in file order)");
  compare->add_option("--baseline", compare_options.baseline,
                      "The strategy differences are taken to (default: the first compared)");
  compare->add_option("--seed", compare_options.seed, "Seed for every random stream (default: the scenario's run.seed)");
  compare->add_option("--duration", compare_options.duration,
                      "Simulated time over which clients send requests, e.g. 90s or 10m (default: run.duration)");
  compare->add_option("--out", compare_options.out_dir, "Output directory for compare.json (default: out/<scenario name>)");
  compare->add_flag("--quiet,-q", compare_options.quiet, "Print no table and no progress");
  compare->add_flag("--report", compare_options.report, "Also write DIR/compare.html, the comparison report");
  compare->add_flag("--force", compare_options.force, kForceHelp);
  add_replication_options(compare, compare_options.replication, std::to_string(kDefaultCompareSeeds));

  MergeOptions merge_options;
  CLI::App* merge = app.add_subcommand(
      "merge", "Combine the partial results of every shard (--shard) into the replications.json or compare.json one "
               "machine would have written");
  merge->add_option("parts", merge_options.parts, "The shards' partial files, in any order")->required();
  merge->add_option("--out", merge_options.out_dir, "Output directory (default: out/<scenario name>)");
  merge->add_flag("--quiet,-q", merge_options.quiet, "Print no table");
  merge->add_flag("--force", merge_options.force, kForceHelp);

  ReportOptions report_options;
  CLI::App* report = app.add_subcommand("report", "Write the HTML report of a results.json (a run) or a compare.json");
  report->add_option("results", report_options.results, "A results.json or compare.json that faultline wrote")->required();
  report->add_option("--out", report_options.out_file, "The HTML file to write (default: report.html beside RESULTS)");
  report->add_option("--scenario", report_options.scenario,
                     "The scenario file that was run: its SHA-256 and path go into the reproducibility footer");
  report->add_flag("--force", report_options.force, kForceHelp);

  std::string validate_path;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", validate_path, "Scenario file")->required();

  // CLI11 would call an unknown command a missing one ("A subcommand is required").
  const auto is_command = [&app](const std::string& word) {
    for (const CLI::App* command : app.get_subcommands({})) {
      if (command->get_name() == word) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    err << "faultline: expected a command (run, compare, merge, report or validate), found \"" << argv[1]
        << "\"\nRun with --help for more information.\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }

  try {
    const InterruptHandlers interrupt_handlers;
    if (*run) return run_command(run_options, out, err);
    if (*compare) return compare_command(compare_options, out, err);
    if (*merge) return merge_command(merge_options, out);
    if (*validate) return validate_command(validate_path, out);
    if (*report) return report_command(report_options, out);
  } catch (const models::config::ScenarioError& e) {
    err << e.what() << '\n';
    return 2;
  } catch (const reports::ResultsDocumentError& e) {
    err << e.what() << '\n';
    return 2;
  } catch (const reports::MergeError& e) {
    err << "faultline: merge: " << e.what() << '\n';
    return 2;
  } catch (const UsageError& e) {
    err << "faultline: " << e.message << '\n';
    return 2;
  } catch (const reports::OutputError& e) {
    err << "faultline: " << e.what() << '\n';
    return 2;
  } catch (const Interrupted& e) {
    err << "faultline: interrupted by " << signal_name(e.signal) << " at simulated time "
        << hours_minutes_seconds(e.reached.since_start()) << " of " << hours_minutes_seconds(e.end.since_start())
        << ": nothing was written, and files already there are unchanged\n";
    return 128 + e.signal;
  } catch (const std::exception& e) {
    err << "faultline: internal error: " << e.what() << '\n';
    return 1;
  }
  return 1;
}

}  // namespace cli
