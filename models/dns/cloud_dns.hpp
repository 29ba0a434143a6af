#pragma once
// Cloud DNS's answer for the gateway's name (ROUTING.md 8.1): a routing policy over the regional
// VIPs, skipping the ones its health checking sees as unhealthy. A pure function; the caller
// supplies the health Cloud DNS sees and the draws.

#include <cstdint>
#include <optional>
#include <span>

namespace models::dns {

enum class Policy : std::uint8_t { Geolocation, Failover, WeightedRoundRobin };

struct VipState {
  std::uint32_t region = 0;
  bool healthy = true;
  bool primary = false;  // failover policy
  bool backup = false;   // failover policy
  double weight = 0;     // weighted round robin
};

/// The region whose VIP Cloud DNS answers for a client whose regions by distance are
/// `region_order`, or nothing when there are no VIPs. `uniform01` is one draw in [0, 1), used for
/// the failover policy's trickle ratio and for weighted round robin.
/// - Geolocation: the nearest region with a healthy VIP (nearest match when no exact match); when
///   none is healthy, the nearest VIP anyway (DNS still answers).
/// - Failover: the nearest healthy primary; all primaries unhealthy: the nearest healthy backup; a
///   `trickle_ratio` share of answers go to the backup even while the primary is healthy.
/// - Weighted round robin: by weight over the healthy VIPs (unhealthy ones removed, the rest
///   renormalised); none healthy: by weight over all.
std::optional<std::uint32_t> cloud_dns_answer(Policy policy, std::span<const std::uint32_t> region_order,
                                              std::span<const VipState> vips, double trickle_ratio, double uniform01);

}  // namespace models::dns
