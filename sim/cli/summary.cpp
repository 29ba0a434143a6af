#include "sim/cli/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "models/results/process_totals.hpp"

namespace cli {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

namespace {

std::string percent(std::uint64_t part, std::uint64_t whole, int decimals = 2) {
  if (whole == 0) return "-";
  return fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), decimals) + "%";
}

std::string ms(sim::Duration d) { return fixed(static_cast<double>(d.count()) / 1e6, 1) + "ms"; }

// A measured delay in seconds: "13.67s" (format_duration would print "13666399.029us").
std::string measured(sim::Duration d) { return fixed(sim::to_seconds(d), 2) + "s"; }

std::string pad(std::string s, std::size_t width, bool left = false) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

void row(std::ostream& out, const std::string& name, const std::string& region, const models::results::OutcomeCounts& c,
         const models::results::LatencySummary& l) {
  out << "  " << pad(name, 22, true) << pad(region, 14, true) << pad(std::to_string(c.requests), 10)
      << pad(percent(c.succeeded, c.requests, 3), 10) << pad(std::to_string(c.failed), 9) << pad(ms(l.p50), 10)
      << pad(ms(l.p99), 10) << '\n';
}

// Merges the time series into buckets of a round width (a whole number of steps), about
// `columns` of them across the run.
struct Buckets {
  std::size_t steps_per_bucket;
  std::size_t count;
};
Buckets bucketize(std::size_t steps, sim::Duration step, std::size_t columns) {
  using namespace std::chrono_literals;
  const sim::Duration run = step * static_cast<std::int64_t>(steps);
  std::size_t per = std::max<std::size_t>(1, (steps + columns - 1) / columns);
  for (sim::Duration nice : {1s, 2s, 5s, 10s, 15s, 30s, 60s, 120s, 300s, 600s, 900s, 1800s, 3600s, 7200s, 21600s}) {
    if (nice % step != sim::Duration::zero() || nice * static_cast<std::int64_t>(columns) < run) continue;
    per = static_cast<std::size_t>(nice / step);
    break;
  }
  return Buckets{per, (steps + per - 1) / per};
}

bool fault_active(const models::results::RunResult& r, sim::Duration from, sim::Duration to) {
  for (const auto& f : r.faults)
    if (f.start < to && (!f.end || *f.end > from)) return true;
  return false;
}

}  // namespace

