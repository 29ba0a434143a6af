// EndpointViews: proxies that agree share one stored view; what each proxy sees is exactly what it
// was told, as if every proxy had its own copy.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "models/control/endpoint_views.hpp"
#include "sim/rng.hpp"

using models::control::EndpointViews;

TEST_CASE("EndpointViews: a change that reaches every proxy changes their one view in place", "[models][control]") {
  EndpointViews views(4, 10);
  const std::uint64_t before = views.version(views.view_id(0));
  const std::vector<std::uint32_t> all{0, 1, 2, 3};
  views.set(all, 7, false);
  CHECK(views.distinct() == 1);
  for (std::uint32_t p : all) CHECK_FALSE(views.ready(p, 7));
  CHECK(views.version(views.view_id(0)) != before);
}

TEST_CASE("EndpointViews: a change that reaches some proxies splits the view, and the rest join it when theirs arrives",
          "[models][control]") {
  // Two istiods push the same change to their own proxies, one after the other.
  EndpointViews views(4, 10);
  const std::vector<std::uint32_t> first{0, 1}, second{2, 3};
  views.set(first, 3, false);
  CHECK(views.distinct() == 2);
  CHECK_FALSE(views.ready(0, 3));
  CHECK(views.ready(2, 3));
  views.set(second, 3, false);
  CHECK(views.distinct() == 1);
  CHECK(views.view_id(0) == views.view_id(3));
  // Back again: ready in the end, in one view.
  views.set(second, 3, true);
  views.set(first, 3, true);
  CHECK(views.distinct() == 1);
  CHECK(views.ready(1, 3));
}

TEST_CASE("EndpointViews: a full push joins the view with that content, or makes one", "[models][control]") {
  EndpointViews views(3, 5);
  std::vector<std::uint8_t> content{1, 0, 1, 1, 1};
  views.assign(2, content);
  CHECK(views.distinct() == 2);
  CHECK_FALSE(views.ready(2, 1));
  CHECK(views.ready(0, 1));
  views.set(std::vector<std::uint32_t>{0}, 1, false);  // proxy 0 now agrees with proxy 2
  CHECK(views.view_id(0) == views.view_id(2));
  views.assign(1, content);
  CHECK(views.distinct() == 1);
}

TEST_CASE("EndpointViews: random pushes to random proxies give each proxy what a copy of its own would hold",
          "[models][control]") {
  constexpr std::uint32_t kProxies = 12, kEndpoints = 40;
  EndpointViews views(kProxies, kEndpoints);
  std::vector<std::vector<std::uint8_t>> copies(kProxies, std::vector<std::uint8_t>(kEndpoints, 1));
  sim::RngStream rng(11, 0, "endpoint-views-test");
  for (int step = 0; step < 3000; ++step) {
    if (rng.uniform_below(10) == 0) {  // a full push to one proxy
      const auto p = static_cast<std::uint32_t>(rng.uniform_below(kProxies));
      std::vector<std::uint8_t> content(kEndpoints);
      for (auto& c : content) c = rng.uniform_below(4) == 0 ? 0 : 1;
      views.assign(p, content);
      copies[p] = content;
    } else {  // one endpoint's change to a subset of the proxies, in a random order
      std::vector<std::uint32_t> reached;
      for (std::uint32_t p = 0; p < kProxies; ++p)
        if (rng.uniform_below(3) != 0) reached.push_back(p);
      std::reverse(reached.begin(), reached.end());
      const auto e = static_cast<std::uint32_t>(rng.uniform_below(kEndpoints));
      const bool ready = rng.uniform_below(2) == 0;
      views.set(reached, e, ready);
      for (std::uint32_t p : reached) copies[p][e] = ready ? 1 : 0;
    }
    std::set<std::string> contents;  // as text: GCC 12 warns on comparing byte vectors in a set
    for (std::uint32_t p = 0; p < kProxies; ++p) {
      REQUIRE(views.view(p) == copies[p]);
      contents.insert(std::string(copies[p].begin(), copies[p].end()));
    }
    // Shared exactly where they agree: one stored view per distinct content.
    REQUIRE(views.distinct() == contents.size());
    for (std::uint32_t p = 0; p < kProxies; ++p)
      for (std::uint32_t q = 0; q < kProxies; ++q)
        REQUIRE((views.view_id(p) == views.view_id(q)) == (copies[p] == copies[q]));
  }
}
