#pragma once
// The HTML replications report: one scenario over many seeds, rendered from replications.json
// (what `faultline run --seeds N` writes). The SLO availability's mean with its 95% interval against
// the target and how many replications met it, bars of the headline metrics per replication from
// zero, and every metric's mean, interval and range. Self-contained and safe like the run report,
// whose page frame it shares (reports/compare_report.hpp, html::page).

#include <string>
#include <string_view>

#include "reports/html_report.hpp"

namespace reports {

/// Whether a document's text looks like replications.json (has "faultline_replications").
bool is_replications_document(std::string_view text);

/// The report for the replications document `text`; `file` names it in error messages
/// (ResultsDocumentError with the JSON pointer of what is wrong).
std::string render_replications_report(std::string_view text, const std::string& file, const ReportInputs& inputs);

}  // namespace reports
