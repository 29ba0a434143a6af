#include "models/metrics/queue_check.hpp"

#include <cmath>

namespace models::metrics {

std::vector<QueueCheck> queue_checks(const config::ScenarioConfig& config, const results::RunResult& run) {
  std::vector<QueueCheck> out;
  const double duration_s = sim::to_seconds(run.duration);
  for (const results::ServiceLoad& load : run.services) {
    const config::ServiceConfig* found = nullptr;
    for (const auto& candidate : config.services)
      if (candidate.name == load.service) found = &candidate;
    if (found == nullptr) continue;
    const config::ServiceConfig& sc = *found;
    for (const results::ServiceSaturation& sat : load.saturation) {
      QueueCheck q;
      q.service = load.service;
      q.region = sat.region < run.regions.size() ? run.regions[sat.region] : std::string();
      q.applies = sc.service_time.kind == config::ServiceTimeKind::Exponential && sc.calls.empty();
      q.mean_service_s = sim::to_seconds(sc.service_time.scale);
      double busy = 0, running = 0, queued = 0, arrivals = 0;
      // Over the arrivals' steps only (the drain after the last arrival is not offered load).
      const std::size_t steps = static_cast<std::size_t>(std::ceil(duration_s / sim::to_seconds(run.step)));
      for (std::size_t k = 0; k < steps && k < sat.busy.size(); ++k) {
        busy += static_cast<double>(sat.busy[k]);
        running += static_cast<double>(sat.running[k]);
        queued += static_cast<double>(sat.queued[k]);
      }
      const auto& requests = load.requests_by_region[sat.region];
      for (std::size_t k = 0; k < steps && k < requests.size(); ++k) arrivals += static_cast<double>(requests[k]);
      const double ns = duration_s * 1e9;
      q.servers = static_cast<std::uint32_t>(std::llround(running / ns)) * load.concurrency;
      q.arrival_rate = arrivals / duration_s;
      q.simulated_utilization = running > 0 ? busy / (running * load.concurrency) : 0;
      q.simulated_wait_s = q.arrival_rate > 0 ? (queued / ns) / q.arrival_rate : 0;
      q.predicted = erlang_c(q.arrival_rate, q.mean_service_s, q.servers);
      out.push_back(std::move(q));
    }
  }
  return out;
}

}  // namespace models::metrics
