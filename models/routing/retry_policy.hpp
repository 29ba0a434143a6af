#pragma once
// Envoy's route retry policy, circuit breakers and retry budget (ROUTING.md §3), with Envoy's and
// Istio's defaults. Pure data plus small pure functions: the owner (a proxy's router) counts
// attempts, active requests and retries, and asks these functions what Envoy would do.
//
// How the simulator's failures map onto an attempt's Outcome (models::traffic::Failure):
//   the pod answered (including Overloaded 503, DependencyFailed 5xx) -> Outcome::response(status)
//   ConnectionRefused, ConnectTimeout (connect_timeout elapsed)       -> AttemptResult::ConnectFailure
//   the pod or its node died after the request was sent, no headers  -> AttemptResult::Reset
//   the attempt's per_try_timeout elapsed                             -> AttemptResult::PerTryTimeout
//   a circuit breaker refused the attempt before it left the proxy   -> AttemptResult::Overflow
// The route timeout ending the whole request, and "no healthy upstream" (Envoy answers 503 itself,
// with no attempt), are not attempt outcomes: there is nothing to retry.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "models/routing/retry_backoff.hpp"
#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace models::routing {

/// Envoy's `retry_on` conditions as bits (ROUTING.md §3.1). `retriable-headers`,
/// `envoy-ratelimited` and `http3-post-connect-failure` are not modelled.
enum class RetryOn : std::uint32_t {
  None = 0,
  FiveXX = 1u << 0,                // "5xx": any 5xx response, and every attempt that got no response
  GatewayError = 1u << 1,          // "gateway-error": 502/503/504, and every attempt that got no response
  Reset = 1u << 2,                 // "reset": no response (disconnect, reset, per-try timeout)
  ResetBeforeRequest = 1u << 3,    // "reset-before-request": failed before the request was sent
  ConnectFailure = 1u << 4,        // "connect-failure": refused or connect timeout
  RefusedStream = 1u << 5,         // "refused-stream": HTTP/2 REFUSED_STREAM
  Retriable4xx = 1u << 6,          // "retriable-4xx": 409
  RetriableStatusCodes = 1u << 7,  // "retriable-status-codes": the policy's list
  GrpcCancelled = 1u << 8,         // "cancelled": grpc-status 1
  GrpcDeadlineExceeded = 1u << 9,  // "deadline-exceeded": grpc-status 4
  GrpcResourceExhausted = 1u << 10,  // "resource-exhausted": grpc-status 8
  GrpcInternal = 1u << 11,         // "internal": grpc-status 13
  GrpcUnavailable = 1u << 12,      // "unavailable": grpc-status 14
};

constexpr RetryOn operator|(RetryOn a, RetryOn b) {
  return static_cast<RetryOn>(static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b));
}
/// True when `set` contains any of the bits of `flags`.
constexpr bool has_any(RetryOn set, RetryOn flags) {
  return (static_cast<std::uint32_t>(set) & static_cast<std::uint32_t>(flags)) != 0;
}

/// How one attempt ended, as the router sees it.
enum class AttemptResult : std::uint8_t {
  Response,        // the upstream answered: Outcome::http_status (and grpc_status, if any)
  ConnectFailure,  // no connection: refused, or connect_timeout elapsed
  RefusedStream,   // the upstream refused the HTTP/2 stream
  Reset,           // reset after the request was sent, before response headers
  PerTryTimeout,   // the attempt's per_try_timeout elapsed
  Overflow,        // a circuit breaker refused the attempt locally: Envoy never retries this
};

/// gRPC status codes that `retry_on` can name.
inline constexpr std::uint8_t kGrpcCancelled = 1;
inline constexpr std::uint8_t kGrpcDeadlineExceeded = 4;
inline constexpr std::uint8_t kGrpcResourceExhausted = 8;
inline constexpr std::uint8_t kGrpcInternal = 13;
inline constexpr std::uint8_t kGrpcUnavailable = 14;

/// One attempt's outcome: small, copied by value.
struct Outcome {
  AttemptResult result = AttemptResult::Response;
  int http_status = 200;                    // meaningful for Response only
  std::optional<std::uint8_t> grpc_status;  // from a gRPC response, if any

  static constexpr Outcome response(int status) { return Outcome{AttemptResult::Response, status, std::nullopt}; }
  static constexpr Outcome grpc(int http_status, std::uint8_t grpc_status) {
    return Outcome{AttemptResult::Response, http_status, grpc_status};
  }
  static constexpr Outcome failure(AttemptResult result) { return Outcome{result, 0, std::nullopt}; }
};

/// The status the outlier detector should count for this outcome in Envoy's non-split mode
/// (models::health): responses as they are, connect failures, refused streams and resets as 503
/// (the router reports them all as local-origin connect failures), per-try timeouts as 504.
/// Nothing for Overflow: the attempt never reached a host.
std::optional<int> outlier_status(const Outcome& outcome);

