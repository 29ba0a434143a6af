#include "models/health/envoy_active_health_check.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/rng.hpp"

using namespace std::chrono_literals;
using models::health::EnvoyActiveHealthChecker;
using models::health::EnvoyHealthCheckConfig;
using models::health::HealthChange;
using models::health::ProbeResult;
using sim::Duration;
using sim::SimTime;

namespace {

using Start = EnvoyActiveHealthChecker::Start;

// One probe as the host answers it: its result and how long it took (the timeout when nothing
// answers).
struct Probe {
  ProbeResult result;
  Duration takes;
};

// The owner's loop in miniature: probe at `first_probe_at`, record the result when it comes back,
// wait next_interval(), probe again, until a probe changes the host's state. `outcome(start)` says
// how the host answers a probe sent at `start`. Returns when the deciding probe came back.
template <class Outcome>
std::optional<SimTime> run_until_change(EnvoyActiveHealthChecker& checker, SimTime first_probe_at, Outcome&& outcome,
                                        bool had_traffic, sim::RngStream& rng) {
  SimTime start = first_probe_at;
  for (int probe = 0; probe < 10'000; ++probe) {
    const Probe p = outcome(start);
    const SimTime done = start + p.takes;
    if (checker.record(p.result) != HealthChange::None) return done;
    start = done + checker.next_interval(had_traffic, rng);
  }
  return std::nullopt;
}

// A host that answers in `rtt` until `down_at`, then not at all (blackholed: every probe from then
// on times out), and answers again from `up_at`. A probe counts by the instant it is sent.
auto blackhole_between(SimTime down_at, SimTime up_at, Duration rtt, Duration timeout) {
  return [=](SimTime start) {
    return start >= down_at && start < up_at ? Probe{ProbeResult::NetworkFailure, timeout}
                                             : Probe{ProbeResult::Success, rtt};
  };
}

auto always(ProbeResult result, Duration takes) {
  return [=](SimTime) { return Probe{result, takes}; };
}

Duration uniform(sim::RngStream& rng, Duration below) {
  return Duration{static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(below.count())))};
}

// A checker that has just seen a host become unhealthy after `threshold` network failures.
EnvoyActiveHealthChecker made_unhealthy(const EnvoyHealthCheckConfig& config) {
  EnvoyActiveHealthChecker checker(config);
  for (std::uint32_t i = 0; i < config.unhealthy_threshold; ++i) checker.record(ProbeResult::NetworkFailure);
  REQUIRE_FALSE(checker.healthy());
  return checker;
}

}  // namespace

TEST_CASE("EnvoyHealthCheckConfig: defaults, and Envoy's fallback chain for unset intervals",
          "[models][health][envoy-hc]") {
  const EnvoyHealthCheckConfig config;
  CHECK(config.interval == 5s);
  CHECK(config.timeout == 1s);
  CHECK(config.unhealthy_threshold == 3u);
  CHECK(config.healthy_threshold == 2u);
  CHECK(config.no_traffic_interval == 60s);
  CHECK(config.initial_jitter == 0s);
  CHECK(config.interval_jitter == 0s);
  CHECK(config.interval_jitter_percent == 0u);

  SECTION("all unset: everything falls back to interval or no_traffic_interval") {
    const auto waits = models::health::resolve_intervals(config);
    CHECK(waits.interval == 5s);
    CHECK(waits.unhealthy == 5s);
    CHECK(waits.unhealthy_edge == 5s);
    CHECK(waits.healthy_edge == 5s);
    CHECK(waits.no_traffic == 60s);
    CHECK(waits.no_traffic_healthy == 60s);
  }
  SECTION("unhealthy_edge_interval falls back to the unhealthy interval, not to interval") {
    EnvoyHealthCheckConfig c;
    c.unhealthy_interval = 7s;
    c.no_traffic_interval = 30s;
    const auto waits = models::health::resolve_intervals(c);
    CHECK(waits.unhealthy == 7s);
    CHECK(waits.unhealthy_edge == 7s);
    CHECK(waits.healthy_edge == 5s);  // from interval, not from unhealthy_interval
    CHECK(waits.no_traffic_healthy == 30s);
  }
  SECTION("set values win") {
    EnvoyHealthCheckConfig c;
    c.unhealthy_interval = 7s;
    c.unhealthy_edge_interval = 3s;
    c.healthy_edge_interval = 2s;
    c.no_traffic_healthy_interval = 120s;
    const auto waits = models::health::resolve_intervals(c);
    CHECK(waits.unhealthy_edge == 3s);
    CHECK(waits.healthy_edge == 2s);
    CHECK(waits.no_traffic_healthy == 120s);
  }
}

