#pragma once
// Replications and shards: which replications one machine runs, and the seed of each.
//
// A run of R replications can be split into N shards, run anywhere, and merged. Everything here is
// a function of (scenario seed, R, N, K) alone, never of threads or of which machine ran what, so
// the merged results are exactly those of one machine running all R.
//
// Shards are numbered from 1 on the command line ("--shard 2/4", as Playwright and Jest do) and
// from 0 in Shard::index. Job schedulers number their tasks either way: shard_from_task_index()
// takes the scheduler's first index.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sim {

struct Shard {
  std::uint64_t index = 0;  // 0-based, < count
  std::uint64_t count = 1;
  bool operator==(const Shard&) const = default;
};

/// Parses "K/N" with 1 <= K <= N, whole decimal numbers without signs or spaces. Throws
/// std::invalid_argument whose what() says what was expected and what was found, without naming
/// the option (the caller prefixes "--shard: ").
Shard parse_shard(std::string_view spec);

/// "K/N", 1-based, as parse_shard() reads it.
std::string to_string(Shard shard);

/// The shard of a task in an array job of `count` tasks, given the task's index as the scheduler
/// sets it in the environment and the index of the array's first task: 0 for a Kubernetes Indexed
/// Job (JOB_COMPLETION_INDEX), SLURM_ARRAY_TASK_MIN for a Slurm array (SLURM_ARRAY_TASK_ID; arrays
/// with a step, such as --array=0-15:4, are not supported). Throws std::invalid_argument when the
/// index is not a whole number or falls outside [first_index, first_index + count), or when
/// count is 0.
Shard shard_from_task_index(std::string_view index_text, std::uint64_t first_index, std::uint64_t count);

/// Replications [begin, end).
struct ReplicationRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint64_t size() const { return end - begin; }
  bool operator==(const ReplicationRange&) const = default;
};

/// The replications `shard` runs out of `replications`: contiguous blocks in shard order, whose
/// sizes differ by at most one (the first R mod N shards take one more). Shards beyond the number
/// of replications get an empty range. Contiguous, so that concatenating the shards' results in
/// shard order lists the replications in index order.
ReplicationRange replications_of(Shard shard, std::uint64_t replications);

/// The seed of replication `replication`: the scenario seed itself for replication 0, so that
/// one replication is the same run as before replications existed, and a SplitMix64 mix of the
/// scenario seed and the index for the others. Each replication can be rerun alone with
/// `faultline run --seed <its seed>`.
std::uint64_t replication_seed(std::uint64_t scenario_seed, std::uint64_t replication);

/// What is wrong with the replication indices that partial results hold, for a merge: an index
/// outside [0, replications), one held twice, or one missing (the first problem in index order,
/// as "expected replication 3 once, found it twice"). Empty when they are exactly
/// 0 .. replications - 1, in any order.
std::optional<std::string> coverage_problem(std::span<const std::uint64_t> indices, std::uint64_t replications);

}  // namespace sim
