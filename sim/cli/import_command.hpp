#pragma once
// `faultline import`: Kubernetes manifests plus a fleet file to a scenario
// (models/config/import_manifests.hpp). Private to sim/cli.

#include <ostream>
#include <string>
#include <vector>

namespace cli {

struct ImportOptions {
  std::vector<std::string> paths;  // manifest files, or directories read recursively (*.yaml, *.yml)
  std::string fleet;
  std::string out_file;  // empty: stdout
  std::string name;      // empty: the fleet file's
  bool force = false;
};

/// Warnings ("warning: ...") go to `err`; the scenario, validated, to --out or `out`.
int import_command(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cli
