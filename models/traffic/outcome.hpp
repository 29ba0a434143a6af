#pragma once
// Why a request failed, as the layer that saw it would report it.

#include <array>
#include <cstdint>

namespace models::traffic {

enum class Failure : std::uint8_t {
  None,
  GatewayUnreachable,  // the regional VIP's proxy tier is down: the client's connection times out
  NoRoute,             // no HTTPRoute matches the path (404)
  NoHealthyUpstream,   // the proxy has no usable endpoint for the service (503)
  ConnectionRefused,   // the destination pod is gone but its node answers: refused or reset at once
  ConnectTimeout,      // the destination node is gone: the connection attempt is blackholed
  Overloaded,          // the pod's queue is full (503)
  WaypointUnavailable, // ztunnel cannot resolve a waypoint for the service: fails closed
  DependencyFailed,    // a call the service needed failed, so it answered 5xx
  Timeout,             // the caller's deadline passed (504 at the gateway)
  ErrorResponse,       // the pod is up but answered 503 (a gray failure)
  NoBackend,           // the matched route's backendRefs all have weight 0 (500)
  DnsFailure,          // the client could not resolve the gateway's name (Cloud DNS unavailable)
  CertificateExpired,  // a proxy's workload certificate expired: the mTLS handshake fails
};
inline constexpr std::size_t kFailureCount = 14;

inline constexpr std::array<const char*, kFailureCount> kFailureNames{
    "none",          "gateway_unreachable", "no_route",            "no_healthy_upstream", "connection_refused",
    "connect_timeout", "overloaded",        "waypoint_unavailable", "dependency_failed",  "timeout",
    "error_response", "no_backend",      "dns_failure",         "certificate_expired"};

constexpr const char* to_string(Failure f) { return kFailureNames[static_cast<std::size_t>(f)]; }

}  // namespace models::traffic
