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

void measure_fault_impact(RunResult& r, const ImpactOptions& options) {
  const auto& series = r.all.series;
  const std::size_t n = series.size();
  if (n == 0) return;
  const Duration step = r.step;
  const std::size_t window_steps = steps_in(std::max(options.window, step), step);
  const std::size_t hold_steps = steps_in(options.hold, step);
  std::vector<std::uint64_t> requests(n);
  for (std::size_t k = 0; k < n; ++k) requests[k] = series[k].counts.requests;
  const double budget = (1.0 - r.slo_availability) * static_cast<double>(r.all.totals.requests);
  const auto step_at = [&](Duration t) { return std::min(n, static_cast<std::size_t>(t.count() / step.count())); };

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

  std::vector<std::uint64_t> own_failed(n), own_bad(n), own_good(n);
  for (std::size_t fi = 0; fi < r.faults.size(); ++fi) {
    FaultRecord& f = r.faults[fi];
    FaultImpact& im = f.impact;
    im = FaultImpact{};
    const auto index = static_cast<std::uint32_t>(fi);
    const std::size_t first = step_at(f.start);
    const Duration end = f.end.value_or(r.duration);
    const std::size_t last = std::max(first + 1, step_at(end + step - Duration{1}));  // steps the fault touches

    // Its own bad requests: those it caused, alone or with others.
    std::fill(own_failed.begin(), own_failed.end(), 0);
    std::fill(own_bad.begin(), own_bad.end(), 0);
    std::vector<std::uint64_t> client_bad(r.clients.size(), 0);
    std::vector<std::string> routes, services, clusters;
    const auto add_names = [](std::vector<std::string>& into, const std::vector<std::pair<std::string, std::uint64_t>>& from) {
      for (const auto& [name, count] : from)
        if (count > 0 && std::find(into.begin(), into.end(), name) == into.end()) into.push_back(name);
    };
    std::size_t last_bad = 0;
    for (const CauseBucket& b : r.causes) {
      if (!std::binary_search(b.faults.begin(), b.faults.end(), index)) continue;
      std::uint64_t bucket_bad = 0;
      for (std::size_t k = 0; k < b.failed.size(); ++k) {
        const std::size_t at = b.first_step + k;
        if (at >= n) break;
        own_failed[at] += b.failed[k];
        own_bad[at] += b.failed[k] + b.slow[k];
        bucket_bad += b.failed[k] + b.slow[k];
        if (b.failed[k] + b.slow[k] > 0) last_bad = std::max(last_bad, at + 1);
      }
      if (b.faults.size() > 1) im.shared += bucket_bad;
      for (std::size_t c = 0; c < client_bad.size() && c < b.clients.size(); ++c) client_bad[c] += b.clients[c];
      add_names(routes, b.routes);
      add_names(services, b.services);
      add_names(clusters, b.clusters);
    }
    for (std::size_t k = 0; k < n; ++k) own_good[k] = requests[k] - std::min(requests[k], own_bad[k]);

    // Time to detect: the first routing reaction to something it did.
    for (const RoutingReaction& reaction : r.reactions)
      if (reaction.at >= f.start && std::binary_search(reaction.faults.begin(), reaction.faults.end(), index)) {
        im.time_to_detect = reaction.at - f.start;
        im.detected_by = reaction.kind;
        break;
      }

    // Time to recover, from the fault's start, on its own bad requests: the other faults' do not
    // hold it back. Recovered from the last step of the first good window: an outage that fails
    // exactly 60 s of requests recovers in 60 s plus the window less one step.
    const auto recovered = first_recovered_step(requests, own_good, first, window_steps, hold_steps, r.slo_availability);
    if (recovered) im.time_to_recover = std::max(Duration::zero(), step * static_cast<std::int64_t>(*recovered) - f.start);

    // Time to fail back: once it ended, until each region's share of the traffic is back to what it
    // was in the window before the fault, and stays there for the hold. A step's share is "back"
    // within the tolerance plus four standard errors of its sampling noise (a step of a few hundred
    // requests scatters by several percent on its own).
    if (f.end && *f.end < r.duration && first > 0) {
      const auto before = region_shares(series, first > window_steps ? first - window_steps : 0, first, r.regions.size());
      std::size_t run = 0;
      for (std::size_t k = step_at(*f.end); k < n; ++k) {
        const auto now = region_shares(series, k, k + 1, r.regions.size());
        double placed = 0;
        for (std::uint64_t v : series[k].counts.served_by_region) placed += static_cast<double>(v);
        bool back = true;
        for (std::size_t g = 0; g < before.size(); ++g) {
          const double noise = placed > 0 ? 4.0 * std::sqrt(before[g] * (1.0 - before[g]) / placed) : 0.0;
          back = back && std::abs(now[g] - before[g]) <= options.share_tolerance + noise;
        }
        run = back ? run + 1 : 0;
        if (run > hold_steps) {
          im.time_to_fail_back = std::max(Duration::zero(), step * static_cast<std::int64_t>(k - hold_steps) - *f.end);
          break;
        }
      }
    }

    // The window: while it lasted, and on to its last bad request.
    const std::size_t impact_end = std::min(n, std::max(last, last_bad));
    im.window_start = step * static_cast<std::int64_t>(first);
    im.window_end = step * static_cast<std::int64_t>(impact_end);
    for (std::size_t k = first; k < impact_end; ++k) {
      im.requests += requests[k];
      if (requests[k] > 0)
        im.peak_error_rate = std::max(im.peak_error_rate, static_cast<double>(own_failed[k]) / static_cast<double>(requests[k]));
    }
    for (std::size_t k = 0; k < n; ++k) {
      im.failed += own_failed[k];
      im.bad += own_bad[k];
    }
    im.slow = im.bad - im.failed;
    im.bad_share = im.requests == 0 ? 0.0 : static_cast<double>(im.bad) / static_cast<double>(im.requests);
    im.error_budget_burned = budget > 0 ? static_cast<double>(im.bad) / budget : 0.0;

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
        if (failure.failed_at >= f.start && failure.failed_at <= end &&
            std::binary_search(f.reach_components.begin(), f.reach_components.end(), failure.component)) {
          im.lost_writes += failure.lost_writes;
          im.write_unavailable += failure.writable_again_at.value_or(r.duration) - failure.failed_at;
        }
  }
}

}  // namespace models::metrics
