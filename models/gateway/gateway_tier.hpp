#pragma once
// The gateway's managed proxies in one region, with their own view of the backends.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/health/health_check.hpp"
#include "models/health/outlier_detection.hpp"
#include "models/routing/gclb_waterfall.hpp"
#include "models/topology/component.hpp"

namespace models::gateway {

/// One regional proxy tier's backend service for one routed service: a backend (NEG) per cluster
/// running the service, filled WATERFALL_BY_REGION from measured load, with the tier's own view of
/// which endpoints are healthy (its health checks, and its outlier detection when configured).
struct GatewayBackends {
  std::uint32_t service = 0;
  std::vector<std::vector<std::uint32_t>> neg_pods;  // workloads, per backend
  std::vector<routing::WaterfallBackend> backends;   // healthy_endpoints kept current
  routing::WaterfallPicker picker{0};
  std::optional<health::OutlierDetector> outlier;     // hosts: the pods in backend order
  std::vector<double> placed_rps;                     // this tier's load per backend, last computed
  std::uint64_t arrivals = 0;                         // since the last rate measurement
  double offered_rps = 0;                             // measured over the last second
  bool shares_dirty = true;
};

/// The gateway's managed proxies in one region, with their own health-check view.
struct GatewayTier {
  std::string name;
  std::uint32_t region = 0;
  topology::ComponentId component;
  std::uint32_t stream = 0;
  std::vector<health::HealthCheckState> health;  // by workload index (service pods of routed services)
  std::vector<std::uint16_t> results_in_flight;  // by workload index: probe results not yet delivered
  std::vector<std::uint32_t> region_order;      // regions by backbone latency from this one
  std::vector<GatewayBackends> backend_services;  // by routed ordinal
};

}  // namespace models::gateway
