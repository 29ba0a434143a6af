#pragma once
// A static estimate of how busy each service is in each region at the clients' peak rates, from
// the fleet alone (no simulation): what `faultline validate` warns about, and what `run` adds to
// the warnings it measures.
//
// Load flows down the call graph: the gateway sends a client's requests to the closest region
// with pods of the route's backend (the waterfall's first choice); a call goes where the callee's
// load balancing sends it: ztunnel without traffic_distribution spreads calls over every pod of the
// callee, in every region; with PreferClose (or PreferSameNode) it keeps them in the caller's region
// when the callee has pods there; a waypoint keeps them local only with outlier detection (Istio's
// locality failover needs it). Hold time flows up: a request holds its pod's slot for its own mean
// service time plus each call's round trip and the callee's hold time, so calls that cross regions
// make their callers busier. Utilization = offered rate x hold time / (pods x concurrency), which
// is the M/M/c offered load per server.

#include <cstdint>
#include <string>
#include <vector>

#include "models/fleet/fleet.hpp"

namespace models {

struct ServiceRegionLoad {
  std::uint32_t service = 0, region = 0;
  std::uint32_t pods = 0;
  double offered_per_second = 0;  // requests reaching its pods there
  double hold_seconds = 0;        // a request's mean hold of a slot
  double cross_region_seconds = 0;  // of which: round trips of calls (its own and its callees') that leave their region
  double utilization = 0;         // offered x hold / (pods x concurrency)
};

struct CapacityEstimate {
  std::vector<ServiceRegionLoad> loads;  // service-major, regions where the service has pods
  std::vector<std::string> warnings;
};

/// The estimate at each client group's peak rate.
CapacityEstimate estimate_capacity(const Fleet& fleet);

}  // namespace models
