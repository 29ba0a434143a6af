#pragma once
// What build_world makes of a validated scenario: the fixed fleet, and the initial state that the
// subsystems take over when a Simulation is made of it (models/subsystems.hpp).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/data/database.hpp"
#include "models/faults/fault.hpp"
#include "models/fleet/fleet.hpp"
#include "models/gateway/gateway_tier.hpp"
#include "models/proxies/envoy_upstream.hpp"
#include "sim/rng.hpp"

namespace models {

struct World : Fleet {
  std::vector<sim::RngStream> streams;  // one per entity that draws, named after it
  std::vector<gateway::GatewayTier> tiers;                    // gateway/
  std::vector<std::optional<proxies::EnvoyUpstream>> upstreams;  // by proxy: waypoints' Envoys (waypoints/)
  std::vector<data::Database> databases;                      // data/
  std::vector<faults::Fault> faults;                          // faults/, scripted then drawn

  std::uint32_t add_stream(std::uint64_t seed, std::string_view entity);
};

/// Builds the fleet, its graph and the subsystems' initial state. `seed` overrides nothing: pass
/// the seed to use (the scenario's, or the command line's).
World build_world(const config::ValidatedScenario& scenario, std::uint64_t seed);

}  // namespace models
