#include "models/config/json_reader.hpp"

#include <algorithm>
#include <limits>

#include "models/config/load_scenario.hpp"
#include "sim/json_pointer.hpp"

namespace models::config::detail {
namespace {

// Values longer than this are cut in messages; a whole "regions" array helps nobody.
constexpr std::size_t kMaxDescribedLength = 60;

std::vector<std::string> split_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  std::size_t start = 1;  // skip the leading '/'
  while (start <= pointer.size() && !pointer.empty()) {
    std::size_t end = pointer.find('/', start);
    if (end == std::string_view::npos) end = pointer.size();
    std::string token;
    for (std::size_t i = start; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end) {
        token += pointer[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(std::move(token));
    start = end + 1;
  }
  return tokens;
}

/// Where `pointer` leads in `document`, as the position of each step within its object or array.
/// A step that does not exist (a missing key) sorts after everything in its container.
std::vector<std::size_t> document_position(const Json& document, std::string_view pointer) {
  std::vector<std::size_t> position;
  const Json* current = &document;
  for (const std::string& token : split_pointer(pointer)) {
    if (current == nullptr) {
      position.push_back(0);
      continue;
    }
    const Json* next = nullptr;
    std::size_t index = std::numeric_limits<std::size_t>::max();
    if (current->is_object()) {
      std::size_t i = 0;
      for (const auto& [key, member] : current->items()) {
        if (key == token) {
          index = i;
          next = &member;
          break;
        }
        ++i;
      }
    } else if (current->is_array() && !token.empty() &&
               std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
               token.size() < 10) {
      index = std::stoul(token);
      if (index < current->size()) next = &(*current)[index];
    }
    position.push_back(index);
    current = next;
  }
  return position;
}

/// Appends `value` as dump() writes it without indentation, but stops soon after the text is
/// longer than a message shows: a huge or deeply nested value costs no more than a short one (each
/// level of nesting writes a character, so the recursion stays shallow too).
void append_compact(const Json& value, std::string& out) {
  if (out.size() > kMaxDescribedLength) return;
  if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const Json& element : value) {
      if (out.size() > kMaxDescribedLength) return;
      if (!first) out += ',';
      first = false;
      append_compact(element, out);
    }
    out += ']';
  } else if (value.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, member] : value.items()) {
      if (out.size() > kMaxDescribedLength) return;
      if (!first) out += ',';
      first = false;
      out += Json(key).dump(-1, ' ', false, Json::error_handler_t::replace) + ':';
      append_compact(member, out);
    }
    out += '}';
  } else {
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

}  // namespace

std::string child_pointer(std::string_view parent, std::string_view key) { return sim::child_pointer(parent, key); }

std::string child_pointer(std::string_view parent, std::size_t index) { return sim::child_pointer(parent, index); }

