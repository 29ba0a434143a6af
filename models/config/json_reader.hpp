#pragma once
// Reading typed fields off the JSON of a scenario file while collecting every problem instead of
// stopping at the first. Private to models/config: nothing outside it sees nlohmann::json.
//
// An ObjectReader wraps one JSON object at a JSON pointer. Each read() names a key, which makes it
// a known key of that object; finish() then reports the keys nobody asked for as unknown, with a
// suggestion among the known ones. Value readers (namespace `value`) turn one JSON value into a
// typed value or report why they cannot; a failed read leaves the field at its default.

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/config/messages.hpp"
#include "models/config/scenario_error.hpp"
#include "sim/time.hpp"

namespace models::config::detail {

/// Ordered, so that problems can be reported in the order the file lists them.
using Json = nlohmann::ordered_json;

std::string child_pointer(std::string_view parent, std::string_view key);
std::string child_pointer(std::string_view parent, std::size_t index);

/// A value as it is written in the file, shortened when long: `found` in messages.
std::string describe(const Json& value);
/// describe() followed by the JSON type, for a value of the wrong type: `3 (number)`.
std::string describe_with_type(const Json& value);

/// The problems found so far.
class IssueLog {
 public:
  void report(std::string pointer, std::string message);
  bool empty() const { return issues_.empty(); }
  /// Reorders the problems by where their pointers lead in `document` (a missing key sorts at
  /// the end of its object); problems at the same place keep the order they were found in.
  void sort_in_document_order(const Json& document);
  std::vector<ScenarioIssue> take_issues() { return std::move(issues_); }

 private:
  std::vector<ScenarioIssue> issues_;
};

enum class Presence { Optional, Required };

class ObjectReader;

/// Runs `read_body` on `value` if it is an object (then reports its unknown keys); otherwise
/// reports that an object was expected. Returns whether it was an object.
template <class ReadBody>
bool read_object_value(const Json& value, const std::string& pointer, IssueLog& log, ReadBody&& read_body);

class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string pointer, IssueLog& log)
      : object_(object), pointer_(std::move(pointer)), log_(log) {}

  const std::string& pointer() const { return pointer_; }
  std::string pointer_of(std::string_view key) const { return child_pointer(pointer_, key); }
  IssueLog& log() { return log_; }

  /// The value of `key`, or null when it is absent (reported if required). Makes `key` known.
  const Json* take(std::string_view key, Presence presence = Presence::Optional);
  bool has(std::string_view key) const { return object_.contains(key); }
  /// The keys of the object in file order (for maps keyed by name, such as capacityScaler).
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (auto it = object_.begin(); it != object_.end(); ++it) out.push_back(it.key());
    return out;
  }
  /// Whether `key` is present and literally false.
  bool is_false(std::string_view key) const {
    const auto it = object_.find(key);
    return it != object_.end() && it->is_boolean() && !it->template get<bool>();
  }

  /// Reads `key` with a value reader into `out`; returns false, leaving `out` alone, when the
  /// key is absent or its value is wrong (the value reader has reported why).
  template <class T, class ReadValue>
  bool read(std::string_view key, T& out, ReadValue&& read_value, Presence presence = Presence::Optional) {
    const Json* found = take(key, presence);
    if (found == nullptr) return false;
    auto parsed = read_value(*found, pointer_of(key), log_);
    if (!parsed) return false;
    out = std::move(*parsed);
    return true;
  }

  /// Reads the object at `key` with `read_body(ObjectReader&)`.
  template <class ReadBody>
  bool read_object(std::string_view key, ReadBody&& read_body, Presence presence = Presence::Optional) {
    const Json* found = take(key, presence);
    if (found == nullptr) return false;
    return read_object_value(*found, pointer_of(key), log_, read_body);
  }

  /// Reads the array of objects at `key`, one `read_element(ObjectReader&, T&)` call per element.
  /// An element that is not an object still takes its place in `out`, as a default T, so that
  /// indices in `out` stay those of the file. A required array must not be empty.
  template <class T, class ReadElement>
  void read_objects(std::string_view key, std::vector<T>& out, ReadElement&& read_element,
                    Presence presence = Presence::Optional);

  /// After a discriminator such as "dist" failed to read: the other keys cannot be judged, so
  /// they are not reported as unknown.
  void accept_remaining_keys() { accept_remaining_keys_ = true; }

  /// Reports the keys no read() asked for. Called once, after every read.
  void finish();

 private:
  bool check_array(const Json& value, const std::string& pointer, Presence presence);

  const Json& object_;
  std::string pointer_;
  IssueLog& log_;
  std::vector<std::string> known_keys_;
  bool accept_remaining_keys_ = false;
};

template <class ReadBody>
bool read_object_value(const Json& value, const std::string& pointer, IssueLog& log, ReadBody&& read_body) {
  if (!value.is_object()) {
    log.report(pointer, "expected an object, found " + describe_with_type(value));
    return false;
  }
  ObjectReader reader(value, pointer, log);
  read_body(reader);
  reader.finish();
  return true;
}

