#pragma once
// Which faults are behind a component's behaviour right now: the cause a bad request records.
//
// A fault blames what it reaches in the fleet graph (its target and everything that fails with
// it, along the depends-on edges) from its start until `settle` after its end: a proxy still
// sending to an endpoint the fault took down (its health check has not noticed yet), or an
// endpoint not yet back in rotation after the fault ended, is the fault's doing. Beside each
// component it keeps the faults that took capacity from each service (a queue that overflows
// because traffic failed over to it), those that reach an istiod (certificates), the backbone's
// links (reachability, degraded latency) and Cloud DNS.
//
// The request path asks at the moment something goes wrong (blame.hpp is read, never written,
// by traffic, gateway, ztunnel, waypoints and databases); with no fault active every answer is
// kNoCause and costs a load.

#include <cstdint>
#include <vector>

#include "models/events.hpp"
#include "models/faults/cause_sets.hpp"
#include "models/fleet/fleet.hpp"
#include "sim/time.hpp"

namespace models {
struct Subsystems;
}

namespace models::faults {

struct Fault;

class Blame {
 public:
  using Handles = EventList<BlameExpires>;
  explicit Blame(Subsystems& s);

  /// How long a fault stays to blame after it ends (see the README's metrics section).
  sim::Duration settle() const { return settle_; }

  void fault_started(std::uint32_t fault);
  void fault_ended(std::uint32_t fault);
  void on(const BlameExpires& e);

  CauseSets& sets() { return sets_; }
  const CauseSets& sets() const { return sets_; }
  CauseId unite(CauseId a, CauseId b) { return sets_.unite(a, b); }

  CauseId component(ComponentId c) const { return component_[c.index()]; }
  /// A pod or waypoint replica: faults on it, its node or its ztunnel (all in its reach).
  CauseId workload(const Workload& wl) const { return component_[wl.component.index()]; }
  /// Faults that took some of the service's pods or waypoint replicas down.
  CauseId service_loss(std::uint32_t service) const { return service_loss_[service]; }
  CauseId control_plane() const { return control_; }
  CauseId dns() const { return dns_; }
  /// Faults on the backbone: any link cut (reachability) or, for a pair with a direct link, that
  /// link's own faults (latency, loss).
  CauseId backbone() const { return backbone_; }
  CauseId link(std::uint32_t from_region, std::uint32_t to_region) const {
    return link_[from_region * regions_ + to_region];
  }
  /// Why a health check or an outlier detector finds an endpoint failing: faults on it, on the
  /// services it calls (taken down), and on the backbone. A routing reaction to the endpoint
  /// detects these faults.
  CauseId endpoint_trouble(const Workload& wl);
  /// A call sent from one region to another: the faults that took capacity from the service
  /// (failover sends calls away from their region) and the link's own faults. Baseline traffic
  /// that crosses regions anyway gets them too; they count only if the request ends bad.
  CauseId failover(std::uint32_t from_region, std::uint32_t to_region, std::uint32_t service) {
    return from_region == to_region ? kNoCause : sets_.unite(service_loss_[service], link(from_region, to_region));
  }

 private:
  template <class Change>
  void apply(const Fault& fault, Change change);

  Subsystems& s_;
  CauseSets sets_;
  sim::Duration settle_;
  std::size_t regions_;
  std::vector<CauseId> component_;     // by component index
  std::vector<CauseId> service_loss_;  // by service
  std::vector<CauseId> link_;          // [from region][to region]
  std::vector<std::pair<std::uint32_t, std::uint32_t>> link_regions_;  // by component index of a link
  CauseId control_ = kNoCause, dns_ = kNoCause, backbone_ = kNoCause;
};

}  // namespace models::faults
