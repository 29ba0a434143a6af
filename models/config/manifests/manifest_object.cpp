#include "models/config/manifests/manifest_object.hpp"

#include <algorithm>
#include <utility>

namespace models::config::detail {
namespace {

const Json* find_in(const Json& root, std::string_view pointer) {
  try {
    const Json::json_pointer at{std::string(pointer)};
    return root.contains(at) ? &root.at(at) : nullptr;
  } catch (const nlohmann::json::exception&) {
    return nullptr;  // an array index that is not a number: nothing there
  }
}

}  // namespace

ManifestObject::ManifestObject(std::string file, std::size_t index, YamlDocument document)
    : file_(std::move(file)), index_(index), document_(std::move(document)) {
  if (!document_.value.is_object())
    fail("", "a Kubernetes object (a mapping with apiVersion, kind and metadata)", describe_with_type(document_.value));
  kind_ = text("/kind").value_or("");
  if (kind_.empty()) fail("/kind", "a kind such as \"Deployment\"");
  if (!text("/apiVersion")) fail("/apiVersion", "an apiVersion such as \"apps/v1\"");
  name_ = text("/metadata/name").value_or("");
  if (name_.empty()) fail("/metadata/name", "a name");
  namespace_ = text("/metadata/namespace").value_or("default");
}

std::string ManifestObject::where() const {
  return file_ + ": document " + std::to_string(index_) + " (" + (kind_.empty() ? "?" : kind_) + "/" + (name_.empty() ? "?" : name_) + ")";
}

const Json* ManifestObject::find(std::string_view pointer) const { return find_in(document_.value, pointer); }

const Json* ManifestObject::take(std::string_view pointer) {
  const Json* found = find(pointer);
  if (found != nullptr) used_.emplace_back(pointer);
  return found;
}

std::optional<std::string> ManifestObject::text(std::string_view pointer) {
  const Json* found = take(pointer);
  if (found == nullptr || found->is_null()) return std::nullopt;
  if (!found->is_string()) fail(pointer, "a string");
  return found->get<std::string>();
}

std::optional<std::uint64_t> ManifestObject::integer(std::string_view pointer, std::uint64_t minimum) {
  const Json* found = take(pointer);
  if (found == nullptr || found->is_null()) return std::nullopt;
  if (!found->is_number_unsigned() || found->get<std::uint64_t>() < minimum)
    fail(pointer, "an integer >= " + std::to_string(minimum));
  return found->get<std::uint64_t>();
}

std::optional<double> ManifestObject::number(std::string_view pointer) {
  const Json* found = take(pointer);
  if (found == nullptr || found->is_null()) return std::nullopt;
  if (!found->is_number()) fail(pointer, "a number");
  return found->get<double>();
}

std::size_t ManifestObject::array_size(std::string_view pointer) {
  const Json* found = find(pointer);
  if (found == nullptr || found->is_null()) return 0;
  if (!found->is_array()) fail(pointer, "an array");
  return found->size();
}

std::vector<std::pair<std::string, std::string>> ManifestObject::string_map(std::string_view pointer) {
  std::vector<std::pair<std::string, std::string>> out;
  const Json* found = take(pointer);
  if (found == nullptr || found->is_null()) return out;
  if (!found->is_object()) fail(pointer, "a mapping of strings");
  for (auto it = found->begin(); it != found->end(); ++it) {
    if (!it->is_string()) fail(child_pointer(pointer, it.key()), "a string");
    out.emplace_back(it.key(), it->get<std::string>());
  }
  return out;
}

void ManifestObject::fail(std::string_view pointer, const std::string& expected, std::optional<std::string> found) const {
  if (!found) {
    const Json* value = find(pointer);
    found = value == nullptr ? std::string("none") : describe_with_type(*value);
  }
  throw ScenarioError(where(), {{std::string(pointer), "expected " + expected + ", found " + *found +
                                                           document_.positions->describe(pointer)}});
}

std::string ManifestObject::note(std::string_view pointer, const std::string& message) const {
  return where() + ": " + (pointer.empty() ? std::string("/") : std::string(pointer)) +
         document_.positions->describe(pointer) + ": " + message;
}

bool ManifestObject::used(const std::string& pointer) const {
  return std::find(used_.begin(), used_.end(), pointer) != used_.end();
}

bool ManifestObject::used_below(const std::string& pointer) const {
  const std::string prefix = pointer + "/";
  return std::any_of(used_.begin(), used_.end(), [&](const std::string& p) { return p.rfind(prefix, 0) == 0; });
}

void ManifestObject::collect_leftovers(const Json& value, const std::string& pointer, std::vector<std::string>& out) const {
  if (used(pointer)) return;
  if (!used_below(pointer)) {
    out.push_back(note(pointer, "not modelled, left out"));
    return;
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) collect_leftovers(*it, child_pointer(pointer, it.key()), out);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) collect_leftovers(value[i], child_pointer(pointer, i), out);
  }
}

std::vector<std::string> ManifestObject::leftovers() const {
  std::vector<std::string> out;
  collect_leftovers(document_.value, "", out);
  return out;
}

std::vector<ManifestObject> read_manifest_objects(std::string_view text, const std::string& file) {
  std::vector<ManifestObject> objects;
  std::vector<YamlDocument> documents = parse_yaml_documents(text, file);
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (documents[i].value.is_null()) continue;  // an empty document, as a trailing "---" makes
    objects.emplace_back(file, i + 1, std::move(documents[i]));
  }
  return objects;
}

}  // namespace models::config::detail
