#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "models/routing/gclb_waterfall.hpp"

using models::routing::BackendStatus;
using models::routing::BalancingMode;
using models::routing::backend_capacity;
using models::routing::classify_backends;
using models::routing::validate_waterfall_config;
using models::routing::validate_waterfall_load;
using models::routing::waterfall_shares;
using models::routing::WaterfallBackend;
using models::routing::WaterfallPicker;
using models::routing::WaterfallPolicy;

namespace {

// A NEG in `region` with `endpoints` endpoints of which `healthy` are healthy, RATE mode.
WaterfallBackend neg(std::uint32_t region, std::uint32_t endpoints, std::uint32_t healthy, double max_rate_per_endpoint,
                     double scaler = 1.0) {
  WaterfallBackend b;
  b.region = region;
  b.endpoints = endpoints;
  b.healthy_endpoints = healthy;
  b.max_rate_per_endpoint = max_rate_per_endpoint;
  b.capacity_scaler = scaler;
  return b;
}

void check_placed(const std::vector<double>& actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(i);
    CHECK(actual[i] == Approx(expected[i]).margin(1e-9));
  }
}

const std::vector<std::uint32_t> kNearFirst{0, 1, 2};

}  // namespace

TEST_CASE("waterfall_shares: fills the nearest region, then overflows in RTT order", "[models][routing]") {
  // One NEG per region, 10 healthy endpoints x 10 rps each = 100 rps of capacity per region.
  const std::vector<WaterfallBackend> backends{neg(0, 10, 10, 10), neg(1, 10, 10, 10), neg(2, 10, 10, 10)};
  using Row = std::tuple<double, std::vector<double>, double>;
  auto [offered, expected, over] = GENERATE(table<double, std::vector<double>, double>({
      Row{60, {60, 0, 0}, 0},            // 60 < 100: the nearest region keeps everything
      Row{100, {100, 0, 0}, 0},          // exactly at capacity: still nothing overflows
      Row{150, {100, 50, 0}, 0},         // 150 - 100 = 50 overflows to the next-closest region
      Row{250, {100, 100, 50}, 0},       // 250 - 100 - 100 = 50 reaches the third region
      Row{360, {120, 120, 120}, 60},     // 360 - 300 = 60 above all capacity, spread 1:1:1 -> +20 each
  }));
  CAPTURE(offered);
  const auto result = waterfall_shares(backends, kNearFirst, offered);
  check_placed(result.placed_rps, expected);
  CHECK(result.over_capacity_rps == Approx(over).margin(1e-9));
  double total_share = 0;
  for (double s : result.share) total_share += s;
  CHECK(total_share == Approx(1.0));
  CHECK_FALSE(result.failover_fallback);
}

TEST_CASE("waterfall_shares: the caller's region order decides where overflow goes", "[models][routing]") {
  const std::vector<WaterfallBackend> backends{neg(0, 10, 10, 10), neg(1, 10, 10, 10), neg(2, 10, 10, 10)};
  // A tier in region 2 whose next-closest region is 0: 150 -> 100 in region 2, 50 in region 0.
  const std::vector<std::uint32_t> from_region2{2, 0, 1};
  check_placed(waterfall_shares(backends, from_region2, 150).placed_rps, {50, 0, 100});
  // Shares are placed / offered: 50/150 and 100/150.
  check_placed(waterfall_shares(backends, from_region2, 150).share, {1.0 / 3, 0, 2.0 / 3});
  // A region missing from the order is unreachable: 250 -> 100 + 150 above capacity, spread 1:1.
  const std::vector<std::uint32_t> only01{0, 1};
  const auto r = waterfall_shares(backends, only01, 250);
  check_placed(r.placed_rps, {125, 125, 0});  // 100 + 50/2 and 100 + 50/2 (250 - 200 = 50 excess)
  CHECK(r.over_capacity_rps == Approx(50));
}

TEST_CASE("waterfall_shares: inside a region, in proportion to capacity", "[models][routing]") {
  // Region 0: A = 10 x 10 = 100 rps, B = 5 x 10 = 50 rps; region 1 as overflow.
  const std::vector<WaterfallBackend> backends{neg(0, 10, 10, 10), neg(0, 5, 5, 10), neg(1, 10, 10, 10)};
  check_placed(waterfall_shares(backends, kNearFirst, 90).placed_rps, {60, 30, 0});    // 90 x 100/150, 90 x 50/150
  check_placed(waterfall_shares(backends, kNearFirst, 180).placed_rps, {100, 50, 30}); // region 0 full at 150
}

