// Table tests from ROUTING.md section 11 (V1-V5). Each row reproduces the CODE column, the
// result of Envoy's integer arithmetic; where the Envoy docs print another number (rows marked ✗
// in ROUTING.md) the comment names both. 100 hosts per priority unless a row says otherwise, so
// "71" means 71 healthy hosts of 100 and health = 140 * 71 / 100 = 99.
#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <vector>

#include "models/routing/priority_load.hpp"

using models::routing::choose_priority;
using models::routing::compute_priority_loads;
using models::routing::priority_draw;
using models::routing::PriorityHosts;
using models::routing::PriorityLoads;

namespace {

using Loads = std::vector<std::uint32_t>;

/// 100 hosts, `healthy` of them healthy and `degraded` degraded; the rest unhealthy.
PriorityHosts of100(std::uint32_t healthy, std::uint32_t degraded = 0) { return {100, healthy, degraded, 0}; }

/// Panic flags as integers, so that Catch2 prints them plainly.
std::vector<int> panic_flags(const PriorityLoads& loads) { return {loads.panic.begin(), loads.panic.end()}; }

std::uint32_t total(const PriorityLoads& loads) {
  return std::accumulate(loads.healthy.begin(), loads.healthy.end(), 0u) +
         std::accumulate(loads.degraded.begin(), loads.degraded.end(), 0u);
}

}  // namespace

TEST_CASE("compute_priority_loads: ROUTING.md V1 two priorities, P1 100% healthy (Envoy priority levels doc)",
          "[models][routing]") {
  struct Row {
    std::uint32_t p0_healthy;
    Loads expected;
  };
  // P1 alone is 140 -> 100 healthy, so NTA = 100 on every row and panic never applies.
  const Row row = GENERATE(values<Row>({
      {100, {100, 0}},  // 140 -> capped 100: P0 takes it all
      {72, {100, 0}},   // 140 * 72 / 100 = 100 (100.8 truncated)
      {71, {99, 1}},    // 140 * 71 / 100 = 99 (99.4): the first 1% spills to P1
      {50, {70, 30}},   // 50 * 1.4 = 70
      {25, {35, 65}},   // 25 * 1.4 = 35
      {0, {0, 100}},    // P0 has nothing; P1 takes everything, and P0 is not in panic
  }));
  CAPTURE(row.p0_healthy);
  const std::vector<PriorityHosts> levels{of100(row.p0_healthy), of100(100)};
  const PriorityLoads loads = compute_priority_loads(levels);
  CHECK(loads.healthy == row.expected);
  CHECK(loads.degraded == Loads{0, 0});
  CHECK(loads.normalized_total_availability == 100u);
  CHECK(panic_flags(loads) == std::vector<int>{0, 0});
  CHECK_FALSE(loads.total_panic);
}

TEST_CASE("compute_priority_loads: ROUTING.md V2 two priorities both degrading (Envoy priority levels doc)",
          "[models][routing]") {
  struct Row {
    std::uint32_t p0_healthy, p1_healthy;
    Loads expected;
    std::uint32_t nta;
    bool total_panic;
  };
  const Row row = GENERATE(values<Row>({
      {100, 100, {100, 0}, 100, false},
      {72, 72, {100, 0}, 100, false},  // 100 + 100, capped at 100
      {71, 71, {99, 1}, 100, false},   // 99 + 99 -> NTA 100; P1 gets min(remaining 1, 99) = 1
      {50, 50, {70, 30}, 100, false},  // 70 + 70 -> NTA 100; P1 gets min(30, 70) = 30
      {25, 100, {35, 65}, 100, false},
      // 35 + 35 = NTA 70 < 100; both 25% < 50% -> total panic -> 100 / 200 hosts = 50/50.
      // (The health split would also give 35 * 100 / 70 = 50 each.)
      {25, 25, {50, 50}, 70, true},
  }));
  CAPTURE(row.p0_healthy, row.p1_healthy);
  const std::vector<PriorityHosts> levels{of100(row.p0_healthy), of100(row.p1_healthy)};
  const PriorityLoads loads = compute_priority_loads(levels, 140, 50.0);
  CHECK(loads.healthy == row.expected);
  CHECK(loads.normalized_total_availability == row.nta);
  CHECK(loads.total_panic == row.total_panic);
  CHECK(panic_flags(loads) == std::vector<int>(2, row.total_panic ? 1 : 0));
  CHECK(total(loads) == 100u);
}

