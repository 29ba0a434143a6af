#pragma once
// The HTML run report: one self-contained file rendered from a results document (results.json),
// so `faultline run --report` and `faultline report results.json` share one path and a report can
// be made again from a saved run. Everything is inline (Apache ECharts, the page script, the data);
// a Content-Security-Policy with the inline scripts' SHA-256 hashes forbids every request, and the
// same document always gives the same bytes.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reports {

/// What the report says about where it came from, beyond what results.json records.
struct ReportInputs {
  std::string faultline_version;  // of the program writing the report
  bool ran_the_simulation = false;  // true when that program also ran it (`run --report`)
  std::string scenario_path;      // as given on the command line; "" when not known
  std::string scenario_sha256;    // lower-case hex of the scenario file's bytes; "" when not known
  /// The scenario's key settings as (what, values) text, when the scenario is known: results.json
  /// does not record them (sim/cli/key_settings.hpp). Empty: the report lists names only.
  std::vector<std::pair<std::string, std::string>> settings = {};
};

/// A results document that cannot be read or is not one faultline wrote. what() reads
///   FILE: /series/t_s/3: expected a number, found "x"
/// like a scenario error.
class ResultsDocumentError : public std::runtime_error {
 public:
  ResultsDocumentError(const std::string& file, const std::string& pointer, const std::string& message);
};

/// The report for the results document `results_json`; `file` names it in error messages.
std::string render_html_report(std::string_view results_json, const std::string& file, const ReportInputs& inputs);

/// Reads a file's bytes; throws ResultsDocumentError ("expected a readable file") when it cannot.
/// Documents beyond any faultline writes (a day at a 5 s step is 28 MB, at 1 s about 140 MB):
/// refused rather than read into memory.
inline constexpr std::size_t kMaxDocumentBytes = std::size_t{1} << 30;
std::string read_file_bytes(const std::filesystem::path& file);

}  // namespace reports
