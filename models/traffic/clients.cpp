#include "models/traffic/clients.hpp"

#include <algorithm>

#include "models/subsystems.hpp"

namespace models::traffic {

Clients::Clients(Subsystems& s) : s_(s), arrivals_end_(sim::SimTime::at(s.fleet.config.run.duration)) {}

void Clients::start() {
  for (std::uint32_t c = 0; c < s_.fleet.clients.size(); ++c) {
    const Client& client = s_.fleet.clients[c];
    const sim::SimTime first = client.rate.next(sim::SimTime{}, /*first=*/true, arrivals_end_, s_.rng(client.stream));
    if (first < arrivals_end_) s_.engine.schedule_at(first, ClientArrival{c});
  }
}

void Clients::on(const ClientArrival& e) {
  const sim::SimTime now = s_.engine.now();
  const Fleet& fleet = s_.fleet;
  const Client& client = fleet.clients[e.client];
  sim::RngStream& crng = s_.rng(client.stream);
  const sim::SimTime next = client.rate.next(now, /*first=*/false, arrivals_end_, crng);
  if (next < arrivals_end_) s_.engine.schedule_at(next, ClientArrival{e.client});

  const auto step = static_cast<std::uint32_t>(s_.metrics.step_of(now));
  s_.metrics.arrival(e.client, step);
  const double u = crng.uniform01();
  const auto path = static_cast<std::size_t>(
      std::upper_bound(client.path_cumulative_weight.begin(), client.path_cumulative_weight.end(), u) -
      client.path_cumulative_weight.begin());
  const std::uint32_t route = client.path_route[std::min(path, client.path_route.size() - 1)];
  if (route != kNone) s_.metrics.route_requested(route, step);  // the request's path decides its route

  // Which VIP: the client's region's, or with DNS the one this client process resolved (and may
  // still hold in its caches or a pooled connection).
  const std::uint32_t vip_region = fleet.config.dns ? s_.dns.resolve_gateway(e.client, crng) : client.region;
  if (vip_region == kNone) {
    s_.metrics.failure(e.client, step, Failure::DnsFailure, s_.blame.dns(), metrics::RequestPlace{route});
    return;
  }
  const std::uint32_t t = fleet.regions[vip_region].gateway_tier;
  if (t == kNone || !s_.gateway.tier_up(t) || !s_.backbone.reachable(client.region, vip_region)) {
    faults::CauseId cause = t == kNone ? faults::kNoCause : s_.blame.component(s_.gateway.tier_component(t));
    if (!s_.backbone.reachable(client.region, vip_region)) cause = s_.blame.unite(cause, s_.blame.backbone());
    s_.metrics.failure(e.client, step, Failure::GatewayUnreachable, cause, metrics::RequestPlace{route});
    return;
  }
  // A VIP in another region: DNS answered away from the client's own, because of what took it down.
  faults::CauseId cause = faults::kNoCause;
  if (vip_region != client.region) {
    const std::uint32_t own = fleet.regions[client.region].gateway_tier;
    if (own != kNone) cause = s_.blame.component(s_.gateway.tier_component(own));
    cause = s_.blame.unite(cause, s_.blame.link(client.region, vip_region));
  }
  const sim::Duration to_vip = client.access_latency +
                               (vip_region == client.region ? sim::Duration::zero() : s_.backbone.latencies().latency[client.region][vip_region]);
  const sim::Duration to_proxy = to_vip + fleet.config.gateway.proxy_latency;
  if (route == kNone) {
    s_.metrics.failure(e.client, step, Failure::NoRoute);
    return;
  }
  s_.gateway.forward(e.client, step, t, route, to_proxy, cause);
}

}  // namespace models::traffic