TEST_CASE("compute_priority_loads: ROUTING.md V3 three priorities (Envoy priority levels doc)", "[models][routing]") {
  struct Row {
    std::uint32_t p0, p1, p2;
    Loads no_panic;  // panic threshold 0 (Istio's default minHealthPercent)
    Loads panic50;   // Envoy's default threshold 50
  };
  const Row row = GENERATE(values<Row>({
      {100, 100, 100, {100, 0, 0}, {100, 0, 0}},
      {72, 72, 100, {100, 0, 0}, {100, 0, 0}},
      {71, 71, 100, {99, 1, 0}, {99, 1, 0}},  // 99 + 99 + 100 -> NTA 100: no panic either way
      {50, 50, 100, {70, 30, 0}, {70, 30, 0}},
      {25, 100, 100, {35, 65, 0}, {35, 65, 0}},
      {25, 25, 100, {35, 35, 30}, {35, 35, 30}},  // 35 + 35 + 100 -> NTA 100; P2 gets the last 30
      // Health 35/35/28, NTA 98: 3500/98 = 35, 35, 2800/98 = 28 -> 98; the residue 2 goes to P0.
      // Doc says 36/36/28 (rounded real arithmetic); the integer code gives 37/35/28.
      // With threshold 50 all three (25%, 25%, 20%) are in panic: 100/300 = 33 each + 1 to P0.
      {25, 25, 20, {37, 35, 28}, {34, 33, 33}},
  }));
  CAPTURE(row.p0, row.p1, row.p2);
  const std::vector<PriorityHosts> levels{of100(row.p0), of100(row.p1), of100(row.p2)};
  const PriorityLoads no_panic = compute_priority_loads(levels, 140, 0.0);
  CHECK(no_panic.healthy == row.no_panic);
  CHECK_FALSE(no_panic.total_panic);
  CHECK(panic_flags(no_panic) == std::vector<int>{0, 0, 0});
  const PriorityLoads panic50 = compute_priority_loads(levels, 140, 50.0);
  CHECK(panic50.healthy == row.panic50);
  CHECK(total(panic50) == 100u);
}

TEST_CASE("compute_priority_loads: ROUTING.md V3 note, total panic splits 4/4/5 hosts by host count",
          "[models][routing]") {
  // One healthy host in each: health 140/4 = 35, 35, 140/5 = 28 -> NTA 98; 25%, 25%, 20% < 50%.
  const std::vector<PriorityHosts> levels{{4, 1, 0, 0}, {4, 1, 0, 0}, {5, 1, 0, 0}};
  const PriorityLoads loads = compute_priority_loads(levels, 140, 50.0);
  CHECK(loads.total_panic);
  CHECK(loads.normalized_total_availability == 98u);
  // 400/13 = 30, 30, 500/13 = 38 -> 98; the residue 2 goes to P0.
  CHECK(loads.healthy == Loads{32, 30, 38});
  CHECK(loads.degraded == Loads{0, 0, 0});
}

TEST_CASE("compute_priority_loads: ROUTING.md V4 panic-threshold table (Envoy panic threshold doc)",
          "[models][routing]") {
  struct Row {
    std::uint32_t p0, p1;
    Loads expected;
    std::vector<int> panic;
    std::uint32_t nta;
  };
  const Row row = GENERATE(values<Row>({
      {72, 72, {100, 0}, {0, 0}, 100},
      {71, 71, {99, 1}, {0, 0}, 100},
      // Health 70 + 84 -> NTA 100, so P0 keeps 70. Doc says 50/50 (the 1.4 factor left out).
      {50, 60, {70, 30}, {0, 0}, 100},
      // Health 35 + 100. Doc says 25/75 (the 1.4 factor left out).
      {25, 100, {35, 65}, {0, 0}, 100},
      {25, 25, {50, 50}, {1, 1}, 70},  // total panic: split by host count
      // Health 7 + 91 = NTA 98: 700/98 = 7, 9100/98 = 92 -> 99; residue 1 -> P0 = 8.
      // Doc says 7/93 (rounded instead of truncated). P0 (5%) panics, P1 (65%) does not.
      {5, 65, {8, 92}, {1, 0}, 98},
  }));
  CAPTURE(row.p0, row.p1);
  const std::vector<PriorityHosts> levels{of100(row.p0), of100(row.p1)};
  const PriorityLoads loads = compute_priority_loads(levels, 140, 50.0);
  CHECK(loads.healthy == row.expected);
  CHECK(panic_flags(loads) == row.panic);
  CHECK(loads.normalized_total_availability == row.nta);
  CHECK(loads.total_panic == (row.panic == std::vector<int>{1, 1}));
}

