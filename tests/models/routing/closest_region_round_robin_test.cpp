#include <catch2/catch.hpp>

#include <map>
#include <vector>

#include "models/routing/closest_region_round_robin.hpp"

using models::routing::EndpointGroup;
using models::routing::pick_closest_region_round_robin;

TEST_CASE("pick_closest_region_round_robin: stays in the closest region with a usable endpoint", "[models][routing]") {
  const std::vector<std::uint32_t> near{1, 2, 3}, far{7, 8};
  const std::vector<EndpointGroup> groups{{0, near}, {1, far}};
  std::vector<std::uint32_t> cursors(2, 0);
  std::vector<bool> usable(10, true);
  auto pick = [&] {
    return pick_closest_region_round_robin(std::span<const EndpointGroup>(groups), std::span<std::uint32_t>(cursors),
                                           [&](std::uint32_t e) { return usable[e]; });
  };
  // Round robin inside the closest region.
  CHECK(pick() == 1u);
  CHECK(pick() == 2u);
  CHECK(pick() == 3u);
  CHECK(pick() == 1u);
  // An unusable endpoint is skipped; the others share its traffic.
  usable[2] = false;
  std::map<std::uint32_t, int> seen;
  for (int i = 0; i < 10; ++i) ++seen[*pick()];
  CHECK(seen == std::map<std::uint32_t, int>{{1, 5}, {3, 5}});
  // With the whole closest region unusable, traffic spills to the next region.
  usable[1] = usable[3] = false;
  CHECK(pick() == 7u);
  CHECK(pick() == 8u);
  // Back when one endpoint of the closest region recovers.
  usable[3] = true;
  CHECK(pick() == 3u);
  // Nothing usable anywhere: no endpoint.
  usable.assign(10, false);
  CHECK_FALSE(pick().has_value());
}

TEST_CASE("pick_closest_region_round_robin: empty groups are skipped", "[models][routing]") {
  const std::vector<std::uint32_t> none, some{4};
  const std::vector<EndpointGroup> groups{{0, none}, {1, some}};
  std::vector<std::uint32_t> cursors(2, 0);
  const auto chosen = pick_closest_region_round_robin(std::span<const EndpointGroup>(groups),
                                                      std::span<std::uint32_t>(cursors), [](std::uint32_t) { return true; });
  CHECK(chosen == 4u);
}
