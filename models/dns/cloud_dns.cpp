#include "models/dns/cloud_dns.hpp"

namespace models::dns {

namespace {

// The VIP of the nearest region in `region_order` that passes `accept`.
template <class Accept>
std::optional<std::uint32_t> nearest(std::span<const std::uint32_t> region_order, std::span<const VipState> vips,
                                     Accept&& accept) {
  for (std::uint32_t region : region_order)
    for (const VipState& vip : vips)
      if (vip.region == region && accept(vip)) return region;
  return std::nullopt;
}

std::optional<std::uint32_t> by_weight(std::span<const VipState> vips, bool healthy_only, double uniform01) {
  double total = 0;
  for (const VipState& vip : vips)
    if (!healthy_only || vip.healthy) total += vip.weight;
  if (total <= 0) return std::nullopt;
  double point = uniform01 * total;
  std::optional<std::uint32_t> last;
  for (const VipState& vip : vips) {
    if ((healthy_only && !vip.healthy) || vip.weight <= 0) continue;
    last = vip.region;
    if (point < vip.weight) return vip.region;
    point -= vip.weight;
  }
  return last;  // rounding at the top end
}

}  // namespace

std::optional<std::uint32_t> cloud_dns_answer(Policy policy, std::span<const std::uint32_t> region_order,
                                              std::span<const VipState> vips, double trickle_ratio, double uniform01) {
  if (vips.empty()) return std::nullopt;
  switch (policy) {
    case Policy::Geolocation:
      if (auto healthy = nearest(region_order, vips, [](const VipState& v) { return v.healthy; })) return healthy;
      return nearest(region_order, vips, [](const VipState&) { return true; });
    case Policy::Failover: {
      const auto primary = nearest(region_order, vips, [](const VipState& v) { return v.primary && v.healthy; });
      const auto backup = nearest(region_order, vips, [](const VipState& v) { return v.backup && v.healthy; });
      if (primary && backup && uniform01 < trickle_ratio) return backup;
      if (primary) return primary;
      if (backup) return backup;
      return nearest(region_order, vips, [](const VipState& v) { return v.primary; });
    }
    case Policy::WeightedRoundRobin:
      if (auto healthy = by_weight(vips, true, uniform01)) return healthy;
      return by_weight(vips, false, uniform01);
  }
  return std::nullopt;
}

}  // namespace models::dns
