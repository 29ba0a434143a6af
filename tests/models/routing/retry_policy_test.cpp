#include <catch2/catch.hpp>

#include <limits>
#include <tuple>
#include <vector>

#include "models/routing/retry_policy.hpp"

using models::routing::AttemptResult;
using models::routing::CircuitBreakerThresholds;
using models::routing::Outcome;
using models::routing::retry_admitted;
using models::routing::retry_limit;
using models::routing::RetryBudget;
using models::routing::RetryOn;
using models::routing::RetryPolicy;
using models::routing::should_retry;
using namespace std::chrono_literals;

namespace {

const Outcome kOk = Outcome::response(200);
const Outcome k409 = Outcome::response(409);
const Outcome k500 = Outcome::response(500);
const Outcome k502 = Outcome::response(502);
const Outcome k503 = Outcome::response(503);
const Outcome k504 = Outcome::response(504);
const Outcome kConnectFailure = Outcome::failure(AttemptResult::ConnectFailure);
const Outcome kRefusedStream = Outcome::failure(AttemptResult::RefusedStream);
const Outcome kReset = Outcome::failure(AttemptResult::Reset);
const Outcome kPerTryTimeout = Outcome::failure(AttemptResult::PerTryTimeout);
const Outcome kOverflow = Outcome::failure(AttemptResult::Overflow);
const Outcome kGrpcUnavailable = Outcome::grpc(200, models::routing::kGrpcUnavailable);
const Outcome kGrpcCancelled = Outcome::grpc(200, models::routing::kGrpcCancelled);
const Outcome kGrpcInternal = Outcome::grpc(200, models::routing::kGrpcInternal);

RetryPolicy with_retry_on(RetryOn on) {
  RetryPolicy p = RetryPolicy::envoy_defaults();
  p.retry_on = on;
  return p;
}

}  // namespace

TEST_CASE("RetryPolicy: §3.1 / §3.4 presets", "[models][routing]") {
  const RetryPolicy envoy = RetryPolicy::envoy_defaults();
  CHECK(envoy.num_retries == 1u);
  CHECK(envoy.retry_on == RetryOn::None);
  CHECK_FALSE(envoy.per_try_timeout.has_value());
  CHECK_FALSE(envoy.previous_hosts);
  CHECK(envoy.host_selection_retry_max_attempts == 1u);
  CHECK(envoy.backoff_base == 25ms);
  CHECK_FALSE(envoy.backoff_max.has_value());  // 10 * base = 250 ms

  const RetryPolicy istio = RetryPolicy::istio_defaults();
  CHECK(istio.num_retries == 2u);
  CHECK(istio.retry_on == (RetryOn::ConnectFailure | RetryOn::RefusedStream | RetryOn::GrpcUnavailable |
                           RetryOn::GrpcCancelled | RetryOn::RetriableStatusCodes));
  CHECK(istio.retriable_status_codes == std::vector<int>{503});
  CHECK(istio.previous_hosts);
  CHECK(istio.host_selection_retry_max_attempts == 5u);

  const RetryPolicy inbound = RetryPolicy::istio_inbound_defaults();
  CHECK(inbound.num_retries == 2u);
  CHECK(inbound.retry_on == RetryOn::ResetBeforeRequest);
}

TEST_CASE("should_retry: §3.1 Envoy default route policy (no retry_on) never retries", "[models][routing]") {
  const RetryPolicy envoy = RetryPolicy::envoy_defaults();
  for (const Outcome& o : {kOk, k409, k500, k502, k503, k504, kConnectFailure, kRefusedStream, kReset,
                           kPerTryTimeout, kOverflow, kGrpcUnavailable}) {
    CAPTURE(static_cast<int>(o.result), o.http_status);
    CHECK_FALSE(should_retry(envoy, o));
  }
}

