#pragma once
// A long stretch of failures (a year), simulated at full fidelity where it matters. The failure
// timeline of every fault process is drawn for the whole span at once (cheap: a few draws per
// failure); failures whose windows overlap, each extended by `settle` after its repair, form one
// episode. Each episode runs in the full simulator, from `lead` before its first failure to `settle`
// after its last repair; the time between episodes is the fleet in steady state, accounted from
// one baseline run without failures (its request rate and success share per client group).
// Within an episode the same holds between transitions: `settle` after a failure or a repair the
// fleet has converged to its (degraded) state, so the rest of a gap longer than `settle` is cut
// from the run and accounted at the rate of the run's last minute before the cut.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "models/config/scenario_config.hpp"
#include "models/faults/fault.hpp"
#include "models/metrics/queue_check.hpp"
#include "sim/time.hpp"

namespace models::availability {

struct Episode {
  sim::Duration start{}, end{};     // of the failures' windows: first start .. last repair + settle
  std::vector<std::uint32_t> faults;  // indices into the timeline
};

/// Groups a timeline's faults (in any order) into episodes: a fault that starts before the current
/// episode's end (last repair + settle) joins it. Fault ends are clipped to `horizon`.
std::vector<Episode> episodes_of(const std::vector<faults::Fault>& timeline, sim::Duration settle, sim::Duration horizon);

struct GroupTally {
  double requests = 0;   // estimated over the span: steady-state part from the baseline's rate
  double succeeded = 0;
  double availability() const { return requests > 0 ? succeeded / requests : 1.0; }
};

/// What one episode cost: the requests that failed in it, per client group (cuts included).
struct EpisodeResult {
  Episode episode;
  std::vector<double> failed;  // by client group
};

struct SimulatedSpan {
  std::vector<GroupTally> groups;      // by client group
  std::vector<faults::Fault> timeline; // every generated failure, in the order drawn
  std::size_t episodes = 0;
  std::vector<EpisodeResult> episode_results;  // in time order
  sim::Duration simulated{};           // simulated time run: the baseline and every episode
  std::uint64_t events = 0;            // simulated events processed (deterministic)
  std::vector<metrics::QueueCheck> queues;  // Erlang C beside the baseline run's queues
};

struct SpanPlan {
  sim::Duration span{};        // how long, e.g. 365 days
  sim::Duration lead{};        // simulated before an episode's first failure, not counted
  sim::Duration settle{};      // after an episode's last repair, counted
  std::size_t jobs = 1;        // threads running episodes; results do not depend on it
  /// Called as each run goes (Simulation::Progress); it may throw to abandon them all.
  std::function<void(sim::SimTime now, sim::SimTime end)> progress;
};

/// The settle time used when none is given: 90 s for health checks, ejections and failback,
/// plus Cloud DNS's TTL and health delay when the scenario has "dns".
sim::Duration default_settle(const config::ScenarioConfig& config);

/// The scenario's fault processes over plan.span with `seed`; its scripted faults are left out.
/// Throws config::ScenarioError when the span draws too many failures.
SimulatedSpan simulate_span(const config::ScenarioConfig& config, std::uint64_t seed, const SpanPlan& plan);

}  // namespace models::availability
