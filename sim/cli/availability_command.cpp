#include "sim/cli/availability_command.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "models/availability/client_paths.hpp"
#include "models/availability/failing_components.hpp"
#include "models/availability/simulated_year.hpp"
#include "models/availability/steady_state_availability.hpp"
#include "models/config/load_scenario.hpp"
#include "models/faults/build_faults.hpp"
#include "models/faults/catalogue.hpp"
#include "models/world.hpp"
#include "reports/atomic_file.hpp"
#include "reports/availability_json.hpp"
#include "reports/sha256.hpp"
#include "sim/cli/command_options.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/summary.hpp"
#include "sim/parallel.hpp"
#include "sim/replications.hpp"
#include "sim/statistics.hpp"

namespace cli {

namespace {

constexpr double kSecondsPerYear = 365.0 * 86400;
constexpr std::uint64_t kDefaultSeeds = 3;
constexpr double kMaxYears = 1000;

// --years: a positive plain decimal, at most kMaxYears.
double years_option(const std::string& text) {
  if (text.empty()) return 1;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (ec != std::errc{} || end != text.data() + text.size() || !(value > 0 && value <= kMaxYears))
    throw UsageError{"--years: expected a number of years above 0 and at most 1000, such as 1 or 0.5, found \"" + text + "\""};
  return value;
}

// --settle: a positive duration of at least a minute (a cut is measured over the minute before it).
sim::Duration settle_option(const std::string& text) {
  const auto d = sim::parse_duration(text);
  if (!d || *d < std::chrono::minutes(1) || *d > std::chrono::hours(24))
    throw UsageError{"--settle: expected a duration from 1m to 1d such as \"90s\" or \"5m\", found \"" + text + "\""};
  return *d;
}

}  // namespace

int availability_command(const AvailabilityOptions& options, std::ostream& out, std::ostream& err) {
  RunOptions with_seed;
  with_seed.seed = options.seed;
  const models::config::ValidatedScenario base = load(options.scenario, &with_seed);
  const models::config::ScenarioConfig& config = base.config();
  const double years = years_option(options.years);
  const sim::Duration settle = options.settle.empty() ? models::availability::default_settle(config) : settle_option(options.settle);
  const std::uint64_t seeds = options.seeds.empty() ? kDefaultSeeds : parse_count("--seeds", options.seeds, 1, kMaxReplications);
  ReplicationOptions replication;
  replication.jobs = options.jobs;
  const std::size_t jobs = jobs_of(replication);
  if (config.fault_processes.empty())
    throw UsageError{"availability: " + options.scenario + " has no \"fault_processes\": there is nothing to fail over a year "
                     "(add one per component class that fails, with its mttf and mttr; scenarios/README.md)"};
  const std::filesystem::path out_dir = output_directory(options.out_dir, config.name);
  const std::filesystem::path file = out_dir / "availability.json";
  const std::filesystem::path html = out_dir / "availability.html";
  claim_outputs(out_dir, options.report ? std::vector{file, html} : std::vector{file}, options.force);
  const auto wall_start = std::chrono::steady_clock::now();

  reports::AvailabilityDocument doc;
  doc.faultline_version = FAULTLINE_VERSION;
  doc.scenario = config.name;
  doc.seed = config.run.seed;
  doc.seeds = seeds;
  doc.years = years;

  // Analytic: every process's components, each group's structure function.
  models::World world = models::build_world(base, config.run.seed);
  const models::availability::FailingComponents failing = models::availability::failing_components(world, config);
  doc.groups.resize(world.clients.size());
  sim::parallel_for(world.clients.size(), jobs, [&](std::size_t k) {
    const models::availability::ClientPaths paths(world, failing.ids);
    const auto result = models::availability::steady_state_availability(
        failing.rates, [&](std::span<const std::uint32_t> down) { return paths.success(static_cast<std::uint32_t>(k), down); });
    auto& g = doc.groups[k];
    g.name = world.clients[k].name;
    g.analytic = result.availability;
    g.method = models::availability::to_string(result.method);
    g.components = result.components;
    g.states = result.states;
    g.largest_neglected = result.largest_neglected;
  });

  // Simulated: each seed's span of failures, episode by episode.
  models::availability::SpanPlan plan;
  plan.span = sim::Duration{static_cast<std::int64_t>(std::llround(years * kSecondsPerYear * 1e9))};
  plan.lead = std::chrono::seconds(15);
  plan.settle = settle;
  plan.jobs = jobs;
  plan.progress = [](sim::SimTime now, sim::SimTime end) { throw_if_interrupted(now, end); };
  doc.lead_s = sim::to_seconds(plan.lead);
  doc.settle_s = sim::to_seconds(plan.settle);
  std::vector<std::vector<double>> failures(config.fault_processes.size(), std::vector<double>(seeds, 0));
  std::uint64_t events = 0;
  double simulated_s = 0, episodes = 0;
  for (std::uint64_t i = 0; i < seeds; ++i) {
    const std::uint64_t seed = sim::replication_seed(config.run.seed, i);
    const models::availability::SimulatedSpan span = models::availability::simulate_span(config, seed, plan);
    for (std::size_t k = 0; k < span.groups.size() && k < doc.groups.size(); ++k)
      doc.groups[k].simulated_by_seed.push_back(span.groups[k].availability());
    std::map<std::string, std::size_t> process_index;
    for (std::size_t p = 0; p < config.fault_processes.size(); ++p) process_index[config.fault_processes[p].id] = p;
    for (const auto& f : span.timeline) failures[process_index[f.process]][i] += 1.0 / years;
    for (const auto& er : span.episode_results) {
      reports::AvailabilityEpisode e;
      e.seed = seed;
      e.start = sim::format_clock(er.episode.start);
      e.length_s = sim::to_seconds(er.episode.end - er.episode.start);
      for (std::uint32_t fi : er.episode.faults) {
        const auto& f = span.timeline[fi];
        e.faults.push_back(std::string(models::faults::row(f.kind).name) + (f.target.empty() ? "" : " " + f.target));
      }
      e.failed = er.failed;
      for (double n : er.failed) e.failed_total += n;
      doc.worst_episodes.push_back(std::move(e));
    }
    // Keep the worst few: ties by seed then time, so the file does not depend on anything else.
    std::stable_sort(doc.worst_episodes.begin(), doc.worst_episodes.end(),
                     [](const auto& a, const auto& b) { return a.failed_total > b.failed_total; });
    if (doc.worst_episodes.size() > reports::kWorstEpisodes) doc.worst_episodes.resize(reports::kWorstEpisodes);
    events += span.events;
    simulated_s += sim::to_seconds(span.simulated);
    episodes += static_cast<double>(span.episodes);
    if (i == 0)
      for (const auto& q : span.queues)
        doc.queues.push_back({q.service, q.region, q.applies, q.servers, q.arrival_rate, q.predicted.utilization,
                              q.predicted.mean_wait_s, q.simulated_utilization, q.simulated_wait_s, q.predicted.stable});
  }
  doc.episodes_per_seed = episodes / static_cast<double>(seeds);
  doc.simulated_s_per_seed = simulated_s / static_cast<double>(seeds);
  for (auto& g : doc.groups) {
    const sim::stats::Summary summary = sim::stats::summarize(g.simulated_by_seed);
    g.simulated_mean = summary.mean.value_or(1);
    // An availability is at most 1: the t interval of a few seeds can reach past it.
    if (summary.ci95) g.ci95 = std::pair{std::max(0.0, summary.ci95->lo), std::min(1.0, summary.ci95->hi)};
  }
  for (std::size_t p = 0; p < config.fault_processes.size(); ++p) {
    const auto& process = config.fault_processes[p];
    const sim::stats::Summary summary = sim::stats::summarize(failures[p]);
    doc.processes.push_back({process.id, models::faults::row(models::faults::process_fault_kind(process.components)).name,
                             failing.per_process[p], sim::to_seconds(process.mean_time_to_failure),
                             sim::to_seconds(process.mean_time_to_repair), summary.mean.value_or(0)});
  }

  reports::write_file_atomically(file, reports::availability_to_json(doc));
  if (options.report) {
    reports::ReportInputs inputs;
    inputs.faultline_version = FAULTLINE_VERSION;
    inputs.ran_the_simulation = true;
    reports::write_file_atomically(html, reports::render_availability_report(doc, inputs));
  }
  if (options.quiet) return 0;
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  out << "Availability of " << config.name << " over " << fixed(years, 2) << " year" << (years == 1 ? "" : "s") << " of failures, "
      << seeds << " seed" << (seeds == 1 ? "" : "s") << " from " << config.run.seed << ": " << fixed(doc.episodes_per_seed, 1)
      << " failure episodes per seed simulated (" << fixed(doc.simulated_s_per_seed / 3600, 1) << " simulated hours, "
      << events << " events in all) in " << fixed(wall_s, 1) << " s\n\n";
  out << "Fault processes:\n";
  for (const auto& p : doc.processes)
    out << "  " << p.id << " (" << p.kind << "): " << p.components << " component" << (p.components == 1 ? "" : "s")
        << ", availability " << fixed(100 * p.mttf_s / (p.mttf_s + p.mttr_s), 4) << "% each, "
        << fixed(p.failures_per_year, 1) << " failures per year\n";
  out << "\nClient group: analytic | simulated (95% CI) | downtime per year analytic, simulated, difference\n";
  for (const auto& g : doc.groups) {
    const double a = (1 - g.analytic) * reports::kMinutesPerYear, s = (1 - g.simulated_mean) * reports::kMinutesPerYear;
    out << "  " << g.name << ": " << fixed(100 * g.analytic, 4) << "% (" << g.method << ") | " << fixed(100 * g.simulated_mean, 4)
        << "%";
    if (g.ci95) out << " [" << fixed(100 * g.ci95->first, 4) << ", " << fixed(100 * g.ci95->second, 4) << "]";
    out << " | " << fixed(a, 1) << " min, " << fixed(s, 1) << " min, " << (s - a >= 0 ? "+" : "") << fixed(s - a, 1) << " min\n";
  }
  out << "\nThe episodes that failed the most requests (seed, start, length: failures -> failed requests):\n";
  for (std::size_t i = 0; i < doc.worst_episodes.size() && i < 5; ++i) {
    const auto& e = doc.worst_episodes[i];
    out << "  " << e.seed << ", " << e.start << ", " << fixed(e.length_s / 60, 1) << " min: ";
    for (std::size_t k = 0; k < e.faults.size() && k < 3; ++k) out << (k ? ", " : "") << e.faults[k];
    if (e.faults.size() > 3) out << " and " << e.faults.size() - 3 << " more";
    out << " -> " << fixed(e.failed_total, 0) << "\n";
  }
  out << "\nQueues at the baseline's offered load (M/M/c where it applies | simulated): utilization, mean wait\n";
  for (const auto& q : doc.queues) {
    out << "  " << q.service << " in " << q.region << ": " << q.servers << " slots, " << fixed(q.arrival_rate, 1) << "/s; ";
    if (!q.applies) out << "Erlang C n/a (not exponential, or makes calls)";
    else if (!q.stable) out << "Erlang C: overloaded (offered load above the slots)";
    else out << "Erlang C " << fixed(100 * q.predicted_utilization, 1) << "%, " << fixed(1000 * q.predicted_wait_s, 3) << " ms";
    out << " | simulated " << fixed(100 * q.simulated_utilization, 1) << "%, " << fixed(1000 * q.simulated_wait_s, 3) << " ms\n";
  }
  out << "\nWrote " << file.string() << (options.report ? " and " + html.string() : std::string()) << "\n";
  (void)err;
  return 0;
}

}  // namespace cli
