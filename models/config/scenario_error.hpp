#pragma once
// Everything wrong with a scenario file, reported at once. Each issue names the JSON pointer of the
// offending value and says what was expected and what was found; what() renders them as
//   FILE: /services/2/concurrency: expected an integer >= 1, found 0
// one line per issue, in document order of discovery.

#include <stdexcept>
#include <string>
#include <vector>

namespace models::config {

struct ScenarioIssue {
  std::string pointer;  // RFC 6901 JSON pointer, "" for the whole document
  std::string message;  // "expected ..., found ..." (plus "did you mean ...?" where it helps)
};

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, std::vector<ScenarioIssue> issues);
  const std::string& file() const { return file_; }
  const std::vector<ScenarioIssue>& issues() const { return issues_; }

 private:
  static std::string render(const std::string& file, const std::vector<ScenarioIssue>& issues);
  std::string file_;
  std::vector<ScenarioIssue> issues_;
};

}  // namespace models::config