TEST_CASE("waterfall_shares: capacity_scaler halves or drains a backend", "[models][routing]") {
  using Row = std::tuple<double, std::vector<double>, BackendStatus>;
  auto [scaler, expected, status] = GENERATE(table<double, std::vector<double>, BackendStatus>({
      Row{1.0, {80, 0, 0}, BackendStatus::Usable},    // 10 x 10 x 1.0 = 100 >= 80
      Row{0.5, {50, 30, 0}, BackendStatus::Usable},   // 10 x 10 x 0.5 = 50; 80 - 50 = 30 overflows
      Row{0.1, {10, 70, 0}, BackendStatus::Usable},   // 10 x 10 x 0.1 = 10; 80 - 10 = 70 overflows
      Row{0.0, {0, 80, 0}, BackendStatus::Drained},   // drained: everything goes to region 1
  }));
  CAPTURE(scaler);
  const std::vector<WaterfallBackend> backends{neg(0, 10, 10, 10, scaler), neg(1, 10, 10, 10), neg(2, 10, 10, 10)};
  const auto result = waterfall_shares(backends, kNearFirst, 80);
  check_placed(result.placed_rps, expected);
  CHECK(result.status[0] == status);
}

TEST_CASE("waterfall_shares: unhealthy endpoints reduce capacity", "[models][routing]") {
  using Row = std::tuple<std::uint32_t, std::vector<double>>;
  auto [healthy, expected] = GENERATE(table<std::uint32_t, std::vector<double>>({
      Row{10, {100, 0}},  // 10 x 10 = 100: all of it stays
      Row{8, {80, 20}},   // 80% healthy (>= 70, not failing over): 8 x 10 = 80, 20 overflow
      Row{7, {70, 30}},   // 70% healthy: exactly the threshold, still used: 7 x 10 = 70
      Row{6, {0, 100}},   // 60% < 70%: failing over, all of it to region 1
      Row{0, {0, 100}},   // no healthy endpoint: no capacity
  }));
  CAPTURE(healthy);
  const std::vector<WaterfallBackend> backends{neg(0, 10, healthy, 10), neg(1, 10, 10, 10)};
  check_placed(waterfall_shares(backends, kNearFirst, 100).placed_rps, expected);
}

TEST_CASE("waterfall_shares: failoverHealthThreshold edges", "[models][routing]") {
  // 100 endpoints at 1 rps each in region 0, so the capacity equals the healthy count.
  using Row = std::tuple<std::uint32_t, std::uint32_t, BackendStatus, std::vector<double>>;
  auto [threshold, healthy, status, expected] =
      GENERATE(table<std::uint32_t, std::uint32_t, BackendStatus, std::vector<double>>({
          Row{70, 69, BackendStatus::FailingOver, {0, 50}},  // 100 x 69 = 6900 < 70 x 100 = 7000
          Row{70, 70, BackendStatus::Usable, {50, 0}},       // 7000 < 7000 is false: not failing over
          Row{70, 71, BackendStatus::Usable, {50, 0}},
          Row{50, 69, BackendStatus::Usable, {50, 0}},       // the classic-ALB threshold keeps 69%
          Row{99, 98, BackendStatus::FailingOver, {0, 50}},  // 9800 < 9900
          Row{1, 1, BackendStatus::Usable, {1, 49}},         // 1% is not below 1%: 1 rps, 49 overflow
      }));
  CAPTURE(threshold, healthy);
  const std::vector<WaterfallBackend> backends{neg(0, 100, healthy, 1), neg(1, 100, 100, 1)};
  WaterfallPolicy policy;
  policy.failover_health_threshold = threshold;
  const auto result = waterfall_shares(backends, kNearFirst, 50, {}, policy);
  CHECK(result.status[0] == status);
  check_placed(result.placed_rps, expected);
}

TEST_CASE("waterfall_shares: failing-over backends are the last resort", "[models][routing]") {
  // Both below 70%: nothing Usable is left, so both serve with their healthy capacity, nearest first.
  const std::vector<WaterfallBackend> backends{neg(0, 100, 60, 1), neg(1, 100, 50, 1)};
  const auto result = waterfall_shares(backends, kNearFirst, 80);
  CHECK(result.failover_fallback);
  check_placed(result.placed_rps, {60, 20});  // 60 healthy x 1 rps = 60; 80 - 60 = 20 overflows
}

