#pragma once
// The faults of a run at build time (build_world): scripted ones resolved, drawn ones drawn.

#include <cstdint>

#include "models/world.hpp"

namespace models::faults {

/// Adds the scenario's faults, then each fault process's drawn failures, to `world.faults`.
void add_faults(World& world, const config::ScenarioConfig& cfg, std::uint64_t seed);

}  // namespace models::faults