TEST_CASE("validate(EnvoyHealthCheckConfig): durations Envoy rejects, one message each", "[models][health][envoy-hc]") {
  CHECK(models::health::validate(EnvoyHealthCheckConfig{}).empty());
  EnvoyHealthCheckConfig c;
  c.interval = 0s;
  c.timeout = -1s;
  c.interval_jitter = -1ms;
  c.unhealthy_edge_interval = 0s;
  c.unhealthy_threshold = 0;  // accepted: the count is never reached
  const auto issues = models::health::validate(c);
  REQUIRE(issues.size() == 4u);
  CHECK(issues[0] == "timeout must be positive, got -1s");
  CHECK(issues[1].rfind("interval must be positive", 0) == 0);
  CHECK(issues[2].rfind("interval_jitter must not be negative", 0) == 0);
  CHECK(issues[3].rfind("unhealthy_edge_interval must be positive", 0) == 0);
}

TEST_CASE(
    "EnvoyActiveHealthChecker: ROUTING.md 4.3 worked example, interval 5s, timeout 1s, U 3, blackhole, "
    "detected 13s to 18s after the failure",
    "[models][health][envoy-hc]") {
  const EnvoyHealthCheckConfig config;  // 5 s, 1 s, U = 3
  const Duration rtt = 2ms;
  sim::RngStream rng(1, 0, "envoy-hc-43");

  SECTION("exactly phase + d + (U-1)*(I + d), d = timeout, for a given phase") {
    for (Duration phase : {Duration{0s}, Duration{1ms}, Duration{2500ms}, Duration{5s}, Duration{5s + rtt - 1ns}}) {
      EnvoyActiveHealthChecker checker(config);
      const SimTime failure = SimTime::at(100s);
      const auto detected =
          run_until_change(checker, failure + phase, always(ProbeResult::NetworkFailure, 1s), true, rng);
      REQUIRE(detected);
      CAPTURE(phase.count());
      CHECK(*detected - failure == phase + 1s + 2 * (5s + 1s));
      CHECK_FALSE(checker.healthy());
    }
  }
  SECTION("a steady probe timeline and failures at random instants: between 13s and 18s") {
    Duration fastest = Duration::max(), slowest = Duration::zero();
    for (int i = 0; i < 500; ++i) {
      EnvoyActiveHealthChecker checker(config);
      const SimTime failure = SimTime::at(100s + uniform(rng, 100s));
      const auto detected =
          run_until_change(checker, SimTime::at(0s), blackhole_between(failure, SimTime::max(), rtt, 1s), true, rng);
      REQUIRE(detected);
      const Duration took = *detected - failure;
      CAPTURE(failure.ns());
      CHECK(took >= 13s);       // U * d + (U-1) * I = 3 + 10
      CHECK(took < 18s + rtt);  // plus a whole probe period I + RTT
      fastest = std::min(fastest, took);
      slowest = std::max(slowest, took);
    }
    // The phase covers the whole period: both ends are reached.
    CHECK(fastest < 13100ms);
    CHECK(slowest > 17900ms);
  }
}

