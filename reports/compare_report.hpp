#pragma once
// The HTML comparison report: strategies side by side, rendered from compare.json (what
// `faultline compare` writes). Every metric's mean with its 95% confidence interval, the paired
// difference to the baseline and the winner where the difference is significant; charts with error
// bars for the headline metrics; a section per strategy. Self-contained and safe like the run
// report (reports/html_report.hpp), whose page frame it shares.

#include <string>
#include <string_view>

#include "reports/html_report.hpp"

namespace reports {

/// The report for the compare document `compare_json`; `file` names it in error messages
/// (ResultsDocumentError with the JSON pointer of what is wrong).
std::string render_compare_report(std::string_view compare_json, const std::string& file, const ReportInputs& inputs);

/// Whether a parsed document's text looks like compare.json (has "faultline_compare").
bool is_compare_document(std::string_view text);

namespace html {  // shared with the run report (html_report.cpp)
std::string section(const std::string& id, const std::string& title, const std::string& body);
std::string chart_div(const std::string& id, const std::string& label);
/// A whole page: head with the CSP for the embedded scripts, `body`, the data block, the scripts.
std::string page(const std::string& title, const std::string& body, const std::string& data_json);
}  // namespace html

}  // namespace reports
