#pragma once
// What each fault did, measured from the bad requests it caused: the observed blast radius
// (requests that failed or broke the latency SLO with the fault among their causes), time to
// detect (the first routing reaction to something it did), time to recover (until the success
// rate over a sliding window, counting only its own bad requests, is back at the SLO target and
// stays there for a hold time), time to fail back
// (after it ended, until every region's share of the traffic is back to what it was before), the
// error budget it burned, and the data layer's lost writes and write downtime.
//
// A fault's requests are those whose cause includes it (faults/blame.hpp, metrics/attribution.hpp):
// attribution is by cause, not by time. A request with two faults behind it counts for both, and
// for each as shared. Bad requests without a cause are the run's "no fault" bucket, filled here
// too. Requests are counted in the step they were sent in.

#include <cstdint>
#include <optional>
#include <vector>

#include "models/results/run_result.hpp"
#include "sim/time.hpp"

namespace models::metrics {

using results::RunResult;
using sim::Duration;

using results::ImpactOptions;

/// Fills `impact` of every fault record of `result`, and its `no_fault` (its series, breakdowns,
/// reactions, causes and databases must be complete); keeps `options` in `impact_options`.
void measure_fault_impact(RunResult& result, const ImpactOptions& options);

/// The metrics of several faults of a measured run taken as one failure (a pair in faultline
/// fmea): the bad requests any of them caused (shared: those a fault outside the set caused too),
/// detection by the first reaction to any, recovery on their bad requests together, the window
/// from the first start to the last end. Empty for an unknown index.
results::FaultImpact measure_combined_impact(const RunResult& result, const std::vector<std::uint32_t>& faults);

/// The first step k >= `from` such that the good share over every window of `window_steps` steps
/// ending at k .. k + hold_steps is at least `target` (steps without requests count as good);
/// nothing if the run ends first. Exposed for tests.
std::optional<std::size_t> first_recovered_step(const std::vector<std::uint64_t>& requests,
                                                const std::vector<std::uint64_t>& good, std::size_t from,
                                                std::size_t window_steps, std::size_t hold_steps, double target);

}  // namespace models::metrics
