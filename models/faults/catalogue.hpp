#pragma once
// The fault catalogue: one row per fault kind, and everything else reads it. A row says how the
// kind is spelled in a scenario, what its target names (checked by config/validate, resolved by
// build_world), which parameters it reads, what it takes down while active, and which
// subsystem applies and reverts it. Adding a kind: its enumerator (fault_kind.hpp) and its row
// (catalogue.cpp), the subsystem function the row names, a test and the docs.

#include <cstdint>
#include <span>

#include "models/config/scenario_config.hpp"

namespace models {
struct Subsystems;
}

namespace models::faults {

struct Fault;

/// What a fault's target names. Each is checked and resolved the same way for every kind using it.
enum class Target : std::uint8_t {
  CloudDns,          // no target: Cloud DNS is one service (the scenario must have "dns")
  Region,            // a region
  GatewayTier,       // a region with a gateway VIP: its proxy tier
  Zone,              // a zone
  Cluster,           // a cluster
  Istiod,            // a cluster that runs an istiod: the istiod
  ConfigCluster,     // the config cluster
  Node,              // "<cluster>/node-<index>"
  Ztunnel,           // a node, for its ztunnel
  Waypoint,          // "<cluster>/<service>-waypoint" (every replica) or one replica "...-waypoint-<index>"
  PodOrWaypoint,     // one pod or waypoint replica
  Pod,               // "<cluster>/<service>-<index>"
  PodNodeOrCluster,  // a pod, a node or a cluster
  BackboneLink,      // "<region>/<region>", either order
  DatabasePrimary,   // a database, for its primary instance at the start of the run
  Deployment,        // "<cluster>/<service>", or "<region>/<service>" for every cluster of the region
};

/// What a fault takes down while it is active: everything that fails with its target (the fleet
/// graph's failure reach), only its target (a ztunnel crash leaves its pods running), or nothing
/// (it changes behaviour instead, or a subsystem tracks it by itself).
enum class Holds : std::uint8_t { Reach, Target, Nothing };

/// The parameters a kind reads besides id, kind, target, at and for (any other key is unknown).
enum Parameter : std::uint16_t {
  kAddedLatency = 1,          // "added_latency", optional
  kAddedLatencyRequired = 2,  // "added_latency", required and positive
  kAddedJitter = 4,           // "added_jitter"
  kLoss = 8,                  // "loss"
  kErrorRate = 16,            // "error_rate" (default 1, or 0 when only added_latency is given)
  kUpFor = 32,                // "up_for"
  kService = 64,              // "service": only that service's pods in the target
  kRollout = 128,             // "maxSurge", "maxUnavailable", "minReadySeconds", "rollback_after" (not "for")
  kHealthChecks = 256,        // "health_checks": "pass" or "fail" (the pods answer 503 to health checks too)
};

using FaultAction = void (*)(Subsystems&, std::uint32_t fault);

struct FaultKindRow {
  config::FaultKind kind;
  const char* name;  // as spelled in scenarios and results
  Target target;
  Holds holds;
  std::uint16_t parameters;  // Parameter bits
  FaultAction start;        // the owning subsystem's apply, at the fault's start
  FaultAction end;          // and its revert
};

/// Every kind, in the order scenarios/README.md lists them.
std::span<const FaultKindRow> catalogue();
const FaultKindRow& row(config::FaultKind kind);

/// The kind a fault process's failures of a component class are (scenario_config.hpp).
config::FaultKind process_fault_kind(config::ComponentClass components);

}  // namespace models::faults
