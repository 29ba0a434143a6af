#pragma once
// The structure function of a client group over the fleet graph: with a given set of components
// failed, the share of its requests that still find a working path. A path works when the client
// reaches an entry VIP (its own region's, or with Cloud DNS any the policy can answer: DNS must be
// up) whose gateway tier is up, the route's backend service has a ready pod in a region the
// backbone connects to that VIP, and every service on the call path (and the waypoint of a callee
// that has one, and its database: some instance up, a replica being promoted) has one too, in a
// region connected to its caller. Routing is taken to react at once and perfectly: no detection
// delay, stale view or failback, which is what the simulation adds.

#include <cstdint>
#include <span>
#include <vector>

#include "models/world.hpp"

namespace models::availability {

class ClientPaths {
 public:
  /// `failing`: the components that fail (an invalid id stands for Cloud DNS).
  ClientPaths(const World& world, std::vector<topology::ComponentId> failing);

  /// Share of client group `client`'s requests with a working path while the components
  /// `failing[i]` for i in `down` are failed (with everything that fails with them).
  double success(std::uint32_t client, std::span<const std::uint32_t> down) const;

 private:
  bool pod_ready(std::uint32_t workload) const;
  bool works(std::uint32_t service, std::uint32_t region) const;  // a ready pod there, callees reachable
  bool reachable(std::uint32_t service, std::uint32_t from_region) const;  // a call from there succeeds
  void connect_regions() const;

  const World& w_;
  std::vector<std::vector<std::uint32_t>> reach_;  // by failing component: graph indices down with it
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links_;  // backbone link -> its two regions
  std::vector<std::uint32_t> entry_regions_;       // with DNS: the regions whose VIP it may answer
  // Scratch for one evaluation (a ClientPaths is used by one thread at a time).
  mutable std::vector<std::uint32_t> down_count_;   // by graph component: failed components reaching it
  mutable bool dns_down_ = false;
  mutable std::vector<char> connected_;             // [from * regions + to]
  mutable std::vector<std::int8_t> works_;          // [service * regions + region]: -1 unknown, -2 visiting
  mutable std::vector<std::uint32_t> frontier_;     // connect_regions' breadth-first search
};

}  // namespace models::availability
