// parse_scenario(): scenario JSON to ScenarioConfig. Here the JSON text, the file, its strategies
// and the public entry points; read_sections.cpp reads the sections of the format that
// scenarios/README.md documents, one reader per section. Each reader names every key its object
// may have; keys nobody reads are reported as unknown.

#include "models/config/load_scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>

#include "models/config/json_reader.hpp"
#include "models/config/merge_patch.hpp"
#include "models/config/read_sections.hpp"
#include "models/config/scenario_checks.hpp"
#include "models/config/yaml_document.hpp"

namespace models::config {
namespace {

using detail::IssueLog;
using detail::Json;
using detail::ObjectReader;
using detail::read_document;
using detail::read_scenario;

// ---- JSON text ----

/// Where a byte offset falls, as 1-based line and column (in characters, not bytes).
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  std::size_t column = 1;
  for (std::size_t i = line_start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;  // skip UTF-8 continuation bytes
  }
  return {line, column};
}

/// nlohmann's explanation without its prefix and without the "last read" excerpt, which the line
/// and column replace: "unexpected '}'; expected end of input".
std::string syntax_error_reason(const std::string& what) {
  std::string reason = what;
  if (const std::size_t dash = reason.find(" - "); dash != std::string::npos) {
    reason.erase(0, dash + 3);
  } else if (const std::size_t colon = reason.find(": "); colon != std::string::npos) {
    reason.erase(0, colon + 2);
  }
  if (const std::size_t last_read = reason.find("; last read: '"); last_read != std::string::npos) {
    const std::size_t expected = reason.rfind("'; expected ");
    if (expected != std::string::npos && expected > last_read) {
      reason.erase(last_read, expected + 1 - last_read);
    } else {
      reason.erase(last_read);
    }
  }
  return reason;
}

/// Parses JSON with comments, reporting keys repeated within one object (nlohmann would silently
/// keep the last value).
Json parse_json(std::string_view text, IssueLog& log) {
  // Each open container keeps only its own step of the pointer, not the whole pointer: a deeply
  // nested file must not cost memory quadratic in its depth.
  struct OpenContainer {
    bool is_array = false;
    std::string step;            // key or index of this container within its parent
    std::size_t next_index = 0;  // arrays: index of the next element
    std::string current_key;     // objects: key of the member being parsed
    std::set<std::string> keys;  // objects: keys seen so far
  };
  std::vector<OpenContainer> open;
  // The step of the value about to be parsed; advances the index of an enclosing array.
  auto next_value_step = [&open]() -> std::string {
    if (open.empty()) return "";
    OpenContainer& container = open.back();
    return container.is_array ? std::to_string(container.next_index++) : container.current_key;
  };
  auto on_event = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start: {
        OpenContainer container;
        container.is_array = event == Json::parse_event_t::array_start;
        container.step = next_value_step();
        open.push_back(std::move(container));
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        open.pop_back();
        break;
      case Json::parse_event_t::key: {
        OpenContainer& object = open.back();
        object.current_key = parsed.get<std::string>();
        if (!object.keys.insert(object.current_key).second) {
          std::string pointer;
          for (std::size_t i = 1; i < open.size(); ++i) pointer = detail::child_pointer(pointer, open[i].step);
          log.report(
              detail::child_pointer(pointer, object.current_key),
              "expected each key at most once per object, found " + detail::quote(object.current_key) + " again");
        }
        break;
      }
      case Json::parse_event_t::value:
        next_value_step();
        break;
    }
    return true;
  };
  return Json::parse(text.begin(), text.end(), on_event, /*allow_exceptions=*/true, /*ignore_comments=*/true);
}

// ---- The whole file ----

struct ScenarioFile {
  ScenarioConfig base;
  std::vector<NamedScenario> strategies;  // the base first, then each strategy in file order
};

