#include "models/availability/simulated_year.hpp"

#include <algorithm>
#include <numeric>

#include "models/config/load_scenario.hpp"
#include "models/faults/catalogue.hpp"
#include "models/simulation.hpp"
#include "models/world.hpp"
#include "sim/parallel.hpp"
#include "sim/replications.hpp"

namespace models::availability {

namespace {

sim::Duration end_of(const faults::Fault& f, sim::Duration horizon) {
  return f.end ? std::min(f.end->since_start(), horizon) : horizon;
}

struct EpisodeTally {
  std::vector<GroupTally> groups;
  sim::Duration simulated{};
  std::uint64_t events = 0;
};

// The scenario with only the given scripted faults, no processes, over `duration`, in steps of
// 1 s (what is counted, and what a cut is measured from, is a whole number of steps).
config::ScenarioConfig variant(const config::ScenarioConfig& base, std::vector<config::FaultConfig> faults, sim::Duration duration) {
  config::ScenarioConfig c = base;
  c.faults = std::move(faults);
  c.fault_processes.clear();
  c.run.duration = duration;
  c.run.step = std::min<sim::Duration>(std::chrono::seconds(1), duration);
  return c;
}

// Requests and successes per client group in the steps that start in [from, to).
EpisodeTally tally_window(const results::RunResult& r, sim::Duration from, sim::Duration to) {
  EpisodeTally t;
  for (const auto& g : r.clients) {
    GroupTally gt;
    for (const auto& point : g.series) {
      if (point.start < from || point.start >= to) continue;
      gt.requests += static_cast<double>(point.counts.requests);
      gt.succeeded += static_cast<double>(point.counts.succeeded);
    }
    t.groups.push_back(gt);
  }
  return t;
}

// What a cut is accounted from: the run's last minute before it.
constexpr sim::Duration kMeasured = std::chrono::minutes(1);

}  // namespace

std::vector<Episode> episodes_of(const std::vector<faults::Fault>& timeline, sim::Duration settle, sim::Duration horizon) {
  std::vector<std::uint32_t> order(timeline.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return timeline[a].start < timeline[b].start; });
  std::vector<Episode> out;
  for (std::uint32_t i : order) {
    const faults::Fault& f = timeline[i];
    const sim::Duration start = f.start.since_start();
    const sim::Duration end = end_of(f, horizon) + settle;
    if (out.empty() || start >= out.back().end) out.push_back(Episode{start, end, {}});
    out.back().end = std::max(out.back().end, end);
    out.back().faults.push_back(i);
  }
  return out;
}

sim::Duration default_settle(const config::ScenarioConfig& config) {
  sim::Duration settle = std::chrono::seconds(90);
  if (config.dns) settle += config.dns->ttl + config.dns->health_delay;
  return settle;
}

