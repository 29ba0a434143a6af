#include "reports/document_reader.hpp"

#include "sim/json_pointer.hpp"

namespace reports::detail {

using json = nlohmann::json;

std::string describe(const json& value) {
  std::string text = value.dump();
  constexpr std::size_t kMax = 60;
  if (text.size() > kMax) text = text.substr(0, kMax - 3) + "...";
  return text;
}

std::string child(const std::string& pointer, std::string_view key) { return sim::child_pointer(pointer, key); }

std::string child(const std::string& pointer, std::size_t index) { return sim::child_pointer(pointer, index); }

void DocumentReader::fail(const std::string& pointer, const std::string& message) const {
  throw ResultsDocumentError(file_, pointer, message);
}

void DocumentReader::wrong(const std::string& pointer, const std::string& expected, const json& found) const {
  fail(pointer, "expected " + expected + ", found " + describe(found) + " (" + found.type_name() + ")");
}

const json& DocumentReader::member(const json& object, const std::string& pointer, std::string_view key) const {
  if (!object.is_object()) wrong(pointer, "an object", object);
  const auto it = object.find(key);
  if (it == object.end()) fail(child(pointer, key), "missing required key \"" + std::string(key) + "\"");
  return *it;
}

const json& DocumentReader::object(const json& parent, const std::string& pointer, std::string_view key) const {
  const json& value = member(parent, pointer, key);
  if (!value.is_object()) wrong(child(pointer, key), "an object", value);
  return value;
}

const json& DocumentReader::array(const json& parent, const std::string& pointer, std::string_view key) const {
  const json& value = member(parent, pointer, key);
  if (!value.is_array()) wrong(child(pointer, key), "an array", value);
  return value;
}

std::string DocumentReader::string(const json& value, const std::string& pointer) const {
  if (!value.is_string()) wrong(pointer, "a string", value);
  return value.get<std::string>();
}

std::string DocumentReader::string(const json& parent, const std::string& pointer, std::string_view key) const {
  return string(member(parent, pointer, key), child(pointer, key));
}

std::vector<std::string> DocumentReader::strings(const json& parent, const std::string& pointer, std::string_view key) const {
  const json& list = array(parent, pointer, key);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(string(list[i], child(child(pointer, key), i)));
  return out;
}

std::uint64_t DocumentReader::whole(const json& value, const std::string& pointer) const {
  if (!value.is_number_unsigned()) wrong(pointer, "a whole number", value);
  return value.get<std::uint64_t>();
}

std::uint64_t DocumentReader::whole(const json& parent, const std::string& pointer, std::string_view key) const {
  return whole(member(parent, pointer, key), child(pointer, key));
}

double DocumentReader::number(const json& parent, const std::string& pointer, std::string_view key) const {
  const json& value = member(parent, pointer, key);
  if (!value.is_number()) wrong(child(pointer, key), "a number", value);
  return value.get<double>();
}

}  // namespace reports::detail