TEST_CASE("classify_backends: autoCapacityDrain below 25% healthy, at most 50% of the NEGs", "[models][routing]") {
  WaterfallPolicy drain;
  drain.auto_capacity_drain = true;
  SECTION("the least healthy are drained first, up to floor(4 x 50%) = 2") {
    // 10%, 20%, 24% are below 25%; only the two least healthy are drained, 24% only fails over.
    const std::vector<WaterfallBackend> backends{neg(0, 100, 20, 1), neg(1, 100, 24, 1), neg(2, 100, 10, 1),
                                                 neg(3, 100, 100, 1)};
    CHECK(classify_backends(backends, drain) ==
          std::vector<BackendStatus>{BackendStatus::AutoDrained, BackendStatus::FailingOver,
                                     BackendStatus::AutoDrained, BackendStatus::Usable});
    CHECK(classify_backends(backends) ==  // without autoCapacityDrain: all three fail over
          std::vector<BackendStatus>{BackendStatus::FailingOver, BackendStatus::FailingOver,
                                     BackendStatus::FailingOver, BackendStatus::Usable});
  }
  SECTION("25% exactly is not drained") {
    const std::vector<WaterfallBackend> backends{neg(0, 100, 25, 1), neg(1, 100, 100, 1)};
    CHECK(classify_backends(backends, drain)[0] == BackendStatus::FailingOver);  // 2500 < 2500 is false
  }
  SECTION("a single NEG is never drained: floor(1 x 50%) = 0") {
    const std::vector<WaterfallBackend> backends{neg(0, 100, 5, 1)};
    CHECK(classify_backends(backends, drain)[0] == BackendStatus::FailingOver);
  }
  SECTION("two NEGs below 25%: only one drained, the least healthy") {
    const std::vector<WaterfallBackend> backends{neg(0, 100, 24, 1), neg(1, 100, 0, 1)};
    const auto status = classify_backends(backends, drain);
    CHECK(status == std::vector<BackendStatus>{BackendStatus::FailingOver, BackendStatus::AutoDrained});
    // The remaining 24% NEG is the last resort: 24 x 1 rps; 10 fits.
    const auto result = waterfall_shares(backends, kNearFirst, 10, {}, drain);
    check_placed(result.placed_rps, {10, 0});
  }
  SECTION("drained NEGs are not used even as a last resort") {
    // The tier reaches only regions 0 and 1, whose NEGs (10%, 20%) are both drained (cap 2 of 4).
    const std::vector<WaterfallBackend> backends{neg(0, 100, 10, 1), neg(1, 100, 20, 1), neg(2, 100, 100, 1),
                                                 neg(3, 100, 100, 1)};
    const std::vector<std::uint32_t> near01{0, 1};
    CHECK_FALSE(waterfall_shares(backends, near01, 5, {}, drain).serves());  // 503
    // Without autoCapacityDrain they only fail over, and serve as the last resort: 5 <= 10 x 1 rps.
    check_placed(waterfall_shares(backends, near01, 5).placed_rps, {5, 0, 0, 0});
  }
}

TEST_CASE("waterfall_shares: every backend unhealthy gives no share (503)", "[models][routing]") {
  const std::vector<WaterfallBackend> backends{neg(0, 10, 0, 10), neg(1, 10, 0, 10)};
  const auto result = waterfall_shares(backends, kNearFirst, 100);
  CHECK_FALSE(result.serves());
  check_placed(result.share, {0, 0});
  CHECK(result.status == std::vector<BackendStatus>{BackendStatus::NoCapacity, BackendStatus::NoCapacity});
  WaterfallPicker picker(2);
  picker.set_shares(result.share);
  picker.set_healthy_endpoints(0, {1, 2});
  CHECK_FALSE(picker.pick().has_value());
}

