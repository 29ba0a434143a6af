#pragma once
// Reading faultline's own documents back (the partial results of shards, for merge): typed values
// at JSON pointers, each problem a ResultsDocumentError that names the file, the pointer, what was
// expected and what was found. Shared by the replication and fmea partial readers.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "reports/html_report.hpp"

namespace reports::detail {

/// A JSON value as it appears in the file, shortened for messages.
std::string describe(const nlohmann::json& value);
/// The pointer to `key` (escaped as RFC 6901 says) or to element `index` under `pointer`.
std::string child(const std::string& pointer, std::string_view key);
std::string child(const std::string& pointer, std::size_t index);

/// Reads typed values off a document, throwing ResultsDocumentError at the first problem.
class DocumentReader {
 public:
  using json = nlohmann::json;
  explicit DocumentReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const;
  /// "expected <expected>, found <value> (<its JSON type>)".
  [[noreturn]] void wrong(const std::string& pointer, const std::string& expected, const json& found) const;

  const json& member(const json& object, const std::string& pointer, std::string_view key) const;
  const json& object(const json& parent, const std::string& pointer, std::string_view key) const;
  const json& array(const json& parent, const std::string& pointer, std::string_view key) const;
  std::string string(const json& value, const std::string& pointer) const;
  std::string string(const json& parent, const std::string& pointer, std::string_view key) const;
  std::vector<std::string> strings(const json& parent, const std::string& pointer, std::string_view key) const;
  std::uint64_t whole(const json& value, const std::string& pointer) const;
  std::uint64_t whole(const json& parent, const std::string& pointer, std::string_view key) const;
  double number(const json& parent, const std::string& pointer, std::string_view key) const;

 private:
  std::string file_;
};

}  // namespace reports::detail