std::string describe(const Json& value) {
  std::string text;
  append_compact(value, text);
  if (text.size() <= kMaxDescribedLength) return text;
  std::size_t cut = kMaxDescribedLength - 3;
  // Do not split a UTF-8 sequence: back up to the start of a character.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

std::string describe_with_type(const Json& value) {
  if (value.is_null()) return "null";
  return describe(value) + " (" + value.type_name() + ")";
}

void IssueLog::report(std::string pointer, std::string message) {
  issues_.push_back(ScenarioIssue{std::move(pointer), std::move(message)});
}

void IssueLog::sort_in_document_order(const Json& document) {
  std::vector<std::pair<std::vector<std::size_t>, ScenarioIssue>> keyed;
  keyed.reserve(issues_.size());
  for (ScenarioIssue& issue : issues_) {
    keyed.emplace_back(document_position(document, issue.pointer), std::move(issue));
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  issues_.clear();
  for (auto& [position, issue] : keyed) issues_.push_back(std::move(issue));
}

const Json* ObjectReader::take(std::string_view key, Presence presence) {
  known_keys_.emplace_back(key);
  const auto found = object_.find(key);
  if (found != object_.end()) return &*found;
  if (presence == Presence::Required) log_.report(pointer_of(key), "expected the required key " + quote(key) + ", found none");
  return nullptr;
}

void ObjectReader::finish() {
  if (accept_remaining_keys_) return;
  for (const auto& [key, member] : object_.items()) {
    if (std::find(known_keys_.begin(), known_keys_.end(), key) != known_keys_.end()) continue;
    log_.report(pointer_of(key), "expected a known key, found the unknown key " + quote(key) + did_you_mean(key, known_keys_));
  }
}

bool ObjectReader::check_array(const Json& value, const std::string& pointer, Presence presence) {
  if (!value.is_array()) {
    log_.report(pointer, "expected an array, found " + describe_with_type(value));
    return false;
  }
  if (presence == Presence::Required && value.empty()) {
    log_.report(pointer, "expected a non-empty array, found []");
    return false;
  }
  return true;
}

namespace value {
namespace {

std::optional<double> number_where(const Json& value, const std::string& pointer, IssueLog& log, bool (*accept)(double),
                                   const char* expected) {
  if (value.is_number() && accept(value.get<double>())) return value.get<double>();
  log.report(pointer,
             std::string(expected) + ", found " + (value.is_number() ? describe(value) : describe_with_type(value)));
  return std::nullopt;
}

std::optional<sim::Duration> duration_where(const Json& value, const std::string& pointer, IssueLog& log,
                                            bool must_be_positive) {
  std::optional<sim::Duration> parsed;
  if (value.is_string()) parsed = sim::parse_duration(value.get_ref<const std::string&>());
  if (!parsed) {
    // The expectation describes the text format, so a bare number needs no "(number)".
    log.report(pointer, "expected a duration string such as \"250ms\" or \"1m30s\", found " + describe(value));
    return std::nullopt;
  }
  if (must_be_positive && parsed->count() == 0) {
    log.report(pointer, "expected a duration > 0, found " + describe(value));
    return std::nullopt;
  }
  return parsed;
}

}  // namespace

std::optional<std::string> text(const Json& value, const std::string& pointer, IssueLog& log) {
  if (value.is_string()) return value.get<std::string>();
  log.report(pointer, "expected a string, found " + describe_with_type(value));
  return std::nullopt;
}

std::optional<std::string> name(const Json& value, const std::string& pointer, IssueLog& log) {
  if (value.is_string() && !value.get_ref<const std::string&>().empty()) return value.get<std::string>();
  log.report(pointer,
             "expected a non-empty string, found " + (value.is_string() ? describe(value) : describe_with_type(value)));
  return std::nullopt;
}

std::optional<std::string> path(const Json& value, const std::string& pointer, IssueLog& log) {
  if (value.is_string() && value.get_ref<const std::string&>().starts_with('/')) return value.get<std::string>();
  log.report(pointer, "expected a path starting with \"/\", found " +
                          (value.is_string() ? describe(value) : describe_with_type(value)));
  return std::nullopt;
}

std::optional<bool> boolean(const Json& value, const std::string& pointer, IssueLog& log) {
  if (value.is_boolean()) return value.get<bool>();
  log.report(pointer, "expected true or false, found " + describe_with_type(value));
  return std::nullopt;
}

std::optional<std::uint64_t> seed(const Json& value, const std::string& pointer, IssueLog& log) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  log.report(pointer, "expected an integer between 0 and " + std::to_string(std::numeric_limits<std::uint64_t>::max()) +
                          ", found " + (value.is_number() ? describe(value) : describe_with_type(value)));
  return std::nullopt;
}

std::optional<double> probability(const Json& value, const std::string& pointer, IssueLog& log) {
  return number_where(
      value, pointer, log, [](double x) { return x >= 0.0 && x <= 1.0; }, "expected a number between 0 and 1");
}

std::optional<double> open_fraction(const Json& value, const std::string& pointer, IssueLog& log) {
  return number_where(
      value, pointer, log, [](double x) { return x > 0.0 && x < 1.0; }, "expected a number strictly between 0 and 1");
}

std::optional<double> percent_number(const Json& value, const std::string& pointer, IssueLog& log) {
  return number_where(
      value, pointer, log, [](double x) { return x >= 0.0 && x <= 100.0; }, "expected a number between 0 and 100");
}

std::optional<std::uint32_t> percent(const Json& value, const std::string& pointer, IssueLog& log) {
  if (value.is_number_unsigned() && value.get<std::uint64_t>() <= 100) return static_cast<std::uint32_t>(value.get<std::uint64_t>());
  log.report(pointer, "expected an integer between 0 and 100, found " +
                          (value.is_number() ? describe(value) : describe_with_type(value)));
  return std::nullopt;
}

std::optional<double> positive_number(const Json& value, const std::string& pointer, IssueLog& log) {
  return number_where(
      value, pointer, log, [](double x) { return x > 0.0; }, "expected a number > 0");
}

std::optional<sim::Duration> duration(const Json& value, const std::string& pointer, IssueLog& log) {
  return duration_where(value, pointer, log, false);
}

std::optional<sim::Duration> positive_duration(const Json& value, const std::string& pointer, IssueLog& log) {
  return duration_where(value, pointer, log, true);
}

std::optional<double> positive_rate(const Json& value, const std::string& pointer, IssueLog& log) {
  std::optional<double> parsed;
  if (value.is_string()) parsed = parse_rate(value.get_ref<const std::string&>());
  if (!parsed) {
    log.report(pointer, "expected a rate string such as \"2000/s\", found " + describe(value));
    return std::nullopt;
  }
  if (*parsed <= 0.0) {
    log.report(pointer, "expected a rate > 0, found " + describe(value));
    return std::nullopt;
  }
  return parsed;
}

}  // namespace value
}  // namespace models::config::detail
