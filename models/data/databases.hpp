#pragma once
// Replicated databases (ROUTING.md 9.9): writes go to the primary, asynchronous replication lags
// behind; a primary failure loses the writes still inside the lag (RPO) and fails writes until a
// replica is promoted after detection and promotion (RTO).

#include <cstdint>
#include <vector>

#include "models/data/database.hpp"
#include "models/events.hpp"
#include "models/faults/cause_sets.hpp"
#include "models/fleet/fleet.hpp"

namespace models {
struct Subsystems;
}

namespace models::data {

class Databases {
 public:
  using Handles = EventList<WriteDone, DatabasePromotion>;
  Databases(Subsystems& s, std::vector<Database> databases);

  void on(const WriteDone& e);
  void on(const DatabasePromotion& e);

  /// A pod of `writer`'s service, serving call `call`, writes to database `d` before its calls.
  void write(std::uint32_t d, std::uint32_t call, std::uint32_t generation, const Workload& writer);
  /// Adds each database's writes, lost writes and failovers to the run's results.
  void add_results(models::results::RunResult& out, sim::SimTime horizon);
  // Listener: a primary instance going down.
  void component_changed(const ComponentRef& ref, ComponentId c, bool up);

 private:
  void instance_down(Database& db, ComponentId instance);
  bool primary_up(const Database& db) const;
  faults::CauseId primary_down_cause(const Database& db);

  Subsystems& s_;
  std::vector<Database> databases_;
};

}  // namespace models::data
