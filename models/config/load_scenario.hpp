#pragma once
// Scenario files in, validated plain data out. The only entry points that touch JSON.

#include <filesystem>
#include <string_view>

#include "models/config/scenario_config.hpp"
#include "models/config/scenario_error.hpp"

namespace models::config {

/// A scenario that passed every check; only validate() makes one, so build_world never sees
/// unchecked input.
class ValidatedScenario {
 public:
  const ScenarioConfig& config() const { return config_; }

 private:
  friend ValidatedScenario validate(ScenarioConfig config);
  explicit ValidatedScenario(ScenarioConfig config) : config_(std::move(config)) {}
  ScenarioConfig config_;
};

/// Parses scenario text (JSON with // and /* */ comments). `file` is only used in messages and
/// stored in the result. Throws ScenarioError listing every problem found: syntax errors (with
/// line and column), wrong types, unparsable units, out-of-range values, unknown keys (with a
/// "did you mean" suggestion when one is close).
ScenarioConfig parse_scenario(std::string_view text, const std::string& file);

/// Reads and parses a file; an unreadable file is a ScenarioError too.
ScenarioConfig load_scenario(const std::filesystem::path& file);

/// Cross-field and cross-reference checks (unknown names, duplicates, cycles in the call graph,
/// a disconnected backbone, ...). Throws ScenarioError listing every problem.
ValidatedScenario validate(ScenarioConfig config);

/// load_scenario + validate.
ValidatedScenario load_and_validate(const std::filesystem::path& file);

/// Parses a rate such as "2000/s", "120/m", "1.5/ms", "7200/h" into requests per second.
std::optional<double> parse_rate(std::string_view text);

}  // namespace models::config
