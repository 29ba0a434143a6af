#include "models/metrics/fault_impact.hpp"

#include <algorithm>
#include <cmath>

namespace models::metrics {

using namespace results;

namespace {

std::size_t steps_in(Duration d, Duration step) {
  return static_cast<std::size_t>(std::max<std::int64_t>(1, (d.count() + step.count() - 1) / step.count()));
}

// Each region's share of the requests the gateway placed, over steps [from, to).
std::vector<double> region_shares(const PointSeries& series, std::size_t from, std::size_t to, std::size_t regions) {
  std::vector<double> placed(regions, 0.0);
  double total = 0;
  for (std::size_t k = from; k < to && k < series.size(); ++k) {
    const std::vector<std::uint64_t> served = series[k].counts.served_by_region;
    for (std::size_t r = 0; r < regions && r < served.size(); ++r) {
      placed[r] += static_cast<double>(served[r]);
      total += static_cast<double>(served[r]);
    }
  }
  if (total > 0)
    for (double& p : placed) p /= total;
  return placed;
}

}  // namespace

std::optional<std::size_t> first_recovered_step(const std::vector<std::uint64_t>& requests,
                                                const std::vector<std::uint64_t>& good, std::size_t from,
                                                std::size_t window_steps, std::size_t hold_steps, double target) {
  const std::size_t n = requests.size();
  // ok[k]: the window of steps ending at k meets the target.
  std::vector<std::uint8_t> ok(n, 0);
  std::uint64_t window_requests = 0, window_good = 0;
  for (std::size_t k = 0; k < n; ++k) {
    window_requests += requests[k];
    window_good += good[k];
    if (k >= window_steps) {
      window_requests -= requests[k - window_steps];
      window_good -= good[k - window_steps];
    }
    ok[k] = window_requests == 0 ||
            static_cast<double>(window_good) >= target * static_cast<double>(window_requests);
  }
  std::size_t run = 0;  // consecutive ok windows ending at k
  for (std::size_t k = from; k < n; ++k) {
    run = ok[k] ? run + 1 : 0;
    if (run > hold_steps) return k - hold_steps;
  }
  return std::nullopt;
}

namespace {

// What the requests, steps and budget of a run are, shared by every fault's measurement.
struct RunFrame {
  std::size_t n = 0;
  Duration step{};
  std::size_t window_steps = 0, hold_steps = 0;
  std::vector<std::uint64_t> requests;
  double budget = 0;
  std::size_t step_at(Duration t) const { return std::min(n, static_cast<std::size_t>(t.count() / step.count())); }
};

RunFrame frame_of(const RunResult& r, const ImpactOptions& options) {
  RunFrame fr;
  const auto& series = r.all.series;
  fr.n = series.size();
  fr.step = r.step;
  fr.window_steps = steps_in(std::max(options.window, fr.step), fr.step);
  fr.hold_steps = steps_in(options.hold, fr.step);
  fr.requests.resize(fr.n);
  for (std::size_t k = 0; k < fr.n; ++k) fr.requests[k] = series[k].counts.requests;
  fr.budget = (1.0 - r.slo_availability) * static_cast<double>(r.all.totals.requests);
  return fr;
}

bool has_any(const std::vector<std::uint32_t>& sorted, const std::vector<std::uint32_t>& of) {
  for (std::uint32_t f : of)
    if (std::binary_search(sorted.begin(), sorted.end(), f)) return true;
  return false;
}

// The metrics of a set of faults (one, or a failure pair measured as one): the bad requests any
// of them caused, from the first one's start to the last one's end.
FaultImpact impact_of(const RunResult& r, const RunFrame& fr, std::vector<std::uint32_t> set, const ImpactOptions& options) {
  std::sort(set.begin(), set.end());
  FaultImpact im;
  const std::size_t n = fr.n;
  const Duration step = fr.step;
  const auto& series = r.all.series;
  Duration start = r.duration, end{};
  bool all_ended = true;  // fail-back is measured once every fault of the set has ended
  Duration ended{};
  std::vector<std::uint32_t> reach;
  for (std::uint32_t fi : set) {
    const FaultRecord& f = r.faults[fi];
    start = std::min(start, f.start);
    end = std::max(end, f.end.value_or(r.duration));
    all_ended = all_ended && f.end.has_value();
    ended = std::max(ended, f.end.value_or(r.duration));
    reach.insert(reach.end(), f.reach_components.begin(), f.reach_components.end());
  }
  std::sort(reach.begin(), reach.end());
  const std::size_t first = fr.step_at(start);
  const std::size_t last = std::max(first + 1, fr.step_at(end + step - Duration{1}));  // steps the faults touch

  // Its own bad requests: those it caused, alone or with others.
  std::vector<std::uint64_t> own_failed(n, 0), own_bad(n, 0), own_good(n, 0);
  std::vector<std::uint64_t> client_bad(r.clients.size(), 0);
  std::vector<std::string> routes, services, clusters;
  const auto add_names = [](std::vector<std::string>& into, const std::vector<std::pair<std::string, std::uint64_t>>& from) {
    for (const auto& [name, count] : from)
      if (count > 0 && std::find(into.begin(), into.end(), name) == into.end()) into.push_back(name);
  };
  std::size_t last_bad = 0;
  for (const CauseBucket& b : r.causes) {
    if (!has_any(set, b.faults)) continue;
    std::uint64_t bucket_bad = 0;
    for (std::size_t k = 0; k < b.failed.size(); ++k) {
      const std::size_t at = b.first_step + k;
      if (at >= n) break;
      own_failed[at] += b.failed[k];
      own_bad[at] += b.failed[k] + b.slow[k];
      bucket_bad += b.failed[k] + b.slow[k];
      if (b.failed[k] + b.slow[k] > 0) last_bad = std::max(last_bad, at + 1);
    }
    // Shared: another fault, outside the set, caused them too.
    const bool others = std::any_of(b.faults.begin(), b.faults.end(),
                                    [&](std::uint32_t f) { return !std::binary_search(set.begin(), set.end(), f); });
    if (others) im.shared += bucket_bad;
    for (std::size_t c = 0; c < client_bad.size() && c < b.clients.size(); ++c) client_bad[c] += b.clients[c];
    add_names(routes, b.routes);
    add_names(services, b.services);
    add_names(clusters, b.clusters);
  }
  for (std::size_t k = 0; k < n; ++k) own_good[k] = fr.requests[k] - std::min(fr.requests[k], own_bad[k]);

  // Time to detect: the first routing reaction to something it did.
  for (const RoutingReaction& reaction : r.reactions)
    if (reaction.at >= start && has_any(reaction.faults, set)) {
      im.time_to_detect = reaction.at - start;
      im.detected_by = reaction.kind;
      break;
    }

  // Time to recover, from the start, on its own bad requests: other faults' do not hold it back.
  // Recovered from the last step of the first good window: an outage that fails exactly 60 s of
  // requests recovers in 60 s plus the window less one step.
  const auto recovered =
      first_recovered_step(fr.requests, own_good, first, fr.window_steps, fr.hold_steps, r.slo_availability);
  if (recovered) im.time_to_recover = std::max(Duration::zero(), step * static_cast<std::int64_t>(*recovered) - start);

  // Time to fail back: once it ended, until each region's share of the traffic is back to what it
  // was in the window before the fault, and stays there for the hold. A step's share is "back"
  // within the tolerance plus four standard errors of its sampling noise (a step of a few hundred
  // requests scatters by several percent on its own).
  if (all_ended && ended < r.duration && first > 0) {
    const auto before =
        region_shares(series, first > fr.window_steps ? first - fr.window_steps : 0, first, r.regions.size());
    std::size_t run = 0;
    for (std::size_t k = fr.step_at(ended); k < n; ++k) {
      const auto now = region_shares(series, k, k + 1, r.regions.size());
      double placed = 0;
      for (std::uint64_t v : series[k].counts.served_by_region) placed += static_cast<double>(v);
      bool back = true;
      for (std::size_t g = 0; g < before.size(); ++g) {
        const double noise = placed > 0 ? 4.0 * std::sqrt(before[g] * (1.0 - before[g]) / placed) : 0.0;
        back = back && std::abs(now[g] - before[g]) <= options.share_tolerance + noise;
      }
      run = back ? run + 1 : 0;
      if (run > fr.hold_steps) {
        im.time_to_fail_back = std::max(Duration::zero(), step * static_cast<std::int64_t>(k - fr.hold_steps) - ended);
        break;
      }
    }
  }

  // The window of its effects: while it lasted, and until it recovered (on its own bad
  // requests) or its last bad request, whichever is later; the end of the run if it never did.
  std::size_t impact_end = recovered ? std::max({last, *recovered + 1, last_bad}) : n;
  impact_end = std::min(impact_end, n);
  im.window_start = step * static_cast<std::int64_t>(first);
  im.window_end = step * static_cast<std::int64_t>(impact_end);
  for (std::size_t k = first; k < impact_end; ++k) {
    im.requests += fr.requests[k];
    if (fr.requests[k] > 0)
      im.peak_error_rate = std::max(im.peak_error_rate, static_cast<double>(own_failed[k]) / static_cast<double>(fr.requests[k]));
  }
  for (std::size_t k = 0; k < n; ++k) {
    im.failed += own_failed[k];
    im.bad += own_bad[k];
  }
  im.slow = im.bad - im.failed;
  im.bad_share = im.requests == 0 ? 0.0 : static_cast<double>(im.bad) / static_cast<double>(im.requests);
  im.error_budget_burned = fr.budget > 0 ? static_cast<double>(im.bad) / fr.budget : 0.0;

  // Who saw them: client groups, and the routes, entry services and clusters of its bad requests.
  for (std::size_t c = 0; c < client_bad.size(); ++c) {
    if (client_bad[c] == 0) continue;
    const GroupResult& g = r.clients[c];
    im.clients.push_back(g.name);
    if (std::find(im.client_regions.begin(), im.client_regions.end(), g.region) == im.client_regions.end())
      im.client_regions.push_back(g.region);
  }
  // In the fleet's order, as the breakdowns list them.
  for (const Breakdown& b : r.breakdowns) {
    const auto& from = b.dimension == "route" ? routes : b.dimension == "service" ? services : clusters;
    if (std::find(from.begin(), from.end(), b.name) == from.end()) continue;
    auto& names = b.dimension == "route" ? im.routes : b.dimension == "service" ? im.services : im.clusters;
    names.push_back(b.name);
  }

  // The data layer: the failovers of database primaries it took down.
  for (const DatabaseResult& db : r.databases)
    for (const DatabaseFailure& failure : db.failures)
      if (failure.failed_at >= start && failure.failed_at <= end &&
          std::binary_search(reach.begin(), reach.end(), failure.component)) {
        im.lost_writes += failure.lost_writes;
        im.write_unavailable += failure.writable_again_at.value_or(r.duration) - failure.failed_at;
      }
  return im;
}

}  // namespace

void measure_fault_impact(RunResult& r, const ImpactOptions& options) {
  r.impact_options = options;
  if (r.all.series.empty()) return;
  const RunFrame fr = frame_of(r, options);

  // Bad requests no fault caused: the rest once every cause bucket is counted.
  std::uint64_t attributed_failed = 0, attributed_slow = 0;
  for (const CauseBucket& b : r.causes) {
    for (std::uint32_t v : b.failed) attributed_failed += v;
    for (std::uint32_t v : b.slow) attributed_slow += v;
  }
  const OutcomeCounts& totals = r.all.totals;
  r.no_fault.failed = totals.failed - std::min(totals.failed, attributed_failed);
  r.no_fault.slow = totals.slow - std::min(totals.slow, attributed_slow);
  r.no_fault.bad = r.no_fault.failed + r.no_fault.slow;
  r.no_fault.share = totals.requests == 0 ? 0.0 : static_cast<double>(r.no_fault.bad) / static_cast<double>(totals.requests);

  for (std::size_t fi = 0; fi < r.faults.size(); ++fi)
    r.faults[fi].impact = impact_of(r, fr, {static_cast<std::uint32_t>(fi)}, options);
}

FaultImpact measure_combined_impact(const RunResult& r, const std::vector<std::uint32_t>& faults) {
  if (r.all.series.empty() || faults.empty()) return {};
  for (std::uint32_t f : faults)
    if (f >= r.faults.size()) return {};
  return impact_of(r, frame_of(r, r.impact_options), faults, r.impact_options);
}

}  // namespace models::metrics
