// Analytic availability against closed forms: k-of-n systems of identical independent repairable
// components, a series system and a series-parallel system, to 1e-9; the exact chain's size limit.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "models/availability/markov_chain.hpp"
#include "models/availability/steady_state_availability.hpp"

namespace {

using models::availability::Method;
using models::availability::RepairableComponent;
using models::availability::steady_state_availability;

double binomial(int n, int k) {
  double r = 1;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

// k-of-n: works while at least k of the n components are up; a = MTTF / (MTTF + MTTR).
double k_of_n(int k, int n, double a) {
  double sum = 0;
  for (int j = k; j <= n; ++j) sum += binomial(n, j) * std::pow(a, j) * std::pow(1 - a, n - j);
  return sum;
}

models::availability::StructureFunction at_least_up(std::size_t k, std::size_t n) {
  return [k, n](std::span<const std::uint32_t> down) { return n - down.size() >= k ? 1.0 : 0.0; };
}

}  // namespace

TEST_CASE("Availability: k-of-n systems of identical repairable components match the binomial closed form", "[availability]") {
  const RepairableComponent c{1000.0, 10.0};  // a = 1000 / 1010
  const double a = 1000.0 / 1010.0;
  for (const auto& [k, n] : std::vector<std::pair<int, int>>{{1, 2}, {2, 3}, {1, 3}, {3, 5}}) {
    const std::vector<RepairableComponent> components(static_cast<std::size_t>(n), c);
    const auto result = steady_state_availability(components, at_least_up(static_cast<std::size_t>(k), static_cast<std::size_t>(n)));
    CAPTURE(k, n);
    CHECK(result.method == Method::ExactChain);
    CHECK(result.states == (std::size_t{1} << n));
    CHECK(std::abs(result.availability - k_of_n(k, n, a)) < 1e-9);
  }
  // 1-of-2 spelled out: 1 - q^2.
  const std::vector<RepairableComponent> two(2, c);
  CHECK(std::abs(steady_state_availability(two, at_least_up(1, 2)).availability - (1 - std::pow(10.0 / 1010.0, 2))) < 1e-9);
}

TEST_CASE("Availability: a series system is the product of its components' availabilities", "[availability]") {
  const std::vector<RepairableComponent> components{{500, 5}, {2000, 60}, {100, 1}, {86400, 3600}};
  double product = 1;
  for (const auto& c : components) product *= c.mttf_s / (c.mttf_s + c.mttr_s);
  const auto result = steady_state_availability(components, [](std::span<const std::uint32_t> down) { return down.empty() ? 1.0 : 0.0; });
  CHECK(std::abs(result.availability - product) < 1e-9);
}

TEST_CASE("Availability: a series-parallel fleet (entry in series with two redundant regions of two pods)", "[availability]") {
  // 0: the entry; 1, 2: region A and its pods 3, 4; 5: region B and its pods 6, 7 (a pod needs its region).
  const std::vector<RepairableComponent> components{{10000, 20}, {5000, 50}, {5000, 50}, {300, 3}, {300, 3},
                                                    {4000, 40}, {250, 5}, {250, 5}};
  // Component 2 is a second, redundant entry for region A's pods: the structure
  // entry AND ((A-entry1 OR A-entry2) AND (pod3 OR pod4) OR (regionB AND (pod6 OR pod7))).
  const auto avail = [&](std::size_t i) { return components[i].mttf_s / (components[i].mttf_s + components[i].mttr_s); };
  const double a_side = (1 - (1 - avail(1)) * (1 - avail(2))) * (1 - (1 - avail(3)) * (1 - avail(4)));
  const double b_side = avail(5) * (1 - (1 - avail(6)) * (1 - avail(7)));
  const double expected = avail(0) * (1 - (1 - a_side) * (1 - b_side));
  const auto structure = [](std::span<const std::uint32_t> down) {
    std::vector<bool> up(8, true);
    for (std::uint32_t i : down) up[i] = false;
    const bool a = (up[1] || up[2]) && (up[3] || up[4]);
    const bool b = up[5] && (up[6] || up[7]);
    return up[0] && (a || b) ? 1.0 : 0.0;
  };
  const auto result = steady_state_availability(components, structure);
  CHECK(result.method == Method::ExactChain);
  CHECK(std::abs(result.availability - expected) < 1e-9);
}

TEST_CASE("Availability: beyond the exact chain's size the rare-event expansion takes over, within its stated error", "[availability]") {
  using models::availability::kMaxExactComponents;
  const RepairableComponent c{100000, 10};  // q ~ 1e-4
  const double a = 100000.0 / 100010.0;
  // The exact solver refuses one component too many.
  const std::vector<RepairableComponent> too_many(kMaxExactComponents + 1, c);
  CHECK_THROWS_AS(models::availability::steady_state(too_many), std::length_error);
  CHECK(models::availability::steady_state(std::vector<RepairableComponent>(kMaxExactComponents, c)).size() == 4096);
  // 13 components: 12-of-13 (one spare) by the pairwise expansion, against the closed form.
  const auto result = steady_state_availability(too_many, at_least_up(12, 13));
  CHECK(result.method == Method::RareEventPairs);
  CHECK(result.states == 0);
  const double exact = k_of_n(12, 13, a);
  CHECK(std::abs(result.availability - exact) <= 10 * result.largest_neglected * binomial(13, 3));
  CHECK(std::abs(result.availability - exact) < 1e-9);
}
