#include "models/routing/ztunnel_lb.hpp"

#include <algorithm>

namespace models::routing {
namespace {

enum class Scope : std::uint8_t { Network, Region, Zone, Subzone, Node };

constexpr Scope kPreferSameZone[] = {Scope::Network, Scope::Region, Scope::Zone};
constexpr Scope kPreferSameNode[] = {Scope::Network, Scope::Region, Scope::Zone, Scope::Subzone, Scope::Node};
constexpr Scope kLocalNode[] = {Scope::Node};

std::span<const Scope> scopes_of(ZtunnelLbMode mode) {
  switch (mode) {
    case ZtunnelLbMode::Standard:
      return {};
    case ZtunnelLbMode::PreferSameZone:
      return kPreferSameZone;
    case ZtunnelLbMode::PreferSameNode:
      return kPreferSameNode;
    case ZtunnelLbMode::StrictLocalNode:
      return kLocalNode;
  }
  return {};
}

bool same(Scope scope, const EndpointLocality& a, const EndpointLocality& b) {
  switch (scope) {
    case Scope::Network:
      return a.network == b.network;
    case Scope::Region:
      return a.region == b.region;
    case Scope::Zone:
      return a.zone == b.zone;
    case Scope::Subzone:
      return a.subzone == b.subzone;
    case Scope::Node:
      return a.node == b.node;
  }
  return false;
}

}  // namespace

std::uint32_t locality_rank(ZtunnelLbMode mode, const EndpointLocality& source, const EndpointLocality& endpoint) {
  std::uint32_t rank = 0;
  // Leading scopes only: same zone id in another region does not count.
  for (const Scope scope : scopes_of(mode)) {
    if (!same(scope, source, endpoint)) break;
    ++rank;
  }
  return rank;
}

std::optional<std::uint32_t> ztunnel_pick(ZtunnelLbMode mode, const EndpointLocality& source,
                                          std::span<const ZtunnelEndpoint> endpoints, sim::RngStream& rng) {
  // The rank every eligible endpoint must have.
  std::uint32_t required = 0;
  switch (mode) {
    case ZtunnelLbMode::Standard:
      break;  // every rank is 0: all healthy endpoints are eligible
    case ZtunnelLbMode::PreferSameZone:
    case ZtunnelLbMode::PreferSameNode: {
      bool any = false;
      for (const ZtunnelEndpoint& e : endpoints) {
        if (!e.healthy) continue;
        const std::uint32_t rank = locality_rank(mode, source, e.locality);
        if (!any || rank > required) required = rank;
        any = true;
      }
      if (!any) return std::nullopt;
      break;
    }
    case ZtunnelLbMode::StrictLocalNode:
      required = static_cast<std::uint32_t>(scopes_of(mode).size());  // all scopes must match
      break;
  }
  auto eligible = [&](const ZtunnelEndpoint& e) {
    return e.healthy && locality_rank(mode, source, e.locality) == required;
  };

  std::uint64_t total = 0;
  for (const ZtunnelEndpoint& e : endpoints)
    if (eligible(e)) total += e.capacity;
  if (total == 0) return std::nullopt;
  // Capacities 1 and 3: draw in [0, 4); 0 -> the first, 1..3 -> the second.
  std::uint64_t draw = rng.uniform_below(total);
  for (const ZtunnelEndpoint& e : endpoints) {
    if (!eligible(e)) continue;
    if (draw < e.capacity) return e.id;
    draw -= e.capacity;
  }
  return std::nullopt;  // unreachable: draw < total
}

RankedEndpoints rank_endpoints(ZtunnelLbMode mode, const EndpointLocality& source,
                               std::span<const ZtunnelEndpoint> endpoints) {
  const auto all_scopes = static_cast<std::uint32_t>(scopes_of(mode).size());
  RankedEndpoints out;
  // Highest rank first; Strict keeps only the rank that matches every scope.
  for (std::uint32_t rank = all_scopes + 1; rank-- > 0;) {
    if (mode == ZtunnelLbMode::StrictLocalNode && rank != all_scopes) continue;
    const auto start = out.order.size();
    for (std::uint32_t i = 0; i < endpoints.size(); ++i)
      if (locality_rank(mode, source, endpoints[i].locality) == rank) out.order.push_back(i);
    if (out.order.size() > start) out.group_end.push_back(static_cast<std::uint32_t>(out.order.size()));
  }
  return out;
}

}  // namespace models::routing
