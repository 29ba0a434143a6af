#pragma once
// --gate: the verdict a pipeline acts on. `run --gate` fails when the run missed its SLO;
// `compare --gate STRATEGY` fails when that strategy is significantly worse than the baseline on
// availability or error budget. A failed gate exits with kGateFailed, after everything was written.

#include <string>

#include "models/results/run_result.hpp"
#include "reports/replications_json.hpp"

namespace cli {

inline constexpr int kGateFailed = 3;

struct GateVerdict {
  bool passed = true;
  std::string message;  // one line: "gate: ..."
};

/// One run: the share of requests that met the SLO (succeeded within its latency) against its
/// availability target; missed by how many points and how much error budget that burned.
GateVerdict slo_gate(const models::results::RunResult& result);

/// Replications (run --seeds N): the mean error budget burned over the seeds; missed when it is
/// above one budget (the mean share of requests that met the SLO is below the target).
GateVerdict slo_gate(const reports::ReplicationTable& table, double availability_target);

/// compare --gate: strategy `gated` against the experiment's baseline, paired over the seeds, on
/// "availability" and "error_budget_burned".
GateVerdict strategy_gate(const reports::Experiment& experiment, const reports::ReplicationTable& table,
                          const std::string& gated);

}  // namespace cli
