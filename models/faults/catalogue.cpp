#include "models/faults/catalogue.hpp"

#include <array>
#include <stdexcept>

#include "models/subsystems.hpp"

namespace models::faults {

namespace {

using config::FaultKind;
using backbone::Backbone;
using dns::Dns;
using kubernetes::Deployments;
using kubernetes::Kubernetes;
using traffic::Requests;

// kind, spelling, target, what it holds down, parameters, the owning subsystem's apply and revert.
constexpr std::array kRows{
    FaultKindRow{FaultKind::RegionOutage, "region-outage", Target::Region, Holds::Reach, 0,
                 Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::ZoneOutage, "zone-outage", Target::Zone, Holds::Reach, 0, Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::ClusterOutage, "cluster-outage", Target::Cluster, Holds::Reach, 0,
                 Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::NodeCrash, "node-crash", Target::Node, Holds::Reach, 0, Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::GatewayTierOutage, "gateway-tier-outage", Target::GatewayTier, Holds::Reach, 0,
                 Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::IstiodOutage, "istiod-outage", Target::Istiod, Holds::Reach, 0,
                 Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::PodCrash, "pod-crash", Target::Pod, Holds::Reach, 0, Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::GrayFailure, "gray-failure", Target::PodNodeOrCluster, Holds::Nothing,
                 kAddedLatency | kErrorRate | kService | kHealthChecks,
                 Requests::degradation_changed, Requests::degradation_changed},
    FaultKindRow{FaultKind::DatabasePrimaryFailure, "database-primary-failure", Target::DatabasePrimary, Holds::Reach, 0,
                 Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::BackbonePartition, "backbone-partition", Target::BackboneLink, Holds::Reach, 0,
                 Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::BackboneDegradation, "backbone-degradation", Target::BackboneLink, Holds::Nothing,
                 kAddedLatency | kAddedJitter | kLoss, Backbone::degradation_started, Backbone::degradation_ended},
    // The ztunnel only: its pods keep running and stay Ready (kubelet's probes bypass ztunnel).
    FaultKindRow{FaultKind::ZtunnelCrash, "ztunnel-crash", Target::Ztunnel, Holds::Target, 0,
                 Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::WaypointCrash, "waypoint-crash", Target::Waypoint, Holds::Reach, 0,
                 Faults::take_down, Faults::bring_back},
    FaultKindRow{FaultKind::WaypointOverload, "waypoint-overload", Target::Waypoint, Holds::Nothing, kAddedLatencyRequired,
                 Requests::degradation_changed, Requests::degradation_changed},
    FaultKindRow{FaultKind::CrashLoop, "crash-loop", Target::PodOrWaypoint, Holds::Reach, kUpFor,
                 Faults::crash_loop_started, Faults::bring_back},
    FaultKindRow{FaultKind::DnsOutage, "dns-outage", Target::CloudDns, Holds::Nothing, 0, Dns::outage_started, Dns::outage_ended},
    // The data plane keeps working; the config cluster's own control plane stops (kubernetes/).
    FaultKindRow{FaultKind::ConfigClusterOutage, "config-cluster-outage", Target::ConfigCluster, Holds::Nothing, 0,
                 Kubernetes::config_cluster_outage_started, Kubernetes::config_cluster_outage_ended},
    // The Deployment controller replaces pods (kubernetes/deployments.hpp): nothing is held down by the fault.
    FaultKindRow{FaultKind::BadRollout, "bad-rollout", Target::Deployment, Holds::Nothing, kAddedLatency | kErrorRate | kRollout | kHealthChecks,
                 Deployments::rollout_started, Deployments::rollback_started},
};

// Every kind has exactly one row.
constexpr bool one_row_per_kind() {
  for (std::size_t k = 0; k < kRows.size(); ++k) {
    int rows = 0;
    for (const FaultKindRow& r : kRows) rows += static_cast<std::size_t>(r.kind) == k ? 1 : 0;
    if (rows != 1) return false;
  }
  return true;
}
static_assert(one_row_per_kind(), "every config::FaultKind needs exactly one catalogue row");

// The rows by kind, for row().
constexpr std::array<std::size_t, kRows.size()> kRowOfKind = [] {
  std::array<std::size_t, kRows.size()> out{};
  for (std::size_t i = 0; i < kRows.size(); ++i) out[static_cast<std::size_t>(kRows[i].kind)] = i;
  return out;
}();

}  // namespace

std::span<const FaultKindRow> catalogue() { return kRows; }

const FaultKindRow& row(config::FaultKind kind) {
  const auto k = static_cast<std::size_t>(kind);
  if (k >= kRows.size()) throw std::logic_error("fault kind without a catalogue row");
  return kRows[kRowOfKind[k]];
}

FaultKind process_fault_kind(config::ComponentClass components) {
  using config::ComponentClass;
  switch (components) {
    case ComponentClass::Pods: return FaultKind::PodCrash;
    case ComponentClass::Nodes: return FaultKind::NodeCrash;
    case ComponentClass::Clusters: return FaultKind::ClusterOutage;
    case ComponentClass::Zones: return FaultKind::ZoneOutage;
    case ComponentClass::Regions: return FaultKind::RegionOutage;
    case ComponentClass::GatewayTiers: return FaultKind::GatewayTierOutage;
    case ComponentClass::Istiods: return FaultKind::IstiodOutage;
    case ComponentClass::BackboneLinks: return FaultKind::BackbonePartition;
    case ComponentClass::Waypoints: return FaultKind::WaypointCrash;
    case ComponentClass::Databases: return FaultKind::DatabasePrimaryFailure;
    case ComponentClass::Dns: return FaultKind::DnsOutage;
  }
  return FaultKind::NodeCrash;
}

}  // namespace models::faults
