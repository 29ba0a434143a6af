#include "models/ztunnel/ztunnel.hpp"

#include "models/subsystems.hpp"

namespace models::ztunnel {

using traffic::Failure;

Ztunnels::Ztunnels(Subsystems& s)
    : s_(s), cursors_(s.fleet.nodes.size() * s.fleet.services.size() * s.fleet.regions.size(), 0) {}

std::span<std::uint32_t> Ztunnels::cursors(std::uint32_t node, std::uint32_t service) {
  const std::size_t regions = s_.fleet.regions.size();
  return std::span<std::uint32_t>(cursors_).subspan((node * s_.fleet.services.size() + service) * regions, regions);
}

const routing::EligibleEndpoints& Ztunnels::eligible(std::uint32_t ztunnel, std::uint32_t table, const Service& callee) {
  const control::EndpointViews& views = s_.istiod.views();
  const std::uint32_t id = views.view_id(ztunnel);
  if (picks_.size() <= id) picks_.resize(id + 1);
  std::vector<CachedPick>& by_table = picks_[id];
  if (by_table.empty()) by_table.resize(s_.fleet.ztunnel_ranked.size());
  CachedPick& cached = by_table[table];
  if (cached.view_version != views.version(id)) {
    const std::vector<std::uint8_t>& view = views.view(ztunnel);
    const auto& endpoints = callee.ztunnel_endpoints;
    routing::eligible_endpoints(s_.fleet.ztunnel_ranked[table], endpoints,
                                [&](std::uint32_t i) { return view[endpoints[i].id] != 0; }, cached.eligible);
    cached.view_version = views.version(id);
  }
  return cached.eligible;
}

// From the calling pod: its node's ztunnel, then the callee's waypoint if it has one (which makes
// the attempts to pods), else straight to the destination node's ztunnel and the pod. Each proxy
// chooses with its own view of the endpoints.
void Ztunnels::issue_call(std::uint32_t parent, const ResolvedCall& rc) {
  const sim::SimTime now = s_.engine.now();
  const Fleet& fleet = s_.fleet;
  const auto& mesh = fleet.config.mesh;
  traffic::CallPool& calls = s_.requests.calls();
  traffic::Requests& requests = s_.requests;
  const std::uint32_t j = calls.allocate();  // may move the pool: take references after this
  const traffic::Call& caller = calls[parent];
  const Workload& src = fleet.workloads[caller.workload];
  sim::RngStream& srng = s_.rng(src.stream);
  traffic::Call& call = calls[j];
  call.parent = parent;
  call.parent_generation = caller.generation;
  call.service = rc.callee;
  call.workload = caller.workload;  // until a destination is chosen
  call.sent_at = now;
  call.deadline = now + rc.timeout;
  call.has_timeout = true;
  s_.engine.schedule_in_lane(rc.timeout_lane, CallTimeout{j, call.generation});

  const Node& node = fleet.nodes[src.node];
  const std::uint32_t ztunnel = node.ztunnel_proxy;
  const Service& callee = fleet.services[rc.callee];
  sim::Duration forward = mesh.ztunnel_latency;
  // The pod's outbound traffic is redirected to its node's ztunnel, which needs a valid certificate.
  faults::Blame& blame = s_.blame;
  if (!s_.components.is_up(node.ztunnel))
    return requests.lose(j, Failure::ConnectionRefused, now, blame.component(node.ztunnel));
  if (!s_.istiod.cert_valid(ztunnel, now)) return requests.lose(j, Failure::CertificateExpired, now + forward, blame.control_plane());
  const std::vector<std::uint8_t>& view = s_.istiod.view(ztunnel);
  if (callee.has_waypoint) {
    const auto waypoint = routing::pick_closest_region_round_robin(
        std::span<const routing::EndpointGroup>(fleet.waypoint_groups[src.region][rc.callee]), cursors(src.node, rc.callee),
        [&](std::uint32_t wl) { return view[wl] != 0; });
    if (!waypoint) return requests.lose(j, Failure::WaypointUnavailable, now + forward, blame.service_loss(rc.callee));
    const std::uint32_t to = fleet.workloads[*waypoint].region;
    if (!s_.backbone.reachable(src.region, to))
      return requests.lose(j, Failure::ConnectTimeout, now + mesh.connect_timeout, blame.backbone());
    if (to != src.region) requests.blame(j, blame.failover(src.region, to, rc.callee));
    forward += s_.backbone.one_way(src.region, fleet.workloads[*waypoint].region, srng);
    calls[j].kind = traffic::CallKind::ToWaypoint;
    calls[j].workload = *waypoint;
    calls[j].one_way = forward;
    // A saturated waypoint takes longer before it forwards anything.
    s_.engine.schedule_at(now + forward + requests.pod(*waypoint).added_latency, WaypointArrival{j, calls[j].generation});
    return;
  }
  // ztunnel's own choice (5.4): only endpoints istiod says are ready; random over all of them, or
  // only the best-ranked locality, or only this node, as the Service asks. No retries.
  const auto dest = routing::ztunnel_pick_eligible(eligible(ztunnel, fleet.ztunnel_table(src.node, rc.callee), callee),
                                                   s_.rng(src.stream));
  if (!dest) return requests.lose(j, Failure::NoHealthyUpstream, now + forward, blame.service_loss(rc.callee));
  const std::uint32_t to = fleet.workloads[*dest].region;
  if (!s_.backbone.reachable(src.region, to)) return requests.lose(j, Failure::ConnectTimeout, now + mesh.connect_timeout, blame.backbone());
  if (to != src.region) requests.blame(j, blame.failover(src.region, to, rc.callee));
  forward += s_.backbone.one_way(src.region, fleet.workloads[*dest].region, srng) + mesh.ztunnel_latency;
  calls[j].workload = *dest;
  calls[j].one_way = forward;
  s_.engine.schedule_at(now + forward, PodArrival{j, calls[j].generation});
}

}  // namespace models::ztunnel
