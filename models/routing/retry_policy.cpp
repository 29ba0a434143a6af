#include "models/routing/retry_policy.hpp"

#include <limits>

#include "models/health/outlier_detection.hpp"

namespace models::routing {
namespace {

// Every attempt that got no response counts as a 5xx (and as a gateway error: Envoy answers it
// locally with 503 or 504), so 5xx, gateway-error and reset all retry it.
constexpr RetryOn kNoResponse = RetryOn::FiveXX | RetryOn::GatewayError | RetryOn::Reset;

bool retriable_response(const RetryPolicy& policy, const Outcome& outcome) {
  const RetryOn on = policy.retry_on;
  const int status = outcome.http_status;
  if (has_any(on, RetryOn::FiveXX) && status >= 500 && status < 600) return true;
  if (has_any(on, RetryOn::GatewayError) && (status == 502 || status == 503 || status == 504)) return true;
  if (has_any(on, RetryOn::Retriable4xx) && status == 409) return true;
  if (has_any(on, RetryOn::RetriableStatusCodes) &&
      std::find(policy.retriable_status_codes.begin(), policy.retriable_status_codes.end(), status) !=
          policy.retriable_status_codes.end()) {
    return true;
  }
  if (outcome.grpc_status) {
    switch (*outcome.grpc_status) {
      case kGrpcCancelled:
        return has_any(on, RetryOn::GrpcCancelled);
      case kGrpcDeadlineExceeded:
        return has_any(on, RetryOn::GrpcDeadlineExceeded);
      case kGrpcResourceExhausted:
        return has_any(on, RetryOn::GrpcResourceExhausted);
      case kGrpcInternal:
        return has_any(on, RetryOn::GrpcInternal);
      case kGrpcUnavailable:
        return has_any(on, RetryOn::GrpcUnavailable);
      default:
        return false;
    }
  }
  return false;
}

}  // namespace

std::optional<int> outlier_status(const Outcome& outcome) {
  switch (outcome.result) {
    case AttemptResult::Response:
      return outcome.http_status;
    case AttemptResult::ConnectFailure:
      return health::kConnectFailureStatus;
    case AttemptResult::RefusedStream:
    case AttemptResult::Reset:
      return health::kResetStatus;
    case AttemptResult::PerTryTimeout:
      return health::kTimeoutStatus;
    case AttemptResult::Overflow:
      return std::nullopt;
  }
  return std::nullopt;
}

RetryPolicy RetryPolicy::istio_defaults() {
  RetryPolicy p;
  p.num_retries = 2;
  p.retry_on = RetryOn::ConnectFailure | RetryOn::RefusedStream | RetryOn::GrpcUnavailable | RetryOn::GrpcCancelled |
               RetryOn::RetriableStatusCodes;
  p.retriable_status_codes = {503};
  p.previous_hosts = true;
  p.host_selection_retry_max_attempts = 5;
  return p;
}

RetryPolicy RetryPolicy::istio_inbound_defaults() {
  RetryPolicy p;
  p.num_retries = 2;
  p.retry_on = RetryOn::ResetBeforeRequest;
  return p;
}

bool should_retry(const RetryPolicy& policy, const Outcome& outcome) {
  if (policy.num_retries == 0) return false;
  const RetryOn on = policy.retry_on;
  switch (outcome.result) {
    case AttemptResult::Response:
      // Istio's retriable-status-codes [503] matches a 503 the pod sent, not a failed connection
      // that Envoy turns into a 503: those go through the reset path below.
      return retriable_response(policy, outcome);
    case AttemptResult::ConnectFailure:
      // Nothing was sent, so reset-before-request applies too.
      return has_any(on, kNoResponse | RetryOn::ConnectFailure | RetryOn::ResetBeforeRequest);
    case AttemptResult::RefusedStream:
      return has_any(on, kNoResponse | RetryOn::RefusedStream);
    case AttemptResult::Reset:
    case AttemptResult::PerTryTimeout:
      // Istio's default (connect-failure, refused-stream, ...) does not retry these.
      return has_any(on, kNoResponse);
    case AttemptResult::Overflow:
      return false;  // retrying an overflow would only overflow again
  }
  return false;
}

CircuitBreakerThresholds CircuitBreakerThresholds::istio_defaults() {
  constexpr std::uint32_t kUnlimited = std::numeric_limits<std::uint32_t>::max();  // 2^32 - 1
  return CircuitBreakerThresholds{kUnlimited, kUnlimited, kUnlimited, kUnlimited};
}

std::uint64_t retry_limit(std::uint32_t active_requests, std::uint32_t pending_requests,
                          const CircuitBreakerThresholds& thresholds, const std::optional<RetryBudget>& budget) {
  if (!budget) return thresholds.max_retries;
  // 20% of 14 in flight = 2.8 -> 2, raised to the floor of 3; 20% of 100 = 20.
  const double outstanding = static_cast<double>(std::uint64_t{active_requests} + pending_requests);
  const auto by_budget = static_cast<std::uint64_t>(budget->budget_percent / 100.0 * outstanding);
  return std::max<std::uint64_t>(by_budget, budget->min_retry_concurrency);
}

bool retry_admitted(std::uint32_t active_retries, std::uint32_t active_requests, std::uint32_t pending_requests,
                    const CircuitBreakerThresholds& thresholds, const std::optional<RetryBudget>& budget) {
  return active_retries < retry_limit(active_requests, pending_requests, thresholds, budget);
}

}  // namespace models::routing
