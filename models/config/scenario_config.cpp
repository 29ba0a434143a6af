#include "models/config/scenario_config.hpp"

namespace models::config {

// These are the spellings scenario files use.

const char* to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::RegionOutage:
      return "region-outage";
    case FaultKind::ZoneOutage:
      return "zone-outage";
    case FaultKind::ClusterOutage:
      return "cluster-outage";
    case FaultKind::NodeCrash:
      return "node-crash";
    case FaultKind::GatewayTierOutage:
      return "gateway-tier-outage";
    case FaultKind::PodCrash:
      return "pod-crash";
    case FaultKind::GrayFailure:
      return "gray-failure";
    case FaultKind::DatabasePrimaryFailure:
      return "database-primary-failure";
    case FaultKind::BackbonePartition:
      return "backbone-partition";
    case FaultKind::BackboneDegradation:
      return "backbone-degradation";
    case FaultKind::IstiodOutage:
      return "istiod-outage";
    case FaultKind::ZtunnelCrash:
      return "ztunnel-crash";
    case FaultKind::WaypointCrash:
      return "waypoint-crash";
    case FaultKind::WaypointOverload:
      return "waypoint-overload";
    case FaultKind::CrashLoop:
      return "crash-loop";
    case FaultKind::DnsOutage:
      return "dns-outage";
    case FaultKind::ConfigClusterOutage:
      return "config-cluster-outage";
  }
  return "unknown-fault-kind";
}

const char* to_string(ServiceTimeKind kind) {
  switch (kind) {
    case ServiceTimeKind::Constant:
      return "constant";
    case ServiceTimeKind::Exponential:
      return "exponential";
    case ServiceTimeKind::LogNormal:
      return "lognormal";
  }
  return "unknown-service-time-kind";
}

}  // namespace models::config