TEST_CASE("EnvoyActiveHealthChecker: a refused connection fails in one RTT, T = phase + RTT + (U-1)*(I + RTT)",
          "[models][health][envoy-hc]") {
  const EnvoyHealthCheckConfig config;
  const Duration rtt = 30ms;
  sim::RngStream rng(2, 0, "envoy-hc-refused");
  for (Duration phase : {Duration{0s}, Duration{3s}}) {
    EnvoyActiveHealthChecker checker(config);
    const SimTime failure = SimTime::at(50s);
    const auto detected =
        run_until_change(checker, failure + phase, always(ProbeResult::NetworkFailure, rtt), true, rng);
    REQUIRE(detected);
    CHECK(*detected - failure == phase + rtt + 2 * (5s + rtt));
  }
}

TEST_CASE(
    "EnvoyActiveHealthChecker: a non-retriable status such as 503 makes a healthy host unhealthy at once, "
    "T = phase + RTT",
    "[models][health][envoy-hc]") {
  EnvoyHealthCheckConfig config;
  config.unhealthy_threshold = 5;
  const Duration rtt = 2ms;
  sim::RngStream rng(3, 0, "envoy-hc-503");

  SECTION("the first 503 decides, whatever unhealthy_threshold says") {
    for (Duration phase : {Duration{0s}, Duration{4s}}) {
      EnvoyActiveHealthChecker checker(config);
      const SimTime failure = SimTime::at(10s);
      const auto detected =
          run_until_change(checker, failure + phase, always(ProbeResult::NonRetriableStatus, rtt), true, rng);
      REQUIRE(detected);
      CHECK(*detected - failure == phase + rtt);
    }
  }
  SECTION("also in the middle of a count of network failures") {
    EnvoyActiveHealthChecker checker(config);
    CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::None);
    CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::None);
    CHECK(checker.pending());
    CHECK(checker.num_unhealthy() == 2u);
    CHECK(checker.record(ProbeResult::NonRetriableStatus) == HealthChange::BecameUnhealthy);
    CHECK_FALSE(checker.pending());
  }
  SECTION("a retriable status counts toward the threshold instead") {
    EnvoyActiveHealthChecker checker(config);
    for (int i = 0; i < 4; ++i) CHECK(checker.record(ProbeResult::RetriableStatus) == HealthChange::None);
    CHECK(checker.healthy());
    CHECK(checker.record(ProbeResult::RetriableStatus) == HealthChange::BecameUnhealthy);
  }
  SECTION("on a host that is already unhealthy it changes nothing") {
    EnvoyActiveHealthChecker checker = made_unhealthy(config);
    CHECK(checker.record(ProbeResult::NonRetriableStatus) == HealthChange::None);
    CHECK_FALSE(checker.healthy());
  }
}

TEST_CASE("EnvoyActiveHealthChecker: consecutive counts, a pass resets the failures and a failure the passes",
          "[models][health][envoy-hc]") {
  EnvoyHealthCheckConfig config;
  config.unhealthy_threshold = 3;
  config.healthy_threshold = 2;
  EnvoyActiveHealthChecker checker(config);
  CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::None);
  CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::None);
  CHECK(checker.record(ProbeResult::Success) == HealthChange::None);  // count starts over
  CHECK(checker.num_unhealthy() == 0u);
  CHECK_FALSE(checker.pending());
  CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::None);
  CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::None);
  CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::BecameUnhealthy);
  CHECK(checker.record(ProbeResult::Success) == HealthChange::None);
  CHECK(checker.pending());
  CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::None);  // passes start over
  CHECK(checker.num_healthy() == 0u);
  CHECK(checker.record(ProbeResult::Success) == HealthChange::None);
  CHECK(checker.record(ProbeResult::Success) == HealthChange::BecameHealthy);
  CHECK(checker.healthy());
}

