#pragma once
// ztunnel, the ambient mesh's per-node L4 proxy: a pod's outbound call is redirected to its node's
// ztunnel, which sends it to the callee's waypoint (closest region first, round robin) or, without
// one, picks a ready pod itself (ROUTING.md 5.4), with the view its istiod pushed. No retries, no
// outlier detection.

#include <cstdint>
#include <span>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"
#include "models/routing/ztunnel_lb.hpp"

namespace models {
struct Subsystems;
}

namespace models::ztunnel {

class Ztunnels {
 public:
  using Handles = EventList<>;
  explicit Ztunnels(Subsystems& s);

  /// A pod serving call `parent` calls `rc.callee`: the call leaves through the pod's ztunnel.
  void issue_call(std::uint32_t parent, const ResolvedCall& rc);

 private:
  std::span<std::uint32_t> cursors(std::uint32_t node, std::uint32_t service);
  /// What a ztunnel with this view draws from for this ranked table, rebuilt when the view changes.
  const routing::EligibleEndpoints& eligible(std::uint32_t ztunnel, std::uint32_t table, const Service& callee);

  struct CachedPick {
    std::uint64_t view_version = 0;  // 0: not built
    routing::EligibleEndpoints eligible;
  };

  Subsystems& s_;
  std::vector<std::uint32_t> cursors_;  // round robin over waypoint replicas, [node][service][region]
  // Per stored view (shared by the ztunnels that agree) and ranked table: picks draw from these
  // lists instead of scanning the endpoints, so a pick costs O(log n) however large the fleet.
  std::vector<std::vector<CachedPick>> picks_;  // [view id][ranked table]
};

}  // namespace models::ztunnel