SimulatedSpan simulate_span(const config::ScenarioConfig& config, std::uint64_t seed, const SpanPlan& plan) {
  SimulatedSpan out;
  // The timeline: every process's failures over the span, drawn as a run of that length would.
  config::ScenarioConfig drawn = config;
  drawn.faults.clear();
  drawn.run.duration = plan.span;
  drawn.run.step = plan.span;  // no step series is kept: one step
  out.timeline = build_world(config::validate(drawn), seed).faults;
  const std::vector<Episode> episodes = episodes_of(out.timeline, plan.settle, plan.span);
  out.episodes = episodes.size();

  // The baseline: no failure, over the scenario's own duration.
  const sim::Duration baseline_length = config.run.duration;
  std::vector<EpisodeTally> tallies(episodes.size() + 1);
  std::vector<std::vector<std::pair<sim::Duration, sim::Duration>>> cuts(episodes.size() + 1);
  sim::parallel_for(episodes.size() + 1, plan.jobs, [&](std::size_t i) {
    config::ScenarioConfig c;
    sim::Duration counted_from{};
    std::uint64_t run_seed = seed;
    if (i == 0) {
      c = variant(config, {}, baseline_length);
    } else {
      // Between two transitions (a failure or a repair) the fleet converges within `settle`, then
      // stays in that (degraded) state: the rest of a long gap is cut from the run and accounted
      // at the rate of the last minute before the cut.
      const Episode& e = episodes[i - 1];
      std::vector<sim::Duration> transitions;
      for (std::uint32_t fi : e.faults) {
        const faults::Fault& f = out.timeline[fi];
        transitions.push_back(f.start.since_start() - e.start);
        transitions.push_back(end_of(f, plan.span) - e.start);
      }
      std::sort(transitions.begin(), transitions.end());
      transitions.erase(std::unique(transitions.begin(), transitions.end()), transitions.end());
      // Real offset in the episode -> offset in the run (after `lead`).
      std::vector<std::pair<sim::Duration, sim::Duration>> cuts_at;  // (run time of a cut, length cut)
      const auto compressed = [&](sim::Duration real) {
        sim::Duration removed{};
        for (std::size_t k = 0; k + 1 < transitions.size() && transitions[k + 1] <= real; ++k)
          removed += std::max(sim::Duration{}, transitions[k + 1] - transitions[k] - plan.settle);
        if (const auto it = std::upper_bound(transitions.begin(), transitions.end(), real); it != transitions.begin()) {
          const sim::Duration since = real - *(it - 1);
          if (since > plan.settle && it != transitions.end()) removed += since - plan.settle;
        }
        return real - removed;
      };
      for (std::size_t k = 0; k + 1 < transitions.size(); ++k) {
        const sim::Duration gap = transitions[k + 1] - transitions[k];
        if (gap > plan.settle) cuts_at.emplace_back(plan.lead + compressed(transitions[k]) + plan.settle, gap - plan.settle);
      }
      std::vector<config::FaultConfig> faults;
      for (std::uint32_t fi : e.faults) {
        const faults::Fault& f = out.timeline[fi];
        config::FaultConfig fc;
        fc.id = f.id;
        fc.kind = f.kind;
        fc.target = f.target;
        fc.at = plan.lead + compressed(f.start.since_start() - e.start);
        fc.duration = plan.lead + compressed(end_of(f, plan.span) - e.start) - fc.at;
        faults.push_back(std::move(fc));
      }
      c = variant(config, std::move(faults), plan.lead + compressed(e.end - e.start));
      counted_from = plan.lead;
      run_seed = sim::replication_seed(seed, i);
      cuts[i] = std::move(cuts_at);
    }
    Simulation simulation(build_world(config::validate(std::move(c)), run_seed));
    const results::RunResult r = simulation.run(plan.progress);
    tallies[i] = tally_window(r, counted_from, sim::Duration::max());
    // Each cut at the rate of the steps in the minute before it.
    for (const auto& [at, length] : cuts[i]) {
      const EpisodeTally before = tally_window(r, at - kMeasured, at);
      const double scale = sim::to_seconds(length) / sim::to_seconds(kMeasured);
      for (std::size_t g = 0; g < before.groups.size(); ++g) {
        tallies[i].groups[g].requests += before.groups[g].requests * scale;
        tallies[i].groups[g].succeeded += before.groups[g].succeeded * scale;
      }
    }
    if (i == 0) out.queues = metrics::queue_checks(config, r);
    tallies[i].simulated = r.duration;
    tallies[i].events = r.events;
  });

  // Steady state between episodes, at the baseline's rate and success share.
  sim::Duration in_episodes{};
  for (const Episode& e : episodes) in_episodes += e.end - e.start;
  const double steady_s = std::max(0.0, sim::to_seconds(plan.span - in_episodes));
  const double baseline_s = sim::to_seconds(baseline_length);
  out.groups.resize(tallies[0].groups.size());
  for (std::size_t g = 0; g < out.groups.size(); ++g) {
    const GroupTally& base = tallies[0].groups[g];
    const double rate = base.requests / baseline_s;
    out.groups[g].requests = rate * steady_s;
    out.groups[g].succeeded = rate * steady_s * base.availability();
    for (std::size_t i = 1; i < tallies.size(); ++i) {
      out.groups[g].requests += tallies[i].groups[g].requests;
      out.groups[g].succeeded += tallies[i].groups[g].succeeded;
    }
  }
  for (std::size_t i = 1; i < tallies.size(); ++i) {
    EpisodeResult result{episodes[i - 1], {}};
    for (const GroupTally& g : tallies[i].groups) result.failed.push_back(g.requests - g.succeeded);
    out.episode_results.push_back(std::move(result));
  }
  for (const EpisodeTally& t : tallies) {
    out.simulated += t.simulated;
    out.events += t.events;
  }
  return out;
}

}  // namespace models::availability
