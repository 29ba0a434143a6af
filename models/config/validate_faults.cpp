// ScenarioChecker's checks of "faults": each fault's target must name something in the scenario.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/config/messages.hpp"
#include "models/config/scenario_checker.hpp"
#include "models/faults/catalogue.hpp"

namespace models::config::detail {
namespace {

/// A node target "<cluster>/node-<index>", split.
struct NodeName {
  std::string cluster;
  std::uint64_t index = 0;
};

std::optional<NodeName> split_node_name(std::string_view target) {
  constexpr std::string_view kSeparator = "/node-";
  const std::size_t separator = target.rfind(kSeparator);
  if (separator == std::string_view::npos || separator == 0) return std::nullopt;
  const std::string_view digits = target.substr(separator + kSeparator.size());
  // Names are stable keys, so only the canonical spelling of an index is accepted ("node-01" is not).
  if (digits.empty() || digits.size() > 9 || (digits.size() > 1 && digits.front() == '0')) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  return NodeName{std::string(target.substr(0, separator)), std::stoull(std::string(digits))};
}

}  // namespace

void ScenarioChecker::check_faults() {
  for (std::size_t f = 0; f < config_.faults.size(); ++f) {
    const FaultConfig& fault = config_.faults[f];
    register_name(faults_, pointer("faults", f, "id"), fault.id, "fault id");
    if (!failed(pointer("faults", f, "kind"))) check_fault_target(f);
    // The Deployment API rejects a rolling update that could make no progress.
    if (fault.kind == FaultKind::BadRollout && fault.max_surge.value == 0 && fault.max_unavailable.value == 0 &&
        !failed(pointer("faults", f, "maxSurge")) && !failed(pointer("faults", f, "maxUnavailable")))
      report(pointer("faults", f, "maxUnavailable"), "expected maxSurge or maxUnavailable above 0 (the Deployment API "
                                                     "rejects both at 0: no pod could be replaced), found both 0");
    if (!failed(pointer("faults", f, "at")) && !failed("/run/duration") && fault.at >= config_.run.duration) {
      report(pointer("faults", f, "at"), "expected a start before the end of the run (" +
                                             format(config_.run.duration) + "), found " + format(fault.at));
    }
  }
  for (std::size_t p = 0; p < config_.fault_processes.size(); ++p) {
    register_name(faults_, pointer("fault_processes", p, "id"), config_.fault_processes[p].id, "fault id");
    check_fault_process(p);
  }
}

// A fault process's class must have a component in the scenario, and its targets must name
// components of the class as fault targets of the class's kind name them.
void ScenarioChecker::check_fault_process(std::size_t p) {
  const FaultProcessConfig& process = config_.fault_processes[p];
  const std::string components_at = pointer("fault_processes", p, "components");
  if (failed(components_at)) return;
  const faults::FaultKind kind = faults::process_fault_kind(process.components);
  const auto none_of = [&](const char* what) {
    report(components_at, std::string("expected a class with at least one component, found no ") + what + " in the scenario");
  };
  switch (process.components) {
    case ComponentClass::Dns:
      if (!config_.dns) report(components_at, "expected a scenario with \"dns\" for \"dns\" failures, found none");
      if (!process.targets.empty())
        report(pointer("fault_processes", p, "targets"), "expected no targets for \"dns\" (Cloud DNS is one service), found " +
                                                             std::to_string(process.targets.size()));
      return;
    case ComponentClass::BackboneLinks:
      if (config_.backbone.empty()) return none_of("backbone links");
      break;
    case ComponentClass::Databases:
      if (config_.databases.empty()) return none_of("databases");
      break;
    case ComponentClass::Waypoints:
      if (std::none_of(config_.services.begin(), config_.services.end(), [](const ServiceConfig& s) { return s.waypoint.has_value(); }))
        return none_of("waypoints");
      break;
    default:
      break;
  }
  for (std::size_t t = 0; t < process.targets.size(); ++t)
    check_target(pointer("fault_processes", p, "targets", t), components_at, kind, process.targets[t]);
}

void ScenarioChecker::check_fault_target(std::size_t f) {
  const FaultConfig& fault = config_.faults[f];
  const std::string at = pointer("faults", f, "target");
  if (faults::row(fault.kind).target == faults::Target::PodNodeOrCluster) {
    const bool target_known = check_gray_failure_target(at, fault.target);
    if (!fault.service.empty()) check_fault_service(f, target_known);
    return;
  }
  check_target(at, pointer("faults", f, "kind"), fault.kind, fault.target);
}

void ScenarioChecker::check_target(const std::string& at, const std::string& kind_at, faults::FaultKind kind_id,
                                   const std::string& target) {
  const faults::FaultKindRow& kind = faults::row(kind_id);
  switch (kind.target) {
    case faults::Target::Region:
      resolves(regions_, at, target, "the name of a region");
      return;
    case faults::Target::GatewayTier:
      if (resolves(regions_, at, target, "the name of a region") && !has_gateway_tier(target)) {
        report(at, "expected a region with a gateway proxy tier (one of " + quoted_list(config_.gateway.regions) +
                       "), found " + quote(target));
      }
      return;
    case faults::Target::Zone:
      resolves(zones_, at, target, "the name of a zone");
      return;
    case faults::Target::Cluster:
      resolves(clusters_, at, target, "the name of a cluster");
      return;
    case faults::Target::Istiod:
      if (resolves(clusters_, at, target, "the name of a cluster") && !runs_istiod(target))
        report(at, "expected a cluster that runs an istiod (primary-remote: one of " + quoted_list(config_.mesh.primaries) +
                       "), found the remote cluster " + quote(target));
      return;
    case faults::Target::ConfigCluster:
      if (resolves(clusters_, at, target, "the name of a cluster") && !is_config_cluster(target))
        report(at, "expected the config cluster (the one with \"config_cluster\": true), found " + quote(target));
      return;
    case faults::Target::Node:
    case faults::Target::Ztunnel:
      check_node_target(at, target);
      return;
    case faults::Target::Waypoint:
      if (pods_complete() && usable_name(at, target) && !waypoint_names().contains(target))
        report(at, unknown_reference("a waypoint \"<cluster>/<service>-waypoint\" or one of its replicas "
                                     "\"<cluster>/<service>-waypoint-<index>\"",
                                     waypoint_names().names, target));
      return;
    case faults::Target::PodOrWaypoint:
      if (pods_complete() && usable_name(at, target) && !pod_names().contains(target) &&
          !waypoint_names().contains(target)) {
        std::vector<std::string> candidates = pod_names().names;
        candidates.insert(candidates.end(), waypoint_names().names.begin(), waypoint_names().names.end());
        report(at, unknown_reference("a pod \"<cluster>/<service>-<index>\" or a waypoint replica", candidates, target));
      }
      return;
    case faults::Target::CloudDns:
      if (!config_.dns) report(kind_at, std::string("expected a scenario with \"dns\" for a ") + kind.name + ", found none");
      return;
    case faults::Target::Pod:
      // A pod, or every pod of a service in a cluster.
      if (pods_complete() && usable_name(at, target) && !deployment_names().contains(target) &&
          !pod_names().contains(target)) {
        std::vector<std::string> candidates = deployment_names().names;
        candidates.insert(candidates.end(), pod_names().names.begin(), pod_names().names.end());
        std::string message = "expected the name of a pod (\"<cluster>/<service>-<index>\") or of a service in a cluster "
                              "(\"<cluster>/<service>\")";
        if (candidates.size() <= kMaxListedChoices) message += " (one of " + quoted_list(candidates) + ")";
        message += ", found " + quote(target);
        if (const auto match = closest_match(target, candidates)) message += "; did you mean " + quote(*match) + "?";
        report(at, std::move(message));
      }
      return;
    case faults::Target::PodNodeOrCluster:
      check_gray_failure_target(at, target);
      return;
    case faults::Target::BackboneLink: {
      // "<region>/<region>", in either order, for a link of the backbone.
      std::vector<std::string> links;
      for (const auto& link : config_.backbone) {
        links.push_back(link.from + "/" + link.to);
        if (link.from + "/" + link.to == target || link.to + "/" + link.from == target) return;
      }
      if (usable_name(at, target)) report(at, unknown_reference("a backbone link \"<region>/<region>\"", links, target));
      return;
    }
    case faults::Target::Deployment: {
      // "<cluster>/<service>", or "<region>/<service>": the service's Deployment in every cluster of the region.
      if (!pods_complete() || !usable_name(at, target) || deployment_names().contains(target)) return;
      std::vector<std::string> candidates = deployment_names().names;
      for (const auto& region : config_.regions) {
        for (const auto& service : config_.services) {
          const bool deployed = std::any_of(region.clusters.begin(), region.clusters.end(), [&](const ClusterConfig& c) {
            return service.clusters.empty() || std::find(service.clusters.begin(), service.clusters.end(), c.name) != service.clusters.end();
          });
          if (!deployed) continue;
          if (region.name + "/" + service.name == target) return;
          candidates.push_back(region.name + "/" + service.name);
        }
      }
      report(at, unknown_reference("a service in a cluster \"<cluster>/<service>\" or in a region \"<region>/<service>\"",
                                   candidates, target));
      return;
    }
    case faults::Target::DatabasePrimary: {
      std::vector<std::string> names;
      for (const auto& db : config_.databases) names.push_back(db.name);
      if (usable_name(at, target) && std::find(names.begin(), names.end(), target) == names.end())
        report(at, unknown_reference("the name of a database", names, target));
      return;
    }
  }
}

// Pods are named "<cluster>/<service>-<index>", one per replica of each service in each cluster
// it is deployed to. Built on first use, once regions and services are known.
bool ScenarioChecker::pods_complete() const { return clusters_.complete && services_.complete; }

// Calls fn(cluster, service) for every cluster a service is deployed to, in scenario order.
template <class Fn>
void ScenarioChecker::for_each_deployment(Fn fn) const {
  for (const auto& region : config_.regions)
    for (const auto& cluster : region.clusters)
      for (const auto& service : config_.services)
        if (service.clusters.empty() ||
            std::find(service.clusters.begin(), service.clusters.end(), cluster.name) != service.clusters.end())
          fn(cluster, service);
}

void ScenarioChecker::add_name(NameTable& table, std::string name) {
  table.first_pointer.emplace(name, "");
  table.names.push_back(std::move(name));
}

const NameTable& ScenarioChecker::pod_names() {
  if (pods_built_) return pods_;
  pods_built_ = true;
  for_each_deployment([&](const ClusterConfig& cluster, const ServiceConfig& service) {
    for (std::uint32_t i = 0; i < service.replicas_per_cluster; ++i)
      add_name(pods_, cluster.name + "/" + service.name + "-" + std::to_string(i));
  });
  return pods_;
}

const NameTable& ScenarioChecker::deployment_names() {
  if (deployments_built_) return deployments_;
  deployments_built_ = true;
  for_each_deployment([&](const ClusterConfig& cluster, const ServiceConfig& service) { add_name(deployments_, cluster.name + "/" + service.name); });
  return deployments_;
}

// Waypoints are named "<cluster>/<service>-waypoint" and their replicas "...-waypoint-<index>".
const NameTable& ScenarioChecker::waypoint_names() {
  if (waypoints_built_) return waypoints_;
  waypoints_built_ = true;
  for_each_deployment([&](const ClusterConfig& cluster, const ServiceConfig& service) {
    if (!service.waypoint) return;
    const std::string waypoint = cluster.name + "/" + service.name + "-waypoint";
    add_name(waypoints_, waypoint);
    for (std::uint32_t i = 0; i < service.waypoint->replicas; ++i) add_name(waypoints_, waypoint + "-" + std::to_string(i));
  });
  return waypoints_;
}

bool ScenarioChecker::is_config_cluster(const std::string& name) const {
  for (const auto& region : config_.regions)
    for (const auto& cluster : region.clusters)
      if (cluster.name == name) return cluster.config_cluster;
  return false;
}

bool ScenarioChecker::runs_istiod(const std::string& cluster) const {
  const auto& mesh = config_.mesh;
  return mesh.control_plane == ControlPlaneTopology::MultiPrimary ||
         std::find(mesh.primaries.begin(), mesh.primaries.end(), cluster) != mesh.primaries.end();
}

// A gray failure targets a pod, a node or a cluster. Returns whether the target is one.
bool ScenarioChecker::check_gray_failure_target(const std::string& at, const std::string& target) {
  if (!usable_name(at, target) || !pods_complete()) return false;
  if (pod_names().contains(target) || clusters_.contains(target) || deployment_names().contains(target)) return true;
  if (const auto node = split_node_name(target)) {
    const auto location = cluster_locations_.find(node->cluster);
    if (location != cluster_locations_.end() &&
        node->index < config_.regions[location->second.first].clusters[location->second.second].nodes)
      return true;
  }
  std::string message = "expected the name of a pod (\"<cluster>/<service>-<index>\"), a service in a cluster "
                        "(\"<cluster>/<service>\"), a node (\"<cluster>/node-<index>\") or a cluster, found " + quote(target);
  std::vector<std::string> candidates = pod_names().names;
  candidates.insert(candidates.end(), clusters_.names.begin(), clusters_.names.end());
  if (const auto match = closest_match(target, candidates)) message += "; did you mean " + quote(*match) + "?";
  report(at, std::move(message));
  return false;
}

// The services with a pod in a gray failure's target (a cluster, a node or a pod), in scenario
// order. Pods are placed as build_world places them: round robin over the cluster's nodes, each
// service (its pods, then its waypoint replicas) starting where the previous one stopped.
std::vector<std::string> ScenarioChecker::services_with_pods_in(const std::string& target) const {
  std::vector<std::string> out;
  for (const auto& region : config_.regions) {
    for (const auto& cluster : region.clusters) {
      std::uint64_t slot = 0;
      for (const auto& service : config_.services) {
        if (!service.clusters.empty() &&
            std::find(service.clusters.begin(), service.clusters.end(), cluster.name) == service.clusters.end())
          continue;
        for (std::uint32_t i = 0; i < service.replicas_per_cluster; ++i, ++slot) {
          const bool in_target =
              cluster.name == target || cluster.name + "/" + service.name + "-" + std::to_string(i) == target ||
              cluster.name + "/" + service.name == target ||
              (cluster.nodes > 0 && cluster.name + "/node-" + std::to_string(slot % cluster.nodes) == target);
          if (in_target && std::find(out.begin(), out.end(), service.name) == out.end()) out.push_back(service.name);
        }
        if (service.waypoint) slot += service.waypoint->replicas;
      }
    }
  }
  return out;
}

// A gray failure's "service": a service, with a pod in the target (when the target is known).
void ScenarioChecker::check_fault_service(std::size_t f, bool target_known) {
  const FaultConfig& fault = config_.faults[f];
  const std::string at = pointer("faults", f, "service");
  if (!resolves(services_, at, fault.service, "the name of a service") || !target_known) return;
  const std::vector<std::string> services = services_with_pods_in(fault.target);
  if (std::find(services.begin(), services.end(), fault.service) != services.end()) return;
  std::string expected = "expected a service with a pod in " + quote(fault.target);
  if (services.empty()) {
    expected += " (it has none)";
  } else if (services.size() <= kMaxListedChoices) {
    std::vector<std::string> sorted = services;
    std::sort(sorted.begin(), sorted.end());
    expected += " (one of " + quoted_list(sorted) + ")";
  }
  report(at, expected + ", found " + quote(fault.service) + ", which has none there");
}

void ScenarioChecker::check_node_target(const std::string& at, const std::string& target) {
  if (!usable_name(at, target)) return;
  const std::optional<NodeName> node = split_node_name(target);
  if (!node) {
    const std::string example =
        (clusters_.names.empty() ? std::string("cluster") : clusters_.names.front()) + "/node-0";
    report(at, "expected a node \"<cluster>/node-<index>\" such as " + quote(example) + ", found " + quote(target));
    return;
  }
  const auto location = cluster_locations_.find(node->cluster);
  if (location == cluster_locations_.end()) {
    if (!clusters_.complete) return;
    std::string message = "expected a node of a known cluster";
    if (clusters_.names.size() <= kMaxListedChoices) {
      std::vector<std::string> sorted = clusters_.names;
      std::sort(sorted.begin(), sorted.end());
      message += " (one of " + quoted_list(sorted) + ")";
    }
    message += ", found " + quote(target);
    if (const auto match = closest_match(node->cluster, clusters_.names)) {
      message += "; did you mean " + quote(*match + "/node-" + std::to_string(node->index)) + "?";
    }
    report(at, std::move(message));
    return;
  }
  const auto [r, c] = location->second;
  const std::uint32_t nodes = config_.regions[r].clusters[c].nodes;
  if (node->index >= nodes && !failed(pointer("regions", r, "clusters", c, "nodes"))) {
    report(at, "expected a node index below " + std::to_string(nodes) + " (cluster " + quote(node->cluster) +
                   " has " + std::to_string(nodes) + (nodes == 1 ? " node" : " nodes") + "), found " + quote(target));
  }
}

}  // namespace models::config::detail
