#pragma once
// The HTML failure-modes report (fmea.html), rendered from fmea.json (what `faultline fmea`
// writes): the ranked table of failures (and pairs), a bar chart of the worst by error budget
// burned, and a heat map of failure versus client group (the share of the group's requests in the
// failure's window that were bad). Self-contained and safe like the run report
// (reports/html_report.hpp), whose page frame, Content-Security-Policy and escaping it shares.

#include <string>
#include <string_view>

#include "reports/html_report.hpp"

namespace reports {

/// Rows of the bar chart and of the heat map: the worst failures first.
inline constexpr std::size_t kFmeaBars = 20;
inline constexpr std::size_t kFmeaHeatRows = 25;

/// The report for the fmea document `fmea_json`; `file` names it in error messages
/// (ResultsDocumentError with the JSON pointer of what is wrong).
std::string render_fmea_report(std::string_view fmea_json, const std::string& file, const ReportInputs& inputs);

}  // namespace reports
