#pragma once
// YAML scenario files (.yaml, .yml): read into the same JSON value a .json file gives, so that
// every reader, check and message is shared and a YAML copy of a scenario runs byte-identically.
// Private to models/config.
//
// Scalars follow YAML 1.2's core schema, as Kubernetes and most tools read it: a plain (unquoted)
// null, ~ or empty value is null, true/false is a boolean, a number in JSON's syntax is that number
// (parsed exactly as the JSON reader parses it), anything else a string; a quoted or block scalar
// is always a string. Every value's line and column is kept by its JSON pointer, so a problem
// found later (a wrong type, an unknown key, a bad cross-reference) still says where it is.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/config/json_reader.hpp"

namespace models::config {

/// Line and column (1-based) of each value of a YAML document, by JSON pointer ("" the root).
class SourcePositions {
 public:
  struct Position {
    std::size_t line = 0, column = 0;
  };
  void add(std::string pointer, Position at) { positions_.emplace(std::move(pointer), at); }
  /// " (line 3, column 13)" for the value at `pointer`, or the nearest enclosing one that has a
  /// position; "" when none has.
  std::string describe(std::string_view pointer) const;
  /// Each issue's message followed by describe(its pointer).
  std::vector<ScenarioIssue> locate(std::vector<ScenarioIssue> issues) const;

 private:
  std::unordered_map<std::string, Position> positions_;
};

namespace detail {

/// Whether `file` names a YAML file by its extension (.yaml or .yml, any case).
bool is_yaml_file(std::string_view file);

struct YamlDocument {
  Json value;
  std::shared_ptr<SourcePositions> positions;
};

/// Every document of a YAML stream (a "---" starts the next). Throws ScenarioError for a syntax
/// error (with its line and column), a key repeated within a mapping, a non-scalar key, or aliases
/// that expand beyond any hand-written file's size.
std::vector<YamlDocument> parse_yaml_documents(std::string_view text, const std::string& file);

/// The one document of a YAML scenario file: an empty stream or a second document is an error.
YamlDocument parse_yaml_scenario(std::string_view text, const std::string& file);

}  // namespace detail
}  // namespace models::config
