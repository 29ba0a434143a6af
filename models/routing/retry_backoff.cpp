#include "models/routing/retry_backoff.hpp"

#include <algorithm>
#include <cstdint>

namespace models::routing {

sim::Duration backoff_window(int retry_number, sim::Duration base, std::optional<sim::Duration> max,
                             BackoffFormula formula) {
  const sim::Duration cap = max.value_or(kDefaultRetryBackoffMaxFactor * base);
  const int n = std::max(retry_number, 1);
  sim::Duration window = base;
  switch (formula) {
    case BackoffFormula::Code:
      // The strategy's next interval: B, then doubled, or set to M once it is at least M/2
      // (doubling would reach M anyway). B = 25 ms, M = 250 ms: 25, 50, 100, 200 (>= 125) -> 250.
      for (int i = 1; i < n && window < cap; ++i) window = window >= cap / 2 ? cap : 2 * window;
      break;
    case BackoffFormula::Docs:
      // (2^N - 1) * B, built as w_1 = B, w_{k+1} = 2 w_k + B: 25, 75, 175, 375 -> capped at 250.
      for (int i = 1; i < n && window < cap; ++i) window = 2 * window + base;
      break;
  }
  return std::min(window, cap);
}

sim::Duration draw_backoff(int retry_number, sim::Duration base, std::optional<sim::Duration> max,
                           BackoffFormula formula, sim::RngStream& rng) {
  using std::chrono::milliseconds;
  const sim::Duration window = backoff_window(retry_number, base, max, formula);
  if (window <= sim::Duration::zero()) return sim::Duration::zero();
  if (window % milliseconds{1} == sim::Duration::zero()) {
    const auto window_ms = static_cast<std::uint64_t>(window / milliseconds{1});
    return milliseconds{static_cast<std::int64_t>(rng.uniform_below(window_ms))};
  }
  return sim::Duration{static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(window.count())))};
}

}  // namespace models::routing