TEST_CASE("compute_priority_loads: ROUTING.md V5 degraded hosts in P0 (Envoy degraded endpoints doc)",
          "[models][routing]") {
  struct Row {
    std::uint32_t healthy, degraded;  // of 100 hosts; the rest are unhealthy
    std::uint32_t expected_healthy, expected_degraded;
    std::uint32_t nta;
    bool panic;
  };
  const Row row = GENERATE(values<Row>({
      {100, 0, 100, 0, 100, false},
      {71, 0, 100, 0, 99, false},    // health 99, NTA 99: 9900/99 = 100; 71% >= 50%, no panic
      {71, 29, 99, 1, 100, false},   // health 99, degraded 140*29/100 = 40: degraded gets the last 1
      {25, 65, 35, 65, 100, false},  // health 35, degraded 91: degraded gets min(65, 91) = 65
      // Health 7, NTA 7: 700/7 = 100. 5% < 50%: P0 is in panic, and as the only priority that is
      // total panic, so the 100% goes to all of P0's hosts (100/100 hosts, the same number).
      {5, 0, 100, 0, 7, true},
  }));
  CAPTURE(row.healthy, row.degraded);
  const std::vector<PriorityHosts> levels{of100(row.healthy, row.degraded)};
  const PriorityLoads loads = compute_priority_loads(levels, 140, 50.0);
  CHECK(loads.healthy == Loads{row.expected_healthy});
  CHECK(loads.degraded == Loads{row.expected_degraded});
  CHECK(loads.normalized_total_availability == row.nta);
  CHECK(panic_flags(loads) == std::vector<int>{row.panic ? 1 : 0});
  CHECK(loads.total_panic == row.panic);
}

TEST_CASE("compute_priority_loads: Envoy code-comment example, health 10/20/10 and degraded 20/10/0",
          "[models][routing]") {
  // 14 hosts per priority make 140 * k / 14 = 10k exact: 1 healthy -> 10, 2 -> 20.
  // Panic is disabled (threshold 0): with 50 all three (21%, 21%, 7%) would be in total panic.
  const std::vector<PriorityHosts> levels{{14, 1, 2, 0}, {14, 2, 1, 0}, {14, 1, 0, 0}};
  const PriorityLoads loads = compute_priority_loads(levels, 140, 0.0);
  CHECK(loads.normalized_total_availability == 70u);  // 10+20+10 + 20+10+0
  // Healthy: 1000/70 = 14, 2000/70 = 28, 14 (56); degraded: 28, 14, 0 (42); residue 2 -> P0.
  CHECK(loads.healthy == Loads{16, 28, 14});
  CHECK(loads.degraded == Loads{28, 14, 0});
  CHECK(panic_flags(loads) == std::vector<int>{0, 0, 0});
}

TEST_CASE("compute_priority_loads: nothing available", "[models][routing]") {
  const std::vector<PriorityHosts> levels{of100(0), {50, 0, 0, 0}};
  SECTION("panic threshold 0: P0 gets 100% but has nothing to route to") {
    const PriorityLoads loads = compute_priority_loads(levels, 140, 0.0);
    CHECK(loads.normalized_total_availability == 0u);
    CHECK(loads.healthy == Loads{100, 0});
    CHECK(loads.degraded == Loads{0, 0});
    CHECK(panic_flags(loads) == std::vector<int>{0, 0});
    CHECK_FALSE(loads.total_panic);
  }
  SECTION("panic threshold 50: total panic, split by host count") {
    const PriorityLoads loads = compute_priority_loads(levels, 140, 50.0);
    CHECK(loads.total_panic);
    CHECK(loads.healthy == Loads{67, 33});  // 10000/150 = 66, 5000/150 = 33 -> 99; residue 1 -> P0
  }
  SECTION("an empty priority is in panic and takes nothing in total panic") {
    const std::vector<PriorityHosts> with_empty{{0, 0, 0, 0}, of100(10)};
    const PriorityLoads loads = compute_priority_loads(with_empty, 140, 50.0);
    CHECK(loads.total_panic);
    CHECK(loads.healthy == Loads{0, 100});  // the residue goes to the first non-empty priority
  }
  SECTION("no hosts at all: P0 gets 100") {
    const std::vector<PriorityHosts> none{{}, {}};
    CHECK(compute_priority_loads(none, 140, 50.0).healthy == Loads{100, 0});
  }
}

