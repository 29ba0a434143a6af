#pragma once
// Envoy's "fully jittered" exponential back-off between retries of one request (ROUTING.md §3.2,
// §11 V8). The docs and the current code disagree on the window; both are offered as a switch.

#include <chrono>
#include <cstdint>
#include <optional>

#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace models::routing {

/// Default base interval of the retry back-off (runtime `upstream.base_retry_backoff_ms`).
inline constexpr sim::Duration kDefaultRetryBackoffBase = std::chrono::milliseconds{25};
/// The maximum interval defaults to this many base intervals (250 ms for the default base).
inline constexpr int kDefaultRetryBackoffMaxFactor = 10;

/// Which window grows with the retry number N (base B, maximum M).
enum class BackoffFormula : std::uint8_t {
  /// Current `JitteredExponentialBackOffStrategy`: the window starts at B and doubles after each
  /// retry, jumping to M once it has reached M/2: [0, min(2^(N-1)·B, M)) -> 25, 50, 100, 200, 250 ms.
  Code,
  /// The router docs: [0, min((2^N - 1)·B, M)) -> 25, 75, 175, 250, 250 ms (older releases).
  Docs,
};

/// The exclusive upper bound of the back-off window before retry `retry_number` (1 = the first
/// retry, i.e. the second attempt; smaller values are treated as 1). `max` unset = 10 × base.
/// The window never exceeds `max`.
sim::Duration backoff_window(int retry_number, sim::Duration base = kDefaultRetryBackoffBase,
                             std::optional<sim::Duration> max = std::nullopt,
                             BackoffFormula formula = BackoffFormula::Code);

/// A back-off drawn uniformly from [0, backoff_window(...)). Envoy counts back-off in whole
/// milliseconds, so a window that is a whole number of milliseconds gives a whole number of
/// milliseconds (one draw); any other window is drawn in nanoseconds.
sim::Duration draw_backoff(int retry_number, sim::Duration base, std::optional<sim::Duration> max,
                           BackoffFormula formula, sim::RngStream& rng);

}  // namespace models::routing
