#include "sim/cli/fmea_command.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/faults/catalogue.hpp"
#include "models/faults/failure_modes.hpp"
#include "models/world.hpp"
#include "reports/atomic_file.hpp"
#include "reports/fmea_json.hpp"
#include "reports/html_report.hpp"
#include "reports/sha256.hpp"
#include "sim/cli/command_options.hpp"
#include "sim/cli/experiments.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/run_commands.hpp"
#include "sim/cli/summary.hpp"

namespace cli {

namespace {

// The one fault of each failure's run; its metrics are "fault/failure/...".
constexpr const char* kFaultId = "failure";
constexpr const char* kImpactPrefix = "fault/failure/";
constexpr std::size_t kRowsPrinted = 10;

sim::Duration duration_option(const std::string& option, const std::string& text, sim::Duration fallback,
                              bool zero_allowed) {
  if (text.empty()) return fallback;
  const auto d = sim::parse_duration(text);
  if (!d || *d < sim::Duration::zero() || (!zero_allowed && *d == sim::Duration::zero()))
    throw UsageError{option + ": expected " + (zero_allowed ? "a duration" : "a positive duration") +
                     " such as \"90s\" or \"10m\", found \"" + text + "\""};
  return *d;
}

// "gray-failure" of one service's pods in a cluster: "gray-failure use1-a (api)".
std::string failure_name(const std::string& kind, const std::string& target, const std::string& service) {
  std::string name = target.empty() ? kind : kind + " " + target;
  if (!service.empty()) name += " (" + service + ")";
  return name;
}

std::string failure_name(const models::faults::FailureMode& mode) {
  return failure_name(models::faults::row(mode.kind).name, mode.target, mode.service);
}

// --gray-error-rate: a number in (0, 1], written as a plain decimal.
double gray_error_rate_option(const std::string& text) {
  constexpr double kDefault = 0.2;
  if (text.empty()) return kDefault;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (ec != std::errc{} || end != text.data() + text.size() || !(value > 0 && value <= 1))
    throw UsageError{"--gray-error-rate: expected a share of requests greater than 0 and at most 1, such as 0.2, found \"" +
                     text + "\""};
  return value;
}

// The scenario with its own faults and fault processes removed and, unless `mode` is null, that
// one failure added.
models::config::ValidatedScenario variant(const models::config::ScenarioConfig& base,
                                          const models::faults::FailureMode* mode, sim::Duration at,
                                          sim::Duration length, double gray_error_rate) {
  models::config::ScenarioConfig config = base;
  config.faults.clear();
  config.fault_processes.clear();
  if (mode != nullptr) {
    models::config::FaultConfig fault;
    fault.id = kFaultId;
    fault.kind = mode->kind;
    fault.target = mode->target;
    fault.service = mode->service;
    // A gray failure fails this share of requests, with no added latency.
    if (mode->kind == models::faults::FaultKind::GrayFailure) fault.error_rate = gray_error_rate;
    fault.at = at;
    fault.duration = length;
    config.faults.push_back(std::move(fault));
  }
  return models::config::validate(std::move(config));
}

// Strategy s's metrics: the failure's own (fault/failure/...) and the run's availability and error budget.
void collect(const reports::ReplicationTable& table, std::size_t s, std::vector<reports::FmeaMetric>& impact,
             std::vector<reports::FmeaMetric>& run) {
  const std::string prefix = kImpactPrefix;
  for (const reports::MetricSeries& m : table.metrics) {
    const sim::stats::Summary summary = sim::stats::summarize(m.values[s]);
    if (m.name.rfind(prefix, 0) == 0) {
      impact.push_back({m.name.substr(prefix.size()), m.unit, summary});
    } else if (m.name == "availability" || m.name == "error_budget_burned") {
      run.push_back({m.name, m.unit, summary});
    }
  }
}

std::string cell(const std::optional<double>& value, int decimals) { return value ? fixed(*value, decimals) : "-"; }

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

void print_ranking(std::ostream& out, const reports::FmeaDocument& d) {
  out << "Failure modes of " << d.scenario << ": " << d.failures.size() << " single failures, each from "
      << fixed(d.at_s, 0) << " s for " << fixed(d.for_s, 0) << " s, " << d.seeds << (d.seeds == 1 ? " seed" : " seeds")
      << "; worst first by error budget burned\n";
  out << "  no failure: availability " << cell(reports::mean_of(d.baseline, "availability"), 5)
      << ", error budget burned " << cell(reports::mean_of(d.baseline, "error_budget_burned"), 2) << "\n\n";
  out << "  " << padded("#", 4) << padded("failure", 44) << padded("stands for", 11) << padded("budget", 9)
      << padded("bad", 10) << padded("peak err", 9) << "recover s\n";
  for (std::size_t i = 0; i < d.failures.size() && i < kRowsPrinted; ++i) {
    const reports::FmeaFailure& f = d.failures[i];
    const std::string name = failure_name(f.kind, f.target, f.service);
    out << "  " << padded(std::to_string(i + 1), 4) << padded(name, 44) << padded(std::to_string(f.represents.size()), 11)
        << padded(cell(reports::mean_of(f.impact, "error_budget_burned"), 2), 9)
        << padded(cell(reports::mean_of(f.impact, "bad_requests"), 0), 10)
        << padded(cell(reports::mean_of(f.impact, "peak_error_rate"), 3), 9)
        << cell(reports::mean_of(f.impact, "time_to_recover_s"), 1) << "\n";
  }
  if (d.failures.size() > kRowsPrinted) out << "  ... " << d.failures.size() - kRowsPrinted << " more in fmea.json\n";
}

}  // namespace

int fmea_command(const FmeaOptions& options, std::ostream& out, std::ostream& err) {
  RunOptions with_seed;
  with_seed.seed = options.seed;
  const models::config::ValidatedScenario base = load(options.scenario, &with_seed);
  const models::config::ScenarioConfig& config = base.config();
  const sim::Duration run = config.run.duration;
  const sim::Duration at = duration_option("--at", options.at, run / 3, /*zero_allowed=*/true);
  const sim::Duration length = duration_option("--for", options.duration, run / 3, /*zero_allowed=*/false);
  if (at >= run) {
    throw UsageError{"--at: expected a start before the end of the run (" + sim::format_duration(run) + "), found \"" +
                     options.at + "\""};
  }
  const std::uint64_t seeds = options.seeds.empty() ? 1 : parse_count("--seeds", options.seeds, 1, kMaxReplications);
  const double gray_error_rate = gray_error_rate_option(options.gray_error_rate);
  ReplicationOptions replication;
  replication.jobs = options.jobs;
  const std::size_t jobs = jobs_of(replication);
  const std::filesystem::path out_dir = output_directory(options.out_dir, config.name);
  const std::filesystem::path file = out_dir / "fmea.json";
  claim_outputs(out_dir, {file}, options.force);

  const std::vector<models::faults::FailureMode> modes =
      models::faults::failure_modes(models::build_world(base, config.run.seed));
  std::vector<StrategyRun> strategies{{"no failure", variant(config, nullptr, at, length, gray_error_rate)}};
  for (const auto& mode : modes)
    strategies.push_back({failure_name(mode), variant(config, &mode, at, length, gray_error_rate)});
  ExperimentPlan plan{std::move(strategies), config.run.seed, sim::ReplicationRange{0, seeds}, jobs, false,
                      stderr_is_terminal(err, options.quiet)};
  const auto wall_start = std::chrono::steady_clock::now();
  const ExperimentOutcome outcome = run_experiment(plan);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  throw_if_interrupted(sim::SimTime::at(run), sim::SimTime::at(run));  // a signal after the last run: write nothing

  reports::FmeaDocument document;
  document.faultline_version = FAULTLINE_VERSION;
  document.scenario = config.name;
  document.scenario_sha256 = reports::to_hex(reports::sha256(reports::read_file_bytes(options.scenario)));
  document.seed = config.run.seed;
  document.seeds = seeds;
  document.duration_s = sim::to_seconds(run);
  document.at_s = sim::to_seconds(at);
  document.for_s = sim::to_seconds(length);
  std::vector<reports::FmeaMetric> unused;
  collect(outcome.table, 0, unused, document.baseline);
  for (std::size_t m = 0; m < modes.size(); ++m) {
    reports::FmeaFailure failure;
    failure.kind = models::faults::row(modes[m].kind).name;
    failure.target = modes[m].target;
    failure.represents = modes[m].represents;
    failure.service = modes[m].service;
    if (modes[m].kind == models::faults::FaultKind::GrayFailure) failure.error_rate = gray_error_rate;
    collect(outcome.table, m + 1, failure.impact, failure.run);
    document.failures.push_back(std::move(failure));
  }
  reports::rank_failures(document.failures);
  reports::write_file_atomically(file, reports::fmea_to_json(document));
  if (!options.quiet) print_ranking(out, document);
  out.flush();  // the ranking before the timing line on a shared terminal
  report_throughput(err, outcome, jobs, wall);
  out << (options.quiet ? "" : "\n") << "Wrote " << file.string() << std::endl;
  return 0;
}

}  // namespace cli
