#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <vector>

#include "models/routing/lb_policy.hpp"

using models::routing::LbPolicy;
using models::routing::pick_host;
using models::routing::pick_least_request;
using models::routing::pick_random;
using models::routing::pick_round_robin;

TEST_CASE("pick_round_robin: cycles through the candidates in order", "[models][routing]") {
  const std::vector<std::uint32_t> hosts{4, 7, 9};
  std::uint32_t cursor = 0;
  std::vector<std::uint32_t> picks;
  for (int i = 0; i < 7; ++i) picks.push_back(pick_round_robin(hosts, cursor));
  CHECK(picks == std::vector<std::uint32_t>{4, 7, 9, 4, 7, 9, 4});
  // A cursor started elsewhere (Envoy randomises the start) keeps the same cycle.
  cursor = 5;
  CHECK(pick_round_robin(hosts, cursor) == 9u);  // 5 % 3 = 2
  CHECK(pick_round_robin(hosts, cursor) == 4u);
  // When the candidate list shrinks the cursor stays valid.
  const std::vector<std::uint32_t> fewer{7};
  CHECK(pick_round_robin(fewer, cursor) == 7u);
}

TEST_CASE("pick_least_request: power of two choices prefers the idle host", "[models][routing]") {
  sim::RngStream rng(42, 0, "least-request");
  constexpr int kPicks = 40'000;

  SECTION("two hosts, one busy: the busy one wins only when both draws hit it (1/4)") {
    const std::vector<std::uint32_t> hosts{0, 1};
    const std::vector<std::uint32_t> active{5, 0};
    int idle = 0;
    for (int i = 0; i < kPicks; ++i) idle += pick_least_request(hosts, active, rng) == 1u ? 1 : 0;
    // Expected 3/4 of 40000 = 30000; stdev sqrt(40000 * 3/16) = 87.
    CHECK(idle > 29'500);
    CHECK(idle < 30'500);
  }
  SECTION("four hosts, one busy: 1/16 to the busy one, 5/16 to each idle one") {
    const std::vector<std::uint32_t> hosts{10, 11, 12, 13};
    std::vector<std::uint32_t> active(14, 0);
    active[12] = 3;
    std::map<std::uint32_t, int> share;
    for (int i = 0; i < kPicks; ++i) ++share[pick_least_request(hosts, active, rng)];
    CHECK(share[12] > 2'200);  // 40000 / 16 = 2500, stdev 48
    CHECK(share[12] < 2'800);
    for (std::uint32_t h : {10u, 11u, 13u}) {
      CHECK(share[h] > 12'000);  // 40000 * 5/16 = 12500, stdev 93
      CHECK(share[h] < 13'000);
    }
  }
  SECTION("all equal: ties keep the first draw, so the choice is uniform") {
    const std::vector<std::uint32_t> hosts{0, 1, 2, 3};
    const std::vector<std::uint32_t> active(4, 2);
    std::map<std::uint32_t, int> share;
    for (int i = 0; i < kPicks; ++i) ++share[pick_least_request(hosts, active, rng)];
    for (std::uint32_t h = 0; h < 4; ++h) {
      CHECK(share[h] > 9'500);  // 10000 each, stdev 87
      CHECK(share[h] < 10'500);
    }
  }
  SECTION("the tie rule is the earlier draw: same stream, same first draw as pick_random") {
    const std::vector<std::uint32_t> hosts{0, 1, 2, 3, 4, 5, 6, 7};
    const std::vector<std::uint32_t> active(8, 1);
    sim::RngStream a(1, 0, "tie"), b(1, 0, "tie");
    for (int i = 0; i < 100; ++i) {
      const std::uint32_t lr = pick_least_request(hosts, active, a);
      const std::uint32_t first = pick_random(hosts, b);
      pick_random(hosts, b);  // keep the streams aligned: least-request drew twice
      CHECK(lr == first);
    }
  }
}

TEST_CASE("pick_random: roughly uniform", "[models][routing]") {
  sim::RngStream rng(42, 0, "random");
  const std::vector<std::uint32_t> hosts{2, 4, 6, 8, 10};
  std::map<std::uint32_t, int> share;
  for (int i = 0; i < 50'000; ++i) ++share[pick_random(hosts, rng)];
  for (std::uint32_t h : hosts) {
    CHECK(share[h] > 9'600);  // 10000 each, stdev 89
    CHECK(share[h] < 10'400);
  }
}

TEST_CASE("pick_host: every policy returns a candidate, never another host", "[models][routing]") {
  const LbPolicy policy = GENERATE(LbPolicy::RoundRobin, LbPolicy::LeastRequest, LbPolicy::Random);
  CAPTURE(models::routing::to_string(policy));
  sim::RngStream rng(7, 0, models::routing::to_string(policy));
  std::vector<std::uint32_t> active(64, 0);
  std::uint32_t cursor = 0;
  for (int trial = 0; trial < 500; ++trial) {
    // A random subset of 64 hosts, in random order, with random loads.
    std::vector<std::uint32_t> hosts;
    for (std::uint32_t h = 0; h < 64; ++h) {
      if (rng.bernoulli(0.2)) hosts.push_back(h);
    }
    if (hosts.empty()) hosts.push_back(static_cast<std::uint32_t>(rng.uniform_below(64)));
    for (std::size_t i = hosts.size(); i > 1; --i) std::swap(hosts[i - 1], hosts[rng.uniform_below(i)]);
    for (auto& a : active) a = static_cast<std::uint32_t>(rng.uniform_below(5));
    for (int pick = 0; pick < 20; ++pick) {
      const std::uint32_t chosen = pick_host(policy, hosts, active, cursor, rng);
      REQUIRE(std::find(hosts.begin(), hosts.end(), chosen) != hosts.end());
    }
  }
}

TEST_CASE("pick_host: dispatches to the policy's function", "[models][routing]") {
  const std::vector<std::uint32_t> hosts{3, 5};
  const std::vector<std::uint32_t> active{0, 0, 0, 9, 0, 0};
  sim::RngStream rng(1, 0, "dispatch");
  std::uint32_t cursor = 0;
  CHECK(pick_host(LbPolicy::RoundRobin, hosts, active, cursor, rng) == 3u);
  CHECK(pick_host(LbPolicy::RoundRobin, hosts, active, cursor, rng) == 5u);
  CHECK(cursor == 2u);
  // Least request only differs from the idle host 5 when both draws hit host 3.
  int busy = 0;
  for (int i = 0; i < 4000; ++i) busy += pick_host(LbPolicy::LeastRequest, hosts, active, cursor, rng) == 3u ? 1 : 0;
  CHECK(busy > 850);  // 1/4 of 4000 = 1000, stdev 27
  CHECK(busy < 1150);
  CHECK(cursor == 2u);  // untouched by the other policies
}
