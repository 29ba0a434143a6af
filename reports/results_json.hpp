#pragma once
// results.json: the machine-readable record of one run. Key order is fixed and numbers are
// formatted the same way on every machine, so two runs compare byte for byte.

#include "reports/atomic_file.hpp"
#include "models/results/run_result.hpp"

namespace reports {

/// The results document, pretty-printed, ending with a newline, streamed to `sink` in pieces of
/// about 64 KB as it is written (columns step by step from the run's series), so that a long run's
/// document (28 MB for a day at a 5 s step) is never in memory whole.
void write_results_json(const models::results::RunResult& result, const Sink& sink);

}  // namespace reports
