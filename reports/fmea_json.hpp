#pragma once
// fmea.json (`faultline fmea`): every single failure of a fleet (and, with --depth 2, every pair of
// failures whose single effects overlap), run alone on the scenario's baseline traffic and ranked
// worst first by the error budget it burned, with its per-fault metrics over the seeds; and the
// partial files of shards (--shard K/N), which merge_fmea_partials() combines into exactly the
// fmea.json one machine would have written.
//
// Byte for byte reproducible: the document is a function of the plan (what was run) and of every
// run's metrics, stored by run index (case r / seeds, replication r % seeds) and summarised in
// index order whenever a document is written; threads, shards and machines leave no trace. No
// wall clock, no host names, no paths.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/results/run_result.hpp"
#include "reports/replications_json.hpp"
#include "reports/scalar_metrics.hpp"
#include "sim/replications.hpp"
#include "sim/statistics.hpp"

namespace reports {

struct FmeaMetric {
  std::string name;  // as in scalar_metrics(), e.g. "error_budget_burned", "time_to_recover_s"
  std::string unit;
  sim::stats::Summary summary;  // over the seeds
};

/// One failure a case injects.
struct FmeaFault {
  std::string kind;
  std::string target;                   // empty for a DNS outage
  std::vector<std::string> represents;  // the structurally identical targets it stands for
  std::string service;                  // gray failures: the service whose pods fail; else empty
  std::optional<double> error_rate;     // gray failures: the share of its requests they fail
  bool operator==(const FmeaFault&) const = default;
};

/// One case of the analysis: no failure (the baseline), one failure, or a pair of them.
struct FmeaCase {
  std::vector<FmeaFault> faults;    // 0: the baseline, 1: a single failure, 2: a pair
  // A pair: the cases of its two failures run alone. Twice the same case for two targets of one
  // class: the second target stands for itself alone as the first (its representative) does.
  std::vector<std::size_t> singles;
  bool operator==(const FmeaCase&) const = default;
};

/// What an analysis runs: everything the shards of one analysis must agree on. Run r is case
/// r / seeds in replication r % seeds (seed sim::replication_seed(seed, r % seeds)).
struct FmeaPlan {
  std::string faultline_version;
  std::string scenario;         // its name
  std::string scenario_sha256;  // of the scenario file's bytes
  std::uint64_t seed = 0;
  std::uint64_t seeds = 1;
  double duration_s = 0;
  double at_s = 0, for_s = 0;  // every failure's start and length
  std::uint64_t depth = 1;     // 2: pairs too
  std::uint64_t pairs_overlapping = 0;  // depth 2: pairs of single failures whose effects overlap...
  std::uint64_t pairs_contained = 0;    // ...of which these were not run: one failure holds the other's components
  std::uint64_t pairs_same_class = 0;   // depth 2: a class's first two targets together (its redundancy)
  std::vector<FmeaCase> cases;  // the baseline, the single failures, then the pairs
  std::uint64_t runs() const { return cases.size() * seeds; }
  bool operator==(const FmeaPlan&) const = default;
};

/// One run's metrics as fmea keeps them (fmea_run_metrics()).
using FmeaRunMetrics = std::vector<ScalarMetric>;

/// The metrics fmea keeps of a run whose failure is `faults` (indices into result.faults: one, or a
/// pair's two), with `impact` their metrics (the fault's own, or the pair's measured as one
/// failure): the run's availability and error budget burned, the failure's metrics
/// ("impact/<name>", as scalar_metrics() names a fault's), and the bad requests its faults caused
/// (by cause, RunResult::causes) per client group with their share of the group's requests in the
/// failure's window (FaultImpact::window_start to window_end) ("clients_bad/<group>",
/// "clients_bad_share/<group>") and per entry service ("services_bad/<service>"). With no fault
/// (the baseline), the first two.
FmeaRunMetrics fmea_run_metrics(const models::results::RunResult& result, const std::vector<std::uint32_t>& faults,
                                const models::results::FaultImpact& impact);

/// A row of the ranking: a single failure or a pair.
struct FmeaFailure {
  std::string kind;                     // "pair" for a pair
  std::string target;                   // a pair: "kind target + kind target"
  std::vector<std::string> represents;  // a pair: itself
  std::vector<FmeaFault> faults;        // one, or the pair's two
  std::string service;                  // a single gray failure: the service whose pods fail; else empty
  std::optional<double> error_rate;     // a single gray failure: the share of its requests they fail
  std::vector<FmeaMetric> impact;       // the failure's own metrics (fault/<id>/...)
  std::vector<FmeaMetric> run;          // the whole run's availability and error budget
  // Means over the seeds (NaN: undefined), in scenario order: per client group its bad requests in
  // the failure's window and their share of its requests; per entry service its bad requests.
  std::vector<std::pair<std::string, double>> clients_bad, clients_bad_share, services_bad;
  // A pair: its error budget burned minus its two failures' alone, replication by replication.
  std::optional<sim::stats::Summary> interaction;
  std::vector<double> singles_budget;  // a pair: the mean error budget burned of each failure alone
};

struct FmeaDocument {
  std::string faultline_version;
  std::string scenario;         // its name
  std::string scenario_sha256;  // of the scenario file's bytes
  std::uint64_t seed = 0;       // replication i runs sim::replication_seed(seed, i)
  std::uint64_t seeds = 1;
  double duration_s = 0;
  double at_s = 0, for_s = 0;       // every failure's start and length
  std::uint64_t depth = 1;
  std::uint64_t singles = 0;        // single failure modes run
  std::uint64_t pairs_overlapping = 0, pairs_contained = 0, pairs_same_class = 0, pairs_run = 0;  // depth 2
  std::vector<FmeaMetric> baseline;  // the run with no failure: availability and error budget
  std::vector<FmeaFailure> failures;  // ranked: worst first
};

/// The document of a plan whose every run's metrics are in `runs` (indexed as the plan says),
/// ranked. Throws std::invalid_argument when `runs` does not hold plan.runs() entries.
FmeaDocument fmea_document(const FmeaPlan& plan, const std::vector<FmeaRunMetrics>& runs);

/// Worst first: the highest mean error budget burned by the failure, an undefined one last; ties
/// keep their order (the order failure modes are enumerated in, then the pairs).
void rank_failures(std::vector<FmeaFailure>& failures);

/// The document, pretty-printed, ending with a newline ("faultline_fmea": 1).
std::string fmea_to_json(const FmeaDocument& document);

/// The mean of the named metric in `metrics`, if it is there and defined.
std::optional<double> mean_of(const std::vector<FmeaMetric>& metrics, const std::string& name);

/// The client groups and entry services that saw bad requests in the window of case `c`'s failure,
/// in any of its replications (for --depth 2: two failures overlap when they share one).
struct FmeaEffects {
  std::vector<std::string> clients, services;  // sorted
};
FmeaEffects fmea_effects(const FmeaPlan& plan, const std::vector<FmeaRunMetrics>& runs, std::size_t c);
bool effects_overlap(const FmeaEffects& a, const FmeaEffects& b);

/// "fmea.json", or for a shard "fmea.shard-2-of-4.json".
std::string fmea_file_name(std::optional<sim::Shard> shard = std::nullopt);

/// A shard's partial document: the plan and the metrics of the runs replications_of(shard,
/// plan.runs()), which `slice` holds in order.
std::string fmea_partial_to_json(const FmeaPlan& plan, sim::Shard shard, const std::vector<FmeaRunMetrics>& slice);

/// Whether a document's text looks like fmea.json or an fmea partial (has "faultline_fmea").
bool is_fmea_document(std::string_view text);

/// Reads the partials and combines them into the plan and runs one machine would have had: write
/// them with fmea_to_json(fmea_document(plan, runs)). Throws ResultsDocumentError for a file that
/// is not an fmea partial or does not agree with the first part, MergeError when the parts do
/// not hold every run exactly once.
struct FmeaMerged {
  FmeaPlan plan;
  std::vector<FmeaRunMetrics> runs;
};
FmeaMerged merge_fmea_partials(const std::vector<PartialFile>& parts);

}  // namespace reports
