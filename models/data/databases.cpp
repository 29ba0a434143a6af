#include "models/data/databases.hpp"

#include <algorithm>

#include "models/subsystems.hpp"

namespace models::data {

using traffic::Failure;

Databases::Databases(Subsystems& s, std::vector<Database> databases) : s_(s), databases_(std::move(databases)) {}

bool Databases::primary_up(const Database& db) const { return db.writable && s_.components.is_up(db.instances[db.primary]); }

// Writes fail from a primary's failure until a promotion, which may outlast the fault itself.
faults::CauseId Databases::primary_down_cause(const Database& db) {
  const faults::CauseId now = s_.blame.component(db.instances[db.primary]);
  return db.writable ? now : s_.blame.unite(db.unavailable_cause, now);
}

// A round trip to the primary's region and the commit; synchronous replication waits for the
// nearest replica's acknowledgement too.
void Databases::write(std::uint32_t d, std::uint32_t call, std::uint32_t generation, const Workload& writer) {
  Database& db = databases_[d];
  if (!primary_up(db)) {
    ++db.result.failed_writes;
    return s_.requests.finish(call, Failure::DependencyFailed, primary_down_cause(db));
  }
  const std::uint32_t primary_region = db.regions[db.primary];
  if (!s_.backbone.reachable(writer.region, primary_region)) {
    ++db.result.failed_writes;
    return s_.requests.finish(call, Failure::DependencyFailed, s_.blame.backbone());
  }
  sim::Duration takes = 2 * s_.backbone.one_way(writer.region, primary_region, s_.rng(writer.stream)) + db.config.write_latency;
  if (db.config.synchronous) {
    sim::Duration nearest = sim::Duration::max();
    for (std::size_t i = 0; i < db.instances.size(); ++i)
      if (i != db.primary && s_.components.is_up(db.instances[i]) && s_.backbone.reachable(primary_region, db.regions[i]))
        nearest = std::min(nearest, 2 * s_.backbone.one_way(primary_region, db.regions[i], s_.rng(db.stream)));
    if (nearest == sim::Duration::max()) {  // no replica to acknowledge: the commit cannot complete
      ++db.result.failed_writes;
      faults::CauseId cause = s_.blame.backbone();
      for (ComponentId instance : db.instances) cause = s_.blame.unite(cause, s_.blame.component(instance));
      return s_.requests.finish(call, Failure::DependencyFailed, cause);
    }
    takes += nearest;
  }
  s_.engine.schedule_at(s_.engine.now() + takes, WriteDone{call, generation});
}

// The commit is done (if the primary is still there): asynchronous replication finishes a lag later.
void Databases::on(const WriteDone& e) {
  traffic::CallPool& calls = s_.requests.calls();
  if (!calls.current(e.call, e.generation) || calls[e.call].callee_done) return;
  const Workload& wl = s_.fleet.workloads[calls[e.call].workload];
  Database& db = databases_[s_.fleet.service_database[wl.service]];
  if (!primary_up(db)) {
    ++db.result.failed_writes;
    return s_.requests.finish(e.call, Failure::DependencyFailed, primary_down_cause(db));
  }
  ++db.result.writes;
  if (!db.config.synchronous) {
    const double lag_s = s_.rng(db.stream).exponential(sim::to_seconds(db.config.replication_lag));
    db.replicating.push_back((s_.engine.now() + sim::from_seconds(lag_s)).ns());
    std::push_heap(db.replicating.begin(), db.replicating.end(), std::greater<>{});
  }
  s_.requests.advance(e.call);
}

void Databases::component_changed(const ComponentRef& ref, ComponentId c, bool up) {
  if (!up && ref.kind == topology::ComponentKind::DatabaseInstance) instance_down(databases_[ref.index], c);
}

// The primary failed: writes not yet replicated are lost (RPO), and writes fail until a replica
// is promoted after detection and promotion (RTO). A returning instance rejoins as a replica.
void Databases::instance_down(Database& db, ComponentId instance) {
  if (instance != db.instances[db.primary] || !db.writable) return;
  const sim::SimTime now = s_.engine.now();
  while (!db.replicating.empty() && db.replicating.front() <= now.ns()) {
    std::pop_heap(db.replicating.begin(), db.replicating.end(), std::greater<>{});
    db.replicating.pop_back();
  }
  db.result.lost_writes += db.replicating.size();
  db.result.failures.push_back(models::results::DatabaseFailure{now.since_start(), static_cast<std::uint32_t>(instance.index()), db.replicating.size(), std::nullopt});
  db.unavailable_cause = s_.blame.component(instance);
  db.replicating.clear();
  db.writable = false;
  db.unavailable_since = now;
  const auto d = static_cast<std::uint32_t>(&db - databases_.data());
  s_.engine.schedule_after(db.config.failover_detection + db.config.promotion_delay, DatabasePromotion{d});
}

void Databases::on(const DatabasePromotion& e) {
  Database& db = databases_[e.database];
  const sim::SimTime now = s_.engine.now();
  for (std::uint32_t i = 0; i < db.instances.size(); ++i) {
    if (i == db.primary || !s_.components.is_up(db.instances[i])) continue;
    db.primary = i;
    db.writable = true;
    db.result.failures.back().writable_again_at = now.since_start();
    ++db.result.failovers;
    db.result.write_unavailable += now - db.unavailable_since;
    return;
  }
  // No replica to promote: the old primary may come back; try again later.
  if (s_.components.is_up(db.instances[db.primary])) {
    db.writable = true;
    db.result.failures.back().writable_again_at = now.since_start();
    db.result.write_unavailable += now - db.unavailable_since;
    return;
  }
  s_.engine.schedule_after(db.config.promotion_delay, DatabasePromotion{e.database});
}

void Databases::add_results(models::results::RunResult& out, sim::SimTime horizon) {
  for (Database& db : databases_) {
    if (!db.writable) db.result.write_unavailable += horizon - db.unavailable_since;  // still down at the end
    db.result.primary_region = s_.fleet.regions[db.regions[db.primary]].name;
    out.databases.push_back(db.result);
  }
}

}  // namespace models::data