TEST_CASE("EnvoyActiveHealthChecker: the first check of a new host marks it healthy at once",
          "[models][health][envoy-hc]") {
  EnvoyHealthCheckConfig config;
  config.healthy_threshold = 3;

  SECTION("a new host fails active HC until its first check, and one pass is enough") {
    EnvoyActiveHealthChecker checker(config, Start::NewHost);
    CHECK_FALSE(checker.healthy());
    CHECK(checker.first_check());
    CHECK(checker.record(ProbeResult::Success) == HealthChange::BecameHealthy);
    CHECK(checker.healthy());
    CHECK_FALSE(checker.first_check());
  }
  SECTION("when the first check fails, healthy_threshold passes are needed after it") {
    EnvoyActiveHealthChecker checker(config, Start::NewHost);
    CHECK(checker.record(ProbeResult::NetworkFailure) == HealthChange::None);  // already failing
    CHECK_FALSE(checker.first_check());
    CHECK(checker.record(ProbeResult::Success) == HealthChange::None);
    CHECK(checker.record(ProbeResult::Success) == HealthChange::None);
    CHECK(checker.record(ProbeResult::Success) == HealthChange::BecameHealthy);
  }
  SECTION("a steady-state host that went unhealthy needs healthy_threshold passes") {
    EnvoyActiveHealthChecker checker = made_unhealthy(config);
    CHECK_FALSE(checker.first_check());
    CHECK(checker.record(ProbeResult::Success) == HealthChange::None);
    CHECK(checker.record(ProbeResult::Success) == HealthChange::None);
    CHECK(checker.record(ProbeResult::Success) == HealthChange::BecameHealthy);
  }
}

TEST_CASE("EnvoyActiveHealthChecker: ROUTING.md 4.3 recovery, T = phase + (H-1)*(healthy_edge + RTT) + RTT",
          "[models][health][envoy-hc]") {
  EnvoyHealthCheckConfig config;
  config.healthy_threshold = 3;
  config.unhealthy_interval = 10s;
  config.healthy_edge_interval = 1s;
  const Duration rtt = 2ms;
  sim::RngStream rng(4, 0, "envoy-hc-recover");

  SECTION("exactly, for a given phase") {
    for (Duration phase : {Duration{0s}, Duration{7s}}) {
      EnvoyActiveHealthChecker checker = made_unhealthy(config);
      const SimTime back = SimTime::at(500s);
      const auto recovered = run_until_change(checker, back + phase, always(ProbeResult::Success, rtt), true, rng);
      REQUIRE(recovered);
      CHECK(*recovered - back == phase + 2 * (1s + rtt) + rtt);
    }
  }
  SECTION("a whole outage on one timeline: the phase spans one unhealthy period, unhealthy_interval + timeout") {
    const Duration least = 2 * (1s + rtt) + rtt;
    Duration fastest = Duration::max(), slowest = Duration::zero();
    for (int i = 0; i < 300; ++i) {
      EnvoyActiveHealthChecker checker(config);
      const SimTime down = SimTime::at(20s + uniform(rng, 10s));
      const SimTime up = down + 60s + uniform(rng, 30s);
      const auto host = blackhole_between(down, up, rtt, config.timeout);
      const auto detected = run_until_change(checker, SimTime::at(0s), host, true, rng);
      REQUIRE(detected);
      REQUIRE(*detected < up);
      const auto recovered = run_until_change(checker, *detected + checker.next_interval(true, rng), host, true, rng);
      REQUIRE(recovered);
      CHECK(checker.healthy());
      const Duration took = *recovered - up;
      CHECK(took >= least);
      CHECK(took < least + 10s + 1s);
      fastest = std::min(fastest, took);
      slowest = std::max(slowest, took);
    }
    CHECK(fastest < least + 200ms);
    CHECK(slowest > least + 10800ms);
  }
}

