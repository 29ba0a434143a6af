#include "models/metrics/request_metrics.hpp"

namespace models::metrics {

RequestMetrics::RequestMetrics(std::size_t clients, std::size_t regions, sim::Duration step, std::size_t steps,
                               sim::Duration finalize_lag, sim::Duration slo_latency)
    : clients_(clients),
      regions_(regions),
      step_(step),
      steps_(steps),
      finalize_lag_(finalize_lag),
      slo_latency_(slo_latency),
      // Steps open at once: the current one plus those whose requests may still be in flight.
      ring_size_(static_cast<std::size_t>(finalize_lag.count() / step.count()) + 3),
      ring_(clients * ring_size_),
      series_(clients),
      totals_(clients),
      total_latency_(clients),
      late_retries_(clients, 0),
      late_served_(clients * regions, 0) {
  for (auto& s : ring_) reset(s);
  for (auto& t : totals_) reset_counts(t);
  reset_counts(all_totals_);
}

void RequestMetrics::reset_counts(models::results::OutcomeCounts& c) const {
  c = models::results::OutcomeCounts{};
  c.failures_by_reason.assign(traffic::kFailureCount, 0);
  c.served_by_region.assign(regions_, 0);
}

void RequestMetrics::reset(Slot& s) const {
  reset_counts(s.counts);
  s.latency.clear();
}

void RequestMetrics::arrival(std::uint32_t client, std::size_t step) { ++slot(client, step).counts.requests; }

void RequestMetrics::served_by(std::uint32_t client, std::size_t step, std::uint32_t region) {
  if (step >= steps_) {  // a client's re-send after the last step: in the totals only
    ++late_served_[client * regions_ + region];
    return;
  }
  ++slot(client, step).counts.served_by_region[region];
}

void RequestMetrics::success(std::uint32_t client, std::size_t step, sim::Duration latency) {
  Slot& s = slot(client, step);
  ++s.counts.succeeded;
  if (latency > slo_latency_) ++s.counts.slow;
  s.latency.record(latency);
}

void RequestMetrics::retry(std::uint32_t client, std::size_t step) {
  // A retry sent after the last step (while the run drains) counts in the totals only.
  if (step >= steps_) {
    ++late_retries_[client];
    return;
  }
  ++slot(client, step).counts.retries;
}

void RequestMetrics::failure(std::uint32_t client, std::size_t step, traffic::Failure reason) {
  Slot& s = slot(client, step);
  ++s.counts.failed;
  ++s.counts.failures_by_reason[static_cast<std::size_t>(reason)];
}

sim::SimTime RequestMetrics::finalize_time(std::size_t k) const {
  return sim::SimTime::at(step_ * static_cast<std::int64_t>(k + 1) + finalize_lag_ + sim::Duration{1});
}

void RequestMetrics::add(models::results::OutcomeCounts& into, const models::results::OutcomeCounts& from) {
  into.requests += from.requests;
  into.succeeded += from.succeeded;
  into.failed += from.failed;
  into.slow += from.slow;
  into.retries += from.retries;
  for (std::size_t i = 0; i < from.failures_by_reason.size(); ++i) into.failures_by_reason[i] += from.failures_by_reason[i];
  for (std::size_t i = 0; i < from.served_by_region.size(); ++i) into.served_by_region[i] += from.served_by_region[i];
}

models::results::LatencySummary RequestMetrics::summarize(const sim::LatencyHistogram& h) {
  return models::results::LatencySummary{h.quantile(0.50), h.quantile(0.90), h.quantile(0.99), h.quantile(0.999), h.max(), h.mean()};
}

bool RequestMetrics::finalize_due(sim::SimTime now) {
  if (finalized_ >= steps_ || now < finalize_time(finalized_)) return false;
  const std::size_t k = finalized_++;
  models::results::SeriesPoint all_point;
  reset_counts(all_point.counts);
  all_point.start = step_ * static_cast<std::int64_t>(k);
  sim::LatencyHistogram all_step_latency;
  for (std::uint32_t c = 0; c < clients_; ++c) {
    Slot& s = slot(c, k);
    // Requests with no outcome by now passed their deadline: the gateway answered 504.
    const std::uint64_t unanswered = s.counts.requests - s.counts.succeeded - s.counts.failed;
    s.counts.failed += unanswered;
    s.counts.failures_by_reason[static_cast<std::size_t>(traffic::Failure::Timeout)] += unanswered;
    models::results::SeriesPoint point{all_point.start, s.counts, summarize(s.latency)};
    add(totals_[c], s.counts);
    total_latency_[c].merge(s.latency);
    add(all_point.counts, s.counts);
    all_step_latency.merge(s.latency);
    series_[c].push_back(std::move(point));
    reset(s);
  }
  all_point.latency = summarize(all_step_latency);
  add(all_totals_, all_point.counts);
  all_latency_.merge(all_step_latency);
  all_series_.push_back(std::move(all_point));
  return true;
}

void RequestMetrics::move_into(models::results::RunResult& out, const std::vector<std::string>& client_names,
                               const std::vector<std::string>& client_regions) {
  for (std::uint32_t c = 0; c < clients_; ++c) {
    totals_[c].retries += late_retries_[c];
    all_totals_.retries += late_retries_[c];
    for (std::size_t region = 0; region < regions_; ++region) {
      totals_[c].served_by_region[region] += late_served_[c * regions_ + region];
      all_totals_.served_by_region[region] += late_served_[c * regions_ + region];
    }
  }
  out.all.name = "all";
  out.all.totals = all_totals_;
  out.all.latency = summarize(all_latency_);
  out.all.series = std::move(all_series_);
  out.clients.clear();
  for (std::uint32_t c = 0; c < clients_; ++c) {
    models::results::GroupResult g;
    g.name = client_names[c];
    g.region = client_regions[c];
    g.totals = totals_[c];
    g.latency = summarize(total_latency_[c]);
    g.series = std::move(series_[c]);
    out.clients.push_back(std::move(g));
  }
}

}  // namespace models::metrics