/// `with_strategies`: the caller needs the strategies, so a base that fails the cross-reference
/// checks is reported here; otherwise such a base is returned alone, for validate() to report.
/// The file's text as a JSON value: JSON with comments, or YAML by the file's extension (whose
/// positions are then set, for messages).
Json parse_document(std::string_view text, const std::string& file, IssueLog& log,
                    std::shared_ptr<const SourcePositions>& positions) {
  if (detail::is_yaml_file(file)) {
    detail::YamlDocument yaml = detail::parse_yaml_scenario(text, file);
    positions = std::move(yaml.positions);
    return std::move(yaml.value);
  }
  try {
    return parse_json(text, log);
  } catch (const Json::parse_error& error) {
    const auto [line, column] = line_and_column(text, error.byte == 0 ? 0 : error.byte - 1);
    throw ScenarioError(
        file, {{"", "expected valid JSON, found a syntax error at line " + std::to_string(line) + ", column " +
                        std::to_string(column) + ": " + syntax_error_reason(error.what())}});
  } catch (const Json::out_of_range& error) {
    // Fuzz finding (tests/data/fuzz_regressions/scenario/number-out-of-range.json): a number
    // beyond a double's range ("1e400") is not a parse_error to nlohmann but out_of_range 406
    // ("number overflow parsing '1e400'"), which escaped as an internal error. It names the
    // number, not where it is: its first occurrence in the text is.
    const std::string what = error.what();
    const std::size_t open = what.find('\'');
    const std::string number = open == std::string::npos ? std::string() : what.substr(open + 1, what.size() - open - 2);
    const std::size_t at = number.empty() ? std::string_view::npos : text.find(number);
    const auto [line, column] = line_and_column(text, at == std::string_view::npos ? 0 : at);
    throw ScenarioError(file, {{"", "expected valid JSON, found a number out of range at line " + std::to_string(line) +
                                        ", column " + std::to_string(column) + ": " + number}});
  }
}

ScenarioFile read_scenario_document(const Json& document, const std::string& file, IssueLog& log,
                                    const std::shared_ptr<const SourcePositions>& positions, bool with_strategies);

/// `with_strategies`: the caller needs the strategies, so a base that fails the cross-reference
/// checks is reported here; otherwise such a base is returned alone, for validate() to report.
ScenarioFile parse_scenario_file(std::string_view text, const std::string& file, bool with_strategies) {
  IssueLog log;
  std::shared_ptr<const SourcePositions> positions;
  const Json document = parse_document(text, file, log, positions);
  if (!positions) return read_scenario_document(document, file, log, positions, with_strategies);
  try {
    return read_scenario_document(document, file, log, positions, with_strategies);
  } catch (const ScenarioError& error) {
    throw ScenarioError(error.file(), positions->locate(error.issues()));
  }
}

ScenarioFile read_scenario_document(const Json& document, const std::string& file, IssueLog& log,
                                    const std::shared_ptr<const SourcePositions>& positions, bool with_strategies) {
  ScenarioFile out;
  out.base.file = file;
  out.base.positions = positions;
  const bool is_object =
      detail::read_object_value(document, "", log, [&](ObjectReader& reader) { read_scenario(reader, out.base); });
  if (!log.empty()) {
    // Report the cross-reference problems too, so that one run lists everything, but leave out
    // checks that involve values which could not be read.
    log.sort_in_document_order(document);
    std::vector<ScenarioIssue> issues = log.take_issues();
    if (is_object) {
      std::vector<ScenarioIssue> cross_checks = detail::check_scenario(out.base, detail::FailedValues(issues));
      issues.insert(issues.end(), std::make_move_iterator(cross_checks.begin()),
                    std::make_move_iterator(cross_checks.end()));
    }
    throw ScenarioError(file, std::move(issues));
  }
  out.strategies.push_back(NamedScenario{std::string(kBaseStrategy), "", out.base});
  const auto strategies = document.find("strategies");
  if (strategies == document.end() || strategies->empty()) return out;  // validate() cross-checks the base

  // A strategy's problems are its own only over a valid base: otherwise every strategy would
  // repeat the base's, so those are reported alone.
  if (std::vector<ScenarioIssue> base_issues = detail::check_scenario(out.base, detail::FailedValues{});
      !base_issues.empty()) {
    if (with_strategies) throw ScenarioError(file, std::move(base_issues));
    return out;
  }
  Json base_document = document;
  base_document.erase("strategies");
  std::vector<ScenarioIssue> issues;
  for (auto strategy = strategies->begin(); strategy != strategies->end(); ++strategy) {
    Json patched = base_document;
    detail::apply_merge_patch(patched, *strategy);
    NamedScenario named{strategy.key(), detail::child_pointer("/strategies", strategy.key()), ScenarioConfig{}};
    named.config.file = file;
    named.config.positions = positions;
    std::vector<ScenarioIssue> found;
    try {
      found = read_document(patched, named.config);
    } catch (const ScenarioError& error) {  // a format version other than 1
      found = error.issues();
    }
    for (ScenarioIssue& issue : found) issues.push_back({named.pointer + issue.pointer, std::move(issue.message)});
    out.strategies.push_back(std::move(named));
  }
  if (!issues.empty()) throw ScenarioError(file, std::move(issues));
  return out;
}

