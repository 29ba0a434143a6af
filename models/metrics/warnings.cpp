#include "models/metrics/warnings.hpp"

#include <algorithm>

#include "sim/number_text.hpp"

namespace models::metrics {
namespace {

std::string percent(double share, int decimals = 0) { return sim::fixed_text(100 * share, decimals, "%"); }
std::string number(double v) { return sim::fixed_text(v, 1); }

}  // namespace

std::vector<std::string> run_warnings(const models::results::RunResult& r, const CapacityEstimate& estimate) {
  std::vector<std::string> out;
  // The steps wholly before the first fault (all of the run's steps when there is none).
  sim::Duration first_fault = r.duration;
  for (const auto& f : r.faults) first_fault = std::min(first_fault, f.start);
  const auto baseline_steps = static_cast<std::size_t>(first_fault / r.step);
  if (baseline_steps == 0) return out;
  const std::string before = r.faults.empty() ? "" : " before any fault";

  for (std::size_t sv = 0; sv < r.services.size(); ++sv) {
    const auto& load = r.services[sv];
    for (const auto& s : load.saturation) {
      const std::size_t steps = std::min(baseline_steps, s.busy.size());
      const std::optional<double> utilization = models::results::utilization(s, load.concurrency, 0, steps);
      if (!utilization || *utilization < kSaturated) continue;
      double queued = 0;
      for (std::size_t k = 0; k < steps; ++k) queued += static_cast<double>(s.queued[k]);
      const double queue = queued / (static_cast<double>(r.step.count()) * static_cast<double>(steps));
      std::string w = "service \"" + load.service + "\" in " + r.regions[s.region] + " was " + percent(*utilization) + " busy" +
                      before + " (" + std::to_string(s.replicas[0]) + " pods x concurrency " + std::to_string(load.concurrency) +
                      ", " + number(queue) + " requests waiting on average): it has no headroom";
      for (const ServiceRegionLoad& e : estimate.loads)
        if (e.service == sv && e.region == s.region && e.cross_region_seconds > e.hold_seconds / 2)
          w += "; most of a request's hold is waiting on calls that cross regions (about " + number(1e3 * e.cross_region_seconds) +
               " of " + number(1e3 * e.hold_seconds) + " ms, estimated): set traffic_distribution on the services it calls";
      out.push_back(std::move(w));
    }
  }
  // Client groups: bad requests (failed or slower than the SLO latency) over the baseline steps.
  for (const auto& g : r.clients) {
    std::uint64_t requests = 0, bad = 0;
    for (std::size_t k = 0; k < std::min(baseline_steps, g.series.size()); ++k) {
      const auto p = g.series[k];
      requests += p.counts.requests;
      bad += p.counts.failed + p.counts.slow;
    }
    if (requests == 0) continue;
    const double good = 1.0 - static_cast<double>(bad) / static_cast<double>(requests);
    if (good >= r.slo_availability) continue;
    out.push_back("client group \"" + g.name + "\" missed its SLO" + before + ": " + percent(good, 3) + " of its requests good against " +
                  percent(r.slo_availability, 3) + "; the faults' impact is measured against a baseline that is already failing");
  }
  // From the estimate: calls that leave their region (not its over-capacity lines: the run measured those).
  for (const std::string& w : estimate.warnings)
    if (w.rfind("calls from", 0) == 0) out.push_back(w);
  return out;
}

}  // namespace models::metrics
