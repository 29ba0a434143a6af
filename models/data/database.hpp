#pragma once
// A replicated database at run time.

#include <cstdint>
#include <string>
#include <vector>

#include "models/config/scenario_config.hpp"
#include "models/topology/component.hpp"
#include "models/results/run_result.hpp"

namespace models::data {

/// Its instances (primary first, then replicas in promotion order), which one is primary, and the
/// writes still being replicated.
struct Database {
  std::string name;
  config::DatabaseConfig config;
  std::vector<std::uint32_t> regions;
  std::vector<topology::ComponentId> instances;
  std::uint32_t primary = 0;  // index into instances
  bool writable = true;       // false from a primary failure until a promotion
  sim::SimTime unavailable_since{};
  std::uint32_t unavailable_cause = 0;  // faults::CauseId: the faults behind the primary's failure
  std::vector<std::int64_t> replicating;  // min-heap of replication completion times (ns), async
  std::uint32_t stream = 0;
  models::results::DatabaseResult result;
};

}  // namespace models::data
