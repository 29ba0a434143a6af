#pragma once
// fmea.json (`faultline fmea`): every single failure of a fleet, run alone on the scenario's
// baseline traffic and ranked worst first by the error budget it burned, with its per-fault
// metrics over the seeds. Byte for byte reproducible: no wall clock, no host names, no paths.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/statistics.hpp"

namespace reports {

struct FmeaMetric {
  std::string name;  // as in scalar_metrics(), e.g. "error_budget_burned", "time_to_recover_s"
  std::string unit;
  sim::stats::Summary summary;  // over the seeds
};

struct FmeaFailure {
  std::string kind;
  std::string target;                   // empty for a DNS outage
  std::vector<std::string> represents;  // the structurally identical targets it stands for
  std::string service;                  // gray failures: the service whose pods fail; else empty
  std::optional<double> error_rate;     // gray failures: the share of its requests they fail
  std::vector<FmeaMetric> impact;       // the failure's own metrics (fault/<id>/...)
  std::vector<FmeaMetric> run;          // the whole run's availability and error budget
};

struct FmeaDocument {
  std::string faultline_version;
  std::string scenario;         // its name
  std::string scenario_sha256;  // of the scenario file's bytes
  std::uint64_t seed = 0;       // replication i runs sim::replication_seed(seed, i)
  std::uint64_t seeds = 1;
  double duration_s = 0;
  double at_s = 0, for_s = 0;       // every failure's start and length
  std::vector<FmeaMetric> baseline;  // the run with no failure: availability and error budget
  std::vector<FmeaFailure> failures;  // ranked: worst first
};

/// Worst first: the highest mean error budget burned by the failure, an undefined one last; ties
/// keep their order (the order failure modes are enumerated in).
void rank_failures(std::vector<FmeaFailure>& failures);

/// The document, pretty-printed, ending with a newline ("faultline_fmea": 1).
std::string fmea_to_json(const FmeaDocument& document);

/// The mean of the named metric in `metrics`, if it is there and defined.
std::optional<double> mean_of(const std::vector<FmeaMetric>& metrics, const std::string& name);

}  // namespace reports
