#include <catch2/catch.hpp>

#include <set>
#include <tuple>

#include "models/routing/retry_backoff.hpp"

using models::routing::backoff_window;
using models::routing::BackoffFormula;
using models::routing::draw_backoff;
using namespace std::chrono_literals;

TEST_CASE("backoff_window: V8 table, B = 25 ms, max 250 ms, DOC and CODE columns", "[models][routing]") {
  using Row = std::tuple<int, sim::Duration, sim::Duration>;
  auto [retry, docs, code] = GENERATE(table<int, sim::Duration, sim::Duration>({
      // DOC: (2^N - 1) * 25 ms, capped.  CODE: 2^(N-1) * 25 ms, capped.
      Row{1, 25ms, 25ms},    // 1 * 25            | 1 * 25
      Row{2, 75ms, 50ms},    // 3 * 25            | 2 * 25
      Row{3, 175ms, 100ms},  // 7 * 25            | 4 * 25
      Row{4, 250ms, 200ms},  // 15 * 25 = 375 cap | 8 * 25
      Row{5, 250ms, 250ms},  // 31 * 25 cap       | 16 * 25 = 400 cap
      Row{6, 250ms, 250ms},
      Row{60, 250ms, 250ms},  // no overflow for large retry numbers
  }));
  CAPTURE(retry);
  CHECK(backoff_window(retry, 25ms, 250ms, BackoffFormula::Docs) == docs);
  CHECK(backoff_window(retry, 25ms, 250ms, BackoffFormula::Code) == code);
  // The defaults are the same numbers: base 25 ms, max 10 * base, the current code.
  CHECK(backoff_window(retry) == code);
}

TEST_CASE("backoff_window: max defaults to 10 x base, windows never exceed max", "[models][routing]") {
  CHECK(backoff_window(1, 100ms) == 100ms);
  CHECK(backoff_window(4, 100ms) == 800ms);   // 8 * 100 < 1 s
  CHECK(backoff_window(5, 100ms) == 1000ms);  // 16 * 100 capped at 10 * 100
  CHECK(backoff_window(3, 100ms, std::nullopt, BackoffFormula::Docs) == 700ms);
  CHECK(backoff_window(4, 100ms, std::nullopt, BackoffFormula::Docs) == 1000ms);  // 1500 capped
  // A base above the max is capped too.
  CHECK(backoff_window(1, 300ms, 250ms) == 250ms);
  // Retry numbers below 1 are treated as the first retry.
  CHECK(backoff_window(0) == 25ms);
}

TEST_CASE("draw_backoff: whole milliseconds inside 0 to the window, covering the window", "[models][routing]") {
  sim::RngStream rng(42, 0, "retry-backoff");
  for (BackoffFormula formula : {BackoffFormula::Code, BackoffFormula::Docs}) {
    for (int retry = 1; retry <= 6; ++retry) {
      const sim::Duration window = backoff_window(retry, 25ms, 250ms, formula);
      std::set<std::int64_t> seen;
      for (int i = 0; i < 20'000; ++i) {
        const sim::Duration d = draw_backoff(retry, 25ms, 250ms, formula, rng);
        REQUIRE(d >= 0ms);
        REQUIRE(d < window);
        REQUIRE(d % 1ms == sim::Duration::zero());
        seen.insert(d / 1ms);
      }
      CAPTURE(retry, static_cast<int>(formula));
      // Every millisecond value 0 .. window-1 comes up (at most 250 values, 20000 draws).
      CHECK(seen.size() == static_cast<std::size_t>(window / 1ms));
    }
  }
  // A window that is not a whole number of milliseconds is drawn in nanoseconds.
  for (int i = 0; i < 1000; ++i) {
    const sim::Duration d = draw_backoff(1, 1500us, std::nullopt, BackoffFormula::Code, rng);
    REQUIRE(d >= 0ns);
    REQUIRE(d < 1500us);
  }
}
