#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "models/routing/ztunnel_lb.hpp"
#include "sim/rng.hpp"

using models::routing::EndpointLocality;
using models::routing::locality_rank;
using models::routing::ztunnel_pick;
using models::routing::ZtunnelEndpoint;
using models::routing::ZtunnelLbMode;

namespace {

// One network; regions 0..2, zones numbered within a region, one subzone, nodes globally unique.
EndpointLocality loc(std::uint32_t region, std::uint32_t zone, std::uint32_t node) {
  return EndpointLocality{0, region, zone, 0, node};
}

std::map<std::uint32_t, int> tally(ZtunnelLbMode mode, const EndpointLocality& source,
                                   const std::vector<ZtunnelEndpoint>& endpoints, int picks, int& none) {
  sim::RngStream rng(7, 0, "ztunnel_lb_test");
  std::map<std::uint32_t, int> seen;
  none = 0;
  for (int i = 0; i < picks; ++i) {
    if (const auto id = ztunnel_pick(mode, source, endpoints, rng)) ++seen[*id];
    else ++none;
  }
  return seen;
}

const EndpointLocality kSource = loc(0, 0, 100);

}  // namespace

TEST_CASE("locality_rank: count of leading matching scopes", "[models][routing]") {
  using Row = std::tuple<ZtunnelLbMode, EndpointLocality, std::uint32_t>;
  auto [mode, endpoint, rank] = GENERATE(table<ZtunnelLbMode, EndpointLocality, std::uint32_t>({
      Row{ZtunnelLbMode::Standard, loc(0, 0, 100), 0},
      Row{ZtunnelLbMode::PreferSameZone, loc(0, 0, 101), 3},      // network, region, zone
      Row{ZtunnelLbMode::PreferSameZone, loc(0, 1, 102), 2},      // network, region
      Row{ZtunnelLbMode::PreferSameZone, loc(1, 0, 103), 1},      // zone 0 of another region: stops at region
      Row{ZtunnelLbMode::PreferSameZone, EndpointLocality{1, 0, 0, 0, 100}, 0},  // other network
      Row{ZtunnelLbMode::PreferSameNode, loc(0, 0, 100), 5},      // + subzone, node
      Row{ZtunnelLbMode::PreferSameNode, loc(0, 0, 101), 4},
      Row{ZtunnelLbMode::StrictLocalNode, loc(0, 0, 100), 1},
      Row{ZtunnelLbMode::StrictLocalNode, loc(0, 0, 101), 0},
  }));
  CHECK(locality_rank(mode, kSource, endpoint) == rank);
}