TEST_CASE("compute_priority_loads: excluded hosts leave health but count in total panic", "[models][routing]") {
  // P0: 10 hosts, 6 excluded, 1 healthy of the 4 left -> 140/4 = 35 (25%). P1: 2 of 10 -> 28 (20%).
  const std::vector<PriorityHosts> levels{{10, 1, 0, 6}, {10, 2, 0, 0}};
  const PriorityLoads no_panic = compute_priority_loads(levels, 140, 0.0);
  CHECK(no_panic.normalized_total_availability == 63u);
  CHECK(no_panic.healthy == Loads{56, 44});  // 3500/63 = 55, 2800/63 = 44 -> 99; residue 1 -> P0
  // Both below 50% -> total panic, which uses raw sizes 10 and 10, excluded hosts included.
  CHECK(compute_priority_loads(levels, 140, 50.0).healthy == Loads{50, 50});
}

TEST_CASE("compute_priority_loads: NTA 100 forbids panic, the panic compare is strict", "[models][routing]") {
  // P0 at 30% is below 50%, but P1's 100 healthy hosts make NTA 100: nobody panics.
  const std::vector<PriorityHosts> backed{of100(30), of100(100)};
  CHECK(panic_flags(compute_priority_loads(backed, 140, 50.0)) == std::vector<int>{0, 0});

  // Factor 1.0 keeps NTA short of 100. P0: 25 healthy + 25 degraded = 50%, not < 50 -> no panic;
  // P1: 49 degraded = 49% -> panic. Degraded hosts count toward panic as available.
  const std::vector<PriorityHosts> levels{of100(25, 25), of100(0, 49)};
  const PriorityLoads loads = compute_priority_loads(levels, 100, 50.0);
  CHECK(loads.normalized_total_availability == 99u);  // 25 + 0 + 25 + 49
  CHECK(panic_flags(loads) == std::vector<int>{0, 1});
  CHECK_FALSE(loads.total_panic);
  // Healthy 2500/99 = 25, 0; degraded 25, 4900/99 = 49 -> 99; residue 1 -> P0's healthy load.
  CHECK(loads.healthy == Loads{26, 0});
  CHECK(loads.degraded == Loads{25, 49});
}

TEST_CASE("choose_priority: cumulative walk over healthy then degraded loads", "[models][routing]") {
  PriorityLoads loads;
  loads.healthy = {16, 28, 14};
  loads.degraded = {28, 14, 0};
  struct Row {
    std::uint32_t draw;
    std::size_t priority;
    bool degraded;
  };
  const Row row = GENERATE(values<Row>({
      {1, 0, false},
      {16, 0, false},  // last draw of P0's 16
      {17, 1, false},
      {44, 1, false},  // 16 + 28
      {45, 2, false},
      {58, 2, false},  // 16 + 28 + 14
      {59, 0, true},   // past every healthy load: degraded part of P0
      {86, 0, true},   // 58 + 28
      {87, 1, true},
      {100, 1, true},  // 86 + 14
  }));
  CAPTURE(row.draw);
  const auto choice = choose_priority(loads, row.draw);
  CHECK(choice.priority == row.priority);
  CHECK(choice.degraded == row.degraded);
}

TEST_CASE("choose_priority: zero loads are skipped, loads short of 100 fall back to P0", "[models][routing]") {
  PriorityLoads p1_only;
  p1_only.healthy = {0, 100};
  p1_only.degraded = {0, 0};
  CHECK(choose_priority(p1_only, 1).priority == 1u);
  CHECK(choose_priority(p1_only, 100).priority == 1u);

  PriorityLoads empty;
  const auto fallback = choose_priority(empty, 50);
  CHECK(fallback.priority == 0u);
  CHECK_FALSE(fallback.degraded);
}

TEST_CASE("choose_priority: end to end with the V1 71% row", "[models][routing]") {
  const std::vector<PriorityHosts> levels{of100(71), of100(100)};
  const PriorityLoads loads = compute_priority_loads(levels);
  std::vector<int> per_priority(2, 0);
  for (std::uint32_t draw = 1; draw <= 100; ++draw) ++per_priority[choose_priority(loads, draw).priority];
  CHECK(per_priority == std::vector<int>{99, 1});
}

TEST_CASE("priority_draw: random % 100 + 1", "[models][routing]") {
  CHECK(priority_draw(0) == 1u);
  CHECK(priority_draw(99) == 100u);
  CHECK(priority_draw(100) == 1u);
  CHECK(priority_draw(0xffffffffffffffffULL) == 16u);  // 18446744073709551615 % 100 = 15
}
