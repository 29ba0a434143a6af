#pragma once
// The foundation's routing rule, used by every proxy until the documented algorithms replace it:
// send to the closest region (by backbone latency) that has at least one endpoint the proxy
// considers usable, and round robin across that region's usable endpoints. A pure function: the
// caller owns the endpoint groups, the health view and the round-robin cursors.

#include <cstdint>
#include <optional>
#include <span>

namespace models::routing {

/// Endpoints of one region, as dense workload indices.
struct EndpointGroup {
  std::uint32_t region = 0;
  std::span<const std::uint32_t> endpoints;
};

/// `groups` in order of preference (closest first); `cursors[i]` is the round-robin position in
/// group i, advanced past the endpoint chosen. Returns the chosen endpoint, or nothing when no
/// group has a usable endpoint.
template <class IsUsable>
std::optional<std::uint32_t> pick_closest_region_round_robin(std::span<const EndpointGroup> groups,
                                                            std::span<std::uint32_t> cursors,
                                                            IsUsable&& is_usable) {
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& endpoints = groups[g].endpoints;
    const auto n = static_cast<std::uint32_t>(endpoints.size());
    if (n == 0) continue;
    std::uint32_t& cursor = cursors[g];
    for (std::uint32_t tried = 0; tried < n; ++tried) {
      const std::uint32_t candidate = endpoints[cursor % n];
      cursor = (cursor + 1) % n;
      if (is_usable(candidate)) return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace models::routing
