#pragma once
// The faults of a run at build time (build_world): scripted ones resolved, drawn ones drawn.

#include <cstdint>

#include "models/world.hpp"

namespace models::faults {

/// Adds the scenario's faults, then each fault process's drawn failures, to `world.faults`.
void add_faults(World& world, const config::ScenarioConfig& cfg, std::uint64_t seed);

/// A component a fault process fails (an invalid id: Cloud DNS), and which process.
struct ProcessComponent {
  std::size_t process = 0;  // index into cfg.fault_processes
  topology::ComponentId component;
};

/// Every component each fault process fails, process by process, in the order it draws them.
std::vector<ProcessComponent> process_components(World& world, const config::ScenarioConfig& cfg);

}  // namespace models::faults
