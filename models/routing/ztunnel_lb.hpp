#pragma once
// ztunnel's endpoint selection for a Service (ROUTING.md 5.4), per connection, without strings.
//
//  - Candidates are the endpoints the control plane marks healthy; ztunnel itself has no outlier
//    detection, health checks or retries, so an unhealthy endpoint is never chosen and failover only
//    happens when istiod removes endpoints.
//  - Standard (default): random over all candidates in all clusters and regions, weighted by
//    workload capacity (default 1).
//  - PreferSameZone / PreferSameNode (Service trafficDistribution; failover scopes
//    [network, region, zone] / [network, region, zone, subzone, node]): an endpoint's rank is the
//    number of leading scopes it shares with the source; only candidates of the highest rank present
//    are eligible, then capacity-weighted random among them. There is no gradual spill: the next rank
//    is used only once every endpoint of the best rank is gone (unhealthy).
//  - StrictLocalNode (internalTrafficPolicy: Local; scopes [node], all must match): only candidates
//    on the source's node, else nothing.
//
// Capacity 0 [our choice]: such an endpoint still counts when finding the best rank but is never
// drawn; if the eligible endpoints' capacities sum to 0 there is no endpoint (ztunnel's weighted
// choice fails on all-zero weights).

#include <cstdint>
#include <algorithm>
#include <optional>
#include <span>
#include <vector>

#include "sim/rng.hpp"

namespace models::routing {

/// Where a workload runs, as dense ids. Ids are compared only within the same scope, so a zone id
/// need not be unique across regions (the rank requires the region to match first anyway).
struct EndpointLocality {
  std::uint32_t network = 0;
  std::uint32_t region = 0;
  std::uint32_t zone = 0;
  std::uint32_t subzone = 0;
  std::uint32_t node = 0;
  friend bool operator==(const EndpointLocality&, const EndpointLocality&) = default;
};

/// The load-balancing configurations istiod derives for ambient Services.
enum class ZtunnelLbMode : std::uint8_t {
  Standard,         ///< no trafficDistribution, no internalTrafficPolicy: Local
  PreferSameZone,   ///< Failover mode, scopes [network, region, zone] (also PreferClose)
  PreferSameNode,   ///< Failover mode, scopes [network, region, zone, subzone, node]
  StrictLocalNode,  ///< Strict mode, scopes [node]
};

struct ZtunnelEndpoint {
  std::uint32_t id = 0;  ///< the caller's dense endpoint (workload) id, returned by ztunnel_pick
  EndpointLocality locality;
  std::uint32_t capacity = 1;  ///< workload capacity, default 1
  bool healthy = true;         ///< as marked by the control plane
};

/// Number of leading scopes of `mode` on which `endpoint` matches `source` (0 for Standard).
/// PreferSameZone: 0..3; PreferSameNode: 0..5; StrictLocalNode: 0..1.
[[nodiscard]] std::uint32_t locality_rank(ZtunnelLbMode mode, const EndpointLocality& source,
                                          const EndpointLocality& endpoint);

/// Chooses an endpoint for a connection from `source`; returns its id, or nothing when no eligible
/// endpoint exists (the connection fails). Draws once from `rng` when there is a choice to make
/// (eligible capacity > 0), never otherwise. O(endpoints), no allocation.
[[nodiscard]] std::optional<std::uint32_t> ztunnel_pick(ZtunnelLbMode mode, const EndpointLocality& source,
                                                        std::span<const ZtunnelEndpoint> endpoints,
                                                        sim::RngStream& rng);

/// A Service's endpoints as seen from one source, grouped by rank, best group first, each group in
/// the endpoints' original order. Ranks depend only on where the source and the endpoints are, so
/// the simulator builds this once per (Service, source locality the mode ranks on: none, zone or
/// node) and, per proxy view, the lists a pick draws from (EligibleEndpoints below).
struct RankedEndpoints {
  std::vector<std::uint32_t> order;      ///< indices into the endpoints, grouped
  std::vector<std::uint32_t> group_end;  ///< end of each group in `order`
};

/// Groups `endpoints` for `source`: Standard gives one group; PreferSameZone / PreferSameNode one
/// group per rank, highest first; StrictLocalNode only the group that matches every scope.
[[nodiscard]] RankedEndpoints rank_endpoints(ZtunnelLbMode mode, const EndpointLocality& source,
                                             std::span<const ZtunnelEndpoint> endpoints);

/// What ztunnel_pick draws from, on precomputed ranks, kept between picks while the view it was
/// made from does not change: the healthy endpoints of nonzero capacity of the first group with a
/// healthy endpoint, in order, and their running capacity sums (empty: no endpoint to pick).
struct EligibleEndpoints {
  std::vector<std::uint32_t> ids;
  std::vector<std::uint64_t> cumulative;
};

/// Fills `out` for the groups in `ranked`: the first group with a healthy endpoint is eligible.
/// `healthy(i)` says whether endpoints[i] is healthy now (its own `healthy` field is not read).
/// O(endpoints scanned), reusing `out`'s storage.
template <class Healthy>
void eligible_endpoints(const RankedEndpoints& ranked, std::span<const ZtunnelEndpoint> endpoints, Healthy&& healthy,
                        EligibleEndpoints& out) {
  out.ids.clear();
  out.cumulative.clear();
  std::uint32_t begin = 0;
  for (const std::uint32_t end : ranked.group_end) {
    bool any = false;  // a healthy endpoint makes the group eligible, even at capacity 0
    std::uint64_t total = 0;
    for (std::uint32_t k = begin; k < end; ++k) {
      const std::uint32_t i = ranked.order[k];
      if (!healthy(i)) continue;
      any = true;
      if (endpoints[i].capacity == 0) continue;
      total += endpoints[i].capacity;
      out.ids.push_back(endpoints[i].id);
      out.cumulative.push_back(total);
    }
    if (any) return;
    begin = end;
  }
}

/// The same choice as ztunnel_pick, with the same single draw (none when nothing is eligible or
/// the eligible capacity is 0), in O(log n): the endpoint whose capacity interval holds the draw.
inline std::optional<std::uint32_t> ztunnel_pick_eligible(const EligibleEndpoints& eligible, sim::RngStream& rng) {
  if (eligible.cumulative.empty()) return std::nullopt;
  const std::uint64_t draw = rng.uniform_below(eligible.cumulative.back());
  const auto it = std::upper_bound(eligible.cumulative.begin(), eligible.cumulative.end(), draw);
  return eligible.ids[static_cast<std::size_t>(it - eligible.cumulative.begin())];
}

}  // namespace models::routing