TEST_CASE("should_retry: §3.1 retry_on conditions, and §3.4 Istio's default", "[models][routing]") {
  const RetryPolicy fivexx = with_retry_on(RetryOn::FiveXX);
  const RetryPolicy gateway = with_retry_on(RetryOn::GatewayError);
  const RetryPolicy reset = with_retry_on(RetryOn::Reset);
  const RetryPolicy connect = with_retry_on(RetryOn::ConnectFailure);
  const RetryPolicy before_request = RetryPolicy::istio_inbound_defaults();
  const RetryPolicy istio = RetryPolicy::istio_defaults();

  // outcome, 5xx, gateway-error, reset, connect-failure, reset-before-request, Istio default
  using Row = std::tuple<const char*, Outcome, bool, bool, bool, bool, bool, bool>;
  const std::vector<Row> rows{
      Row{"200", kOk, false, false, false, false, false, false},
      Row{"409", k409, false, false, false, false, false, false},
      Row{"500", k500, true, false, false, false, false, false},
      Row{"502", k502, true, true, false, false, false, false},
      Row{"503", k503, true, true, false, false, false, true},  // Istio: retriable-status-codes [503]
      Row{"504", k504, true, true, false, false, false, false},
      Row{"connect failure", kConnectFailure, true, true, true, true, true, true},
      Row{"refused stream", kRefusedStream, true, true, true, false, false, true},
      // A pod dying mid-request: Istio's default does not retry it.
      Row{"reset", kReset, true, true, true, false, false, false},
      Row{"per-try timeout", kPerTryTimeout, true, true, true, false, false, false},
      Row{"overflow", kOverflow, false, false, false, false, false, false},
      Row{"grpc unavailable", kGrpcUnavailable, false, false, false, false, false, true},
      Row{"grpc cancelled", kGrpcCancelled, false, false, false, false, false, true},
      Row{"grpc internal", kGrpcInternal, false, false, false, false, false, false},
  };
  for (const auto& [name, outcome, r5xx, rgateway, rreset, rconnect, rbefore, ristio] : rows) {
    CAPTURE(name);
    CHECK(should_retry(fivexx, outcome) == r5xx);
    CHECK(should_retry(gateway, outcome) == rgateway);
    CHECK(should_retry(reset, outcome) == rreset);
    CHECK(should_retry(connect, outcome) == rconnect);
    CHECK(should_retry(before_request, outcome) == rbefore);
    CHECK(should_retry(istio, outcome) == ristio);
  }

  // retriable-4xx is 409 only; retriable-status-codes uses the list; num_retries 0 disables.
  CHECK(should_retry(with_retry_on(RetryOn::Retriable4xx), k409));
  CHECK_FALSE(should_retry(with_retry_on(RetryOn::Retriable4xx), Outcome::response(429)));
  RetryPolicy codes = with_retry_on(RetryOn::RetriableStatusCodes);
  codes.retriable_status_codes = {429, 500};
  CHECK(should_retry(codes, Outcome::response(429)));
  CHECK(should_retry(codes, k500));
  CHECK_FALSE(should_retry(codes, k503));
  RetryPolicy none = istio;
  none.num_retries = 0;  // Istio "attempts: 0"
  CHECK_FALSE(should_retry(none, kConnectFailure));
}

TEST_CASE("outlier_status: non-split mode mapping of attempt outcomes (§2.2)", "[models][routing]") {
  using models::routing::outlier_status;
  CHECK(outlier_status(k500) == 500);
  CHECK(outlier_status(kOk) == 200);
  CHECK(outlier_status(kConnectFailure) == 503);
  CHECK(outlier_status(kRefusedStream) == 503);
  CHECK(outlier_status(kReset) == 503);
  CHECK(outlier_status(kPerTryTimeout) == 504);
  CHECK_FALSE(outlier_status(kOverflow).has_value());
}

