#pragma once
// One Kubernetes object of a manifest file, read field by field. Every field the importer reads is
// marked as used; what is left afterwards is what the scenario cannot express, and is listed in a
// warning rather than dropped silently. Private to models/config.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/config/json_reader.hpp"
#include "models/config/yaml_document.hpp"

namespace models::config::detail {

class ManifestObject {
 public:
  /// `index` is the document's 1-based place in its file. Reads apiVersion, kind and metadata.name
  /// (all required) and metadata.namespace ("default" when absent).
  ManifestObject(std::string file, std::size_t index, YamlDocument document);

  const std::string& kind() const { return kind_; }
  const std::string& name() const { return name_; }
  const std::string& name_space() const { return namespace_; }
  /// "FILE: document N (Kind/name)": where messages about this object start.
  std::string where() const;

  /// The value at a JSON pointer, or nullptr; does not mark it as used.
  const Json* find(std::string_view pointer) const;
  /// find(), and marks the value (with everything under it) as used.
  const Json* take(std::string_view pointer);
  /// The string at `pointer`: nullopt when absent, an error when not a string.
  std::optional<std::string> text(std::string_view pointer);
  /// An integer >= minimum at `pointer`, nullopt when absent.
  std::optional<std::uint64_t> integer(std::string_view pointer, std::uint64_t minimum);
  /// A number at `pointer`, nullopt when absent.
  std::optional<double> number(std::string_view pointer);
  /// The number of elements of the array at `pointer` (0 when absent; an error when not an array).
  std::size_t array_size(std::string_view pointer);
  /// A mapping of strings to strings (labels, selectors); taken whole.
  std::vector<std::pair<std::string, std::string>> string_map(std::string_view pointer);

  /// Throws ScenarioError: "WHERE: POINTER: expected EXPECTED, found FOUND (line L, column C)".
  /// FOUND describes the value at POINTER ("none" when absent) unless `found` is given.
  [[noreturn]] void fail(std::string_view pointer, const std::string& expected,
                         std::optional<std::string> found = std::nullopt) const;
  /// "WHERE: POINTER (line L, column C): MESSAGE", for warnings.
  std::string note(std::string_view pointer, const std::string& message) const;
  /// Every value not used, the outermost one of each unused subtree, in document order, as
  /// note(pointer, "not modelled, left out").
  std::vector<std::string> leftovers() const;

 private:
  bool used(const std::string& pointer) const;
  bool used_below(const std::string& pointer) const;
  void collect_leftovers(const Json& value, const std::string& pointer, std::vector<std::string>& out) const;

  std::string file_;
  std::size_t index_;
  YamlDocument document_;
  std::string kind_, name_, namespace_;
  std::vector<std::string> used_;  // pointers taken; each covers its subtree
};

/// The objects of one manifest file (YAML, "---" between documents), empty documents skipped.
/// Throws ScenarioError for a syntax error or a document that is not a Kubernetes object.
std::vector<ManifestObject> read_manifest_objects(std::string_view text, const std::string& file);

}  // namespace models::config::detail
