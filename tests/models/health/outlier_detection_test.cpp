#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "models/health/outlier_detection.hpp"

using models::health::EjectionReason;
using models::health::IstioOutlierDetection;
using models::health::MaxEjectionRule;
using models::health::OutlierDetectionConfig;
using models::health::OutlierDetector;
using namespace std::chrono_literals;

namespace {

sim::SimTime at_ms(std::int64_t ms) { return sim::SimTime::at(std::chrono::milliseconds{ms}); }

std::size_t reason(EjectionReason r) { return static_cast<std::size_t>(r); }

// Sends `count` results with `status` to `host` at time `t_ms`; returns how many ejected it.
int send(OutlierDetector& d, std::size_t host, int status, int count, std::int64_t t_ms, sim::RngStream& rng) {
  int ejections = 0;
  for (int i = 0; i < count; ++i) ejections += d.on_result(host, status, at_ms(t_ms), rng) ? 1 : 0;
  return ejections;
}

// Drives host 0 of a cluster the way the V7 timeline row assumes: one result every 10 ms
// (100 rps) while the host is in service (the load balancer skips an ejected host), and a sweep
// every 10 s. At an instant that has both, the result comes first.
struct TimelineDriver {
  OutlierDetector detector;
  sim::RngStream rng{42, 0, "outlier-timeline"};
  std::int64_t t_ms = 0;
  std::vector<std::int64_t> ejected_at_ms;
  std::vector<std::int64_t> unejected_at_ms;
  std::vector<std::uint32_t> backoff_at_ejection;
  std::vector<std::pair<std::int64_t, std::uint32_t>> backoff_after_sweep;

  explicit TimelineDriver(std::size_t hosts) : detector(OutlierDetectionConfig{}, hosts) {}

  void run_until(std::int64_t until_ms, int status) {
    while (t_ms < until_ms) {
      t_ms += 10;
      if (!detector.ejected(0) && detector.on_result(0, status, at_ms(t_ms), rng)) {
        ejected_at_ms.push_back(t_ms);
        backoff_at_ejection.push_back(detector.ejection_backoff(0));
      }
      if (t_ms % 10'000 == 0) {
        for (std::size_t host : detector.on_interval(at_ms(t_ms), rng).unejected) {
          if (host == 0) unejected_at_ms.push_back(t_ms);
        }
        backoff_after_sweep.emplace_back(t_ms, detector.ejection_backoff(0));
      }
    }
  }
};

// How many of `n` hosts end up ejected when every one of them fails 5 times in a row.
std::size_t ejections_when_all_fail(std::size_t n, std::uint32_t max_percent, MaxEjectionRule rule,
                                    bool always_eject_one_host) {
  OutlierDetectionConfig config;
  config.max_ejection_percent = max_percent;
  config.max_ejection_rule = rule;
  config.always_eject_one_host = always_eject_one_host;
  OutlierDetector d(config, n);
  sim::RngStream rng(1, 0, "max-ejection");
  for (std::size_t host = 0; host < n; ++host) send(d, host, 500, 5, 1, rng);
  return d.ejected_count();
}

}  // namespace