std::string read_scenario_text(const std::filesystem::path& file) {
  const std::string label = file.string();
  auto unreadable = [&label]() {
    const int error = errno;
    return ScenarioError(label, {{"", std::string("expected a readable file, found ") +
                                          (error != 0 ? std::strerror(error) : "an unreadable file")}});
  };
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(label.c_str(), "rb"), &std::fclose);
  if (!stream) throw unreadable();
  std::string text;
  char buffer[1 << 16];
  // Bounded, so that a huge file or an endless one (/dev/zero, a pipe) is an error, not a hang.
  while (const std::size_t read = std::fread(buffer, 1, sizeof buffer, stream.get())) {
    text.append(buffer, read);
    if (text.size() > detail::kMaxScenarioFileBytes) {
      std::error_code ec;
      const std::uintmax_t size = std::filesystem::file_size(file, ec);
      const std::string found = !ec && std::filesystem::is_regular_file(file, ec)
                                    ? "a file of " + std::to_string(size >> 20) + " MiB (" + std::to_string(size) + " bytes)"
                                    : "more than that (the input does not end)";
      throw ScenarioError(label, {{"", "expected a scenario file of at most " +
                                           std::to_string(detail::kMaxScenarioFileBytes >> 20) + " MiB, found " + found}});
    }
  }
  if (std::ferror(stream.get())) throw unreadable();  // e.g. a directory: EISDIR
  return text;
}

}  // namespace

ScenarioConfig parse_scenario(std::string_view text, const std::string& file) {
  return parse_scenario_file(text, file, false).base;
}

ScenarioConfig load_scenario(const std::filesystem::path& file) {
  return parse_scenario(read_scenario_text(file), file.string());
}

std::vector<NamedScenario> parse_strategies(std::string_view text, const std::string& file) {
  return parse_scenario_file(text, file, true).strategies;
}

std::vector<NamedScenario> load_strategies(const std::filesystem::path& file) {
  return parse_strategies(read_scenario_text(file), file.string());
}

ValidatedScenario validate(NamedScenario scenario) {
  if (scenario.pointer.empty()) return validate(std::move(scenario.config));
  // A strategy's pointers are inside its patched document: located once prefixed.
  const std::shared_ptr<const SourcePositions> positions = std::move(scenario.config.positions);
  try {
    return validate(std::move(scenario.config));
  } catch (const ScenarioError& error) {
    std::vector<ScenarioIssue> issues;
    for (const ScenarioIssue& issue : error.issues()) issues.push_back({scenario.pointer + issue.pointer, issue.message});
    throw ScenarioError(error.file(), positions ? positions->locate(std::move(issues)) : std::move(issues));
  }
}

std::string unknown_strategy(const std::vector<NamedScenario>& scenarios, std::string_view found) {
  std::vector<std::string> names;
  for (const NamedScenario& s : scenarios) names.push_back(s.name);
  std::string message = "expected one of " + detail::quoted_list(names) + ", found " + detail::quote(found);
  return message + detail::did_you_mean(found, names);
}

ValidatedScenario load_and_validate(const std::filesystem::path& file) { return validate(load_scenario(file)); }

std::optional<double> parse_rate(std::string_view text) {
  // <digits>[.<digits>]/<unit>: no sign, exponent or spaces.
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view number = text.substr(0, slash);
  const std::string_view unit = text.substr(slash + 1);
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const std::size_t integer_digits =
      static_cast<std::size_t>(std::find_if_not(number.begin(), number.end(), is_digit) - number.begin());
  if (integer_digits == 0) return std::nullopt;
  if (integer_digits < number.size()) {
    const std::string_view fraction = number.substr(integer_digits);
    if (fraction.size() < 2 || fraction.front() != '.' ||
        !std::all_of(fraction.begin() + 1, fraction.end(), is_digit)) {
      return std::nullopt;
    }
  }
  double count = 0.0;
  const auto [end, error] =
      std::from_chars(number.data(), number.data() + number.size(), count, std::chars_format::fixed);
  if (error != std::errc() || end != number.data() + number.size() || !std::isfinite(count)) return std::nullopt;

  double seconds_per_unit = 0.0;
  if (unit == "ms") {
    seconds_per_unit = 1e-3;
  } else if (unit == "s") {
    seconds_per_unit = 1.0;
  } else if (unit == "m") {
    seconds_per_unit = 60.0;
  } else if (unit == "h") {
    seconds_per_unit = 3600.0;
  } else {
    return std::nullopt;
  }
  const double per_second = count / seconds_per_unit;
  if (!std::isfinite(per_second)) return std::nullopt;
  return per_second;
}

}  // namespace models::config