TEST_CASE("waterfall_shares: load already placed by other tiers", "[models][routing]") {
  const std::vector<WaterfallBackend> backends{neg(0, 10, 10, 10), neg(1, 10, 10, 10)};
  const std::vector<double> others{70, 0};
  // Residual in region 0: 100 - 70 = 30; 50 - 30 = 20 overflows.
  check_placed(waterfall_shares(backends, kNearFirst, 50, others).placed_rps, {30, 20});
  // Both full from other tiers: 10 rps all above capacity, spread by capacity 100:100.
  const std::vector<double> full{100, 100};
  const auto r = waterfall_shares(backends, kNearFirst, 10, full);
  check_placed(r.placed_rps, {5, 5});
  CHECK(r.over_capacity_rps == Approx(10));
}

TEST_CASE("waterfall_shares: zero offered load gives the shares of an infinitesimal load", "[models][routing]") {
  const std::vector<WaterfallBackend> backends{neg(0, 10, 10, 10), neg(0, 5, 5, 10), neg(1, 10, 10, 10)};
  const auto r = waterfall_shares(backends, kNearFirst, 0);
  check_placed(r.share, {2.0 / 3, 1.0 / 3, 0});  // 100 : 50 inside region 0
  check_placed(r.placed_rps, {0, 0, 0});
  const std::vector<double> region0_full{100, 50, 0};
  check_placed(waterfall_shares(backends, kNearFirst, 0, region0_full).share, {0, 0, 1});
}

TEST_CASE("backend_capacity: balancing modes and the unlimited default", "[models][routing]") {
  CHECK(backend_capacity(neg(0, 10, 8, 10, 0.5)) == Approx(40));  // 8 healthy x 10 rps x 0.5
  WaterfallBackend util;
  util.endpoints = util.healthy_endpoints = 10;
  util.balancing_mode = BalancingMode::Utilization;
  util.max_utilization = 0.8;
  util.endpoint_service_rate = 50;
  CHECK(backend_capacity(util) == Approx(400));  // 10 x 0.8 x 50 rps
  WaterfallBackend unlimited;
  unlimited.endpoints = unlimited.healthy_endpoints = 3;  // RATE without maxRatePerEndpoint
  CHECK(std::isinf(backend_capacity(unlimited)));
  unlimited.capacity_scaler = 0;
  CHECK(backend_capacity(unlimited) == 0);  // drained beats unlimited

  // An unlimited backend keeps all traffic in its region.
  WaterfallBackend a = neg(0, 10, 10, 10);  // limited: 100 rps
  WaterfallBackend b = a;
  b.max_rate_per_endpoint.reset();          // unlimited, 10 endpoints
  const std::vector<WaterfallBackend> mixed{a, b, neg(1, 10, 10, 10)};
  // Weights 10 x 1.0 : 10 x 1.0 -> 500 each; A capped at 100, B takes 900; nothing overflows.
  check_placed(waterfall_shares(mixed, kNearFirst, 1000).placed_rps, {100, 900, 0});
  check_placed(waterfall_shares(mixed, kNearFirst, 100).placed_rps, {50, 50, 0});
}

TEST_CASE("WaterfallPicker: realises the shares within 1% over 10,000 picks", "[models][routing]") {
  const std::vector<WaterfallBackend> backends{neg(0, 10, 10, 10), neg(1, 10, 10, 10), neg(2, 10, 10, 10)};
  const auto shares = waterfall_shares(backends, kNearFirst, 250).share;  // 100, 100, 50 of 250
  check_placed(shares, {0.4, 0.4, 0.2});
  WaterfallPicker picker(3);
  picker.set_shares(shares);
  picker.set_healthy_endpoints(0, {10, 11, 12});
  picker.set_healthy_endpoints(1, {20});
  picker.set_healthy_endpoints(2, {30, 31});
  std::map<std::size_t, int> per_backend;
  std::map<std::uint32_t, int> per_endpoint;
  for (int i = 0; i < 10'000; ++i) {
    const auto p = picker.pick();
    REQUIRE(p.has_value());
    ++per_backend[p->backend];
    ++per_endpoint[p->endpoint];
  }
  CHECK(per_backend[0] == Approx(4000).margin(100));  // 0.4 x 10,000, within 1% of all picks
  CHECK(per_backend[1] == Approx(4000).margin(100));
  CHECK(per_backend[2] == Approx(2000).margin(100));
  // Round robin inside a NEG: 4000 / 3 endpoints and 2000 / 2 endpoints.
  CHECK(per_endpoint[10] == Approx(1333).margin(2));
  CHECK(per_endpoint[12] == Approx(1333).margin(2));
  CHECK(per_endpoint[30] == Approx(1000).margin(1));
  CHECK(per_endpoint[31] == Approx(1000).margin(1));
}