TEST_CASE("ztunnel_pick: Standard spreads across regions in proportion to capacity", "[models][routing]") {
  // Capacities 1 + 1 (region 0), 2 (region 1), 4 (region 2): total 8.
  const std::vector<ZtunnelEndpoint> endpoints{
      {1, loc(0, 0, 101), 1, true}, {2, loc(0, 1, 102), 1, true}, {3, loc(1, 0, 200), 2, true},
      {4, loc(2, 0, 300), 4, true}, {5, loc(2, 0, 301), 3, false}};  // unhealthy: never chosen
  int none = 0;
  const auto seen = tally(ZtunnelLbMode::Standard, kSource, endpoints, 16'000, none);
  CHECK(none == 0);
  CHECK(seen.at(1) == Approx(2000).margin(160));  // 1/8 x 16,000, within 1% of all picks
  CHECK(seen.at(2) == Approx(2000).margin(160));
  CHECK(seen.at(3) == Approx(4000).margin(160));  // 2/8
  CHECK(seen.at(4) == Approx(8000).margin(160));  // 4/8
  CHECK(seen.count(5) == 0);
}

TEST_CASE("ztunnel_pick: PreferSameZone uses only the best rank present", "[models][routing]") {
  std::vector<ZtunnelEndpoint> endpoints{
      {1, loc(0, 0, 101), 1, true},  // same zone: rank 3
      {2, loc(0, 0, 102), 3, true},  // same zone: rank 3
      {3, loc(0, 1, 103), 9, true},  // same region, other zone: rank 2
      {4, loc(1, 0, 200), 9, true},  // other region: rank 1
  };
  int none = 0;
  // Only rank 3 is eligible, weighted 1:3; rank 2 gets nothing despite its large capacity.
  auto seen = tally(ZtunnelLbMode::PreferSameZone, kSource, endpoints, 8'000, none);
  CHECK(seen.at(1) == Approx(2000).margin(80));  // 1/4 x 8,000
  CHECK(seen.at(2) == Approx(6000).margin(80));  // 3/4
  CHECK(seen.count(3) == 0);
  CHECK(seen.count(4) == 0);

  // One rank-3 endpoint unhealthy: still no spill, the other takes everything.
  endpoints[0].healthy = false;
  seen = tally(ZtunnelLbMode::PreferSameZone, kSource, endpoints, 1'000, none);
  CHECK(seen == std::map<std::uint32_t, int>{{2, 1000}});

  // Every rank-3 endpoint unhealthy: rank 2 becomes the best rank.
  endpoints[1].healthy = false;
  seen = tally(ZtunnelLbMode::PreferSameZone, kSource, endpoints, 1'000, none);
  CHECK(seen == std::map<std::uint32_t, int>{{3, 1000}});

  // Then the other region.
  endpoints[2].healthy = false;
  seen = tally(ZtunnelLbMode::PreferSameZone, kSource, endpoints, 1'000, none);
  CHECK(seen == std::map<std::uint32_t, int>{{4, 1000}});

  // Nothing healthy: no endpoint.
  endpoints[3].healthy = false;
  seen = tally(ZtunnelLbMode::PreferSameZone, kSource, endpoints, 10, none);
  CHECK(seen.empty());
  CHECK(none == 10);
}

TEST_CASE("ztunnel_pick: PreferSameNode keeps traffic on the node while it has an endpoint", "[models][routing]") {
  std::vector<ZtunnelEndpoint> endpoints{{1, loc(0, 0, 100), 1, true}, {2, loc(0, 0, 101), 1, true}};
  int none = 0;
  CHECK(tally(ZtunnelLbMode::PreferSameNode, kSource, endpoints, 100, none) == std::map<std::uint32_t, int>{{1, 100}});
  endpoints[0].healthy = false;
  CHECK(tally(ZtunnelLbMode::PreferSameNode, kSource, endpoints, 100, none) == std::map<std::uint32_t, int>{{2, 100}});
}

TEST_CASE("ztunnel_pick: StrictLocalNode returns none without a local endpoint", "[models][routing]") {
  std::vector<ZtunnelEndpoint> endpoints{{1, loc(0, 0, 100), 1, true}, {2, loc(0, 0, 101), 1, true}};
  int none = 0;
  CHECK(tally(ZtunnelLbMode::StrictLocalNode, kSource, endpoints, 100, none) == std::map<std::uint32_t, int>{{1, 100}});
  endpoints[0].healthy = false;  // the only local endpoint is gone: no fallback to node 101
  CHECK(tally(ZtunnelLbMode::StrictLocalNode, kSource, endpoints, 100, none).empty());
  CHECK(none == 100);
}

TEST_CASE("ztunnel_pick: capacity 0 and empty inputs", "[models][routing]") {
  sim::RngStream rng(7, 0, "ztunnel_lb_test/zero");
  const std::vector<ZtunnelEndpoint> none_yet;
  CHECK_FALSE(ztunnel_pick(ZtunnelLbMode::Standard, kSource, none_yet, rng).has_value());
  // The best rank holds only a capacity-0 endpoint: it is never drawn, and there is no spill.
  const std::vector<ZtunnelEndpoint> zero{{1, loc(0, 0, 101), 0, true}, {2, loc(1, 0, 200), 1, true}};
  CHECK_FALSE(ztunnel_pick(ZtunnelLbMode::PreferSameZone, kSource, zero, rng).has_value());
  CHECK(ztunnel_pick(ZtunnelLbMode::Standard, kSource, zero, rng) == std::optional<std::uint32_t>(2));
}

TEST_CASE("ztunnel_pick_eligible: the same choice as ztunnel_pick, draw for draw, without scanning", "[models][routing]") {
  // Endpoints over 3 regions x 2 zones x 4 nodes with capacities 0..3; many random health states;
  // the streams compared after the picks.
  using namespace models::routing;
  std::vector<ZtunnelEndpoint> endpoints;
  for (std::uint32_t i = 0; i < 30; ++i)
    endpoints.push_back(ZtunnelEndpoint{200 + i, EndpointLocality{0, i % 3, (i / 3) % 2, 0, (i / 6) % 4},
                                        i % 7 == 0 ? 0u : 1 + i % 3, true});
  const EndpointLocality source{0, 2, 1, 0, 3};
  sim::RngStream health_rng(10, 0, "health");
  EligibleEndpoints eligible;
  for (ZtunnelLbMode mode : {ZtunnelLbMode::Standard, ZtunnelLbMode::PreferSameZone, ZtunnelLbMode::PreferSameNode,
                             ZtunnelLbMode::StrictLocalNode}) {
    const RankedEndpoints ranked = rank_endpoints(mode, source, endpoints);
    for (int round = 0; round < 500; ++round) {
      const double p_healthy = (round % 5) / 4.0;
      for (auto& e : endpoints) e.healthy = health_rng.bernoulli(p_healthy);
      eligible_endpoints(ranked, endpoints, [&](std::uint32_t i) { return endpoints[i].healthy; }, eligible);
      sim::RngStream a(2, static_cast<std::uint64_t>(round), "pick");
      sim::RngStream b(2, static_cast<std::uint64_t>(round), "pick");
      for (int pick = 0; pick < 4; ++pick) {  // the list serves every pick until health changes
        const auto expected = ztunnel_pick(mode, source, endpoints, a);
        const auto got = ztunnel_pick_eligible(eligible, b);
        CAPTURE(static_cast<int>(mode), round, pick);
        REQUIRE(got == expected);
      }
      REQUIRE(a.next_u64() == b.next_u64());  // the same number of draws
    }
  }
}
