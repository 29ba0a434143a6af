#include <catch2/catch.hpp>

#include <vector>

#include "models/dns/cloud_dns.hpp"

using models::dns::cloud_dns_answer;
using models::dns::Policy;
using models::dns::VipState;

TEST_CASE("cloud_dns_answer: geolocation answers the nearest healthy VIP", "[models][dns]") {
  std::vector<VipState> vips{{0, true}, {1, true}, {2, true}};
  const std::vector<std::uint32_t> from_region_1{1, 0, 2};
  CHECK(cloud_dns_answer(Policy::Geolocation, from_region_1, vips, 0, 0.5) == 1u);
  vips[1].healthy = false;
  CHECK(cloud_dns_answer(Policy::Geolocation, from_region_1, vips, 0, 0.5) == 0u);  // next nearest
  vips[0].healthy = vips[2].healthy = false;
  CHECK(cloud_dns_answer(Policy::Geolocation, from_region_1, vips, 0, 0.5) == 1u);  // none healthy: still answers
  CHECK_FALSE(cloud_dns_answer(Policy::Geolocation, from_region_1, {}, 0, 0.5).has_value());
}

TEST_CASE("cloud_dns_answer: failover with a trickle ratio", "[models][dns]") {
  std::vector<VipState> vips{{0, true, true, false}, {1, true, false, true}};
  const std::vector<std::uint32_t> order{0, 1};
  CHECK(cloud_dns_answer(Policy::Failover, order, vips, 0.1, 0.5) == 0u);
  CHECK(cloud_dns_answer(Policy::Failover, order, vips, 0.1, 0.05) == 1u);  // 10% trickle to the backup
  vips[0].healthy = false;
  CHECK(cloud_dns_answer(Policy::Failover, order, vips, 0.1, 0.5) == 1u);
  vips[1].healthy = false;
  CHECK(cloud_dns_answer(Policy::Failover, order, vips, 0.1, 0.5) == 0u);  // nothing healthy: the primary
}

TEST_CASE("cloud_dns_answer: weighted round robin over healthy VIPs", "[models][dns]") {
  std::vector<VipState> vips{{0, true, false, false, 1}, {1, true, false, false, 3}};
  const std::vector<std::uint32_t> order{0, 1};
  CHECK(cloud_dns_answer(Policy::WeightedRoundRobin, order, vips, 0, 0.2) == 0u);   // [0, 0.25)
  CHECK(cloud_dns_answer(Policy::WeightedRoundRobin, order, vips, 0, 0.3) == 1u);   // [0.25, 1)
  vips[1].healthy = false;  // removed, weights renormalised
  CHECK(cloud_dns_answer(Policy::WeightedRoundRobin, order, vips, 0, 0.9) == 0u);
}
