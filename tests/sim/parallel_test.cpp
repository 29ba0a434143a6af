// parallel_for: every index once, results independent of the number of threads, and the error of
// the lowest failing index.

#include "sim/parallel.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/rng.hpp"

namespace {

/// Results stored by index: some work that takes a different time per index.
std::vector<std::uint64_t> squares_of_mixes(std::size_t count, std::size_t jobs) {
  std::vector<std::uint64_t> out(count, 0);
  sim::parallel_for(count, jobs, [&](std::size_t i) {
    std::uint64_t x = i;
    for (std::size_t k = 0; k < 1000 * (i % 7); ++k) x = sim::splitmix64(x);
    out[i] = x * x;
  });
  return out;
}

}  // namespace

TEST_CASE("parallel_for: each index runs exactly once, whatever the number of jobs", "[sim][parallel]") {
  for (const std::size_t jobs : {1u, 2u, 3u, 8u, 100u}) {
    CAPTURE(jobs);
    std::vector<std::atomic<int>> calls(50);
    sim::parallel_for(calls.size(), jobs, [&](std::size_t i) { calls[i].fetch_add(1); });
    for (const auto& c : calls) CHECK(c.load() == 1);
  }
  int none = 0;
  sim::parallel_for(0, 4, [&](std::size_t) { ++none; });
  CHECK(none == 0);
}

TEST_CASE("parallel_for: results stored by index do not depend on the number of jobs", "[sim][parallel]") {
  const auto one = squares_of_mixes(40, 1);
  CHECK(squares_of_mixes(40, 2) == one);
  CHECK(squares_of_mixes(40, 5) == one);
}

TEST_CASE("parallel_for: one job runs the indices in order on the calling thread", "[sim][parallel]") {
  std::vector<std::size_t> order;
  sim::parallel_for(5, 1, [&](std::size_t i) { order.push_back(i); });
  CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("parallel_for: an error is rethrown after every thread has stopped", "[sim][parallel]") {
  for (const std::size_t jobs : {1u, 2u, 4u}) {
    CAPTURE(jobs);
    std::atomic<int> running{0};
    try {
      sim::parallel_for(20, jobs, [&](std::size_t i) {
        running.fetch_add(1);
        if (i == 3) {
          running.fetch_sub(1);
          throw std::runtime_error("index 3");
        }
        running.fetch_sub(1);
      });
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "index 3");
    }
    CHECK(running.load() == 0);
  }
  CHECK_THROWS_AS(sim::parallel_for(3, 0, [](std::size_t) {}), std::invalid_argument);
}
