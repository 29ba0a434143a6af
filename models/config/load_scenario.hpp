#pragma once
// Scenario files in, validated plain data out. The only entry points that touch JSON.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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
///
/// A file with `strategies` has each of them checked here too, once the base scenario passes
/// validate()'s checks (until then validate() reports the base's problems alone): the scenario
/// (without `strategies`) with the strategy's JSON Merge Patch applied must itself be a valid
/// scenario, and its problems are reported at "/strategies/<name>" followed by the pointer inside
/// the patched document (inside the patch whenever the patch set the offending value).
ScenarioConfig parse_scenario(std::string_view text, const std::string& file);

/// Reads and parses a file; an unreadable file is a ScenarioError too.
ScenarioConfig load_scenario(const std::filesystem::path& file);

/// The name of the scenario itself among its strategies.
inline constexpr std::string_view kBaseStrategy = "base";

/// The scenario or one of its strategies (its merge patch applied), not yet validated.
struct NamedScenario {
  std::string name;     // "base", or the strategy's key in `strategies`
  std::string pointer;  // "" for the base, "/strategies/<name>" for a strategy: where its problems are
  ScenarioConfig config;
};

/// The base scenario ("base") followed by every strategy in file order, each checked as
/// parse_scenario() checks them; a base that fails validate()'s checks is reported here. Strategy names are letters, digits, '.', '_' and '-', never
/// "base", and a strategy cannot change `run` (strategies share the duration, step and seed, so
/// that replication i of each draws the same arrivals and fault times).
std::vector<NamedScenario> parse_strategies(std::string_view text, const std::string& file);
std::vector<NamedScenario> load_strategies(const std::filesystem::path& file);

/// validate() for the base or a strategy: a strategy's problems are reported under its pointer.
ValidatedScenario validate(NamedScenario scenario);

/// `expected one of "base", "deep", found "dep"; did you mean "deep"?`: for a strategy name that
/// `scenarios` does not hold.
std::string unknown_strategy(const std::vector<NamedScenario>& scenarios, std::string_view found);

/// Cross-field and cross-reference checks (unknown names, duplicates, cycles in the call graph,
/// a disconnected backbone, ...). Throws ScenarioError listing every problem.
ValidatedScenario validate(ScenarioConfig config);

/// load_scenario + validate.
ValidatedScenario load_and_validate(const std::filesystem::path& file);

/// Parses a rate such as "2000/s", "120/m", "1.5/ms", "7200/h" into requests per second.
std::optional<double> parse_rate(std::string_view text);

}  // namespace models::config
