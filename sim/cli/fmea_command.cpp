#include "sim/cli/fmea_command.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/faults/catalogue.hpp"
#include "models/faults/failure_modes.hpp"
#include "models/metrics/fault_impact.hpp"
#include "models/world.hpp"
#include "reports/atomic_file.hpp"
#include "reports/fmea_json.hpp"
#include "reports/fmea_report.hpp"
#include "reports/html_report.hpp"
#include "reports/sha256.hpp"
#include "sim/cli/command_options.hpp"
#include "sim/cli/experiments.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/run_commands.hpp"
#include "sim/cli/summary.hpp"

namespace cli {

namespace {

// The faults of each case's run: the failure, and a pair's second one. Its metrics are those of
// the first, "fault/failure/...": both start and end together, so they share one window.
constexpr const char* kFaultId = "failure";
constexpr const char* kSecondFaultId = "failure-2";
constexpr std::size_t kRowsPrinted = 10;
constexpr std::size_t kInteractionsPrinted = 5;

sim::Duration duration_option(const std::string& option, const std::string& text, sim::Duration fallback,
                              bool zero_allowed) {
  if (text.empty()) return fallback;
  const auto d = sim::parse_duration(text);
  if (!d || *d < sim::Duration::zero() || (!zero_allowed && *d == sim::Duration::zero()))
    throw UsageError{option + ": expected " + (zero_allowed ? "a duration" : "a positive duration") +
                     " such as \"90s\" or \"1m30s\", found \"" + text + "\""};
  return *d;
}

// "cluster-outage use1-a"; a gray failure of one service's pods in a cluster: "gray-failure use1-a (api)".
std::string failure_name(const models::faults::FailureMode& mode) {
  const std::string kind = models::faults::row(mode.kind).name;
  std::string name = mode.target.empty() ? kind : kind + " " + mode.target;
  if (!mode.service.empty()) name += " (" + mode.service + ")";
  return name;
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

// A gray failure fails `gray_error_rate` of its requests, with no added latency.
std::optional<double> error_rate_of(const models::faults::FailureMode& mode, double gray_error_rate) {
  if (mode.kind == models::faults::FaultKind::GrayFailure) return gray_error_rate;
  return std::nullopt;
}

reports::FmeaFault fmea_fault_of(const models::faults::FailureMode& mode, double gray_error_rate) {
  return {models::faults::row(mode.kind).name, mode.target, mode.represents, mode.service,
          error_rate_of(mode, gray_error_rate)};
}

models::config::FaultConfig fault_of(const models::faults::FailureMode& mode, std::string id, sim::Duration at,
                                     sim::Duration length, double gray_error_rate) {
  models::config::FaultConfig fault;
  fault.id = std::move(id);
  fault.kind = mode.kind;
  fault.target = mode.target;
  fault.service = mode.service;
  if (const auto rate = error_rate_of(mode, gray_error_rate)) fault.error_rate = *rate;
  fault.at = at;
  fault.duration = length;
  return fault;
}

// The scenario with its own faults and fault processes removed and `modes` (none, one or two)
// added, all starting at `at` for `length`.
models::config::ValidatedScenario variant(const models::config::ScenarioConfig& base,
                                          const std::vector<const models::faults::FailureMode*>& modes,
                                          sim::Duration at, sim::Duration length, double gray_error_rate) {
  models::config::ScenarioConfig config = base;
  config.faults.clear();
  config.fault_processes.clear();
  for (std::size_t i = 0; i < modes.size(); ++i)
    config.faults.push_back(fault_of(*modes[i], i == 0 ? kFaultId : kSecondFaultId, at, length, gray_error_rate));
  return models::config::validate(std::move(config));
}

// What each failure mode holds down while active, sorted: a pair whose one failure holds
// everything the other holds is that failure alone, and is not run.
std::vector<std::vector<models::topology::ComponentId>> held_components(
    const models::config::ScenarioConfig& base, const std::vector<models::faults::FailureMode>& modes,
    std::uint64_t seed, sim::Duration at, sim::Duration length, double gray_error_rate) {
  models::config::ScenarioConfig config = base;
  config.faults.clear();
  config.fault_processes.clear();
  for (std::size_t m = 0; m < modes.size(); ++m)
    config.faults.push_back(fault_of(modes[m], "mode-" + std::to_string(m), at, length, gray_error_rate));
  const models::World world = models::build_world(models::config::validate(std::move(config)), seed);
  std::vector<std::vector<models::topology::ComponentId>> out(modes.size());
  for (const models::faults::Fault& f : world.faults) {
    if (f.id.rfind("mode-", 0) != 0) continue;
    const std::size_t m = std::stoul(f.id.substr(5));
    if (m >= modes.size()) continue;
    out[m] = f.holds;
    std::sort(out[m].begin(), out[m].end());
  }
  return out;
}

bool holds_all_of(const std::vector<models::topology::ComponentId>& a, const std::vector<models::topology::ComponentId>& b) {
  return !b.empty() && std::includes(a.begin(), a.end(), b.begin(), b.end());
}

std::string cell(const std::optional<double>& value, int decimals) { return value ? fixed(*value, decimals) : "-"; }

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

// "cluster-outage use1-a"; a pair's target already names both failures.
std::string row_name(const reports::FmeaFailure& f) {
  if (f.kind == "pair") return f.target;
  std::string name = f.target.empty() ? f.kind : f.kind + " " + f.target;
  if (!f.service.empty()) name += " (" + f.service + ")";
  return name;
}

void print_ranking(std::ostream& out, const reports::FmeaDocument& d) {
  out << "Failure modes of " << d.scenario << ": " << d.singles << " single failures";
  if (d.depth >= 2) out << " and " << d.pairs_run << (d.pairs_run == 1 ? " pair" : " pairs");
  out << ", each from " << fixed(d.at_s, 0) << " s for " << fixed(d.for_s, 0) << " s, " << d.seeds
      << (d.seeds == 1 ? " seed" : " seeds") << "; worst first by error budget burned\n";
  if (d.depth >= 2) {
    out << "  pairs: " << d.pairs_overlapping << " of the " << d.singles * (d.singles - (d.singles > 0 ? 1 : 0)) / 2
        << " pairs of single failures overlap (share a client group or service that saw bad requests); "
        << d.pairs_contained << " of them left out (one failure holds down all the other does); and "
        << d.pairs_same_class << " pairs of two identical targets (a class's first two)\n";
  }
  out << "  no failure: availability " << cell(reports::mean_of(d.baseline, "availability"), 5)
      << ", error budget burned " << cell(reports::mean_of(d.baseline, "error_budget_burned"), 2) << "\n\n";
  std::size_t width = 44;
  for (std::size_t i = 0; i < d.failures.size() && i < kRowsPrinted; ++i)
    width = std::max(width, row_name(d.failures[i]).size() + 2);
  out << "  " << padded("#", 4) << padded("failure", width) << padded("stands for", 11) << padded("budget", 9)
      << padded("bad", 10) << padded("peak err", 9) << "recover s\n";
  for (std::size_t i = 0; i < d.failures.size() && i < kRowsPrinted; ++i) {
    const reports::FmeaFailure& f = d.failures[i];
    out << "  " << padded(std::to_string(i + 1), 4) << padded(row_name(f), width)
        << padded(std::to_string(f.represents.size()), 11)
        << padded(cell(reports::mean_of(f.impact, "error_budget_burned"), 2), 9)
        << padded(cell(reports::mean_of(f.impact, "bad_requests"), 0), 10)
        << padded(cell(reports::mean_of(f.impact, "peak_error_rate"), 3), 9)
        << cell(reports::mean_of(f.impact, "time_to_recover_s"), 1) << "\n";
  }
  if (d.failures.size() > kRowsPrinted) out << "  ... " << d.failures.size() - kRowsPrinted << " more in fmea.json\n";
  if (d.depth < 2) return;
  // "Fine alone, fatal together": the pairs that burn more than their failures alone.
  std::vector<const reports::FmeaFailure*> worse;
  for (const reports::FmeaFailure& f : d.failures)
    if (f.interaction && f.interaction->mean && *f.interaction->mean > 0) worse.push_back(&f);
  std::stable_sort(worse.begin(), worse.end(), [](const auto* a, const auto* b) {
    return *a->interaction->mean > *b->interaction->mean;
  });
  out << "\nPairs that burn more than their two failures alone: " << worse.size() << "\n";
  for (std::size_t i = 0; i < worse.size() && i < kInteractionsPrinted; ++i) {
    const reports::FmeaFailure& f = *worse[i];
    out << "  " << f.target << ": " << cell(reports::mean_of(f.impact, "error_budget_burned"), 2) << " budgets, alone "
        << cell(f.singles_budget[0], 2) << " + " << cell(f.singles_budget[1], 2) << " (+"
        << cell(f.interaction->mean, 2) << ")\n";
  }
}

/// "Shard 2/4: runs 10 to 19 of 40"
std::string shard_line(sim::Shard shard, std::uint64_t runs) {
  const sim::ReplicationRange range = sim::replications_of(shard, runs);
  std::string line = "Shard " + sim::to_string(shard) + ": ";
  if (range.size() == 0) return line + "no runs (more shards than the " + std::to_string(runs) + " runs)\n";
  return line + "runs " + std::to_string(range.begin) + " to " + std::to_string(range.end - 1) + " of " +
         std::to_string(runs) + " (failure cases x seeds)\n";
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
  const std::uint64_t depth = options.depth.empty() ? 1 : parse_count("--depth", options.depth, 1, 2);
  const double gray_error_rate = gray_error_rate_option(options.gray_error_rate);
  ReplicationOptions replication;
  replication.jobs = options.jobs;
  replication.shard = options.shard;
  replication.shard_from_env = options.shard_from_env;
  replication.shard_count = options.shard_count;
  const std::size_t jobs = jobs_of(replication);
  const std::optional<sim::Shard> shard = shard_of(replication);
  if (shard && options.report) {
    throw UsageError{"--report: a shard writes a partial result, not fmea.json; merge the shards, then run "
                     "`faultline report fmea.json`, or leave out --shard"};
  }
  const std::filesystem::path out_dir = output_directory(options.out_dir, config.name);
  const std::filesystem::path file = out_dir / reports::fmea_file_name(shard);
  const std::filesystem::path html = out_dir / "fmea.html";
  claim_outputs(out_dir, options.report ? std::vector{file, html} : std::vector{file}, options.force);

  const std::vector<models::faults::FailureMode> modes =
      models::faults::failure_modes(models::build_world(base, config.run.seed));
  reports::FmeaPlan plan;
  plan.faultline_version = FAULTLINE_VERSION;
  plan.scenario = config.name;
  plan.scenario_sha256 = reports::to_hex(reports::sha256(reports::read_file_bytes(options.scenario)));
  plan.seed = config.run.seed;
  plan.seeds = seeds;
  plan.duration_s = sim::to_seconds(run);
  plan.at_s = sim::to_seconds(at);
  plan.for_s = sim::to_seconds(length);
  plan.depth = depth;
  plan.cases.push_back({});
  std::vector<StrategyRun> strategies{{"no failure", variant(config, {}, at, length, gray_error_rate)}};
  for (const auto& mode : modes) {
    plan.cases.push_back({{fmea_fault_of(mode, gray_error_rate)}, {}});
    strategies.push_back({failure_name(mode), variant(config, {&mode}, at, length, gray_error_rate)});
  }

  std::vector<reports::FmeaRunMetrics> runs(plan.runs());
  ExperimentOutcome outcome;  // for the throughput line
  const bool progress = stderr_is_terminal(err, options.quiet);
  const RunMetrics keep = [](const models::results::RunResult& r) {
    // The failure's faults: one, or a pair's two, measured together as one failure.
    std::vector<std::uint32_t> faults;
    for (const char* id : {kFaultId, kSecondFaultId})
      for (std::size_t f = 0; f < r.faults.size(); ++f)
        if (r.faults[f].id == id) faults.push_back(static_cast<std::uint32_t>(f));
    if (faults.empty()) return reports::fmea_run_metrics(r, faults, {});
    if (faults.size() == 1) return reports::fmea_run_metrics(r, faults, r.faults[faults[0]].impact);
    return reports::fmea_run_metrics(r, faults, models::metrics::measure_combined_impact(r, faults));
  };
  const auto run_range = [&](std::uint64_t begin, std::uint64_t end) {
    std::vector<RunCell> cells;
    for (std::uint64_t r = begin; r < end; ++r) cells.push_back({static_cast<std::size_t>(r / seeds), r % seeds});
    auto metrics = run_cells(strategies, plan.seed, cells, jobs, progress, keep, outcome.requests);
    for (std::uint64_t r = begin; r < end; ++r) runs[r] = std::move(metrics[r - begin]);
    outcome.runs += cells.size();
  };
  const auto wall_start = std::chrono::steady_clock::now();
  const std::uint64_t single_runs = plan.runs();
  if (depth == 1) {
    const sim::ReplicationRange range = shard ? sim::replications_of(*shard, single_runs) : sim::ReplicationRange{0, single_runs};
    run_range(range.begin, range.end);
  } else {
    // The pairs come from the single failures' effects: every shard runs every single failure
    // first, so that each chooses the same pairs.
    run_range(0, single_runs);
    const auto held = held_components(config, modes, plan.seed, at, length, gray_error_rate);
    std::deque<models::faults::FailureMode> twins;  // the second targets of same-class pairs (stable addresses)
    std::vector<reports::FmeaEffects> effects;
    for (std::size_t c = 0; c < plan.cases.size(); ++c) effects.push_back(reports::fmea_effects(plan, runs, c));
    for (std::size_t a = 0; a < modes.size(); ++a) {
      // Two targets of one class together (two nodes of a cluster, two clusters of a region): the
      // redundancy a class provides. Each alone burns what the representative burns.
      if (modes[a].represents.size() >= 2 && (!effects[a + 1].clients.empty() || !effects[a + 1].services.empty())) {
        ++plan.pairs_same_class;
        twins.push_back({modes[a].kind, modes[a].represents[1], modes[a].represents, modes[a].service});
        plan.cases.push_back({{plan.cases[a + 1].faults[0], fmea_fault_of(twins.back(), gray_error_rate)}, {a + 1, a + 1}});
        strategies.push_back({failure_name(modes[a]) + " + " + twins.back().target,
                              variant(config, {&modes[a], &twins.back()}, at, length, gray_error_rate)});
      }
      for (std::size_t b = a + 1; b < modes.size(); ++b) {
        if (!reports::effects_overlap(effects[a + 1], effects[b + 1])) continue;
        ++plan.pairs_overlapping;
        if (holds_all_of(held[a], held[b]) || holds_all_of(held[b], held[a])) {
          ++plan.pairs_contained;
          continue;
        }
        reports::FmeaCase pair{{plan.cases[a + 1].faults[0], plan.cases[b + 1].faults[0]}, {a + 1, b + 1}};
        plan.cases.push_back(std::move(pair));
        strategies.push_back({failure_name(modes[a]) + " + " + failure_name(modes[b]),
                              variant(config, {&modes[a], &modes[b]}, at, length, gray_error_rate)});
      }
    }
    runs.resize(plan.runs());
    if (!options.quiet) {
      const std::uint64_t pairs = plan.cases.size() - modes.size() - 1;
      err << "faultline: --depth 2: " << pairs << (pairs == 1 ? " pair" : " pairs") << " of failures to run ("
          << pairs * seeds << " runs" << (shard ? ", a slice of them on this shard" : "") << ") after the "
          << single_runs << " runs of the single failures\n";
    }
    const sim::ReplicationRange range = shard ? sim::replications_of(*shard, plan.runs()) : sim::ReplicationRange{0, plan.runs()};
    if (std::max(range.begin, single_runs) < range.end) run_range(std::max(range.begin, single_runs), range.end);
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  throw_if_interrupted(sim::SimTime::at(run), sim::SimTime::at(run));  // a signal after the last run: write nothing

  if (shard) {
    const sim::ReplicationRange range = sim::replications_of(*shard, plan.runs());
    const std::vector<reports::FmeaRunMetrics> slice(runs.begin() + static_cast<std::ptrdiff_t>(range.begin),
                                                     runs.begin() + static_cast<std::ptrdiff_t>(range.end));
    reports::write_file_atomically(file, reports::fmea_partial_to_json(plan, *shard, slice));
    report_throughput(err, outcome, jobs, wall);
    out << shard_line(*shard, plan.runs()) << "Wrote " << file.string() << std::endl;
    return 0;
  }
  const reports::FmeaDocument document = reports::fmea_document(plan, runs);
  const std::string text = reports::fmea_to_json(document);
  reports::write_file_atomically(file, text);
  if (options.report) {
    const reports::ReportInputs inputs{FAULTLINE_VERSION, true, options.scenario, plan.scenario_sha256};
    reports::write_file_atomically(html, reports::render_fmea_report(text, file.string(), inputs));
  }
  if (!options.quiet) print_ranking(out, document);
  out.flush();  // the ranking before the timing line on a shared terminal
  report_throughput(err, outcome, jobs, wall);
  out << (options.quiet ? "" : "\n") << "Wrote " << file.string() << std::endl;
  if (options.report) out << "Wrote " << html.string() << " (open it in a browser; it loads nothing from the network)\n";
  return 0;
}

void print_fmea_ranking(std::ostream& out, const reports::FmeaDocument& document) { print_ranking(out, document); }

}  // namespace cli
