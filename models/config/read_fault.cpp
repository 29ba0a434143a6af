// read_fault(): one entry of "faults", and the spellings of the fault kinds.

#include "models/config/read_sections.hpp"

#include "models/config/json_reader.hpp"

namespace models::config::detail {
namespace {

const auto kFaultKinds = spellings({FaultKind::RegionOutage, FaultKind::ZoneOutage, FaultKind::ClusterOutage,
                                    FaultKind::NodeCrash, FaultKind::GatewayTierOutage, FaultKind::IstiodOutage,
                                    FaultKind::PodCrash, FaultKind::GrayFailure, FaultKind::DatabasePrimaryFailure,
                                    FaultKind::BackbonePartition, FaultKind::BackboneDegradation,
                                    FaultKind::ZtunnelCrash, FaultKind::WaypointCrash, FaultKind::WaypointOverload,
                                    FaultKind::CrashLoop, FaultKind::DnsOutage, FaultKind::ConfigClusterOutage});

}  // namespace

void read_fault(ObjectReader& reader, FaultConfig& fault) {
  reader.read("id", fault.id, value::name, kRequired);
  reader.read("kind", fault.kind, value::choice(kFaultKinds), kRequired);
  // A DNS outage has no target: Cloud DNS is one service.
  if (fault.kind != FaultKind::DnsOutage) reader.read("target", fault.target, value::name, kRequired);
  reader.read("at", fault.at, value::duration, kRequired);
  reader.read("for", fault.duration, value::positive_duration);
  // Each kind reads only its own parameters; any other key stays unknown (and is reported).
  switch (fault.kind) {
    case FaultKind::GrayFailure:
      reader.read("added_latency", fault.added_latency, value::duration);
      if (!reader.read("error_rate", fault.error_rate, value::probability) && reader.has("added_latency"))
        fault.error_rate = 0;  // a slow pod, not a failing one
      break;
    case FaultKind::BackboneDegradation:
      reader.read("added_latency", fault.added_latency, value::duration);
      reader.read("added_jitter", fault.added_jitter, value::duration);
      reader.read("loss", fault.loss, value::probability);
      break;
    case FaultKind::WaypointOverload:
      reader.read("added_latency", fault.added_latency, value::positive_duration, kRequired);
      break;
    case FaultKind::CrashLoop:
      reader.read("up_for", fault.up_for, value::positive_duration);
      break;
    default:
      break;
  }
}

}  // namespace models::config::detail
