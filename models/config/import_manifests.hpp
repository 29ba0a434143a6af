#pragma once
// `faultline import`: Kubernetes manifests (Gateway API, Services, Deployments, Istio ambient and
// GKE policies) plus a fleet file for what manifests do not say, turned into a scenario. Whatever
// the manifests hold that the scenario cannot express is returned as a warning, never dropped
// silently. scenarios/README.md ("Importing Kubernetes manifests") has the mapping.

#include <optional>
#include <string>
#include <vector>

#include "models/config/scenario_error.hpp"

namespace models::config {

/// One manifest file's text; `file` names it in messages.
struct ManifestFile {
  std::string file;
  std::string text;
};

struct ImportedScenario {
  std::string scenario_json;          // pretty, deterministic; ends with a newline
  std::vector<std::string> warnings;  // "FILE: document N (Kind/name): /pointer (line L, column C): ..."
};

/// The fleet file (`fleet_text`, YAML when `fleet_file` ends in .yaml/.yml, else JSON with
/// comments) is a partial scenario; the manifests add its services, gateway, routes and policies.
/// A key both give takes the fleet's value, with a warning. `name` (when given) replaces the
/// scenario's name. Throws ScenarioError for a manifest or fleet file that cannot be imported,
/// naming the file, document, JSON pointer, what was expected and what was found. The result is
/// not validated: parse and validate it as any scenario.
ImportedScenario import_manifests(const std::vector<ManifestFile>& manifests, const std::string& fleet_text,
                                  const std::string& fleet_file, const std::optional<std::string>& name);

}  // namespace models::config