template <class T, class ReadElement>
void ObjectReader::read_objects(std::string_view key, std::vector<T>& out, ReadElement&& read_element,
                                Presence presence) {
  const Json* found = take(key, presence);
  if (found == nullptr) return;
  const std::string array_pointer = pointer_of(key);
  if (!check_array(*found, array_pointer, presence)) return;
  out.clear();
  for (std::size_t i = 0; i < found->size(); ++i) {
    T element{};
    read_object_value((*found)[i], child_pointer(array_pointer, i), log_,
                      [&](ObjectReader& reader) { read_element(reader, element); });
    out.push_back(std::move(element));
  }
}

/// Value readers: `std::optional<T> reader(const Json& value, const std::string& pointer, IssueLog&)`.
namespace value {

std::optional<std::string> text(const Json& value, const std::string& pointer, IssueLog& log);
/// A non-empty string: the name of something.
std::optional<std::string> name(const Json& value, const std::string& pointer, IssueLog& log);
/// A string starting with "/".
std::optional<std::string> path(const Json& value, const std::string& pointer, IssueLog& log);
std::optional<bool> boolean(const Json& value, const std::string& pointer, IssueLog& log);
/// Any unsigned 64-bit integer.
std::optional<std::uint64_t> seed(const Json& value, const std::string& pointer, IssueLog& log);
/// A number in [0, 1].
std::optional<double> probability(const Json& value, const std::string& pointer, IssueLog& log);
/// A number strictly between 0 and 1.
std::optional<double> open_fraction(const Json& value, const std::string& pointer, IssueLog& log);
std::optional<double> positive_number(const Json& value, const std::string& pointer, IssueLog& log);
/// A number in [0, 100].
std::optional<double> percent_number(const Json& value, const std::string& pointer, IssueLog& log);
/// An integer in [0, 100].
std::optional<std::uint32_t> percent(const Json& value, const std::string& pointer, IssueLog& log);
/// A duration string ("250ms"); zero is allowed.
std::optional<sim::Duration> duration(const Json& value, const std::string& pointer, IssueLog& log);
std::optional<sim::Duration> positive_duration(const Json& value, const std::string& pointer, IssueLog& log);
/// A rate string ("2000/s") above zero, in requests per second.
std::optional<double> positive_rate(const Json& value, const std::string& pointer, IssueLog& log);

/// An integer in [minimum, 2^32 - 1].
inline auto count(std::uint32_t minimum) {
  return [minimum](const Json& value, const std::string& pointer, IssueLog& log) -> std::optional<std::uint32_t> {
    constexpr std::uint64_t kMaximum = std::numeric_limits<std::uint32_t>::max();
    if (value.is_number_unsigned() && value.get<std::uint64_t>() >= minimum && value.get<std::uint64_t>() <= kMaximum) {
      return static_cast<std::uint32_t>(value.get<std::uint64_t>());
    }
    std::string expected = "expected an integer >= " + std::to_string(minimum);
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > kMaximum) {
      expected = "expected an integer between " + std::to_string(minimum) + " and " + std::to_string(kMaximum);
    }
    log.report(pointer, expected + ", found " + (value.is_number() ? describe(value) : describe_with_type(value)));
    return std::nullopt;
  };
}

/// One of a fixed set of strings, each standing for a value of E.
template <class E>
auto choice(std::vector<std::pair<std::string, E>> choices) {
  return
      [choices = std::move(choices)](const Json& value, const std::string& pointer, IssueLog& log) -> std::optional<E> {
        std::vector<std::string> names;
        for (const auto& [name, meaning] : choices) {
          if (value.is_string() && value.get_ref<const std::string&>() == name) return meaning;
          names.push_back(name);
        }
        std::string message = "expected one of " + quoted_list(names) + ", found ";
        if (value.is_string()) {
          message += describe(value) + did_you_mean(value.get_ref<const std::string&>(), names);
        } else {
          message += describe_with_type(value);
        }
        log.report(pointer, std::move(message));
        return std::nullopt;
      };
}

/// An array whose elements each pass `read_element`; a failed element keeps its place as a
/// default value, so that indices stay those of the file.
template <class ReadElement>
auto list_of(ReadElement read_element, bool must_not_be_empty = false) {
  return [read_element, must_not_be_empty](const Json& value, const std::string& pointer, IssueLog& log) {
    using Element = typename decltype(read_element(value, pointer, log))::value_type;
    std::optional<std::vector<Element>> result;
    if (!value.is_array()) {
      log.report(pointer, "expected an array, found " + describe_with_type(value));
      return result;
    }
    if (must_not_be_empty && value.empty()) {
      log.report(pointer, "expected a non-empty array, found []");
      return result;
    }
    result.emplace();
    for (std::size_t i = 0; i < value.size(); ++i) {
      result->push_back(read_element(value[i], child_pointer(pointer, i), log).value_or(Element{}));
    }
    return result;
  };
}

}  // namespace value
}  // namespace models::config::detail
