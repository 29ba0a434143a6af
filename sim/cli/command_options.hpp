#pragma once
// Command-line options as typed, and the checks that turn them into values. Private to sim/cli.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "sim/cli/experiments.hpp"
#include "sim/replications.hpp"

namespace cli {

// How many replications, on how many threads, and which slice of them (run and compare). Kept
// as text, so that bad values get faultline's own messages.
struct ReplicationOptions {
  std::string seeds;
  std::string jobs;
  std::string shard;
  bool shard_from_env = false;
  std::string shard_count;
};

struct RunOptions {
  std::string scenario;
  std::string seed;  // as typed: parse_count checks it
  std::string duration;
  std::string out_dir;
  std::string strategy;
  bool report = false;
  bool quiet = false;
  bool force = false;
  bool gate = false;  // exit kGateFailed (3) when the SLO is missed
  bool csv = false;   // also DIR/timeseries.csv
  ReplicationOptions replication;
};

struct CompareOptions {
  std::string scenario;
  std::string seed;  // as typed: parse_count checks it
  std::string duration;
  std::string out_dir;
  std::string strategies;
  std::string baseline;
  bool quiet = false;
  bool report = false;
  bool force = false;
  std::string gate;  // a strategy: exit kGateFailed (3) when it is significantly worse than the baseline
  ReplicationOptions replication;
};

// Bad command-line values get the same treatment as bad scenario values: a clear message, exit 2.
struct UsageError {
  std::string message;
};

inline constexpr std::uint64_t kMaxReplications = 1'000'000;
inline constexpr std::uint64_t kMaxJobs = 1024;
inline constexpr std::uint64_t kDefaultCompareSeeds = 10;

/// A whole number in [minimum, maximum], or a UsageError naming `option`.
std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t minimum,
                          std::uint64_t maximum);

/// --jobs, or one thread per core (at least one).
std::size_t jobs_of(const ReplicationOptions& options);

/// The slice of replications this machine runs: --shard K/N, or the array job's task index
/// (--shard-from-env); none when neither is given.
std::optional<sim::Shard> shard_of(const ReplicationOptions& options);

/// The scenario file at `path`, with the --seed and --duration of `options` (when given) applied,
/// validated. A --duration that ends the run before a scripted fault starts leaves that fault out,
/// with a warning on `warnings` (when given) that says what --duration would include it.
models::config::ValidatedScenario load(const std::string& path, const RunOptions* options,
                                       std::ostream* warnings = nullptr);

/// The named strategies of a scenario file, with --seed and --duration applied, validated (each
/// left-out fault warned about once).
std::vector<StrategyRun> load_strategies(const std::string& path, const std::vector<std::string>& names,
                                         const std::string& seed, const std::string& duration,
                                         const std::string& option, std::ostream* warnings = nullptr);

/// --strategies: strategy names separated by commas, each once.
std::vector<std::string> split_names(const std::string& text, const std::string& option);

/// --out, or out/<scenario name>.
std::filesystem::path output_directory(const std::string& option, const std::string& scenario_name);

/// Before anything runs: creates the output directory, checks that faultline can write there and
/// that none of `files` exists yet (unless --force). A long run must not end in an error, and
/// nothing a user already has is replaced by surprise.
void claim_outputs(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& files, bool force);

}  // namespace cli