TEST_CASE("pick_host_for_attempt: §3.1 previous_hosts and host_selection_retry_max_attempts", "[models][routing]") {
  const std::vector<std::uint32_t> attempted{3, 4};
  // The load balancer returns this sequence of picks.
  auto scripted = [](std::vector<std::uint32_t> picks, int& calls) {
    return [picks = std::move(picks), &calls]() mutable { return picks[static_cast<std::size_t>(calls++)]; };
  };

  int calls = 0;
  RetryPolicy istio = RetryPolicy::istio_defaults();
  CHECK(models::routing::pick_host_for_attempt(istio, attempted, scripted({3, 4, 3, 7}, calls)) == 7u);
  CHECK(calls == 4);

  // Istio allows 5 re-picks: 6 picks in all, then the last one is used even though it was tried.
  calls = 0;
  CHECK(models::routing::pick_host_for_attempt(istio, attempted, scripted({3, 4, 3, 4, 3, 4, 9}, calls)) == 4u);
  CHECK(calls == 6);

  // Envoy's default of 1 re-pick: 2 picks.
  calls = 0;
  RetryPolicy envoy_prev = RetryPolicy::envoy_defaults();
  envoy_prev.previous_hosts = true;
  CHECK(models::routing::pick_host_for_attempt(envoy_prev, attempted, scripted({3, 3, 8}, calls)) == 3u);
  CHECK(calls == 2);

  // Without the predicate the first pick is used.
  calls = 0;
  CHECK(models::routing::pick_host_for_attempt(RetryPolicy::envoy_defaults(), attempted, scripted({3, 8}, calls)) == 3u);
  CHECK(calls == 1);
}

TEST_CASE("CircuitBreakerThresholds: §3.3 Envoy and §3.4 Istio defaults", "[models][routing]") {
  const auto envoy = CircuitBreakerThresholds::envoy_defaults();
  CHECK(envoy.max_connections == 1024u);
  CHECK(envoy.max_pending_requests == 1024u);
  CHECK(envoy.max_requests == 1024u);
  CHECK(envoy.max_retries == 3u);
  const auto istio = CircuitBreakerThresholds::istio_defaults();
  constexpr std::uint32_t kMax = 4'294'967'295u;  // 2^32 - 1
  CHECK(istio.max_connections == kMax);
  CHECK(istio.max_pending_requests == kMax);
  CHECK(istio.max_requests == kMax);
  CHECK(istio.max_retries == kMax);
}

TEST_CASE("retry_admitted: §3.3 max_retries, or a retry budget of 20% of active + pending with a floor of 3",
          "[models][routing]") {
  const auto envoy = CircuitBreakerThresholds::envoy_defaults();
  const std::optional<RetryBudget> no_budget;
  const std::optional<RetryBudget> budget = RetryBudget{};

  // Without a budget: at most 3 concurrent retries, whatever the load.
  CHECK(retry_admitted(2, 1000, 0, envoy, no_budget));
  CHECK_FALSE(retry_admitted(3, 1000, 0, envoy, no_budget));
  CHECK(retry_admitted(1'000'000, 0, 0, CircuitBreakerThresholds::istio_defaults(), no_budget));

  using Row = std::tuple<std::uint32_t, std::uint32_t, std::uint64_t>;  // active, pending -> limit
  auto [active, pending, limit] = GENERATE(table<std::uint32_t, std::uint32_t, std::uint64_t>({
      Row{0, 0, 3},      // 0 -> floor 3
      Row{10, 0, 3},     // 20% of 10 = 2 -> floor 3
      Row{14, 0, 3},     // 2.8 -> 2 -> floor 3
      Row{16, 0, 3},     // 3.2 -> 3
      Row{20, 0, 4},     // 4
      Row{80, 20, 20},   // 20% of (80 + 20)
      Row{100, 0, 20},
      Row{999, 0, 199},  // 199.8 -> 199
  }));
  CAPTURE(active, pending);
  CHECK(retry_limit(active, pending, envoy, budget) == limit);
  // The budget replaces max_retries (3 here), in both directions.
  CHECK(retry_admitted(static_cast<std::uint32_t>(limit - 1), active, pending, envoy, budget));
  CHECK_FALSE(retry_admitted(static_cast<std::uint32_t>(limit), active, pending, envoy, budget));
}

TEST_CASE("retry_admitted: a budget with other settings", "[models][routing]") {
  CircuitBreakerThresholds zero_retries;
  zero_retries.max_retries = 0;
  CHECK_FALSE(retry_admitted(0, 100, 0, zero_retries, std::nullopt));
  CHECK(retry_admitted(0, 100, 0, zero_retries, RetryBudget{}));  // the budget, not max_retries
  CHECK(retry_limit(100, 0, zero_retries, RetryBudget{50, 1}) == 50u);
  CHECK(retry_limit(1, 0, zero_retries, RetryBudget{50, 1}) == 1u);  // 0.5 -> 0 -> floor 1
}