TEST_CASE("OutlierDetector: V7 success-rate row: {50,100,100,100,100} -> mean 90, stdev 20, threshold 52, "
          "the 50% host is ejected",
          "[models][health]") {
  auto run = [](OutlierDetectionConfig config) {
    OutlierDetector d(config, 5);
    sim::RngStream rng(7, 0, "sr");
    // 100 requests per host in the interval (the minimum volume); host 0 alternates 200/500, so
    // it never has 5 consecutive 5xx and only success rate can find it.
    for (int i = 0; i < 50; ++i) {
      d.on_result(0, 200, at_ms(1000), rng);
      d.on_result(0, 500, at_ms(1000), rng);
    }
    for (std::size_t host = 1; host < 5; ++host) send(d, host, 200, 100, 1000, rng);
    auto changes = d.on_interval(at_ms(10'000), rng);
    return std::make_pair(std::move(d), std::move(changes));
  };

  SECTION("with a cap that allows one of five hosts (100 * 1 / 5 = 20 <= 20%)") {
    OutlierDetectionConfig config;
    config.max_ejection_percent = 20;
    auto [d, changes] = run(config);
    REQUIRE(d.last_success_rate().has_value());
    CHECK(d.last_success_rate()->hosts == 5u);
    CHECK(d.last_success_rate()->mean == Approx(90.0));       // (50 + 4 * 100) / 5
    CHECK(d.last_success_rate()->stdev == Approx(20.0));      // sqrt((40^2 + 4 * 10^2) / 5)
    CHECK(d.last_success_rate()->threshold == Approx(52.0));  // 90 - 1.9 * 20
    CHECK(changes.ejected == std::vector<std::size_t>{0});
    CHECK(d.ejected(0));
    CHECK(d.ejected_count() == 1u);
    CHECK(d.stats().enforced[reason(EjectionReason::SuccessRate)] == 1u);
  }
  SECTION("with Envoy's default 10% cap the current rule refuses it (100 * 1 / 5 = 20 > 10)") {
    auto [d, changes] = run(OutlierDetectionConfig{});
    CHECK(changes.empty());
    CHECK(d.stats().detected[reason(EjectionReason::SuccessRate)] == 1u);
    CHECK(d.stats().overflow == 1u);
  }
  SECTION("Istio's defaults detect it but never enforce success rate (enforcing_success_rate 0)") {
    OutlierDetectionConfig config = OutlierDetectionConfig::istio_defaults();
    config.max_ejection_percent = 20;
    auto [d, changes] = run(config);
    CHECK(changes.empty());
    CHECK(d.stats().detected[reason(EjectionReason::SuccessRate)] == 1u);
    CHECK(d.stats().overflow == 0u);
  }
  SECTION("four hosts with enough volume are fewer than success_rate_minimum_hosts (5): no statistics") {
    OutlierDetectionConfig config;
    config.max_ejection_percent = 100;
    OutlierDetector d(config, 5);
    sim::RngStream rng(7, 0, "sr");
    for (int i = 0; i < 50; ++i) {
      d.on_result(0, 200, at_ms(1000), rng);
      d.on_result(0, 500, at_ms(1000), rng);
    }
    for (std::size_t host = 1; host < 4; ++host) send(d, host, 200, 100, 1000, rng);
    send(d, 4, 200, 99, 1000, rng);  // one request short of success_rate_request_volume
    CHECK(d.on_interval(at_ms(10'000), rng).empty());
    CHECK_FALSE(d.last_success_rate().has_value());
  }
  SECTION("the sweep looks at the interval that just ended, not at older ones") {
    OutlierDetectionConfig config;
    config.max_ejection_percent = 20;
    OutlierDetector d(config, 5);
    sim::RngStream rng(7, 0, "sr");
    CHECK(d.on_interval(at_ms(10'000), rng).empty());  // nothing happened in (0, 10 s]
    for (int i = 0; i < 50; ++i) {
      d.on_result(0, 200, at_ms(15'000), rng);
      d.on_result(0, 500, at_ms(15'000), rng);
    }
    for (std::size_t host = 1; host < 5; ++host) send(d, host, 200, 100, 15'000, rng);
    CHECK(d.on_interval(at_ms(20'000), rng).ejected == std::vector<std::size_t>{0});
  }
}

TEST_CASE("OutlierDetector: V7 max-ejection row (current rule): 10% -> first ejection iff n >= 10, "
          "50% of 3 hosts -> 1, Pre2023 always ejects one",
          "[models][health]") {
  using Row = std::tuple<std::size_t, std::uint32_t, MaxEjectionRule, bool, std::size_t>;
  auto [n, percent, rule, always_one, expected] = GENERATE(table<std::size_t, std::uint32_t, MaxEjectionRule, bool,
                                                                 std::size_t>({
      // Current: 100 * (active + 1) / n <= max.
      Row{1, 10, MaxEjectionRule::Current, false, 0},   // 100 > 10
      Row{5, 10, MaxEjectionRule::Current, false, 0},   // 20 > 10
      Row{9, 10, MaxEjectionRule::Current, false, 0},   // 11.1 > 10
      Row{10, 10, MaxEjectionRule::Current, false, 1},  // 10 <= 10, then 20 > 10
      Row{15, 10, MaxEjectionRule::Current, false, 1},  // 6.7 <= 10, then 13.3 > 10
      Row{20, 10, MaxEjectionRule::Current, false, 2},  // 5, 10 <= 10, then 15 > 10
      Row{3, 50, MaxEjectionRule::Current, false, 1},   // 33.3 <= 50, then 66.7 > 50
      // Pre2023: 100 * active / n < max, so one host always goes and the cap can be passed by one.
      Row{1, 10, MaxEjectionRule::Pre2023, false, 1},   // 0 < 10, the only host ejected
      Row{5, 10, MaxEjectionRule::Pre2023, false, 1},   // 0 < 10, then 20 >= 10
      Row{9, 10, MaxEjectionRule::Pre2023, false, 1},   // 0 < 10, then 11.1 >= 10
      Row{15, 10, MaxEjectionRule::Pre2023, false, 2},  // 0, 6.7 < 10 -> 2 of 15 = 13.3% > 10%
      Row{3, 50, MaxEjectionRule::Pre2023, false, 2},   // 0, 33.3 < 50 -> 2 of 3 = 66.7% > 50%
      // always_eject_one_host (PR #34796): one ejection allowed while none is active.
      Row{1, 10, MaxEjectionRule::Current, true, 1},
      Row{5, 10, MaxEjectionRule::Current, true, 1},    // then 100 * 2 / 5 = 40 > 10
      Row{20, 10, MaxEjectionRule::Current, true, 2},   // the cap itself already allows 2
      Row{5, 0, MaxEjectionRule::Current, true, 1},     // even with a 0% cap
  }));
  CAPTURE(n, percent, static_cast<int>(rule), always_one);
  CHECK(ejections_when_all_fail(n, percent, rule, always_one) == expected);
}

TEST_CASE("OutlierDetector: V7 max-ejection row: the cap counts hosts across the whole cluster", "[models][health]") {
  // 10 hosts at 50%: say hosts 0-1 are priority 0 and 2-9 priority 1. Both P0 hosts can go, which
  // is 100% of P0 but 20% of the cluster (ROUTING.md §2.3).
  OutlierDetectionConfig config;
  config.max_ejection_percent = 50;
  OutlierDetector d(config, 10);
  sim::RngStream rng(1, 0, "cluster-wide");
  CHECK(send(d, 0, 500, 5, 1, rng) == 1);
  CHECK(send(d, 1, 500, 5, 1, rng) == 1);
  CHECK(d.ejected_count() == 2u);
}

TEST_CASE("OutlierDetector: V7 timeline row: a permanently failing host, defaults, 100 rps, sweeps at 10k s",
          "[models][health]") {
  // 10 hosts, so that Envoy's default 10% cap allows one ejection: 100 * 1 / 10 = 10 <= 10.
  TimelineDriver run(10);
  run.run_until(2'100'000, models::health::kConnectFailureStatus);  // 503: also a gateway error

  // Ejection k lasts T_k = min(30 s * k, 300 s) nominally. It starts at e_k (5 results after the
  // sweep that let the host back: +0.05 s) and ends at the first sweep with t - e_k >= T_k, i.e.
  // T_k + 9.95 s later; the next ejection follows 0.05 s after that.
  //   #1  0.05 + 30 -> sweep 40 (39.95)       #2  40.05 + 60 -> 110 (69.95)
  //   #3  110.05 + 90 -> 210 (99.95)           #4  210.05 + 120 -> 340 (129.95)
  //   #5  340.05 + 150 -> 500                  #6  500.05 + 180 -> 690
  //   #7  690.05 + 210 -> 910                  #8  910.05 + 240 -> 1160
  //   #9  1160.05 + 270 -> 1440                #10 1440.05 + 300 -> 1750 (309.95)
  //   #11 1750.05 + min(330, 300) -> 2060      #12 2060.05, backoff stays 11 (30 * 11 < 330 fails)
  const std::vector<std::int64_t> expected_ejections{50,      40'050,    110'050,   210'050,   340'050,   500'050,
                                                     690'050, 910'050,   1'160'050, 1'440'050, 1'750'050, 2'060'050};
  const std::vector<std::int64_t> expected_lengths{39'950,  69'950,  99'950,  129'950, 159'950, 189'950,
                                                   219'950, 249'950, 279'950, 309'950, 309'950};
  const std::vector<std::uint32_t> expected_backoff{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11};
  CHECK(run.ejected_at_ms == expected_ejections);
  CHECK(run.backoff_at_ejection == expected_backoff);
  REQUIRE(run.unejected_at_ms.size() == expected_lengths.size());
  std::vector<std::int64_t> lengths;
  for (std::size_t k = 0; k < run.unejected_at_ms.size(); ++k) lengths.push_back(run.unejected_at_ms[k] - run.ejected_at_ms[k]);
  CHECK(lengths == expected_lengths);
  // With 503s both counters reach 5 together: each ejection is preceded by a gateway-failure
  // detection that Envoy's default enforcing_consecutive_gateway_failure = 0 does not enforce.
  CHECK(run.detector.stats().detected[reason(EjectionReason::ConsecutiveGatewayFailure)] == 12u);
  CHECK(run.detector.stats().enforced[reason(EjectionReason::ConsecutiveGatewayFailure)] == 0u);
  CHECK(run.detector.stats().enforced[reason(EjectionReason::Consecutive5xx)] == 12u);
  CHECK(run.detector.num_ejections(0) == 12u);
}

TEST_CASE("OutlierDetector: §2.4 decay: the backoff steps back toward base once per healthy interval",
          "[models][health]") {
  TimelineDriver run(10);
  run.run_until(2'060'000, 503);  // ends with the sweep at 2060 s that unejects ejection #11
  REQUIRE(run.ejected_at_ms.size() == 11u);
  REQUIRE_FALSE(run.detector.ejected(0));
  CHECK(run.backoff_after_sweep.back() == std::make_pair(std::int64_t{2'060'000}, std::uint32_t{11}));

  // The host recovers. Each sweep at least one interval after the uneject takes one step off:
  // 2070 -> 10, ..., 2170 -> 0 (from the cap of 11 that is 110 s; the docs' "max/base * interval"
  // = 300/30 * 10 = 100 s counts from 10).
  run.backoff_after_sweep.clear();
  run.run_until(2'190'000, 200);
  std::vector<std::pair<std::int64_t, std::uint32_t>> expected;
  for (std::int64_t k = 1; k <= 13; ++k) {
    expected.emplace_back(2'060'000 + 10'000 * k, static_cast<std::uint32_t>(k >= 11 ? 0 : 11 - k));
  }
  CHECK(run.backoff_after_sweep == expected);

  // Failing again now gives the base ejection time: backoff 0 -> 1, 30 s.
  run.run_until(2'190'050, 503);
  CHECK(run.ejected_at_ms.back() == 2'190'050);
  CHECK(run.detector.ejection_backoff(0) == 1u);
  CHECK(run.detector.ejection_due_to_end(0) == at_ms(2'190'050 + 30'000));
}

TEST_CASE("OutlierDetector: §2.4 decay: none while ejected, none at the sweep that unejects", "[models][health]") {
  OutlierDetectionConfig config;
  config.max_ejection_percent = 100;
  OutlierDetector d(config, 1);
  sim::RngStream rng(3, 0, "decay");
  send(d, 0, 500, 5, 1000, rng);  // ejected at 1 s, backoff 1, due at 31 s
  CHECK(d.ejection_backoff(0) == 1u);
  CHECK(d.on_interval(at_ms(10'000), rng).empty());
  CHECK(d.on_interval(at_ms(20'000), rng).empty());
  CHECK(d.on_interval(at_ms(30'000), rng).empty());  // 29 s < 30 s
  CHECK(d.ejection_backoff(0) == 1u);
  CHECK(d.on_interval(at_ms(40'000), rng).unejected == std::vector<std::size_t>{0});  // 39 s >= 30 s
  CHECK(d.ejection_backoff(0) == 1u);  // unejected at this sweep: 0 s since, no decay
  d.on_interval(at_ms(50'000), rng);
  CHECK(d.ejection_backoff(0) == 0u);  // 10 s since the uneject
  d.on_interval(at_ms(60'000), rng);
  CHECK(d.ejection_backoff(0) == 0u);  // floor 0
}

TEST_CASE("OutlierDetector: §2.1 successful_active_health_check_uneject_host: a passing check unejects and "
          "clears the counters",
          "[models][health]") {
  OutlierDetectionConfig config;
  config.max_ejection_percent = 100;
  sim::RngStream rng(5, 0, "active-hc");

  SECTION("default true") {
    OutlierDetector d(config, 2);
    send(d, 0, 500, 5, 1000, rng);
    send(d, 1, 500, 3, 1000, rng);
    REQUIRE(d.ejected(0));
    CHECK(d.on_active_health_check_success(0, at_ms(2000)));
    CHECK_FALSE(d.ejected(0));
    CHECK(d.ejected_count() == 0u);
    CHECK(d.consecutive_5xx(0) == 0u);
    CHECK(d.ejection_backoff(0) == 1u);  // kept: the next ejection is longer
    CHECK(d.stats().unejected == 1u);
    // Four more failures are not enough: the count started over.
    CHECK(send(d, 0, 500, 4, 3000, rng) == 0);
    CHECK(send(d, 0, 500, 1, 3000, rng) == 1);
    CHECK(d.ejection_due_to_end(0) == at_ms(3000 + 60'000));  // backoff 2: 60 s
    // A host that is not ejected is left alone, counters included.
    CHECK_FALSE(d.on_active_health_check_success(1, at_ms(4000)));
    CHECK(d.consecutive_5xx(1) == 3u);
  }
  SECTION("set to false") {
    config.successful_active_health_check_uneject_host = false;
    OutlierDetector d(config, 1);
    send(d, 0, 500, 5, 1000, rng);
    CHECK_FALSE(d.on_active_health_check_success(0, at_ms(2000)));
    CHECK(d.ejected(0));
  }
}

TEST_CASE("OutlierDetector: §2.2 counting: gateway errors vs other 5xx vs success", "[models][health]") {
  // GCP's backend-service defaults enforce gateway failures at 3 and only detect 5xx at 5.
  OutlierDetector d(OutlierDetectionConfig::gcp_backend_service_defaults(), 10);
  sim::RngStream rng(9, 0, "counting");
  using Row = std::tuple<int, std::uint32_t, std::uint32_t, bool>;  // status -> gateway, 5xx, ejected
  const std::vector<Row> steps{
      Row{503, 1, 1, false},
      Row{503, 2, 2, false},
      Row{500, 0, 3, false},  // a 5xx that is not a gateway error resets the gateway counter only
      Row{502, 1, 4, false},
      Row{504, 2, 0, false},  // 5th 5xx: detected (enforcing 0), the 5xx counter starts over
      Row{503, 0, 1, true},   // 3rd gateway error in a row: ejected, the gateway counter starts over
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& [status, gateway, fivexx, ejected] = steps[i];
    CAPTURE(i, status);
    CHECK(d.on_result(0, status, at_ms(1000), rng) == ejected);
    CHECK(d.consecutive_gateway_failures(0) == gateway);
    CHECK(d.consecutive_5xx(0) == fivexx);
  }
  CHECK(d.stats().detected[reason(EjectionReason::Consecutive5xx)] == 1u);
  CHECK(d.stats().enforced[reason(EjectionReason::Consecutive5xx)] == 0u);
  CHECK(d.stats().enforced[reason(EjectionReason::ConsecutiveGatewayFailure)] == 1u);

  // Any non-5xx resets both; a 4xx is a success for outlier detection.
  d.on_result(1, 503, at_ms(1000), rng);
  d.on_result(1, 503, at_ms(1000), rng);
  d.on_result(1, 404, at_ms(1000), rng);
  CHECK(d.consecutive_gateway_failures(1) == 0u);
  CHECK(d.consecutive_5xx(1) == 0u);

  // Timeouts are 504 and connect failures 503: both gateway errors.
  d.on_result(2, models::health::kTimeoutStatus, at_ms(1000), rng);
  d.on_result(2, models::health::kConnectFailureStatus, at_ms(1000), rng);
  CHECK(d.on_result(2, models::health::kResetStatus, at_ms(1000), rng));
}

TEST_CASE("OutlierDetector: §2.1 enforcing 0: detected but not ejected", "[models][health]") {
  OutlierDetectionConfig config;
  config.enforcing_consecutive_5xx = 0;
  OutlierDetector d(config, 10);
  sim::RngStream rng(11, 0, "enforcing");
  CHECK(send(d, 0, 500, 10, 1000, rng) == 0);
  CHECK(d.stats().detected[reason(EjectionReason::Consecutive5xx)] == 2u);  // at the 5th and the 10th
  CHECK(d.stats().enforced[reason(EjectionReason::Consecutive5xx)] == 0u);
  CHECK(d.ejected_count() == 0u);
  // Envoy's default gateway enforcement is 0 as well: 503s are detected twice per 5, ejected never.
  CHECK(send(d, 1, 503, 5, 1000, rng) == 0);
  CHECK(d.stats().detected[reason(EjectionReason::ConsecutiveGatewayFailure)] == 1u);
  CHECK(d.stats().detected[reason(EjectionReason::Consecutive5xx)] == 3u);
}

TEST_CASE("OutlierDetector: §2.2 enforcing percentages are a draw per detection", "[models][health]") {
  OutlierDetectionConfig config;
  config.enforcing_consecutive_5xx = 30;
  config.max_ejection_percent = 100;
  OutlierDetector d(config, 1);
  sim::RngStream rng(13, 0, "enforcing-draw");
  int ejections = 0;
  constexpr int kDetections = 4000;
  for (int i = 0; i < kDetections; ++i) {
    ejections += send(d, 0, 500, 5, 1000, rng);
    if (d.ejected(0)) d.on_active_health_check_success(0, at_ms(1000));
  }
  // 30% of 4000 = 1200; binomial stdev sqrt(4000 * 0.3 * 0.7) = 29, so +-120 is > 4 sigma.
  CHECK(ejections > 1080);
  CHECK(ejections < 1320);
}

TEST_CASE("OutlierDetector: §2.2 a detection on an already ejected host is ignored", "[models][health]") {
  OutlierDetector d(OutlierDetectionConfig{}, 10);
  sim::RngStream rng(15, 0, "ignored");
  CHECK(send(d, 0, 500, 5, 1000, rng) == 1);
  CHECK(send(d, 0, 500, 5, 1100, rng) == 0);  // e.g. requests that were in flight
  CHECK(d.stats().detected[reason(EjectionReason::Consecutive5xx)] == 1u);
  CHECK(d.stats().overflow == 0u);
  CHECK(d.num_ejections(0) == 1u);
  CHECK(d.consecutive_5xx(0) == 0u);  // still restarted after the (ignored) attempt
}

TEST_CASE("OutlierDetector: §2.2 failure-percentage row: eject when 100 - SR >= threshold (85)", "[models][health]") {
  OutlierDetectionConfig config;
  config.enforcing_failure_percentage = 100;
  config.max_ejection_percent = 40;  // 2 of 5 allowed: the threshold, not the cap, spares host 1
  config.consecutive_5xx = 0;        // 0 never fires (counters fire on ==), to isolate FP
  config.consecutive_gateway_failure = 0;
  OutlierDetector d(config, 5);
  sim::RngStream rng(17, 0, "fp");
  // 60 requests each (>= failure_percentage_request_volume 50, < success_rate_request_volume 100).
  send(d, 0, 500, 51, 1000, rng);  // 51/60 = 85% failures: >= 85, ejected
  send(d, 0, 200, 9, 1000, rng);
  send(d, 1, 500, 50, 1000, rng);  // 50/60 = 83.3%: kept
  send(d, 1, 200, 10, 1000, rng);
  for (std::size_t host = 2; host < 5; ++host) send(d, host, 200, 60, 1000, rng);
  const auto changes = d.on_interval(at_ms(10'000), rng);
  CHECK(changes.ejected == std::vector<std::size_t>{0});
  CHECK(d.stats().enforced[reason(EjectionReason::FailurePercentage)] == 1u);
  CHECK_FALSE(d.last_success_rate().has_value());  // no host reached 100 requests
}

TEST_CASE("OutlierDetector: §2.1 max_ejection_time_jitter: uniform whole milliseconds in 0 to jitter",
          "[models][health]") {
  OutlierDetectionConfig config;
  config.max_ejection_percent = 100;
  config.max_ejection_time_jitter = 3ms;
  OutlierDetector d(config, 1);
  sim::RngStream rng(19, 0, "jitter");
  std::vector<int> seen(4, 0);
  for (int i = 0; i < 400; ++i) {
    send(d, 0, 500, 5, 1000, rng);
    REQUIRE(d.ejected(0));
    const sim::Duration nominal = std::min(sim::Duration{30s} * d.ejection_backoff(0), sim::Duration{300s});
    const sim::Duration jitter = *d.ejection_due_to_end(0) - at_ms(1000) - nominal;
    REQUIRE(jitter >= 0ms);
    REQUIRE(jitter <= 3ms);
    REQUIRE(jitter % 1ms == sim::Duration::zero());
    ++seen[static_cast<std::size_t>(jitter / 1ms)];
    d.on_active_health_check_success(0, at_ms(1000));
  }
  for (int count : seen) CHECK(count > 60);  // ~100 each
}

TEST_CASE("OutlierDetectionConfig: §2.1, §2.5, §7.4 presets", "[models][health]") {
  const auto envoy = OutlierDetectionConfig::envoy_defaults();
  CHECK(envoy.consecutive_5xx == 5u);
  CHECK(envoy.enforcing_consecutive_gateway_failure == 0u);
  CHECK(envoy.interval == 10s);
  CHECK(models::health::effective_max_ejection_time(envoy) == 300s);
  CHECK(envoy.max_ejection_percent == 10u);
  CHECK(envoy.max_ejection_rule == MaxEjectionRule::Current);

  // Unset max_ejection_time: 300 s, or the base if that is larger.
  auto long_base = envoy;
  long_base.base_ejection_time = 600s;
  CHECK(models::health::effective_max_ejection_time(long_base) == 600s);

  const auto istio = OutlierDetectionConfig::istio_defaults();
  CHECK(istio.enforcing_success_rate == 0u);
  CHECK(istio.consecutive_5xx == 5u);
  CHECK(istio.enforcing_consecutive_5xx == 100u);
  CHECK(istio.enforcing_consecutive_gateway_failure == 0u);
  CHECK(istio.max_ejection_percent == 10u);
  CHECK(models::health::kIstioDefaultHealthyPanicThresholdPercent == 0u);

  IstioOutlierDetection rule;
  rule.consecutive_5xx_errors = 0;      // explicitly off
  rule.consecutive_gateway_errors = 2;  // on, enforced
  rule.interval = 1s;
  rule.base_ejection_time = 15s;
  rule.max_ejection_percent = 100;
  const auto mapped = models::health::from_istio(rule);
  CHECK(mapped.consecutive_5xx == 0u);
  CHECK(mapped.enforcing_consecutive_5xx == 0u);
  CHECK(mapped.consecutive_gateway_failure == 2u);
  CHECK(mapped.enforcing_consecutive_gateway_failure == 100u);
  CHECK(mapped.interval == 1s);
  CHECK(mapped.base_ejection_time == 15s);
  CHECK(mapped.max_ejection_percent == 100u);
  CHECK(mapped.enforcing_success_rate == 0u);

  const auto gcp = OutlierDetectionConfig::gcp_backend_service_defaults();
  CHECK(gcp.consecutive_5xx == 5u);
  CHECK(gcp.enforcing_consecutive_5xx == 0u);
  CHECK(gcp.consecutive_gateway_failure == 3u);
  CHECK(gcp.enforcing_consecutive_gateway_failure == 100u);
  CHECK(gcp.interval == 1s);
  CHECK(gcp.base_ejection_time == 30s);
  CHECK(gcp.max_ejection_percent == 50u);
  CHECK(gcp.success_rate_minimum_hosts == 5u);
  CHECK(gcp.success_rate_request_volume == 100u);
  CHECK(gcp.success_rate_stdev_factor == 1900u);
  CHECK(gcp.enforcing_success_rate == 100u);

  CHECK(models::health::validate(envoy).empty());
  CHECK(models::health::validate(istio).empty());
  CHECK(models::health::validate(gcp).empty());
}

TEST_CASE("validate(OutlierDetectionConfig): what Envoy rejects, one message each", "[models][health]") {
  OutlierDetectionConfig c;
  c.enforcing_consecutive_5xx = 101;
  c.enforcing_consecutive_gateway_failure = 200;
  c.interval = 0s;
  c.base_ejection_time = 30s;
  c.max_ejection_time = 10s;
  c.max_ejection_time_jitter = -1s;
  c.max_ejection_percent = 150;
  c.enforcing_success_rate = 101;
  c.failure_percentage_threshold = 101;
  c.enforcing_failure_percentage = 101;
  const std::vector<std::string> expected{
      "enforcing_consecutive_5xx must be a percentage between 0 and 100, got 101",
      "enforcing_consecutive_gateway_failure must be a percentage between 0 and 100, got 200",
      "interval must be positive, got 0s",
      "max_ejection_time (10s) is shorter than base_ejection_time (30s)",
      "max_ejection_time_jitter must not be negative, got -1s",
      "max_ejection_percent must be a percentage between 0 and 100, got 150",
      "enforcing_success_rate must be a percentage between 0 and 100, got 101",
      "failure_percentage_threshold must be a percentage between 0 and 100, got 101",
      "enforcing_failure_percentage must be a percentage between 0 and 100, got 101",
  };
  CHECK(models::health::validate(c) == expected);

  OutlierDetectionConfig zero;
  zero.base_ejection_time = 0s;
  zero.max_ejection_time = 0s;
  CHECK(models::health::validate(zero) == std::vector<std::string>{"base_ejection_time must be positive, got 0s",
                                                                   "max_ejection_time must be positive, got 0s"});
  OutlierDetectionConfig equal;
  equal.max_ejection_time = equal.base_ejection_time;  // max == base is accepted
  CHECK(models::health::validate(equal).empty());
}

TEST_CASE("OutlierDetector: state is kept only for hosts with something to remember, not per host of the cluster",
          "[models][health]") {
  OutlierDetector d(OutlierDetectionConfig{}, 100'000);
  sim::RngStream rng(9, 0, "sparse");
  CHECK(d.hosts_with_state() == 0u);
  for (std::size_t host = 0; host < 100; ++host) send(d, host, 200, 3, 1000, rng);
  send(d, 7, 503, 2, 1000, rng);  // two in a row: below the threshold of 5, but remembered
  CHECK(d.hosts_with_state() == 100u);

  // Two sweeps move the results out of both buckets: 99 hosts are fresh again, host 7 is not.
  d.on_interval(at_ms(10'000), rng);
  CHECK(d.hosts_with_state() == 100u);
  d.on_interval(at_ms(20'000), rng);
  CHECK(d.hosts_with_state() == 1u);
  CHECK(d.consecutive_5xx(7) == 2u);
  CHECK(d.consecutive_gateway_failures(7) == 2u);

  // The counter kept counting: three more 503s make five, and host 7 is ejected.
  CHECK(send(d, 7, 503, 3, 21'000, rng) == 1);
  CHECK(d.ejected(7));
  CHECK(d.num_ejections(7) == 1u);

  // After its ejection and recovery the host keeps its history (ejections, backoff decay).
  d.on_interval(at_ms(60'000), rng);
  CHECK_FALSE(d.ejected(7));
  for (int k = 7; k <= 20; ++k) d.on_interval(at_ms(10'000 * k), rng);
  CHECK(d.ejection_backoff(7) == 0u);
  CHECK(d.num_ejections(7) == 1u);
  CHECK(d.hosts_with_state() == 1u);
  CHECK(d.host_count() == 100'000u);
}
