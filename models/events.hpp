#pragma once
// The events of the model: small value structs (indices, not pointers) in one std::variant, so
// the engine's heap holds them by value with no allocation per event.

#include <cstdint>
#include <variant>

#include "models/health/envoy_active_health_check.hpp"
#include "models/traffic/outcome.hpp"

namespace models {

/// The events a subsystem handles: `using Handles = EventList<A, B>;` (see simulation.cpp).
template <class... Events>
struct EventList {};

struct ClientArrival { std::uint32_t client; };
struct ClientRetry { std::uint32_t pending; std::uint32_t generation; };     // a client re-sends a failed request
struct ClientDeadline { std::uint32_t pending; std::uint32_t generation; };  // a retrying client's attempt times out
struct PodArrival { std::uint32_t call; std::uint32_t generation; };
struct WaypointArrival { std::uint32_t call; std::uint32_t generation; };
struct ServiceDone { std::uint32_t call; std::uint32_t generation; };
struct CallReturned { std::uint32_t call; std::uint32_t generation; traffic::Failure failure; };
struct CallTimeout { std::uint32_t call; std::uint32_t generation; };
struct HealthCheckRound { std::uint32_t tier; std::uint32_t service; };
struct HealthCheckResult { std::uint32_t tier; std::uint32_t workload; bool passed; };
struct ReadinessSweep { std::uint32_t cluster; };
struct EndpointPush { std::uint32_t from_cluster; std::uint32_t workload; bool ready; };
struct ProxyResync { std::uint32_t proxy; };
struct RetryAttempt { std::uint32_t call; std::uint32_t generation; };
struct OutlierSweep { std::uint32_t proxy; };
struct GatewayRateTick {};
struct GatewayResult {  // packed: the largest payload sets the size of every queue entry
  std::uint32_t workload;
  std::uint16_t tier;
  std::uint16_t routed;
  std::uint16_t status;
};
struct GatewayOutlierSweep { std::uint32_t tier; std::uint32_t routed; };
struct WriteDone { std::uint32_t call; std::uint32_t generation; };
struct DatabasePromotion { std::uint32_t database; };
struct FaultStart { std::uint32_t fault; };
struct FaultEnd { std::uint32_t fault; };
struct FaultPhase { std::uint32_t fault; };  // a crash loop's next crash or restart
struct BlameExpires { std::uint32_t fault; };  // an ended fault's leftovers are no longer its own (faults/blame.hpp)
struct CertRenewal { std::uint32_t proxy; };
struct NegSync { std::uint32_t workload; bool ready; };
struct ActiveCheck { std::uint32_t proxy; std::uint32_t host; };  // a waypoint probes one host
struct ActiveCheckResult {
  std::uint32_t proxy;
  std::uint32_t host;  // a waypoint's hosts are every pod of its service: more than 65,535 in a large fleet
  health::ProbeResult result;
};
struct StepFinalize {};
struct HpaSync { std::uint32_t deployment; };                        // a HorizontalPodAutoscaler's periodic sync
struct PodStarted { std::uint32_t workload; std::uint32_t generation; };  // a created pod is Ready
struct PodStopped { std::uint32_t workload; std::uint32_t generation; };  // a deleted pod's grace period is over
struct PodAvailable { std::uint32_t workload; std::uint32_t generation; };  // Ready for minReadySeconds

using Event = std::variant<ClientArrival, ClientRetry, ClientDeadline, PodArrival, WaypointArrival, ServiceDone, CallReturned, CallTimeout, HealthCheckRound,
                           HealthCheckResult, ReadinessSweep, EndpointPush, ProxyResync, RetryAttempt, OutlierSweep, GatewayRateTick, GatewayResult, GatewayOutlierSweep, WriteDone, DatabasePromotion, FaultStart, FaultEnd,
                           FaultPhase, CertRenewal, NegSync, ActiveCheck, ActiveCheckResult, StepFinalize, BlameExpires,
                           HpaSync, PodStarted, PodStopped, PodAvailable>;

}  // namespace models

static_assert(sizeof(models::Event) <= 16, "keep event payloads small: they are copied through the heap");