TEST_CASE("EnvoyActiveHealthChecker: the edge intervals are used while a transition is pending",
          "[models][health][envoy-hc]") {
  // Envoy's code picks the wait by the probe's result and a pending count (ROUTING.md 4.2); the
  // proto describes the edge intervals as the first wait after the transition instead.
  EnvoyHealthCheckConfig config;
  config.interval = 5s;
  config.unhealthy_interval = 7s;
  config.unhealthy_edge_interval = 3s;
  config.healthy_edge_interval = 2s;
  config.unhealthy_threshold = 3;
  config.healthy_threshold = 2;
  sim::RngStream rng(5, 0, "envoy-hc-edges");

  SECTION("one step at a time") {
    EnvoyActiveHealthChecker checker(config);
    const std::vector<std::pair<ProbeResult, Duration>> steps = {
        {ProbeResult::Success, 5s},         // healthy, nothing pending: interval
        {ProbeResult::NetworkFailure, 3s},  // counting to U: unhealthy edge
        {ProbeResult::NetworkFailure, 3s},
        {ProbeResult::NetworkFailure, 7s},  // became unhealthy: unhealthy interval
        {ProbeResult::NetworkFailure, 7s},
        {ProbeResult::Success, 2s},  // counting to H: healthy edge
        {ProbeResult::Success, 5s},  // became healthy: interval
        {ProbeResult::NonRetriableStatus, 7s},
    };
    for (std::size_t i = 0; i < steps.size(); ++i) {
      CAPTURE(i);
      checker.record(steps[i].first);
      CHECK(checker.next_interval(true, rng) == steps[i].second);
    }
  }
  SECTION("so detection takes phase + d + (U-1)*(unhealthy_edge + d), not (U-1)*(interval + d)") {
    EnvoyHealthCheckConfig c;
    c.unhealthy_edge_interval = 1s;
    EnvoyActiveHealthChecker checker(c);
    const SimTime failure = SimTime::at(30s);
    const auto detected = run_until_change(checker, failure + 2s, always(ProbeResult::NetworkFailure, 1s), true, rng);
    REQUIRE(detected);
    CHECK(*detected - failure == 2s + 1s + 2 * (1s + 1s));  // 7 s; with interval it would be 15 s
  }
}

TEST_CASE(
    "EnvoyActiveHealthChecker: a cluster that never had traffic is probed every no_traffic_interval, "
    "detection up to about 3 times 61s",
    "[models][health][envoy-hc]") {
  const EnvoyHealthCheckConfig config;  // no_traffic_interval 60 s, timeout 1 s, U = 3
  const Duration rtt = 2ms;
  sim::RngStream rng(6, 0, "envoy-hc-idle");

  SECTION("waits on an idle cluster, with and without no_traffic_healthy_interval") {
    EnvoyHealthCheckConfig c = config;
    c.no_traffic_healthy_interval = 120s;
    c.unhealthy_edge_interval = 1s;  // ignored while idle
    EnvoyActiveHealthChecker checker(c);
    checker.record(ProbeResult::Success);
    CHECK(checker.next_interval(false, rng) == 120s);  // settled and passing
    CHECK(checker.next_interval(true, rng) == 5s);
    checker.record(ProbeResult::NetworkFailure);
    CHECK(checker.next_interval(false, rng) == 60s);  // counting to U
    checker.record(ProbeResult::NetworkFailure);
    checker.record(ProbeResult::NetworkFailure);
    CHECK(checker.next_interval(false, rng) == 60s);  // unhealthy
    checker.record(ProbeResult::Success);
    CHECK(checker.next_interval(false, rng) == 60s);  // passing but counting to H
    checker.record(ProbeResult::Success);
    CHECK(checker.next_interval(false, rng) == 120s);  // healthy again
  }
  SECTION("blackhole on an idle cluster: between 3*1 + 2*60 = 123s and 3*61 = 183s") {
    Duration slowest = Duration::zero();
    for (int i = 0; i < 300; ++i) {
      EnvoyActiveHealthChecker checker(config);
      const SimTime failure = SimTime::at(600s + uniform(rng, 600s));
      const auto detected =
          run_until_change(checker, SimTime::at(0s), blackhole_between(failure, SimTime::max(), rtt, 1s), false, rng);
      REQUIRE(detected);
      const Duration took = *detected - failure;
      CHECK(took >= 123s);
      CHECK(took < 183s + rtt);
      slowest = std::max(slowest, took);
    }
    CHECK(slowest > 180s);
  }
}

