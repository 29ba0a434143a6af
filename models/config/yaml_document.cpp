#include "models/config/yaml_document.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <unordered_set>

namespace models::config {

std::string SourcePositions::describe(std::string_view pointer) const {
  std::string at(pointer);
  while (true) {
    if (const auto found = positions_.find(at); found != positions_.end()) {
      return " (line " + std::to_string(found->second.line) + ", column " + std::to_string(found->second.column) + ")";
    }
    if (at.empty()) return "";
    at.erase(at.rfind('/'));
  }
}

std::vector<ScenarioIssue> SourcePositions::locate(std::vector<ScenarioIssue> issues) const {
  for (ScenarioIssue& issue : issues) issue.message += describe(issue.pointer);
  return issues;
}

namespace detail {
namespace {

// Aliases can make a small file expand enormously ("billion laughs"); no scenario or manifest a
// person writes comes near this many values.
constexpr std::size_t kMaxYamlValues = 1'000'000;

SourcePositions::Position position_of(const YAML::Mark& mark) {
  return {static_cast<std::size_t>(std::max(mark.line, 0)) + 1, static_cast<std::size_t>(std::max(mark.column, 0)) + 1};
}

bool is_plain(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  return tag == "?" || (tag.rfind("tag:yaml.org,2002:", 0) == 0 && tag != "tag:yaml.org,2002:str");
}

Json scalar_value(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (!is_plain(node)) return text;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  // JSON's number syntax, parsed by the JSON parser: 100 is the same unsigned integer and 0.5 the
  // same double a .json file gives.
  static const std::regex json_number(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
  if (std::regex_match(text, json_number)) {
    try {
      return Json::parse(text);
    } catch (const Json::exception&) {
      return text;  // beyond a double's range: the readers say what they expected
    }
  }
  return text;
}

class Converter {
 public:
  Converter(const std::string& file, SourcePositions& positions) : file_(file), positions_(positions) {}

  Json convert(const YAML::Node& node, const std::string& pointer) {
    if (++values_ > kMaxYamlValues) {
      throw ScenarioError(file_, {{"", "expected at most " + std::to_string(kMaxYamlValues) +
                                           " values, found aliases that expand to more"}});
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return scalar_value(node);
      case YAML::NodeType::Sequence: {
        Json array = Json::array();
        std::size_t index = 0;
        for (const YAML::Node& element : node) {
          const std::string at = child_pointer(pointer, index++);
          positions_.add(at, position_of(element.Mark()));
          array.push_back(convert(element, at));
        }
        return array;
      }
      case YAML::NodeType::Map: {
        Json object = Json::object();
        std::unordered_set<std::string> seen;
        // Members copied out of the iterator: its operator-> hands out a temporary.
        for (const auto& member : node) {
          const YAML::Node key = member.first;
          const YAML::Node value = member.second;
          const SourcePositions::Position key_at = position_of(key.Mark());
          if (!key.IsScalar()) {
            issues_.push_back({pointer, "expected keys that are strings, found a " +
                                            std::string(key.IsMap() ? "mapping" : key.IsSequence() ? "sequence" : "null") +
                                            " as a key (line " + std::to_string(key_at.line) + ", column " +
                                            std::to_string(key_at.column) + ")"});
            continue;
          }
          const std::string name = key.Scalar();
          const std::string at = child_pointer(pointer, name);
          if (!seen.insert(name).second) {
            issues_.push_back({at, "expected each key at most once per mapping, found " + quote(name) + " again (line " +
                                       std::to_string(key_at.line) + ", column " + std::to_string(key_at.column) + ")"});
            continue;
          }
          positions_.add(at, key_at);
          object[name] = convert(value, at);
        }
        return object;
      }
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    return nullptr;
  }

  std::vector<ScenarioIssue> take_issues() { return std::move(issues_); }

 private:
  const std::string& file_;
  SourcePositions& positions_;
  std::size_t values_ = 0;
  std::vector<ScenarioIssue> issues_;
};

}  // namespace

bool is_yaml_file(std::string_view file) {
  const std::size_t dot = file.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string extension(file.substr(dot + 1));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == "yaml" || extension == "yml";
}

std::vector<YamlDocument> parse_yaml_documents(std::string_view text, const std::string& file) {
  std::vector<YAML::Node> nodes;
  try {
    nodes = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& error) {
    const SourcePositions::Position at = position_of(error.mark);
    throw ScenarioError(file, {{"", "expected valid YAML, found a syntax error at line " + std::to_string(at.line) +
                                        ", column " + std::to_string(at.column) + ": " + error.msg}});
  }
  std::vector<YamlDocument> documents;
  std::vector<ScenarioIssue> issues;
  for (const YAML::Node& node : nodes) {
    YamlDocument document{Json(), std::make_shared<SourcePositions>()};
    document.positions->add("", position_of(node.Mark()));
    Converter converter(file, *document.positions);
    document.value = converter.convert(node, "");
    for (ScenarioIssue& issue : converter.take_issues()) issues.push_back(std::move(issue));
    documents.push_back(std::move(document));
  }
  if (!issues.empty()) throw ScenarioError(file, std::move(issues));
  return documents;
}

YamlDocument parse_yaml_scenario(std::string_view text, const std::string& file) {
  std::vector<YamlDocument> documents = parse_yaml_documents(text, file);
  if (documents.size() != 1) {
    throw ScenarioError(file, {{"", documents.empty() ? std::string("expected a YAML document holding a scenario, found an empty file")
                                                      : "expected one YAML document, found " + std::to_string(documents.size()) +
                                                            " (a scenario file holds one; \"---\" starts another)"}});
  }
  return std::move(documents.front());
}

}  // namespace detail
}  // namespace models::config
