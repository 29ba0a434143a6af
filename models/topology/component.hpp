#pragma once
// What the vertices and edges of the fleet graph are.

#include <cstdint>

#include "sim/strong_id.hpp"

namespace models::topology {

/// A vertex of the fleet graph. Vertex ids are dense (Boost.Graph vecS), in creation order.
using ComponentId = sim::StrongId<struct ComponentTag>;

enum class ComponentKind : std::uint8_t {
  Region,
  Zone,
  Cluster,
  Istiod,            // the control plane of a cluster (multi-primary: one per cluster)
  Node,
  Ztunnel,           // one per node: L4 proxy of the ambient mesh
  WaypointReplica,   // one pod of a service's waypoint (Envoy, L7)
  Pod,               // one replica of a service
  Gateway,           // the multi-cluster Gateway resource (programmed from the config cluster)
  GatewayProxyTier,  // the Google-managed Envoy proxies behind one regional VIP
  BackboneLink,      // a network link between two regions
  DatabaseInstance,  // one instance (primary or replica) of a replicated database, in a region
};
inline constexpr int kComponentKindCount = 12;

const char* to_string(ComponentKind kind);

/// How two components relate. Failure flows along Contains, RunsOn and DependsOn edges from
/// source to target; Configures and Link edges carry no failure (a data plane keeps working
/// with its last configuration when its control plane is gone: static stability).
enum class EdgeKind : std::uint8_t {
  Contains,    // region -> zone, region -> cluster, zone -> node, cluster -> node, cluster -> istiod
  RunsOn,      // node -> ztunnel, node -> pod, node -> waypoint replica (target runs on source)
  DependsOn,   // ztunnel -> pods and waypoint replicas on its node (their mesh traffic goes through it)
  Configures,  // istiod -> ztunnels and waypoints it serves; config cluster -> gateway
  Link,        // region <-> region through a backbone link vertex, with one-way latency and jitter
};

const char* to_string(EdgeKind kind);

constexpr bool propagates_failure(EdgeKind kind) {
  return kind == EdgeKind::Contains || kind == EdgeKind::RunsOn || kind == EdgeKind::DependsOn;
}

}  // namespace models::topology
