#pragma once
// results.json: the machine-readable record of one run. Key order is fixed and numbers are
// formatted the same way on every machine, so two runs compare byte for byte.

#include <string>

#include "sim/run_result.hpp"

namespace reports {

/// The results document, pretty-printed, ending with a newline.
std::string results_to_json(const sim::RunResult& result);

}  // namespace reports
