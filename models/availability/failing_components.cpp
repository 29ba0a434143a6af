#include "models/availability/failing_components.hpp"

#include "models/faults/build_faults.hpp"

namespace models::availability {

FailingComponents failing_components(World& world, const config::ScenarioConfig& cfg) {
  FailingComponents out;
  out.per_process.assign(cfg.fault_processes.size(), 0);
  for (const faults::ProcessComponent& pc : faults::process_components(world, cfg)) {
    const config::FaultProcessConfig& process = cfg.fault_processes[pc.process];
    out.rates.push_back({sim::to_seconds(process.mean_time_to_failure), sim::to_seconds(process.mean_time_to_repair)});
    out.ids.push_back(pc.component);
    ++out.per_process[pc.process];
  }
  return out;
}

}  // namespace models::availability