/// A route's retry policy (Envoy `RetryPolicy`, route_components.proto).
struct RetryPolicy {
  std::uint32_t num_retries = 1;  // retries after the first attempt
  RetryOn retry_on = RetryOn::None;
  std::vector<int> retriable_status_codes;  // used with RetryOn::RetriableStatusCodes
  /// Unset: every attempt may run until the route timeout, so a timed-out request is not retried.
  std::optional<sim::Duration> per_try_timeout;
  /// `envoy.retry_host_predicates.previous_hosts`: avoid hosts this request already tried.
  bool previous_hosts = false;
  /// Extra host picks allowed when the predicate rejects a pick; then the last pick is used.
  std::uint32_t host_selection_retry_max_attempts = 1;
  sim::Duration backoff_base = kDefaultRetryBackoffBase;
  std::optional<sim::Duration> backoff_max;  // unset = 10 × backoff_base
  BackoffFormula backoff_formula = BackoffFormula::Code;

  /// A route with an empty retry policy: num_retries 1 but no `retry_on`, so Envoy never retries
  /// (retries need a retry_on condition, from the policy or an x-envoy-retry-on header).
  static RetryPolicy envoy_defaults() { return {}; }
  /// Istio's outbound route default when no VirtualService sets retries (ROUTING.md §3.4):
  /// 2 retries on connect-failure, refused-stream, unavailable, cancelled and
  /// retriable-status-codes [503], previous_hosts with 5 host reselection attempts.
  static RetryPolicy istio_defaults();
  /// Istio's inbound default: 2 retries on reset-before-request.
  static RetryPolicy istio_inbound_defaults();
};

/// Whether `outcome` is retriable under `policy.retry_on` (false when num_retries is 0). The owner
/// still checks the retries already used against num_retries, the route timeout, and
/// retry_admitted() before retrying.
bool should_retry(const RetryPolicy& policy, const Outcome& outcome);

/// The back-off before retry `retry_number` (1-based) of one request, per the policy.
inline sim::Duration draw_backoff(const RetryPolicy& policy, int retry_number, sim::RngStream& rng) {
  return draw_backoff(retry_number, policy.backoff_base, policy.backoff_max, policy.backoff_formula, rng);
}

/// Picks the host for an attempt. `pick()` is the load balancer (one pick per call). With
/// previous_hosts, a pick that this request already tried (`attempted`) is re-drawn up to
/// host_selection_retry_max_attempts times, after which the last pick is used even if tried before
/// (Istio's 5 -> at most 6 picks).
template <class Pick>
std::uint32_t pick_host_for_attempt(const RetryPolicy& policy, std::span<const std::uint32_t> attempted, Pick&& pick) {
  std::uint32_t host = pick();
  if (!policy.previous_hosts) return host;
  auto tried = [&](std::uint32_t h) { return std::find(attempted.begin(), attempted.end(), h) != attempted.end(); };
  for (std::uint32_t again = 0; again < policy.host_selection_retry_max_attempts && tried(host); ++again) host = pick();
  return host;
}

/// Per-cluster circuit-breaker thresholds of one proxy, default routing priority (ROUTING.md §3.3).
/// Each is a ceiling on a current count: a new one is admitted while count < threshold.
struct CircuitBreakerThresholds {
  std::uint32_t max_connections = 1024;
  std::uint32_t max_pending_requests = 1024;
  std::uint32_t max_requests = 1024;
  std::uint32_t max_retries = 3;  // concurrent retries

  static CircuitBreakerThresholds envoy_defaults() { return {}; }
  /// Istio raises all four to 2^32 - 1, effectively unlimited (Envoy's 3 concurrent retries
  /// caused 503s during pod churn).
  static CircuitBreakerThresholds istio_defaults();
};

/// Envoy's retry budget; when set it replaces max_retries.
struct RetryBudget {
  double budget_percent = 20;  // of active + pending requests
  std::uint32_t min_retry_concurrency = 3;
};

/// The concurrent-retry limit in force: max_retries, or with a budget
/// max(floor(budget_percent / 100 · (active + pending)), min_retry_concurrency).
std::uint64_t retry_limit(std::uint32_t active_requests, std::uint32_t pending_requests,
                          const CircuitBreakerThresholds& thresholds, const std::optional<RetryBudget>& budget);

/// Whether one more retry may start now: active_retries < retry_limit(...). `active_requests`
/// is the cluster's count of requests in flight on this proxy (retries included).
bool retry_admitted(std::uint32_t active_retries, std::uint32_t active_requests, std::uint32_t pending_requests,
                    const CircuitBreakerThresholds& thresholds, const std::optional<RetryBudget>& budget);

}  // namespace models::routing
