#include "sim/cli/import_command.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include "models/config/import_manifests.hpp"
#include "models/config/load_scenario.hpp"
#include "reports/atomic_file.hpp"
#include "sim/cli/command_options.hpp"

namespace cli {
namespace {

namespace fs = std::filesystem;
using models::config::ScenarioError;

bool is_manifest_file(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return extension == ".yaml" || extension == ".yml";
}

std::string read_text(const fs::path& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    const int error = errno;
    throw ScenarioError(path.string(), {{"", std::string("expected a readable file, found ") +
                                                 (error != 0 ? std::strerror(error) : "an unreadable file")}});
  }
  return text.str();
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

/// Every manifest file PATHs name: files as given, directories' .yaml/.yml files recursively in
/// sorted order (so that the scenario does not depend on the file system's order). The fleet
/// file is left out when it sits among the manifests.
std::vector<fs::path> manifest_files(const std::vector<std::string>& paths, const fs::path& fleet) {
  std::vector<fs::path> files;
  for (const std::string& given : paths) {
    const fs::path path(given);
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file() && is_manifest_file(it->path()) && !same_file(it->path(), fleet)) found.push_back(it->path());
      if (ec)
        throw ScenarioError(given, {{"", "expected a readable directory, found \"" + ec.message() + "\""}});
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(status)) {
      files.push_back(path);
    } else {
      throw ScenarioError(given, {{"", fs::exists(status) ? std::string("expected a manifest file or a directory, found "
                                                                        "neither")
                                                          : "expected a manifest file or a directory, found nothing there"}});
    }
  }
  return files;
}

}  // namespace

int import_command(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  const fs::path target(options.out_file);
  if (!options.out_file.empty() && !options.force) {
    std::error_code ec;
    if (fs::symlink_status(target, ec).type() != fs::file_type::not_found)
      throw UsageError{options.out_file + ": expected a new output file, found one already there (pass --force to replace it)"};
  }
  const std::string fleet_text = read_text(options.fleet);
  std::vector<models::config::ManifestFile> manifests;
  for (const fs::path& file : manifest_files(options.paths, options.fleet))
    manifests.push_back({file.string(), read_text(file)});
  if (manifests.empty()) throw UsageError{"expected manifest files (*.yaml, *.yml) in the PATHs given, found none"};

  const models::config::ImportedScenario imported = models::config::import_manifests(
      manifests, fleet_text, options.fleet, options.name.empty() ? std::nullopt : std::optional<std::string>(options.name));
  for (const std::string& warning : imported.warnings) err << "warning: " << warning << '\n';

  // What is written must run: the checks of `faultline validate`, the strategies' included.
  const std::string label = options.out_file.empty() ? std::string("imported scenario") : options.out_file;
  std::vector<models::config::NamedScenario> scenarios = models::config::parse_strategies(imported.scenario_json, label);
  for (models::config::NamedScenario& scenario : scenarios) models::config::validate(std::move(scenario));

  if (options.out_file.empty()) {
    out << imported.scenario_json;
    return out ? 0 : 1;
  }
  claim_outputs(target.has_parent_path() ? target.parent_path() : fs::path("."), {target}, /*force=*/true);
  reports::write_file_atomically(target, imported.scenario_json);
  out << "Wrote " << target.string() << " (" << manifests.size() << (manifests.size() == 1 ? " manifest file, " : " manifest files, ")
      << imported.warnings.size() << (imported.warnings.size() == 1 ? " warning)" : " warnings)") << '\n';
  return 0;
}

}  // namespace cli