TEST_CASE("WaterfallPicker: deterministic smooth sequence, empty NEGs skipped", "[models][routing]") {
  WaterfallPicker picker(2);
  const std::vector<double> shares{0.75, 0.25};
  picker.set_shares(shares);
  picker.set_healthy_endpoints(0, {1});
  picker.set_healthy_endpoints(1, {2});
  // Credits: (.75,.25)->A; (.5,.5) tie->A; (.25,.75)->B; (1,0)->A; then the cycle repeats.
  std::vector<std::size_t> seq;
  for (int i = 0; i < 8; ++i) seq.push_back(picker.pick()->backend);
  CHECK(seq == std::vector<std::size_t>{0, 0, 1, 0, 0, 0, 1, 0});
  // A NEG whose endpoints all went away is skipped until the shares are recomputed.
  picker.set_healthy_endpoints(0, {});
  for (int i = 0; i < 4; ++i) CHECK(picker.pick()->backend == 1u);
  picker.set_healthy_endpoints(1, {});
  CHECK_FALSE(picker.pick().has_value());
}

TEST_CASE("validate_waterfall_config / validate_waterfall_load: messages", "[models][routing]") {
  CHECK(validate_waterfall_config(std::vector<WaterfallBackend>{neg(0, 10, 10, 10), neg(1, 10, 10, 10, 0.0)}).empty());

  const std::vector<WaterfallBackend> bad{neg(0, 10, 10, 10, 0.05), neg(1, 10, 11, -5, 1.5)};
  CHECK(validate_waterfall_config(bad) ==
        std::vector<std::string>{
            "backends[0].capacity_scaler: expected 0 or a value in [0.1, 1.0], got 0.05",
            "backends[1].capacity_scaler: expected 0 or a value in [0.1, 1.0], got 1.5",
            "backends[1].healthy_endpoints: expected at most endpoints (10), got 11",
            "backends[1].max_rate_per_endpoint: expected a rate >= 0, got -5",
        });

  const std::vector<WaterfallBackend> only{neg(0, 10, 10, 10, 0.0)};
  CHECK(validate_waterfall_config(only) ==
        std::vector<std::string>{"backends[0].capacity_scaler: cannot be 0 when it is the only backend"});

  WaterfallBackend util = neg(0, 10, 10, 10);
  util.balancing_mode = BalancingMode::Utilization;
  util.max_utilization = 1.2;
  const std::vector<WaterfallBackend> utils{util};
  CHECK(validate_waterfall_config(utils) ==
        std::vector<std::string>{
            "backends[0].max_utilization: expected a value in [0, 1], got 1.2",
            "backends[0].endpoint_service_rate: expected a rate > 0 in UTILIZATION mode with max_utilization, got 0",
        });

  for (std::uint32_t threshold : {0u, 100u}) {
    WaterfallPolicy policy;
    policy.failover_health_threshold = threshold;
    CHECK(validate_waterfall_config(std::vector<WaterfallBackend>{neg(0, 1, 1, 1)}, policy) ==
          std::vector<std::string>{"failover_health_threshold: expected an integer in 1..99, got " +
                                   std::to_string(threshold)});
  }
  WaterfallPolicy edge;
  edge.failover_health_threshold = 1;
  CHECK(validate_waterfall_config(std::vector<WaterfallBackend>{neg(0, 1, 1, 1)}, edge).empty());
  edge.failover_health_threshold = 99;
  CHECK(validate_waterfall_config(std::vector<WaterfallBackend>{neg(0, 1, 1, 1)}, edge).empty());

  CHECK(validate_waterfall_load(2, 10, std::vector<double>{0, 5}).empty());
  CHECK(validate_waterfall_load(2, -1, std::vector<double>{0, -3}) ==
        std::vector<std::string>{"offered_rps: expected a rate >= 0, got -1",
                                 "load_from_other_tiers[1]: expected a rate >= 0, got -3"});
  CHECK(validate_waterfall_load(2, 1, std::vector<double>{0}) ==
        std::vector<std::string>{"load_from_other_tiers: expected 2 values (one per backend) or none, got 1"});
}
