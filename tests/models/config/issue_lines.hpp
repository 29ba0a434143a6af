#pragma once
// A scenario error as "pointer: message" lines, for comparing with expected problems.

#include <string>
#include <vector>

#include "models/config/scenario_error.hpp"

namespace test_support {

inline std::vector<std::string> issue_lines(const models::config::ScenarioError& error) {
  std::vector<std::string> lines;
  for (const auto& issue : error.issues()) lines.push_back(issue.pointer + ": " + issue.message);
  return lines;
}

}  // namespace test_support
