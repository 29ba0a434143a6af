#pragma once
// What the analytic availability needs to know of the fleet's fault processes: every component a
// process fails, with its process's mean times, in the order the processes draw them.

#include <cstddef>
#include <vector>

#include "models/availability/markov_chain.hpp"
#include "models/world.hpp"

namespace models::availability {

struct FailingComponents {
  std::vector<RepairableComponent> rates;      // by component: its process's MTTF and MTTR
  std::vector<topology::ComponentId> ids;      // by component (an invalid id: Cloud DNS)
  std::vector<std::size_t> per_process;        // by fault process: how many components it fails
};

FailingComponents failing_components(World& world, const config::ScenarioConfig& cfg);

}  // namespace models::availability
