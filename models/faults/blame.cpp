#include "models/faults/blame.hpp"

#include <algorithm>

#include "models/faults/catalogue.hpp"
#include "models/subsystems.hpp"

namespace models::faults {

namespace {

// How long after a fault ends the fleet takes to put what it took down back in rotation, by its
// own settings: the gateway's health checks passing again (healthy_threshold probes) and the NEG
// syncing; Kubernetes readiness and istiod's push; an outlier ejection running out. Requests that
// go wrong in that time because of the fault's leftovers are its own.
sim::Duration settle_time(const config::ScenarioConfig& c) {
  const auto& hc = c.gateway.health_check;
  sim::Duration settle = hc.interval * static_cast<std::int64_t>(hc.healthy_threshold) + hc.timeout + c.gateway.neg_sync_delay;
  settle = std::max(settle, c.mesh.readiness_period + c.mesh.push_delay);
  if (const auto& od = c.gateway.backend_policy.outlier_detection) settle = std::max(settle, od->base_ejection_time + od->interval);
  for (const config::ServiceConfig& s : c.services)
    if (const auto& od = s.traffic_policy.outlier_detection) settle = std::max(settle, od->base_ejection_time + od->interval);
  return settle;
}

std::uint32_t region_index(const Fleet& fleet, const std::string& name) {
  for (std::uint32_t r = 0; r < fleet.regions.size(); ++r)
    if (fleet.regions[r].name == name) return r;
  return kNone;
}

}  // namespace

Blame::Blame(Subsystems& s)
    : s_(s),
      settle_(settle_time(s.fleet.config)),
      regions_(s.fleet.regions.size()),
      component_(s.fleet.graph.size(), kNoCause),
      service_loss_(s.fleet.services.size(), kNoCause),
      link_(regions_ * regions_, kNoCause),
      link_regions_(s.fleet.graph.size(), {kNone, kNone}) {
  const Fleet& fleet = s.fleet;
  for (std::size_t i = 0; i < fleet.backbone_links.size() && i < fleet.config.backbone.size(); ++i)
    link_regions_[fleet.backbone_links[i].index()] = {region_index(fleet, fleet.config.backbone[i].from),
                                                      region_index(fleet, fleet.config.backbone[i].to)};
}

// Adds the fault to (or removes it from) everything it blames. What a fault blames follows from
// its catalogue row: Cloud DNS for a fault without a fleet target; nothing for the config
// cluster's control plane (its effects show as other faults' stale views); otherwise its reach,
// plus the services whose pods it takes down, the control plane if it reaches an istiod, and the
// links it reaches.
template <class Change>
void Blame::apply(const Fault& fault, Change change) {
  const FaultKindRow& kind = row(fault.kind);
  if (kind.target == Target::CloudDns) {
    dns_ = change(dns_);
    return;
  }
  if (kind.target == Target::ConfigCluster) return;
  const Fleet& fleet = s_.fleet;
  const bool takes_down = !fault.holds.empty();
  for (ComponentId c : fault.reach) {
    component_[c.index()] = change(component_[c.index()]);
    const ComponentRef& ref = fleet.refs[c.index()];
    switch (ref.kind) {
      case topology::ComponentKind::Pod:
      case topology::ComponentKind::WaypointReplica: {
        CauseId& loss = service_loss_[fleet.workloads[ref.index].service];
        if (takes_down) loss = change(loss);
        break;
      }
      case topology::ComponentKind::Istiod: control_ = change(control_); break;
      case topology::ComponentKind::BackboneLink: {
        const auto [a, b] = link_regions_[c.index()];
        if (takes_down) backbone_ = change(backbone_);
        if (a == kNone || b == kNone) break;
        link_[a * regions_ + b] = change(link_[a * regions_ + b]);
        link_[b * regions_ + a] = change(link_[b * regions_ + a]);
        break;
      }
      default: break;
    }
  }
}

CauseId Blame::endpoint_trouble(const Workload& wl) {
  CauseId cause = sets_.unite(workload(wl), backbone_);
  for (const ResolvedCall& call : s_.fleet.services[wl.service].calls) cause = sets_.unite(cause, service_loss_[call.callee]);
  return cause;
}

void Blame::fault_started(std::uint32_t f) {
  apply(s_.faults.fault(f), [&](CauseId id) { return sets_.with(id, f); });
}

void Blame::fault_ended(std::uint32_t f) { s_.engine.schedule_after(settle_, BlameExpires{f}); }

void Blame::on(const BlameExpires& e) {
  apply(s_.faults.fault(e.fault), [&](CauseId id) { return sets_.without(id, e.fault); });
}

}  // namespace models::faults
