#pragma once
// What each fault did, measured from a run's outcome series: the observed blast radius (requests
// that failed or broke the latency SLO while the fault or its effects lasted), time to detect
// (the first routing reaction after it started), time to recover (until the success rate over a
// sliding window is back at the SLO target and stays there for a hold time), time to fail back
// (after it ended, until every region's share of the traffic is back to what it was before), the
// error budget it burned, and the data layer's lost writes and write downtime.
//
// Requests are counted in the step they were sent in. When faults overlap, a request in both
// windows counts for both: attribution is by time, not by cause.

#include <cstdint>
#include <optional>
#include <vector>

#include "models/results/run_result.hpp"
#include "sim/time.hpp"

namespace models::metrics {

using results::RunResult;
using sim::Duration;

struct ImpactOptions {
  Duration window = std::chrono::seconds{30};  // the sliding window of the success rate
  Duration hold = std::chrono::seconds{60};    // how long it must stay at the target
  double share_tolerance = 0.05;               // fail-back: each region's share within this of before
};

/// Fills `impact` of every fault record of `result` (its series, breakdowns, reactions and
/// databases must be complete).
void measure_fault_impact(RunResult& result, const ImpactOptions& options);

/// The first step k >= `from` such that the good share over every window of `window_steps` steps
/// ending at k .. k + hold_steps is at least `target` (steps without requests count as good);
/// nothing if the run ends first. Exposed for tests.
std::optional<std::size_t> first_recovered_step(const std::vector<std::uint64_t>& requests,
                                                const std::vector<std::uint64_t>& good, std::size_t from,
                                                std::size_t window_steps, std::size_t hold_steps, double target);

}  // namespace models::metrics
