#include "models/subsystems.hpp"

#include <map>

namespace models {

Subsystems::Subsystems(World&& world)
    : fleet(std::move(static_cast<Fleet&>(world))),
      streams(std::move(world.streams)),
      components(fleet.graph.size()),
      blame(*this),
      metrics(*this),
      backbone(*this),
      gateway(*this, std::move(world.tiers)),
      dns(*this),
      kubernetes(*this),
      deployments(*this),
      istiod(*this),
      requests(*this),
      ztunnels(*this),
      waypoints(*this, std::move(world.upstreams)),
      clients(*this),
      databases(*this, std::move(world.databases)),
      faults(*this, std::move(world.faults)) {
  // One FIFO lane per distinct call timeout: timeouts are scheduled a fixed delay after "now".
  std::map<std::int64_t, sim::LaneId> lanes;
  for (auto& s : fleet.services)
    for (auto& rc : s.calls) {
      auto [it, inserted] = lanes.try_emplace(rc.timeout.count(), sim::LaneId{});
      if (inserted) it->second = engine.add_lane(rc.timeout);
      rc.timeout_lane = it->second;
    }
  engine.reserve(1 << 16);
}

void Subsystems::start() {
  clients.start();
  gateway.start_health_checks();
  istiod.start();
  kubernetes.start();
  deployments.start();
  faults.start();
  waypoints.start();
  gateway.start_load_and_outlier_sweeps();
  metrics.start();
}

void Subsystems::component_changed(ComponentId c, bool up) {
  const ComponentRef& ref = fleet.refs[c.index()];
  kubernetes.component_changed(ref, up);  // a node: the node monitor's grace period starts
  requests.component_changed(ref, up);    // a pod: its calls are lost; a ztunnel: its pods' calls
  dns.component_changed(ref, up);         // a gateway tier: Cloud DNS sees it later
  databases.component_changed(ref, c, up);  // a primary: failover
  backbone.component_changed(ref);        // a link: latencies and reachability
  waypoints.component_changed(ref, up);   // a waypoint back: a fresh Envoy
  istiod.component_changed(ref, up);      // proxies, istiods, links back: a full push
}

}  // namespace models
