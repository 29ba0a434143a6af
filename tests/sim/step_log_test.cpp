#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "sim/step_log.hpp"


TEST_CASE("StepLog: rows beyond a block go to disk and read back exactly, in any order", "[sim][step_log]") {
  sim::StepLog log(3);
  const std::size_t rows = 3 * sim::StepLog::kRowsPerBlock + 17;  // three spilled blocks and a tail
  for (std::uint64_t k = 0; k < rows; ++k) {
    const std::uint64_t row[3] = {k, k * k, ~k};
    log.append(row);
  }
  REQUIRE(log.size() == rows);
  for (const std::size_t k : {std::size_t{0}, rows - 1, std::size_t{1024}, std::size_t{5}, std::size_t{2047}, std::size_t{3072},
                              std::size_t{1023}, rows - 17}) {
    CAPTURE(k);
    std::uint64_t row[3];
    log.read(k, row);
    CHECK(row[0] == k);
    CHECK(row[1] == k * k);
    CHECK(row[2] == ~static_cast<std::uint64_t>(k));
    CHECK(log.first_word(k) == k);
  }
  CHECK_THROWS_AS(log.first_word(rows), std::out_of_range);
}

TEST_CASE("StepLog: a copy shares what was spilled, and both go on appending on their own", "[sim][step_log]") {
  sim::CountSeries a;
  for (std::uint64_t k = 0; k < 1500; ++k) a.push_back(k);
  sim::CountSeries b = a;
  for (std::uint64_t k = 0; k < 1000; ++k) a.push_back(10'000 + k);
  for (std::uint64_t k = 0; k < 1000; ++k) b.push_back(20'000 + k);
  REQUIRE(a.size() == 2500);
  REQUIRE(b.size() == 2500);
  for (std::size_t k = 0; k < 1500; ++k) REQUIRE((a[k] == k && b[k] == k));
  for (std::size_t k = 1500; k < 2500; ++k) REQUIRE((a[k] == 10'000 + k - 1500 && b[k] == 20'000 + k - 1500));
  std::uint64_t sum = 0;
  for (const std::uint64_t v : a) sum += v;
  CHECK(sum == 1499 * 1500 / 2 + 10'000 * 1000 + 999 * 1000 / 2);
  CHECK(a.to_vector().size() == 2500);
}

