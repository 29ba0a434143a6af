#include "models/metrics/saturation.hpp"

#include <algorithm>
#include <limits>

namespace models::metrics {

Saturation::Saturation(const Fleet& fleet, sim::Duration step, std::size_t steps, std::size_t ring)
    : regions_(fleet.regions.size()),
      step_(step),
      steps_(steps),
      ring_(ring),
      current_end_(sim::SimTime::at(step)),
      start_(fleet.services.size() * regions_ * kMeasures, 0),
      slots_(fleet.services.size() * regions_ * ring_ * kMeasures),
      series_(fleet.services.size() * regions_ * kSeries),
      deployed_(fleet.services.size() * regions_, false) {
  for (const Service& s : fleet.services) concurrency_.push_back(s.concurrency);
  for (std::size_t wi = 0; wi < fleet.workloads.size(); ++wi) {
    const Workload& wl = fleet.workloads[wi];
    if (wl.kind != WorkloadKind::Pod) continue;
    if (fleet.starts_absent[wi] == 0) {  // every pod created runs and is Ready at the start
      ++start_[row(wl) * kMeasures + 2];
      ++start_[row(wl) * kMeasures + 3];
    }
    deployed_[row(wl)] = true;
  }
}

void Saturation::move_to(sim::SimTime now) {
  current_ = static_cast<std::size_t>(now.ns() / step_.count());
  current_end_ = sim::SimTime::at(step_ * static_cast<std::int64_t>(current_ + 1));
}

void Saturation::close_steps_before(std::size_t step) {
  const std::int64_t step_ns = step_.count();
  const std::size_t rows = deployed_.size();
  for (step = std::min(step, steps_); closed_ < step; ++closed_) {
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t m = 0; m < kMeasures; ++m) {
        Slot& s = slots_[(r * ring_ + (closed_ & (ring_ - 1))) * kMeasures + m];
        std::int64_t& start = start_[r * kMeasures + m];
        if (m < kIntegrals) {
          const Wide area = static_cast<Wide>(start) * step_ns + s.weighted;  // count x ns over the step
          constexpr Wide kMost = static_cast<Wide>(std::numeric_limits<std::uint64_t>::max());
          series_[r * kSeries + m].push_back(static_cast<std::uint64_t>(std::clamp<Wide>(area, 0, kMost)));
        }
        start += s.net;
        s = Slot{};
      }
      series_[r * kSeries + kIntegrals].push_back(static_cast<std::uint64_t>(std::max<std::int64_t>(start_[r * kMeasures + 3], 0)));
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
      s.busy = std::move(series_[r * kSeries + 0]);
      s.queued = std::move(series_[r * kSeries + 1]);
      s.running = std::move(series_[r * kSeries + 2]);
      s.replicas = std::move(series_[r * kSeries + 3]);
      load.saturation.push_back(std::move(s));
    }
  }
}

}  // namespace models::metrics
