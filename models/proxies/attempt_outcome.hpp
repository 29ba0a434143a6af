#pragma once
// How an Envoy (a waypoint, or the gateway's proxies) sees the end of an attempt: the outcome its
// router uses for retry_on and outlier detection.

#include "models/routing/retry_policy.hpp"
#include "models/traffic/outcome.hpp"

namespace models::proxies {

inline routing::Outcome attempt_outcome(traffic::Failure failure) {
  using traffic::Failure;
  switch (failure) {
    case Failure::None: return routing::Outcome::response(200);
    case Failure::ConnectionRefused:
    case Failure::CertificateExpired:  // a failed TLS handshake is a connect failure to Envoy
    case Failure::ConnectTimeout: return routing::Outcome::failure(routing::AttemptResult::ConnectFailure);
    case Failure::Timeout: return routing::Outcome::failure(routing::AttemptResult::PerTryTimeout);
    case Failure::Overloaded:
    case Failure::ErrorResponse:
    case Failure::NoHealthyUpstream:
    case Failure::WaypointUnavailable:
    case Failure::DnsFailure:
    case Failure::GatewayUnreachable: return routing::Outcome::response(503);
    case Failure::DependencyFailed:
    case Failure::NoRoute:
    case Failure::NoBackend: return routing::Outcome::response(500);
  }
  return routing::Outcome::response(500);
}

}  // namespace models::proxies
