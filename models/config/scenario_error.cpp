#include "models/config/scenario_error.hpp"

namespace models::config {

ScenarioError::ScenarioError(std::string file, std::vector<ScenarioIssue> issues)
    : std::runtime_error(render(file, issues)), file_(std::move(file)), issues_(std::move(issues)) {}

std::string ScenarioError::render(const std::string& file, const std::vector<ScenarioIssue>& issues) {
  std::string out;
  for (const ScenarioIssue& issue : issues) {
    if (!out.empty()) out += '\n';
    out += file;
    out += ": ";
    out += issue.pointer.empty() ? std::string("/") : issue.pointer;
    out += ": ";
    out += issue.message;
  }
  return out;
}

}  // namespace models::config
