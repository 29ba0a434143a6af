#include "reports/scalar_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace reports {

namespace {

using sim::stats::Direction;

double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(part) / static_cast<double>(whole);
}
double ms(sim::Duration d) { return static_cast<double>(d.count()) / 1e6; }

void add_group(std::vector<ScalarMetric>& out, const std::string& prefix, const models::results::GroupResult& g) {
  const auto& t = g.totals;
  out.push_back({prefix + "availability", ratio(t.succeeded, t.requests), Direction::HigherIsBetter, "ratio"});
  out.push_back({prefix + "failed_requests", static_cast<double>(t.failed), Direction::LowerIsBetter, "requests"});
  out.push_back({prefix + "latency_p50_ms", ms(g.latency.p50), Direction::LowerIsBetter, "ms"});
  out.push_back({prefix + "latency_p99_ms", ms(g.latency.p99), Direction::LowerIsBetter, "ms"});
}

}  // namespace

void append_fault_metrics(std::vector<ScalarMetric>& out, const std::string& p, const models::results::FaultImpact& im,
                          bool database, const models::results::RunResult& r) {
  const auto seconds_or_nan = [](const std::optional<sim::Duration>& d) {
    return d ? sim::to_seconds(*d) : std::numeric_limits<double>::quiet_NaN();
  };
  std::size_t clusters = 0;
  for (const auto& region : r.topology.regions) clusters += region.clusters.size();
  out.push_back({p + "time_to_detect_s", seconds_or_nan(im.time_to_detect), Direction::LowerIsBetter, "s"});
  out.push_back({p + "time_to_recover_s", seconds_or_nan(im.time_to_recover), Direction::LowerIsBetter, "s"});
  out.push_back({p + "time_to_fail_back_s", seconds_or_nan(im.time_to_fail_back), Direction::LowerIsBetter, "s"});
  out.push_back({p + "bad_requests", static_cast<double>(im.bad), Direction::LowerIsBetter, "requests"});
  out.push_back({p + "bad_share", im.bad_share, Direction::LowerIsBetter, "ratio"});
  out.push_back({p + "shared_bad_requests", static_cast<double>(im.shared), Direction::LowerIsBetter, "requests"});
  out.push_back({p + "peak_error_rate", im.peak_error_rate, Direction::LowerIsBetter, "ratio"});
  out.push_back({p + "error_budget_burned", im.error_budget_burned, Direction::LowerIsBetter, "budgets"});
  // Blast radius as numbers: how many client groups, services and clusters saw its bad requests,
  // and what share of the fleet's that is.
  const auto affected = [&](const char* what, std::size_t count, std::size_t of, const char* unit) {
    out.push_back({p + what + "_affected", static_cast<double>(count), Direction::LowerIsBetter, unit});
    out.push_back({p + what + "_affected_share",
                   of > 0 ? static_cast<double>(count) / static_cast<double>(of) : std::numeric_limits<double>::quiet_NaN(),
                   Direction::LowerIsBetter, "ratio"});
  };
  affected("clients", im.clients.size(), r.clients.size(), "client groups");
  affected("services", im.services.size(), r.services.size(), "services");
  affected("clusters", im.clusters.size(), clusters, "clusters");
  if (database) {
    out.push_back({p + "lost_writes", static_cast<double>(im.lost_writes), Direction::LowerIsBetter, "writes"});
    out.push_back({p + "write_unavailable_s", sim::to_seconds(im.write_unavailable), Direction::LowerIsBetter, "s"});
  }
}

std::vector<ScalarMetric> scalar_metrics(const models::results::RunResult& r) {
  std::vector<ScalarMetric> out;
  add_group(out, "", r.all);
  const auto& t = r.all.totals;
  out.push_back({"latency_p90_ms", ms(r.all.latency.p90), Direction::LowerIsBetter, "ms"});
  out.push_back({"latency_p99.9_ms", ms(r.all.latency.p999), Direction::LowerIsBetter, "ms"});
  out.push_back({"slo_good_ratio", ratio(t.succeeded - t.slow, t.requests), Direction::HigherIsBetter, "ratio"});
  for (const auto& c : r.clients) add_group(out, "client/" + c.name + "/", c);
  const double allowed = (1.0 - r.slo_availability) * static_cast<double>(t.requests);
  out.push_back({"error_budget_burned", allowed > 0 ? static_cast<double>(t.requests - (t.succeeded - t.slow)) / allowed
                                                    : std::numeric_limits<double>::quiet_NaN(),
                 Direction::LowerIsBetter, "budgets"});
  out.push_back({"no_fault/bad_requests", static_cast<double>(r.no_fault.bad), Direction::LowerIsBetter, "requests"});
  // Saturation: the highest utilization any service reached in any region, over the steps that
  // received requests (a step's time average; services[].utilization).
  double peak = std::numeric_limits<double>::quiet_NaN();
  const std::size_t steps = r.all.series.size();
  for (const auto& load : r.services)
    for (const auto& s : load.saturation)
      for (std::size_t k = 0; k < std::min(steps, s.busy.size()); ++k)
        if (const auto u = models::results::utilization(s, load.concurrency, k, k + 1); u && (std::isnan(peak) || *u > peak))
          peak = *u;
  out.push_back({"peak_utilization", peak, Direction::LowerIsBetter, "ratio"});
  if (r.client_retries) {
    out.push_back({"client_retries", static_cast<double>(t.retries), Direction::LowerIsBetter, "requests"});
    out.push_back({"offered_load_factor", ratio(t.requests + t.retries, t.requests), Direction::LowerIsBetter, "ratio"});
  }
  for (const auto& f : r.faults) {
    // Faults drawn by a fault process differ from seed to seed: only the run's totals compare.
    if (f.drawn) continue;
    append_fault_metrics(out, "fault/" + f.id + "/", f.impact, f.kind == "database-primary-failure", r);
  }
  for (const auto& db : r.databases) {
    out.push_back({"database/" + db.name + "/lost_writes", static_cast<double>(db.lost_writes), Direction::LowerIsBetter, "writes"});
    out.push_back({"database/" + db.name + "/write_unavailable_s", sim::to_seconds(db.write_unavailable),
                   Direction::LowerIsBetter, "s"});
  }
  return out;
}

}  // namespace reports