void print_summary(std::ostream& out, const models::results::RunResult& r) {
  out << "Scenario " << r.scenario << ", seed " << r.seed << ", " << sim::format_duration(r.duration) << " simulated\n\n";
  out << "  " << pad("client group", 22, true) << pad("region", 14, true) << pad("requests", 10) << pad("success", 10)
      << pad("failed", 9) << pad("p50", 10) << pad("p99", 10) << '\n';
  for (const auto& g : r.clients) row(out, g.name, g.region, g.totals, g.latency);
  row(out, "all", "", r.all.totals, r.all.latency);

  const auto& t = r.all.totals;
  if (t.failed > 0) {
    out << "\nFailures by reason:";
    for (std::size_t i = 1; i < t.failures_by_reason.size(); ++i)
      if (t.failures_by_reason[i]) out << "  " << r.failure_reasons[i] << " " << t.failures_by_reason[i];
    out << '\n';
  }
  if (r.client_retries) {
    out << "Client retries: " << t.retries << " re-sends on top of " << t.requests << " requests (offered load x"
        << (t.requests == 0 ? std::string("-") : fixed(static_cast<double>(t.requests + t.retries) / static_cast<double>(t.requests), 2))
        << ")\n";
  }
  out << "SLO: availability " << fixed(100.0 * r.slo_availability, 3) << "% target, "
      << percent(t.succeeded, t.requests, 3) << " achieved; " << t.slow << " successful requests slower than "
      << sim::format_duration(r.slo_latency) << '\n';

  if (!r.faults.empty()) {
    out << "\nFaults:\n";
    // A generated fault reads as a clock time ("12d 03:25:11.234"); a scripted one as written.
    const auto when = [](const models::results::FaultRecord& f, sim::Duration d) {
      return f.drawn ? sim::format_clock(d) : sim::format_duration(d);
    };
    const auto print_fault = [&](const models::results::FaultRecord& f, const char* indent) {
      out << indent << f.id << ": " << f.kind << " of " << (f.service.empty() ? "" : f.service + "'s pods in ") << f.target
          << " from " << when(f, f.start) << " to " << (f.end ? when(f, *f.end) : std::string("the end"))
          << "; structural blast radius " << f.components.size() << " components (";
      for (std::size_t i = 0; i < f.components_by_kind.size(); ++i)
        out << (i ? ", " : "") << f.components_by_kind[i].second << " " << f.components_by_kind[i].first;
      out << ")\n";
      // What it caused, counted by cause (README "Metrics").
      const auto& im = f.impact;
      out << indent << "  caused " << im.bad << " bad requests";
      if (im.shared > 0) out << " (" << im.shared << " shared with other faults)";
      out << ", " << im.clients.size() << " client group" << (im.clients.size() == 1 ? "" : "s") << "; ";
      if (im.time_to_detect) out << "detected after " << measured(*im.time_to_detect) << " (" << im.detected_by << ")";
      else out << "not detected by routing";
      if (im.time_to_recover) out << "; recovered after " << measured(*im.time_to_recover);
      out << "\n";
    };
    for (const auto& f : r.faults)
      if (!f.drawn) print_fault(f, "  ");
    // Generated faults, grouped per process: its totals, then its worst few.
    for (const auto& p : models::results::process_totals(r)) {
      out << "  process " << p.id << " (" << p.kind << "): " << p.failures << " failure" << (p.failures == 1 ? "" : "s")
          << ", down " << sim::format_clock(p.downtime) << " in all, caused " << p.bad << " bad requests\n";
      std::vector<const models::results::FaultRecord*> worst;
      for (const auto& f : r.faults)
        if (f.drawn && f.process == p.id) worst.push_back(&f);
      std::stable_sort(worst.begin(), worst.end(), [](const auto* a, const auto* b) { return a->impact.bad > b->impact.bad; });
      constexpr std::size_t kListed = 5;
      for (std::size_t i = 0; i < std::min(worst.size(), kListed); ++i) print_fault(*worst[i], "    ");
      if (worst.size() > kListed) out << "    ... and " << worst.size() - kListed << " more (results.json lists every one)\n";
    }
    out << "  no fault: " << r.no_fault.bad << " bad requests (baseline overload, timeouts, leftovers after a fault settled)\n";
  }

  // The timeline: success rate per bucket for each client group, then where each group's
  // traffic was served. A '*' marks buckets that overlap a fault.
  const std::size_t steps = r.all.series.size();
  if (steps == 0) return;
  const Buckets b = bucketize(steps, r.step, 12);
  const sim::Duration width = r.step * static_cast<std::int64_t>(b.steps_per_bucket);
  std::size_t label_width = 12;
  for (const auto& g : r.clients)
    for (std::size_t region = 0; region < r.regions.size(); ++region)
      label_width = std::max(label_width, g.name.size() + 4 + r.regions[region].size() + 2);
  out << "\nSuccess rate over time (" << sim::format_duration(width) << " buckets, * = a fault is active):\n";
  out << "  " << pad("", label_width, true);
  for (std::size_t k = 0; k < b.count; ++k) {
    const sim::Duration from = width * static_cast<std::int64_t>(k);
    const std::string label = sim::format_duration(from) + (fault_active(r, from, from + width) ? "*" : "");
    out << pad(label, 8);
  }
  out << '\n';
  auto bucket_sum = [&](const models::results::GroupResult& g, std::size_t k, auto&& field) {
    std::uint64_t sum = 0;
    for (std::size_t s = k * b.steps_per_bucket; s < std::min(steps, (k + 1) * b.steps_per_bucket); ++s)
      sum += field(g.series[s].counts);
    return sum;
  };
  for (const auto& g : r.clients) {
    out << "  " << pad(g.name, label_width, true);
    for (std::size_t k = 0; k < b.count; ++k) {
      const auto ok = bucket_sum(g, k, [](const models::results::OutcomeCounts& c) { return c.succeeded; });
      const auto all = bucket_sum(g, k, [](const models::results::OutcomeCounts& c) { return c.requests; });
      out << pad(percent(ok, all, 1), 8);
    }
    out << '\n';
  }
  out << "\nWhere each group's requests were served (share by region" << (r.client_retries ? ", of requests and re-sends" : "")
      << "):\n";
  for (const auto& g : r.clients) {
    for (std::size_t region = 0; region < r.regions.size(); ++region) {
      if (g.totals.served_by_region[region] == 0) continue;
      out << "  " << pad(g.name + " -> " + r.regions[region], label_width, true);
      for (std::size_t k = 0; k < b.count; ++k) {
        const auto here = bucket_sum(g, k, [&](const models::results::OutcomeCounts& c) { return c.served_by_region[region]; });
        // Every attempt is sent somewhere: with client retries, a re-send is counted too.
        const auto all = bucket_sum(g, k, [](const models::results::OutcomeCounts& c) { return c.requests + c.retries; });
        out << pad(percent(here, all, 0), 8);
      }
      out << '\n';
    }
  }

  // Inside the mesh: where each service's requests (attempts included) reached its pods.
  bool any_spread = false;
  for (const auto& load : r.services) {
    std::size_t regions_used = 0;
    for (const auto& by_step : load.requests_by_region)
      regions_used += std::any_of(by_step.begin(), by_step.end(), [](std::uint64_t n) { return n != 0; }) ? 1 : 0;
    if (regions_used < 2) continue;
    if (!any_spread) out << "\nWhere each service's requests reached its pods (share by region):\n";
    any_spread = true;
    for (std::size_t region = 0; region < load.requests_by_region.size(); ++region) {
      out << "  " << pad(load.service + " -> " + r.regions[region], label_width, true);
      for (std::size_t k = 0; k < b.count; ++k) {
        std::uint64_t here = 0, all = 0;
        for (std::size_t s = k * b.steps_per_bucket; s < std::min(steps, (k + 1) * b.steps_per_bucket); ++s)
          for (std::size_t reg = 0; reg < load.requests_by_region.size(); ++reg) {
            all += load.requests_by_region[reg][s];
            if (reg == region) here += load.requests_by_region[reg][s];
          }
        out << pad(percent(here, all, 0), 8);
      }
      out << '\n';
    }
  }

  // The busiest service of each region: its pods' utilization (busy slots over running slots).
  out << "\nBusiest service per region (utilization: busy slots / pods x concurrency):\n";
  for (std::size_t region = 0; region < r.regions.size(); ++region) {
    const models::results::ServiceLoad* busiest = nullptr;
    const models::results::ServiceSaturation* at = nullptr;
    double busiest_mean = -1;
    for (const auto& load : r.services)
      for (const auto& sat : load.saturation) {
        if (sat.region != region) continue;
        const double mean = models::results::utilization(sat, load.concurrency, 0, steps).value_or(0.0);
        if (mean > busiest_mean) {
          busiest_mean = mean;
          busiest = &load;
          at = &sat;
        }
      }
    if (busiest == nullptr) continue;
    out << "  " << pad(r.regions[region], label_width, true) << pad(busiest->service, 14, true);
    for (std::size_t k = 0; k < b.count; ++k) {
      const auto u = models::results::utilization(*at, busiest->concurrency, k * b.steps_per_bucket,
                                                  std::min(steps, (k + 1) * b.steps_per_bucket));
      out << pad(u ? fixed(100.0 * *u, 0) + "%" : "-", 8);
    }
    out << '\n';
  }

  if (!r.warnings.empty()) {
    out << "\nWarnings:\n";
    for (const std::string& w : r.warnings) out << "  - " << w << '\n';
  }
}

}  // namespace cli
