// validate(): the checks that need more than one value at a time. Each problem names the JSON
// pointer the value would have in a scenario file, computed from indices.
// The checks of "faults" are in validate_faults.cpp.

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <set>

#include "models/config/load_scenario.hpp"
#include "models/config/messages.hpp"
#include "models/config/scenario_checker.hpp"
#include "models/config/scenario_checks.hpp"
#include "models/config/yaml_document.hpp"

namespace models::config {
namespace detail {
namespace {

/// Whether `pointer` is `container` or leads inside it ("" contains everything).
bool is_at_or_inside(std::string_view pointer, std::string_view container) {
  return pointer.starts_with(container) && (pointer.size() == container.size() || pointer[container.size()] == '/');
}

}  // namespace

std::vector<ScenarioIssue> ScenarioChecker::run() {
  check_sizes();
  check_run();
  check_regions();
  check_backbone();
  check_services();
  check_gateway();
  check_clients();
  check_mesh();
  check_faults();
  check_dns();
  check_databases();
  return std::move(issues_);
}

/// Whether `name` can take part in checks. A name that failed to read was reported already; an
/// empty one that did not (a config built in code) is reported here.
bool ScenarioChecker::usable_name(const std::string& at, const std::string& name) {
  if (failed(at)) return false;
  if (name.empty()) {
    report(at, "expected a non-empty string, found \"\"");
    return false;
  }
  return true;
}

/// Adds `name` to `table`, reporting it when it is taken already. Returns whether it was added.
bool ScenarioChecker::register_name(NameTable& table, const std::string& at, const std::string& name,
                                    std::string_view what, std::size_t index) {
  if (!usable_name(at, name)) {
    table.complete = false;
    return false;
  }
  if (const auto first = table.first_pointer.find(name); first != table.first_pointer.end()) {
    report(at, "expected a unique " + std::string(what) + ", found " + quote(name) + " again (first at " +
                   first->second + ")");
    return false;
  }
  table.names.push_back(name);
  table.first_pointer.emplace(name, at);
  table.first_index.emplace(name, index);
  return true;
}

/// Whether `name` names something in `table`; reports it when it does not and the table is
/// complete enough to be sure.
bool ScenarioChecker::resolves(const NameTable& table, const std::string& at, const std::string& name,
                               std::string_view what) {
  if (!usable_name(at, name)) return false;
  if (table.contains(name)) return true;
  if (table.complete) report(at, unknown_reference(what, table.names, name));
  return false;
}

// Fuzz findings (tests/data/fuzz_regressions/scenario/*-4e9.json, fault-process-1ns.json): counts
// up to 2^32 - 1 passed, and build_world then ran out of memory or time
// ("nodes": 4000000000, "replicas_per_cluster": 4000000000, dns "instances": 4000000000). Seen in
// review: a 1 ns step would make the simulation allocate a counter per step for 10^11 steps. Each
// size is checked against a limit far beyond any fleet simulated here; a total is reported at
// the value contributing most to it.
void ScenarioChecker::check_sizes() {
  struct Part {
    std::string at;
    std::uint64_t count = 0;
  };
  const auto saturating_add = [](std::uint64_t a, std::uint64_t b) {
    return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max() : a + b;
  };
  const auto over_limit = [&](const std::vector<Part>& parts, std::uint64_t limit, const std::string& what) {
    std::uint64_t total = 0;
    for (const Part& part : parts) total = saturating_add(total, part.count);
    if (total <= limit) return;
    const auto largest = std::max_element(parts.begin(), parts.end(),
                                          [](const Part& a, const Part& b) { return a.count < b.count; });
    std::string message = "expected at most " + std::to_string(limit) + " " + what + ", found " + std::to_string(total);
    if (parts.size() > 1) message += " (" + std::to_string(largest->count) + " of them from here)";
    report(largest->at, std::move(message));
  };

  const RunConfig& run = config_.run;
  if (!failed("/run/step") && !failed("/run/duration") && run.step.count() > 0) {
    const auto steps = static_cast<std::uint64_t>(run.duration / run.step + (run.duration % run.step != sim::Duration::zero()));
    if (steps > kMaxSteps) {
      report("/run/step", "expected at most " + std::to_string(kMaxSteps) + " steps in the run (duration / step), found " +
                              std::to_string(steps) + " steps of " + format(run.step) + " in " + format(run.duration));
    }
  }

  if (config_.regions.size() > kMaxRegions) {
    report("/regions", "expected at most " + std::to_string(kMaxRegions) + " regions, found " +
                           std::to_string(config_.regions.size()));
  }
  if (config_.services.size() > kMaxServices) {
    report("/services", "expected at most " + std::to_string(kMaxServices) + " services, found " +
                            std::to_string(config_.services.size()));
  }
  if (config_.gateway.routes.size() > kMaxRoutes) {
    report("/gateway/routes", "expected at most " + std::to_string(kMaxRoutes) + " route rules, found " +
                                  std::to_string(config_.gateway.routes.size()));
  }
  std::vector<Part> fleet;
  std::uint64_t cluster_count = 0;
  std::uint64_t node_count = 0;
  std::uint64_t zone_count = 0;
  for (std::size_t r = 0; r < config_.regions.size(); ++r) {
    zone_count += config_.regions[r].zones.size();
    for (std::size_t c = 0; c < config_.regions[r].clusters.size(); ++c) {
      fleet.push_back({pointer("regions", r, "clusters", c, "nodes"), config_.regions[r].clusters[c].nodes});
      ++cluster_count;
      node_count = saturating_add(node_count, config_.regions[r].clusters[c].nodes);
    }
  }
  const std::uint64_t tiers = config_.gateway.regions.empty() ? config_.regions.size() : config_.gateway.regions.size();
  std::set<std::string, std::less<>> routed;
  for (const RouteConfig& route : config_.gateway.routes)
    for (const BackendRefConfig& ref : route.backend_refs) routed.insert(ref.name);
  std::vector<Part> proxy_hosts;
  std::vector<Part> checked_hosts;
  std::vector<Part> ztunnel_entries;
  const auto saturating_mul = [](std::uint64_t a, std::uint64_t b) {
    return a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a ? std::numeric_limits<std::uint64_t>::max() : a * b;
  };
  for (std::size_t s = 0; s < config_.services.size(); ++s) {
    const ServiceConfig& service = config_.services[s];
    std::uint64_t deployments = cluster_count;  // no "clusters": every cluster
    if (!service.clusters.empty()) {
      deployments = 0;
      for (const auto& region : config_.regions)
        for (const auto& cluster : region.clusters)
          if (std::find(service.clusters.begin(), service.clusters.end(), cluster.name) != service.clusters.end())
            ++deployments;
    }
    // With an autoscaler every pod it may create is in the fleet from the start (absent until created).
    const std::uint64_t slots = service.autoscaling ? std::max(service.replicas_per_cluster, service.autoscaling->max_replicas)
                                                    : service.replicas_per_cluster;
    const std::uint64_t pods = saturating_mul(deployments, slots);
    fleet.push_back({pointer("services", s, service.autoscaling ? "autoscaling" : "replicas_per_cluster"), pods});
    if (service.waypoint) {
      const std::uint64_t replicas = saturating_mul(deployments, service.waypoint->replicas);
      fleet.push_back({pointer("services", s, "waypoint"), replicas});
      proxy_hosts.push_back({pointer("services", s, "waypoint"), saturating_mul(replicas, pods)});
      if (service.traffic_policy.health_check)
        checked_hosts.push_back({pointer("services", s, "traffic_policy", "healthCheck"), saturating_mul(replicas, pods)});
      ztunnel_entries.push_back(
          {pointer("services", s, "waypoint"), saturating_mul(node_count, config_.regions.size())});  // cursors
    }
    if (config_.gateway.backend_policy.outlier_detection && routed.count(service.name) > 0)
      proxy_hosts.push_back({"/gateway/backend_policy/outlierDetection", saturating_mul(tiers, pods)});
    // The ranked tables ztunnel keeps for this service, each holding all its pods; with
    // internalTrafficPolicy Local each node's table holds only its own pods: all of them once.
    std::uint64_t tables = 1;
    if (!service.internal_traffic_policy_local && service.traffic_distribution == TrafficDistribution::PreferSameZone)
      tables = std::min(zone_count, node_count);
    if (!service.internal_traffic_policy_local && service.traffic_distribution == TrafficDistribution::PreferSameNode)
      tables = node_count;
    ztunnel_entries.push_back({pointer("services", s, "traffic_distribution"), saturating_mul(tables, pods)});
  }
  over_limit(fleet, kMaxFleetComponents, "nodes, pods and waypoint replicas in the fleet");
  over_limit(proxy_hosts, kMaxWaypointHosts,
             "proxy hosts in the fleet (each waypoint replica holds every pod of its service, and with outlier detection "
             "each gateway proxy tier every pod of a routed service)");
  over_limit(checked_hosts, kMaxActivelyCheckedHosts,
             "actively health-checked waypoint hosts in the fleet (with traffic_policy.healthCheck each waypoint replica "
             "probes every pod of its service on its own timer)");
  over_limit(ztunnel_entries, kMaxZtunnelEntries,
             "ztunnel table entries in the fleet (each service's pods once per zone for PreferSameZone and once per node "
             "for PreferSameNode, and a round-robin cursor per node, waypoint service and region)");

  std::vector<Part> processes;
  for (std::size_t c = 0; c < config_.clients.size(); ++c)
    processes.push_back({pointer("clients", c, "dns", "instances"), config_.clients[c].dns.instances});
  over_limit(processes, kMaxClientProcesses, "client processes (dns.instances) in all client groups");

  // Each fault process draws about components x duration / (mttf + mttr) failures.
  for (std::size_t p = 0; p < config_.fault_processes.size(); ++p) {
    const FaultProcessConfig& process = config_.fault_processes[p];
    const std::string at = pointer("fault_processes", p);
    if (failed_within(at) || failed("/run/duration")) continue;
    double components = 0;
    for (const Part& part : fleet) {
      const bool nodes = part.at.ends_with("/nodes");
      const bool pods = part.at.ends_with("/replicas_per_cluster") || part.at.ends_with("/autoscaling");
      const bool waypoints = part.at.ends_with("/waypoint");
      if ((process.components == ComponentClass::Nodes && nodes) || (process.components == ComponentClass::Pods && pods) ||
          (process.components == ComponentClass::Waypoints && waypoints))
        components += static_cast<double>(part.count);
    }
    switch (process.components) {
      case ComponentClass::Clusters:
      case ComponentClass::Istiods: components = static_cast<double>(cluster_count); break;
      case ComponentClass::Zones:
        for (const auto& region : config_.regions) components += static_cast<double>(region.zones.size());
        break;
      case ComponentClass::Regions:
      case ComponentClass::GatewayTiers: components = static_cast<double>(config_.regions.size()); break;
      case ComponentClass::BackboneLinks: components = static_cast<double>(config_.backbone.size()); break;
      case ComponentClass::Databases: components = static_cast<double>(config_.databases.size()); break;
      case ComponentClass::Dns: components = 1; break;
      default: break;
    }
    // Named targets: one component each, but a pod or waypoint target may name several (every
    // pod of a service in a cluster, every replica of a waypoint): there the class is the bound.
    if (!process.targets.empty() && process.components != ComponentClass::Pods && process.components != ComponentClass::Waypoints)
      components = static_cast<double>(process.targets.size());
    const double cycle = static_cast<double>(process.mean_time_to_failure.count()) +
                         static_cast<double>(process.mean_time_to_repair.count());
    const double expected = components * static_cast<double>(run.duration.count()) / cycle;
    if (expected > static_cast<double>(kMaxExpectedDrawnFailures)) {
      report(at + "/mttf", "expected at most " + std::to_string(kMaxExpectedDrawnFailures) +
                               " failures drawn on average over the run (components x duration / (mttf + mttr)), "
                               "found about " + std::to_string(static_cast<std::uint64_t>(std::min(expected, 1e19))) +
                               ": lengthen mttf or mttr, or shorten the run");
    }
  }
}

void ScenarioChecker::check_run() {
  const RunConfig& run = config_.run;
  if (failed("/run/step") || failed("/run/duration")) return;
  if (run.step > run.duration) {
    report("/run/step", "expected a step no longer than the run's duration (" + format(run.duration) + "), found " +
                            format(run.step));
  }
}

void ScenarioChecker::check_regions() {
  regions_.complete = zones_.complete = clusters_.complete = !failed("/regions");
  std::optional<std::string> first_config_cluster;
  for (std::size_t r = 0; r < config_.regions.size(); ++r) {
    const RegionConfig& region = config_.regions[r];
    register_name(regions_, pointer("regions", r, "name"), region.name, "region name", r);
    if (failed(pointer("regions", r, "zones"))) zones_.complete = false;
    for (std::size_t z = 0; z < region.zones.size(); ++z) {
      register_name(zones_, pointer("regions", r, "zones", z), region.zones[z], "zone name");
    }
    if (failed(pointer("regions", r, "clusters"))) clusters_.complete = false;
    for (std::size_t c = 0; c < region.clusters.size(); ++c) {
      const ClusterConfig& cluster = region.clusters[c];
      if (register_name(clusters_, pointer("regions", r, "clusters", c, "name"), cluster.name, "cluster name")) {
        cluster_locations_.emplace(cluster.name, std::pair{r, c});
      }
      check_cluster_zones(r, c);
      const std::string flag_pointer = pointer("regions", r, "clusters", c, "config_cluster");
      if (failed(flag_pointer) || !cluster.config_cluster) continue;
      if (!first_config_cluster) {
        first_config_cluster = failed(pointer("regions", r, "clusters", c, "name"))
                                   ? pointer("regions", r, "clusters", c)
                                   : quote(cluster.name);
      } else {
        report(flag_pointer,
               "expected exactly one cluster with \"config_cluster\": true, found another one besides " +
                   *first_config_cluster);
      }
    }
  }
  if (!first_config_cluster && !failed_within("/regions")) {
    report("/regions", "expected exactly one cluster with \"config_cluster\": true, found none");
  }
}

void ScenarioChecker::check_cluster_zones(std::size_t r, std::size_t c) {
  const RegionConfig& region = config_.regions[r];
  const ClusterConfig& cluster = region.clusters[c];
  const bool region_zones_known = !failed_within(pointer("regions", r, "zones"));
  NameTable listed;
  for (std::size_t z = 0; z < cluster.zones.size(); ++z) {
    const std::string at = pointer("regions", r, "clusters", c, "zones", z);
    const std::string& zone = cluster.zones[z];
    if (!usable_name(at, zone)) continue;
    if (region_zones_known && std::find(region.zones.begin(), region.zones.end(), zone) == region.zones.end()) {
      report(at, unknown_reference("a zone of the cluster's region", region.zones, zone));
      continue;
    }
    register_name(listed, at, zone, "zone");
  }
}

void ScenarioChecker::check_backbone() {
  // Connectivity is only judged when every link could be understood; otherwise the broken link
  // has been reported and an "unreachable" region would just repeat it.
  bool links_understood = !failed_within("/backbone") && regions_.complete;
  std::map<std::pair<std::string, std::string>, std::string> first_link;
  std::map<std::string, std::vector<std::string>> neighbours;
  for (std::size_t l = 0; l < config_.backbone.size(); ++l) {
    const BackboneLinkConfig& link = config_.backbone[l];
    const bool from_known = resolves(regions_, pointer("backbone", l, "from"), link.from, "the name of a region");
    const bool to_known = resolves(regions_, pointer("backbone", l, "to"), link.to, "the name of a region");
    if (!from_known || !to_known) {
      links_understood = false;
      continue;
    }
    if (link.from == link.to) {
      report(pointer("backbone", l, "to"),
             "expected a region other than the link's \"from\", found " + quote(link.to));
      links_understood = false;
      continue;
    }
    const auto ends = std::minmax(link.from, link.to);
    const auto [first, inserted] = first_link.emplace(ends, pointer("backbone", l));
    if (!inserted) {
      report(pointer("backbone", l), "expected one link per pair of regions, found a second link between " +
                                         quote(ends.first) + " and " + quote(ends.second) + " (first at " +
                                         first->second + ")");
      continue;
    }
    neighbours[link.from].push_back(link.to);
    neighbours[link.to].push_back(link.from);
  }
  if (!links_understood || regions_.names.size() < 2) return;

  const std::string& start = regions_.names.front();
  std::set<std::string> reached{start};
  std::deque<std::string> frontier{start};
  while (!frontier.empty()) {
    const std::string region = frontier.front();
    frontier.pop_front();
    for (const std::string& next : neighbours[region]) {
      if (reached.insert(next).second) frontier.push_back(next);
    }
  }
  std::vector<std::string> unreachable;
  for (const std::string& region : regions_.names) {
    if (!reached.contains(region)) unreachable.push_back(region);
  }
  if (!unreachable.empty()) {
    report("/backbone", "expected a backbone connecting every region, found " + quoted_list(unreachable) +
                            " unreachable from " + quote(start));
  }
}

void ScenarioChecker::check_services() {
  services_.complete = !failed("/services");
  for (std::size_t s = 0; s < config_.services.size(); ++s) {
    register_name(services_, pointer("services", s, "name"), config_.services[s].name, "service name", s);
  }
  // Calls between services, by service index, with the pointer of each call.
  std::vector<std::vector<std::pair<std::size_t, std::string>>> callees(config_.services.size());
  for (std::size_t s = 0; s < config_.services.size(); ++s) {
    const ServiceConfig& service = config_.services[s];
    NameTable listed;
    for (std::size_t c = 0; c < service.clusters.size(); ++c) {
      const std::string at = pointer("services", s, "clusters", c);
      if (resolves(clusters_, at, service.clusters[c], "the name of a cluster")) {
        register_name(listed, at, service.clusters[c], "cluster");
      }
    }
    const auto& failover = service.traffic_policy.locality_lb_setting.failover;
    for (std::size_t f = 0; f < failover.size(); ++f) {
      const std::string at = pointer("services", s, "traffic_policy", "loadBalancer", "localityLbSetting", "failover", f);
      resolves(regions_, at + "/from", failover[f].from, "the name of a region");
      resolves(regions_, at + "/to", failover[f].to, "the name of a region");
    }
    const bool is_first_of_its_name = services_.contains(service.name) && services_.first_index.at(service.name) == s;
    for (std::size_t c = 0; c < service.calls.size(); ++c) {
      const std::string at = pointer("services", s, "calls", c, "service");
      const std::string& callee = service.calls[c].service;
      if (resolves(services_, at, callee, "the name of a service") && is_first_of_its_name) {
        callees[s].emplace_back(services_.first_index.at(callee), at);
      }
    }
  }
  check_call_cycles(callees);
}

/// Reports each cycle once, at the call that closes it in a depth-first walk in file order.
void ScenarioChecker::check_call_cycles(const std::vector<std::vector<std::pair<std::size_t, std::string>>>& callees) {
  enum class Visit { NotYet, InProgress, Done };
  std::vector<Visit> visits(callees.size(), Visit::NotYet);
  std::vector<std::size_t> path;
  auto visit = [&](auto& self, std::size_t caller) -> void {
    visits[caller] = Visit::InProgress;
    path.push_back(caller);
    for (const auto& [callee, call_pointer] : callees[caller]) {
      if (visits[callee] == Visit::InProgress) {
        std::string cycle;
        const auto cycle_start = std::find(path.begin(), path.end(), callee);
        for (auto it = cycle_start; it != path.end(); ++it) cycle += config_.services[*it].name + " -> ";
        cycle += config_.services[callee].name;
        report(call_pointer, "expected calls without cycles, found the cycle " + quote(cycle));
      } else if (visits[callee] == Visit::NotYet) {
        self(self, callee);
      }
    }
    path.pop_back();
    visits[caller] = Visit::Done;
  };
  for (std::size_t s = 0; s < callees.size(); ++s) {
    if (visits[s] == Visit::NotYet) visit(visit, s);
  }
}

void ScenarioChecker::check_gateway() {
  for (const auto& [cluster, scaler] : config_.gateway.backend_policy.capacity_scalers) {
    resolves(clusters_, pointer("gateway", "backend_policy", "capacityScaler", cluster), cluster, "the name of a cluster");
  }
  const GatewayConfig& gateway = config_.gateway;
  gateway_regions_complete_ = !failed_within("/gateway/regions");
  NameTable listed;
  for (std::size_t r = 0; r < gateway.regions.size(); ++r) {
    const std::string at = pointer("gateway", "regions", r);
    if (resolves(regions_, at, gateway.regions[r], "the name of a region")) {
      register_name(listed, at, gateway.regions[r], "region");
    }
  }
  const HealthCheckConfig& health_check = gateway.health_check;
  if (!failed("/gateway/health_check/timeout") && !failed("/gateway/health_check/interval") &&
      health_check.timeout > health_check.interval) {
    // Compute Engine rejects such a health check.
    report("/gateway/health_check/timeout", "expected a timeout no longer than the interval (" +
                                                format(health_check.interval) + "), found " +
                                                format(health_check.timeout));
  }
  NameTable prefixes;
  for (std::size_t r = 0; r < gateway.routes.size(); ++r) {
    const RouteConfig& route = gateway.routes[r];
    const bool shorthand = !route.backend.empty();
    if (shorthand) {
      const std::string prefix_pointer = pointer("gateway", "routes", r, "path_prefix");
      if (!failed(prefix_pointer)) register_name(prefixes, prefix_pointer, route.path_prefix, "path prefix");
    }
    const std::vector<BackendRefConfig> refs = backend_refs_of(route);
    for (std::size_t b = 0; b < refs.size(); ++b) {
      const std::string& name = refs[b].name;
      const std::string backend_pointer =
          shorthand ? pointer("gateway", "routes", r, "backend") : pointer("gateway", "routes", r, "backendRefs", b, "name");
      if (!resolves(services_, backend_pointer, name, "the name of a service")) continue;
      const std::size_t s = services_.first_index.at(name);
      if (config_.services[s].replicas_per_cluster == 0 && !failed(pointer("services", s, "replicas_per_cluster"))) {
        report(backend_pointer, "expected a service with at least one replica, found " + quote(name) +
                                    ", which has \"replicas_per_cluster\": 0");
      }
    }
    // Gateway API: timeouts.backendRequest must not exceed timeouts.request (0s disables either).
    if (route.request_timeout && route.backend_request_timeout && route.request_timeout->count() > 0 &&
        *route.backend_request_timeout > *route.request_timeout) {
      report(pointer("gateway", "routes", r, "timeouts", "backendRequest"),
             "expected a backendRequest timeout no longer than the request timeout (" + format(*route.request_timeout) +
                 "), found " + format(*route.backend_request_timeout));
    }
  }
}

/// Whether `region` has a VIP and a proxy tier of the gateway (as far as can be told).
bool ScenarioChecker::has_gateway_tier(const std::string& region) const {
  const std::vector<std::string>& regions = config_.gateway.regions;
  return regions.empty() || !gateway_regions_complete_ ||
         std::find(regions.begin(), regions.end(), region) != regions.end();
}

void ScenarioChecker::check_clients() {
  for (std::size_t c = 0; c < config_.clients.size(); ++c) {
    const ClientConfig& client = config_.clients[c];
    const std::string region_pointer = pointer("clients", c, "region");
    // A name left out defaults to "clients-<region>", so an unreadable region leaves it empty.
    if (!(client.name.empty() && failed(region_pointer))) {
      register_name(clients_, pointer("clients", c, "name"), client.name, "client name");
    }
    if (resolves(regions_, region_pointer, client.region, "the name of a region") &&
        !has_gateway_tier(client.region)) {
      report(region_pointer, "expected a region with a gateway VIP (one of " + quoted_list(config_.gateway.regions) +
                                 "), found " + quote(client.region));
    }
  }
}

void ScenarioChecker::check_databases() {
  for (std::size_t d = 0; d < config_.databases.size(); ++d) {
    const DatabaseConfig& db = config_.databases[d];
    register_name(databases_, pointer("databases", d, "name"), db.name, "database name");
    resolves(regions_, pointer("databases", d, "primary_region"), db.primary_region, "the name of a region");
    for (std::size_t r = 0; r < db.replica_regions.size(); ++r)
      resolves(regions_, pointer("databases", d, "replica_regions", r), db.replica_regions[r], "the name of a region");
    if (db.synchronous && db.replica_regions.empty() && !failed(pointer("databases", d, "replica_regions")))
      report(pointer("databases", d, "replica_regions"), "expected at least one replica for synchronous replication, found none");
  }
  for (std::size_t s = 0; s < config_.services.size(); ++s)
    if (!config_.services[s].database.empty())
      resolves(databases_, pointer("services", s, "database"), config_.services[s].database, "the name of a database");
}

// DNS answers name regions with a gateway VIP.
void ScenarioChecker::check_dns() {
  if (!config_.dns) return;
  const DnsConfig& dns = *config_.dns;
  auto check_vip = [&](const std::string& at, const std::string& region) {
    if (resolves(regions_, at, region, "the name of a region") && !has_gateway_tier(region))
      report(at, "expected a region with a gateway VIP (one of " + quoted_list(config_.gateway.regions) + "), found " +
                     quote(region));
  };
  for (std::size_t i = 0; i < dns.primary.size(); ++i) check_vip(pointer("dns", "primary", i), dns.primary[i]);
  for (std::size_t i = 0; i < dns.backup.size(); ++i) check_vip(pointer("dns", "backup", i), dns.backup[i]);
  for (const auto& [region, weight] : dns.weights) check_vip(pointer("dns", "weights", region), region);
  if (dns.policy == DnsPolicy::Failover && dns.primary.empty() && !failed("/dns/primary"))
    report("/dns/primary", "expected at least one region for the failover policy, found none");
  if (dns.policy == DnsPolicy::WeightedRoundRobin && dns.weights.empty() && !failed("/dns/weights"))
    report("/dns/weights", "expected a weight for at least one region for the weighted policy, found none");
}

// Primary-remote names the clusters that run an istiod.
void ScenarioChecker::check_mesh() {
  const auto& mesh = config_.mesh;
  if (mesh.control_plane != ControlPlaneTopology::PrimaryRemote || failed("/mesh/primaries")) return;
  if (mesh.primaries.empty()) report("/mesh/primaries", "expected at least one primary cluster, found none");
  NameTable seen;
  for (std::size_t i = 0; i < mesh.primaries.size(); ++i) {
    const std::string at = pointer("mesh", "primaries", i);
    if (resolves(clusters_, at, mesh.primaries[i], "the name of a cluster"))
      register_name(seen, at, mesh.primaries[i], "primary cluster");
  }
}

FailedValues::FailedValues(const std::vector<ScenarioIssue>& parse_issues) {
  for (const ScenarioIssue& issue : parse_issues) pointers_.push_back(issue.pointer);
}

bool FailedValues::failed(std::string_view pointer) const {
  return std::any_of(pointers_.begin(), pointers_.end(),
                     [&](const std::string& failed_pointer) { return is_at_or_inside(pointer, failed_pointer); });
}

bool FailedValues::failed_within(std::string_view pointer) const {
  return failed(pointer) || std::any_of(pointers_.begin(), pointers_.end(), [&](const std::string& failed_pointer) {
           return is_at_or_inside(failed_pointer, pointer);
         });
}

std::vector<ScenarioIssue> check_scenario(const ScenarioConfig& config, const FailedValues& failed_values) {
  return ScenarioChecker(config, failed_values).run();
}

}  // namespace detail

ValidatedScenario validate(ScenarioConfig config) {
  std::vector<ScenarioIssue> issues = detail::check_scenario(config, detail::FailedValues{});
  if (!issues.empty()) {
    throw ScenarioError(config.file, config.positions ? config.positions->locate(std::move(issues)) : std::move(issues));
  }
  return ValidatedScenario(std::move(config));
}

}  // namespace models::config
