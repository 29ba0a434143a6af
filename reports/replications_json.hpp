#pragma once
// replications.json and compare.json: a scenario run over many seeds (`faultline run --seeds N`)
// or several strategies run over the same seeds (`faultline compare`), as the mean of every
// scalar metric with its 95% confidence interval, the paired differences to a baseline and the
// values of every replication; and the partial files of shards (`--shard K/N`), which
// merge_partials() combines into exactly the document one machine would have written.
//
// Byte for byte reproducible: everything in the document is a function of the replications'
// values, which are stored in replication order, and the statistics are recomputed from them
// in index order whenever a document is written (the threads, the shards and the machines that
// produced the values leave no trace). No wall clock, no host names, no paths.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "reports/scalar_metrics.hpp"
#include "sim/replications.hpp"
#include "sim/statistics.hpp"

namespace reports {

/// One metric's value in every replication a table holds, for every strategy.
struct MetricSeries {
  std::string name;
  std::string unit;
  sim::stats::Direction direction = sim::stats::Direction::HigherIsBetter;
  /// [strategy][replication held]; NaN where the metric is undefined in that replication or
  /// missing from it (a name that only some replications report).
  std::vector<std::vector<double>> values;
};

/// The scalar metrics of consecutive replications, for one or more strategies.
struct ReplicationTable {
  std::size_t strategies = 1;
  std::uint64_t first = 0;            // the index of the first replication held
  std::vector<std::uint64_t> seeds;   // one per replication held: its seed
  std::vector<MetricSeries> metrics;  // in order of first appearance: by replication, then strategy
  std::uint64_t size() const { return seeds.size(); }
};

/// The table of one replication: `by_strategy[s]` holds strategy s's scalar_metrics(). A name
/// repeated within one strategy's list keeps its first value.
ReplicationTable replication_table(std::uint64_t index, std::uint64_t seed,
                                   const std::vector<std::vector<ScalarMetric>>& by_strategy);

/// Appends `next`, whose replications follow `into`'s (next.first == into.first + into.size(),
/// unless `into` is empty), for the same number of strategies; throws std::invalid_argument
/// otherwise. Metrics keep `into`'s order, those new in `next` follow in `next`'s order, and a
/// metric one side lacks is NaN there; a metric's unit and direction are those it had first.
/// Appending is associative, so a table built from shards equals the one built replication by
/// replication.
void append(ReplicationTable& into, const ReplicationTable& next);

enum class ExperimentKind {
  Replications,  // faultline run --seeds N: one strategy; replications.json
  Compare,       // faultline compare: strategies side by side; compare.json
};

/// What was run: everything that must agree between the shards of one experiment.
struct Experiment {
  ExperimentKind kind = ExperimentKind::Replications;
  std::string faultline_version;
  std::string scenario;                 // the scenario's name
  std::string scenario_sha256;          // of the scenario file's bytes, lower-case hex
  std::vector<std::string> strategies;  // Replications: the one strategy that ran
  std::string baseline;                 // Compare: the strategy differences are taken to
  std::uint64_t seed = 0;               // the scenario's (or --seed): replication i runs replication_seed(seed, i)
  double duration_s = 0;
  std::uint64_t replications = 0;  // of the whole experiment, every shard included
  bool operator==(const Experiment&) const = default;
};

/// "replications.json" or "compare.json"; for a shard "replications.shard-2-of-4.json".
std::string experiment_file_name(ExperimentKind kind, std::optional<sim::Shard> shard = std::nullopt);

/// The document, pretty-printed, ending with a newline. Without a shard `table` must hold every
/// replication; with one, exactly the shard's (replications_of()). Throws std::invalid_argument
/// when it does not, or when its strategy count is not the experiment's.
std::string experiment_to_json(const Experiment& experiment, const ReplicationTable& table,
                               std::optional<sim::Shard> shard = std::nullopt);

/// A shard's partial document, read back.
struct PartialExperiment {
  Experiment experiment;
  sim::Shard shard;
  ReplicationTable table;
};

/// Reads a partial document; throws ResultsDocumentError (reports/html_report.hpp), naming
/// `file` and the JSON pointer, when it is not one that experiment_to_json() writes for a shard:
/// a complete document, a wrong type, replications other than the shard's, a seed other than
/// the replication's.
PartialExperiment parse_partial(std::string_view text, const std::string& file);

/// Partials that do not make one experiment: different experiments, or replications missing or
/// held twice. what() names the files.
class MergeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A whole experiment's results.
struct ExperimentResults {
  Experiment experiment;
  ReplicationTable table;
};

struct PartialFile {
  std::string file;  // for messages
  std::string text;
};

/// Reads the partials and combines them, in replication order, into the experiment and table a
/// single machine would have produced: write them with experiment_to_json(experiment, table).
/// Throws ResultsDocumentError for a file that is not a partial, MergeError when they do not
/// belong together or do not hold every replication exactly once.
ExperimentResults merge_partials(const std::vector<PartialFile>& parts);

}  // namespace reports
