#include <catch2/catch.hpp>

#include "models/health/health_check.hpp"
#include "sim/rng.hpp"

using namespace std::chrono_literals;
using models::health::HealthCheckState;
using models::health::HealthCheckThresholds;
using sim::SimTime;

TEST_CASE("HealthCheckState: U consecutive failures to go unhealthy, H passes to come back", "[models][health]") {
  const HealthCheckThresholds t{2, 3};  // healthy 2, unhealthy 3
  HealthCheckState s;
  CHECK(s.healthy());
  CHECK_FALSE(s.record(false, t));
  CHECK_FALSE(s.record(false, t));
  CHECK_FALSE(s.record(true, t));  // a pass resets the failure count
  CHECK_FALSE(s.record(false, t));
  CHECK_FALSE(s.record(false, t));
  CHECK(s.record(false, t));  // the third in a row
  CHECK_FALSE(s.healthy());
  CHECK_FALSE(s.record(true, t));
  CHECK_FALSE(s.record(false, t));  // a failure resets the pass count
  CHECK_FALSE(s.record(true, t));
  CHECK(s.record(true, t));
  CHECK(s.healthy());
}

TEST_CASE("time_detected: ROUTING.md 7.4, detection between (U-1)*I + T and U*I + T", "[models][health]") {
  // Compute Engine defaults: interval 5s, timeout 5s, unhealthy threshold 2; a blackholed
  // endpoint, so each failing probe takes the whole timeout.
  const auto interval = 5s, timeout = 5s;
  sim::RngStream rng(1, 0, "phases");
  for (int i = 0; i < 1000; ++i) {
    const sim::Duration phase{static_cast<std::int64_t>(rng.uniform_below(5'000'000'000))};
    const SimTime failure = SimTime::at(60s + sim::Duration{static_cast<std::int64_t>(rng.uniform_below(10'000'000'000))});
    const sim::Duration detect = models::health::time_detected(failure, phase, interval, timeout, 2) - failure;
    CAPTURE(phase.count(), failure.ns());
    CHECK(detect >= 1 * interval + timeout);  // (U-1)*I + T = 10s
    CHECK(detect <= 2 * interval + timeout);  // U*I + T = 15s
  }
  // Exactly at the edges: a probe sent just as the endpoint fails sees the failure ...
  CHECK(models::health::time_detected(SimTime::at(10s), 0s, interval, timeout, 2) == SimTime::at(20s));
  // ... and one sent a nanosecond before it still passed.
  CHECK(models::health::time_detected(SimTime::at(10s + 1ns), 0s, interval, timeout, 2) == SimTime::at(25s));
}

TEST_CASE("time_detected: ROUTING.md 4.3 example, interval 5s, timeout 1s, U = 3, blackhole", "[models][health]") {
  // 4.3 (for a fixed schedule): between 2*5 + 1 = 11s and 3*5 + 1 = 16s after the failure. (The
  // Envoy example there, 13s to 18s, schedules the next probe after the previous result, so each
  // failing probe adds its 1s timeout: (U-1)*(I+d) + d.)
  for (auto phase : {0s, 1s, 2s, 3s, 4s}) {
    const auto detect = models::health::time_detected(SimTime::at(100s + 500ms), phase, 5s, 1s, 3) - SimTime::at(100s + 500ms);
    CHECK(detect >= 11s);
    CHECK(detect <= 16s);
  }
}

TEST_CASE("HealthCheckState::settled: skipping the results it calls settled changes no verdict", "[models][health]") {
  // A checker that records every result and one that skips the settled ones see the same
  // sequence of probes; after every probe they agree on healthy(), and on every transition.
  sim::RngStream rng(5, 0, "settled-test");
  for (std::uint32_t healthy_threshold = 1; healthy_threshold <= 3; ++healthy_threshold)
    for (std::uint32_t unhealthy_threshold = 1; unhealthy_threshold <= 3; ++unhealthy_threshold) {
      const HealthCheckThresholds t{healthy_threshold, unhealthy_threshold};
      HealthCheckState every, skipping;
      int skipped = 0;
      for (int probe = 0; probe < 2000; ++probe) {
        // Long runs of one result, as a real endpoint gives, with flips now and then.
        const bool passed = (probe / 37) % 3 != 0 ? !rng.bernoulli(0.05) : rng.bernoulli(0.3);
        const bool changed = every.record(passed, t);
        if (skipping.settled(passed)) {
          CHECK_FALSE(changed);
          ++skipped;
        } else {
          CHECK(skipping.record(passed, t) == changed);
        }
        REQUIRE(skipping.healthy() == every.healthy());
      }
      CHECK(skipped > 1000);  // most probes of a steady endpoint need no delivery
    }
}

TEST_CASE("HealthCheckState::settled: which results change nothing", "[models][health]") {
  const HealthCheckThresholds t{2, 2};
  HealthCheckState s;
  CHECK(s.settled(true));  // healthy, no failure counted
  CHECK_FALSE(s.settled(false));
  s.record(false, t);  // one failure counted: a pass must reset it
  CHECK_FALSE(s.settled(true));
  s.record(false, t);  // unhealthy now
  CHECK_FALSE(s.healthy());
  CHECK(s.settled(false));
  s.record(true, t);  // one pass counted: a failure must reset it
  CHECK_FALSE(s.settled(false));
  CHECK_FALSE(s.settled(true));
}
