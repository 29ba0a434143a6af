#pragma once
// Erlang C beside the simulated queues: for each service in each region where it has pods, the
// M/M/c prediction at the load the run offered it, next to what the run measured. The prediction
// applies to a service whose service time is exponential and that makes no calls (a caller holds
// its slot while it waits for its callees, which M/M/c does not model).

#include <cstdint>
#include <string>
#include <vector>

#include "models/config/scenario_config.hpp"
#include "models/metrics/erlang_c.hpp"
#include "models/results/run_result.hpp"

namespace models::metrics {

struct QueueCheck {
  std::string service, region;
  bool applies = false;        // exponential service time, no calls
  std::uint32_t servers = 0;   // running pods x concurrency (time-averaged, rounded)
  double arrival_rate = 0;     // requests per second that reached its pods there
  double mean_service_s = 0;
  MmcPrediction predicted;
  double simulated_utilization = 0;
  double simulated_wait_s = 0;  // mean queued calls / arrival rate (Little's law)
};

std::vector<QueueCheck> queue_checks(const config::ScenarioConfig& config, const results::RunResult& run);

}  // namespace models::metrics
