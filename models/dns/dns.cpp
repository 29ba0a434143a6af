#include "models/dns/dns.hpp"

#include <algorithm>

#include "models/dns/cloud_dns.hpp"
#include "models/subsystems.hpp"

namespace models::dns {

Dns::Dns(Subsystems& s) : s_(s), tier_history_(s.gateway.tier_count(), {{sim::SimTime{}, true}}) {
  const Fleet& fleet = s.fleet;
  clients_.resize(fleet.clients.size());
  if (!fleet.config.dns) return;
  for (std::size_t c = 0; c < fleet.clients.size(); ++c) {
    clients_[c].instances.assign(fleet.config.clients[c].dns.instances, Instance{});
    clients_[c].region_order = fleet.latencies.by_distance_from(fleet.clients[c].region);
  }
}

void Dns::outage_started(Subsystems& s, std::uint32_t) { ++s.dns.outages_; }
void Dns::outage_ended(Subsystems& s, std::uint32_t) { --s.dns.outages_; }

void Dns::component_changed(const ComponentRef& ref, bool up) {
  if (ref.kind == topology::ComponentKind::GatewayProxyTier) tier_history_[ref.index].emplace_back(s_.engine.now(), up);
}

void Dns::latencies_changed() {
  for (std::size_t c = 0; c < clients_.size(); ++c)
    if (!clients_[c].region_order.empty())
      clients_[c].region_order = s_.backbone.latencies().by_distance_from(s_.fleet.clients[c].region);
}

bool Dns::tier_up(std::uint32_t region) const {
  const std::uint32_t t = s_.fleet.regions[region].gateway_tier;
  return t != kNone && s_.gateway.tier_up(t);
}

// Cloud DNS sees a VIP's health `health_delay` late.
bool Dns::vip_healthy_as_dns_sees_it(std::uint32_t region) const {
  const std::uint32_t t = s_.fleet.regions[region].gateway_tier;
  if (t == kNone) return false;
  const sim::SimTime now = s_.engine.now();
  const sim::SimTime seen_at = now - std::min(now.since_start(), s_.fleet.config.dns->health_delay);
  bool up = true;
  for (const auto& [at, state] : tier_history_[t]) {
    if (at > seen_at) break;
    up = state;
  }
  return up;
}

// One request's client process finds the gateway: through its pooled connection while it lasts
// and its VIP answers, else its own cache, else the shared resolver (which honours the TTL), else
// Cloud DNS.
std::uint32_t Dns::resolve_gateway(std::uint32_t c, sim::RngStream& crng) {
  const sim::SimTime now = s_.engine.now();
  const Fleet& fleet = s_.fleet;
  const auto& cdns = fleet.config.clients[c].dns;
  ClientDns& client = clients_[c];
  Instance& inst = client.instances[crng.uniform_below(client.instances.size())];
  if (inst.connected_vip != kNone && now < inst.connected_until) {
    if (tier_up(inst.connected_vip)) return inst.connected_vip;
    inst.connected_vip = kNone;  // the connection broke: connect again, through the caches
  }
  if (inst.cached_vip == kNone || (!cdns.cache_forever && now >= inst.cached_until)) {
    if (client.resolver_vip == kNone || now >= client.resolver_until) {
      // Cloud DNS is down: the resolver answers SERVFAIL (no serve-stale, RFC 8767 is opt-in).
      if (outages_ > 0) return kNone;
      const auto& dns = *fleet.config.dns;
      std::vector<VipState> vips;
      for (std::uint32_t r = 0; r < fleet.regions.size(); ++r) {
        if (fleet.regions[r].gateway_tier == kNone) continue;
        VipState vip;
        vip.region = r;
        vip.healthy = vip_healthy_as_dns_sees_it(r);
        vip.primary = std::find(dns.primary.begin(), dns.primary.end(), fleet.regions[r].name) != dns.primary.end();
        vip.backup = std::find(dns.backup.begin(), dns.backup.end(), fleet.regions[r].name) != dns.backup.end();
        for (const auto& [name, weight] : dns.weights)
          if (name == fleet.regions[r].name) vip.weight = weight;
        vips.push_back(vip);
      }
      const Policy policy = dns.policy == config::DnsPolicy::Geolocation ? Policy::Geolocation
                            : dns.policy == config::DnsPolicy::Failover  ? Policy::Failover
                                                                        : Policy::WeightedRoundRobin;
      const double draw = crng.uniform01();
      const std::uint32_t answer =
          cloud_dns_answer(policy, client.region_order, vips, dns.trickle_ratio, draw).value_or(fleet.clients[c].region);
      if (client.resolver_vip != kNone && answer != client.resolver_vip) {
        // Away from the VIP it answered before: what took that VIP's tier (or its backends) down.
        const std::uint32_t old_tier = fleet.regions[client.resolver_vip].gateway_tier;
        s_.metrics.reacted(metrics::Reaction::DnsAnswerChanged,
                           old_tier == kNone ? faults::kNoCause : s_.blame.component(s_.gateway.tier_component(old_tier)));
      }
      client.resolver_vip = answer;
      client.resolver_until = now + dns.ttl;
    }
    inst.cached_vip = client.resolver_vip;
    // A client cache that ignores the TTL keeps the answer its own time; otherwise the TTL's rest.
    inst.cached_until = cdns.cache ? now + *cdns.cache : client.resolver_until;
  }
  if (cdns.connection_lifetime) {
    inst.connected_vip = inst.cached_vip;
    inst.connected_until = now + *cdns.connection_lifetime;
  }
  return inst.cached_vip;
}

}  // namespace models::dns
