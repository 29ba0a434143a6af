#include "models/backbone/backbone.hpp"

#include <algorithm>

#include "models/subsystems.hpp"

namespace models::backbone {

Backbone::Backbone(Subsystems& s) : s_(s), latencies_(s.fleet.latencies) {}

sim::Duration Backbone::base_latency(std::uint32_t from, std::uint32_t to) const {
  return from == to ? s_.fleet.regions[from].intra_latency : latencies_.latency[from][to];
}

sim::Duration Backbone::one_way(std::uint32_t from, std::uint32_t to, sim::RngStream& r) const {
  sim::Duration base, jitter;
  if (from == to) {
    base = s_.fleet.regions[from].intra_latency;
    jitter = s_.fleet.regions[from].intra_jitter;
  } else {
    base = latencies_.latency[from][to];
    jitter = latencies_.jitter[from][to];
  }
  if (jitter > sim::Duration::zero()) base += sim::Duration{static_cast<std::int64_t>(r.uniform_below(jitter.count()))};
  // A lost packet on an established connection is sent again after the retransmission timeout:
  // Linux's minimum RTO of 200 ms, doubling on each further loss.
  if (from != to) {
    const double loss = latencies_.loss[from][to];
    sim::Duration rto = std::chrono::milliseconds{200};
    for (int lost = 0; loss > 0 && lost < 8 && r.bernoulli(loss); ++lost, rto *= 2) base += rto;
  }
  return base;
}

void Backbone::degradation_started(Subsystems& s, std::uint32_t fault) {
  auto& active = s.backbone.degradations_;
  active.insert(std::upper_bound(active.begin(), active.end(), fault), fault);
  s.backbone.recompute();
}

void Backbone::degradation_ended(Subsystems& s, std::uint32_t fault) {
  auto& active = s.backbone.degradations_;
  active.erase(std::find(active.begin(), active.end(), fault));
  s.backbone.recompute();
}

void Backbone::component_changed(const ComponentRef& ref) {
  if (ref.kind == topology::ComponentKind::BackboneLink) recompute();
}

// Region-to-region latencies over the links that are up, with the active degradations added (in
// fault order).
void Backbone::recompute() {
  const Fleet& fleet = s_.fleet;
  std::vector<ComponentId> down, regions;
  for (ComponentId link : fleet.backbone_links)
    if (!s_.components.is_up(link)) down.push_back(link);
  std::vector<std::pair<ComponentId, topology::LinkLatency>> added;
  for (std::uint32_t f : degradations_) added.emplace_back(s_.faults.fault(f).root, s_.faults.fault(f).added);
  for (const Region& r : fleet.regions) regions.push_back(r.component);
  latencies_ = fleet.graph.region_latencies(regions, down, added);
  // The gateway's proxies fill the closest region first, and Cloud DNS answers the nearest VIP, by
  // the latencies as they are now.
  s_.gateway.latencies_changed();
  s_.dns.latencies_changed();
}

}  // namespace models::backbone
