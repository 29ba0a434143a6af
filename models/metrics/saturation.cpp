#include "models/metrics/saturation.hpp"

#include <algorithm>

namespace models::metrics {

Saturation::Saturation(const Fleet& fleet, sim::Duration step, std::size_t steps, std::size_t ring)
    : regions_(fleet.regions.size()),
      step_(step),
      steps_(steps),
      ring_(ring),
      rows_(fleet.services.size() * regions_),
      areas_(rows_.size() * ring_ * (kMeasures + 1), 0),
      series_(rows_.size() * (kMeasures + 1)),
      deployed_(rows_.size(), false) {
  for (const Service& s : fleet.services) concurrency_.push_back(s.concurrency);
  for (const Workload& wl : fleet.workloads) {
    if (wl.kind != WorkloadKind::Pod) continue;
    ++rows_[row(wl)].count[2];  // every pod runs at the start
    deployed_[row(wl)] = true;
  }
}

void Saturation::change(std::size_t r, std::size_t measure, int delta, sim::SimTime now) {
  advance(r, now);
  rows_[r].count[measure] += delta;
}

void Saturation::advance(std::size_t r, sim::SimTime to) {
  Row& row = rows_[r];
  while (row.last < to) {
    const auto k = static_cast<std::size_t>(row.last.ns() / step_.count());
    if (k >= steps_) {  // past the last step: nothing is reported there
      row.last = to;
      return;
    }
    const sim::SimTime end = sim::SimTime::at(step_ * static_cast<std::int64_t>(k + 1));
    const sim::SimTime until = std::min(to, end);
    const auto ns = static_cast<std::uint64_t>((until - row.last).count());
    for (std::size_t m = 0; m < kMeasures; ++m) area(r, k, m) += static_cast<std::uint64_t>(std::max<std::int64_t>(row.count[m], 0)) * ns;
    if (until == end) area(r, k, kMeasures) = static_cast<std::uint64_t>(std::max<std::int64_t>(row.count[2], 0));
    row.last = until;
  }
}

void Saturation::close_steps_before(std::size_t step) {
  for (step = std::min(step, steps_); closed_ < step; ++closed_) {
    const sim::SimTime end = sim::SimTime::at(step_ * static_cast<std::int64_t>(closed_ + 1));
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      advance(r, end);
      for (std::size_t m = 0; m <= kMeasures; ++m) {
        std::uint64_t& a = area(r, closed_, m);
        series_[r * (kMeasures + 1) + m].push_back(a);
        a = 0;
      }
    }
  }
}

void Saturation::move_into(std::vector<models::results::ServiceLoad>& out) {
  for (std::size_t sv = 0; sv < out.size(); ++sv) {
    models::results::ServiceLoad& load = out[sv];
    load.concurrency = concurrency_[sv];
    for (std::uint32_t region = 0; region < regions_; ++region) {
      const std::size_t r = sv * regions_ + region;
      if (!deployed_[r]) continue;
      models::results::ServiceSaturation s;
      s.region = region;
      s.busy = std::move(series_[r * (kMeasures + 1) + 0]);
      s.queued = std::move(series_[r * (kMeasures + 1) + 1]);
      s.running = std::move(series_[r * (kMeasures + 1) + 2]);
      s.replicas = std::move(series_[r * (kMeasures + 1) + 3]);
      load.saturation.push_back(std::move(s));
    }
  }
}

}  // namespace models::metrics
