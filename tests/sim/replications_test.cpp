// Shards of replications (--shard K/N and job-scheduler task indices), the replications each shard
// runs, the seed of each replication, and the coverage check a merge makes.

#include "sim/replications.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using sim::parse_shard;
using sim::replication_seed;
using sim::replications_of;
using sim::Shard;
using sim::shard_from_task_index;

/// The message parse_shard() throws for `spec`, or "" when it accepts it.
std::string shard_error(std::string_view spec) {
  try {
    parse_shard(spec);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

std::string task_error(std::string_view index, std::uint64_t first, std::uint64_t count) {
  try {
    shard_from_task_index(index, first, count);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

using Indices = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("parse_shard: K/N is numbered from 1 and kept from 0", "[sim][replications]") {
  CHECK(parse_shard("1/1") == Shard{0, 1});
  CHECK(parse_shard("1/4") == Shard{0, 4});
  CHECK(parse_shard("4/4") == Shard{3, 4});
  CHECK(parse_shard("07/10") == Shard{6, 10});
  CHECK(parse_shard("18446744073709551615/18446744073709551615") ==
        Shard{18446744073709551614ULL, 18446744073709551615ULL});
  CHECK(sim::to_string(Shard{2, 4}) == "3/4");
  CHECK(parse_shard(sim::to_string(Shard{2, 4})) == Shard{2, 4});
}

TEST_CASE("parse_shard: bad specs say what was expected", "[sim][replications]") {
  const std::string syntax = "expected K/N with whole numbers 1 <= K <= N, such as \"2/4\", found ";
  for (const char* spec : {"", "3", "/4", "3/", "a/4", "3/b", "-1/4", "+1/4", " 1/4", "1/4 ", "1 / 4", "1/4/5", "1.0/4",
                           "0x1/4", "18446744073709551616/18446744073709551617"}) {
    INFO("spec " << spec);
    CHECK(shard_error(spec) == syntax + "\"" + spec + "\"");
  }
  CHECK(shard_error("0/4") == "expected a shard number between 1 and 4, found \"0/4\" (shards are numbered from 1)");
  CHECK(shard_error("5/4") == "expected a shard number between 1 and 4, found \"5/4\"");
  CHECK(shard_error("1/0") == "expected at least 1 shard, found \"1/0\"");
  CHECK(shard_error("0/0") == "expected at least 1 shard, found \"0/0\"");
}

TEST_CASE("shard_from_task_index: 0-based Kubernetes and 1-based Slurm indices map to the same shards",
          "[sim][replications]") {
  // A Kubernetes Indexed Job sets JOB_COMPLETION_INDEX from 0; a Slurm array --array=1-4 sets
  // SLURM_ARRAY_TASK_ID from SLURM_ARRAY_TASK_MIN = 1.
  for (std::uint64_t k = 0; k < 4; ++k) {
    CHECK(shard_from_task_index(std::to_string(k), 0, 4) == Shard{k, 4});
    CHECK(shard_from_task_index(std::to_string(k + 1), 1, 4) == Shard{k, 4});
  }
  CHECK(shard_from_task_index("18446744073709551615", 18446744073709551615ULL, 18446744073709551615ULL) ==
        Shard{0, 18446744073709551615ULL});
}

TEST_CASE("shard_from_task_index: indices outside the array and bad text are errors", "[sim][replications]") {
  CHECK(task_error("4", 0, 4) == "expected a task index from 0 to 3, found 4");
  CHECK(task_error("0", 1, 4) == "expected a task index from 1 to 4, found 0");
  CHECK(task_error("5", 1, 4) == "expected a task index from 1 to 4, found 5");
  CHECK(task_error("", 0, 4) == "expected a whole number as the task index, found \"\"");
  CHECK(task_error("-1", 0, 4) == "expected a whole number as the task index, found \"-1\"");
  CHECK(task_error("1", 0, 0) == "expected at least 1 task, found 0");
}

TEST_CASE("replications_of: every split of R replications covers each exactly once, in shard order",
          "[sim][replications]") {
  for (std::uint64_t replications = 0; replications <= 40; ++replications) {
    for (std::uint64_t count = 1; count <= 45; ++count) {
      INFO(replications << " replications in " << count << " shards");
      std::uint64_t next = 0;
      std::uint64_t smallest = replications;
      std::uint64_t largest = 0;
      for (std::uint64_t index = 0; index < count; ++index) {
        const auto range = replications_of(Shard{index, count}, replications);
        REQUIRE(range.begin == next);  // contiguous, no gap and no overlap
        REQUIRE(range.end >= range.begin);
        next = range.end;
        smallest = std::min(smallest, range.size());
        largest = std::max(largest, range.size());
      }
      REQUIRE(next == replications);
      REQUIRE(largest - smallest <= 1);  // balanced
    }
  }
}

TEST_CASE("replications_of: examples, including more shards than replications", "[sim][replications]") {
  using Range = sim::ReplicationRange;
  CHECK(replications_of(Shard{0, 1}, 10) == Range{0, 10});
  CHECK(replications_of(Shard{0, 3}, 10) == Range{0, 4});
  CHECK(replications_of(Shard{1, 3}, 10) == Range{4, 7});
  CHECK(replications_of(Shard{2, 3}, 10) == Range{7, 10});
  CHECK(replications_of(Shard{1, 5}, 2) == Range{1, 2});
  CHECK(replications_of(Shard{4, 5}, 2).size() == 0);
  // Large counts do not overflow.
  const std::uint64_t max = 18446744073709551615ULL;
  CHECK(replications_of(Shard{max - 1, max}, max) == Range{max - 1, max});
}

TEST_CASE("replications_of: an impossible shard is an error", "[sim][replications]") {
  CHECK_THROWS_AS(replications_of(Shard{4, 4}, 10), std::invalid_argument);
  CHECK_THROWS_AS(replications_of(Shard{0, 0}, 10), std::invalid_argument);
}

TEST_CASE("replication_seed: replication 0 is the scenario seed, others are distinct and pinned",
          "[sim][replications]") {
  CHECK(replication_seed(42, 0) == 42);
  CHECK(replication_seed(0, 0) == 0);
  // If these change, every multi-replication result changes: only ever update them on purpose.
  // The values come from an independent Python transcription of SplitMix64.
  CHECK(replication_seed(42, 1) == 0xfa4f945599f9054aULL);
  CHECK(replication_seed(1, 1) == 0x86d6fd953217ae03ULL);
  // Seeds of neighbouring scenario seeds and replications do not collide.
  std::set<std::uint64_t> seeds;
  for (std::uint64_t scenario_seed = 0; scenario_seed < 100; ++scenario_seed) {
    for (std::uint64_t replication = 0; replication < 100; ++replication) {
      seeds.insert(replication_seed(scenario_seed, replication));
    }
  }
  CHECK(seeds.size() == 100u * 100u);
}

TEST_CASE("replication_seed: the same whichever shard runs the replication", "[sim][replications]") {
  // Seeds are a function of the index alone, so any split gives every replication the same seed.
  std::vector<std::uint64_t> one_machine;
  for (std::uint64_t i = 0; i < 23; ++i) one_machine.push_back(replication_seed(7, i));
  for (std::uint64_t count = 1; count <= 30; ++count) {
    std::vector<std::uint64_t> merged;
    for (std::uint64_t index = 0; index < count; ++index) {
      const auto range = replications_of(Shard{index, count}, 23);
      for (std::uint64_t i = range.begin; i < range.end; ++i) merged.push_back(replication_seed(7, i));
    }
    CHECK(merged == one_machine);
  }
}

TEST_CASE("coverage_problem: a merge needs each replication exactly once", "[sim][replications]") {
  using sim::coverage_problem;
  CHECK(coverage_problem(Indices{}, 0) == std::nullopt);
  CHECK(coverage_problem(Indices{0, 1, 2, 3}, 4) == std::nullopt);
  CHECK(coverage_problem(Indices{2, 3, 0, 1}, 4) == std::nullopt);
  CHECK(coverage_problem(Indices{0, 1, 3}, 4) == "expected replication 2 once, found it 0 times");
  CHECK(coverage_problem(Indices{0, 1, 2}, 4) == "expected replication 3 once, found it 0 times");
  CHECK(coverage_problem(Indices{}, 2) == "expected replication 0 once, found it 0 times");
  CHECK(coverage_problem(Indices{0, 1, 1, 2, 1, 3}, 4) == "expected replication 1 once, found it 3 times");
  CHECK(coverage_problem(Indices{0, 1, 4, 2, 3}, 4) == "expected replications 0 to 3, found replication 4");
  CHECK(coverage_problem(Indices{0}, 0) == "expected no replications, found replication 0");
}