TEST_CASE("EnvoyActiveHealthChecker: jitter bounds, whole milliseconds, and the 1 ms floor",
          "[models][health][envoy-hc]") {
  sim::RngStream rng(7, 0, "envoy-hc-jitter");
  auto range_of = [&](const EnvoyActiveHealthChecker& checker, bool had_traffic) {
    Duration lo = Duration::max(), hi = Duration::zero();
    bool whole_ms = true;
    for (int i = 0; i < 2000; ++i) {
      const Duration d = checker.next_interval(had_traffic, rng);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
      whole_ms = whole_ms && d % 1ms == 0ns;
    }
    CHECK(whole_ms);
    return std::make_pair(lo, hi);
  };

  SECTION("interval_jitter adds a uniform [0, jitter)") {
    EnvoyHealthCheckConfig c;
    c.interval_jitter = 1s;
    const auto [lo, hi] = range_of(EnvoyActiveHealthChecker(c), true);
    CHECK(lo >= 5s);
    CHECK(hi < 6s);
    CHECK(lo < 5020ms);
    CHECK(hi > 5980ms);
  }
  SECTION("interval_jitter_percent is a percentage of the wait chosen, the no-traffic one included") {
    EnvoyHealthCheckConfig c;
    c.interval_jitter_percent = 10;
    const EnvoyActiveHealthChecker checker(c);
    const auto [lo, hi] = range_of(checker, true);
    CHECK(lo >= 5s);
    CHECK(hi < 5500ms);
    CHECK(hi > 5480ms);
    const auto [idle_lo, idle_hi] = range_of(checker, false);
    CHECK(idle_lo >= 60s);
    CHECK(idle_hi < 66s);
    CHECK(idle_hi > 65800ms);  // 10% of 60 s, not of the 5 s interval
  }
  SECTION("both together add up") {
    EnvoyHealthCheckConfig c;
    c.interval_jitter = 1s;
    c.interval_jitter_percent = 10;
    const auto [lo, hi] = range_of(EnvoyActiveHealthChecker(c), true);
    CHECK(lo >= 5s);
    CHECK(hi < 6500ms);
    CHECK(hi > 6000ms);
  }
  SECTION("no jitter configured: exact waits, and nothing drawn from the stream") {
    sim::RngStream a(9, 0, "same"), b(9, 0, "same");
    const EnvoyActiveHealthChecker checker{EnvoyHealthCheckConfig{}};
    CHECK(checker.next_interval(true, a) == 5s);
    CHECK(checker.initial_delay(a) == 0s);  // a new host is probed at once
    CHECK(a.next_u64() == b.next_u64());
  }
  SECTION("a wait below 1 ms becomes 1 ms") {
    EnvoyHealthCheckConfig c;
    c.interval = 500us;  // 0 whole milliseconds, as Envoy reads it
    CHECK(EnvoyActiveHealthChecker(c).next_interval(true, rng) == 1ms);
  }
  SECTION("initial_jitter delays the first probe by a uniform [1 ms, initial_jitter)") {
    EnvoyHealthCheckConfig c;
    c.initial_jitter = 2s;
    const EnvoyActiveHealthChecker checker(c, Start::NewHost);
    Duration lo = Duration::max(), hi = Duration::zero();
    for (int i = 0; i < 2000; ++i) {
      const Duration d = checker.initial_delay(rng);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    CHECK(lo >= 1ms);
    CHECK(hi < 2s);
    CHECK(lo < 20ms);
    CHECK(hi > 1980ms);
  }
}
