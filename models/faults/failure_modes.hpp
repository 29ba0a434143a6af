#pragma once
// Failure modes and effects analysis (faultline fmea): every single failure the fleet can have,
// with structurally identical targets run once. Two targets are identical when nothing in the
// scenario tells them apart but their names: the same services with the same replicas on the same
// kind of nodes, in regions with the same clients, VIPs, databases and backbone links (the way
// Filibuster skips fault injections that are redundant by symmetry). A failure mode stands for
// every target of its class; its own target is the first of them in the scenario's order.

#include <string>
#include <vector>

#include "models/faults/fault_kind.hpp"
#include "models/fleet/fleet.hpp"

namespace models::faults {

struct FailureMode {
  FaultKind kind{};
  std::string target;                   // as a fault names it; empty for a DNS outage
  std::vector<std::string> represents;  // every target of its class, `target` first
  std::string service;                  // gray failures: the service whose pods in `target` fail
                                        // (in each of `represents`); empty for the other kinds
};

/// Region, zone, cluster, gateway tier and istiod outages, backbone partitions, node crashes,
/// waypoint crashes (per service and cluster), a DNS outage (with "dns"), database primary
/// failures and gray failures (per service and cluster: that service's pods in the cluster), in
/// that order, each kind's classes in the order of their first target.
std::vector<FailureMode> failure_modes(const Fleet& fleet);

}  // namespace models::faults
