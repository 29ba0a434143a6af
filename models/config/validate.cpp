// validate(): the checks that need more than one value at a time. Each problem names the JSON
// pointer the value would have in a scenario file, computed from indices.

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <set>

#include "models/config/load_scenario.hpp"
#include "models/config/messages.hpp"
#include "models/config/scenario_checks.hpp"

namespace models::config {
namespace detail {
namespace {

/// Whether `pointer` is `container` or leads inside it ("" contains everything).
bool is_at_or_inside(std::string_view pointer, std::string_view container) {
  return pointer.starts_with(container) && (pointer.size() == container.size() || pointer[container.size()] == '/');
}

void append_token(std::string& out, std::string_view key) { out += key; }
void append_token(std::string& out, std::size_t index) { out += std::to_string(index); }

/// pointer("services", 2, "calls", 0, "service") == "/services/2/calls/0/service". The keys used
/// here never need RFC 6901 escaping.
template <class... Tokens>
std::string pointer(const Tokens&... tokens) {
  std::string out;
  ((out += '/', append_token(out, tokens)), ...);
  return out;
}

std::string format(sim::Duration duration) { return sim::format_duration(duration); }

/// Names of one kind seen so far, with where each was first seen. Incomplete when some name could
/// not be read: a reference to a name not in the table may then be to that one.
struct NameTable {
  std::vector<std::string> names;  // in the order first seen
  std::map<std::string, std::string, std::less<>> first_pointer;
  std::map<std::string, std::size_t, std::less<>> first_index;  // index of the entity, e.g. the service
  bool complete = true;

  bool contains(std::string_view name) const { return first_pointer.contains(name); }
};

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

class ScenarioChecker {
 public:
  ScenarioChecker(const ScenarioConfig& config, const FailedValues& failed_values)
      : config_(config), failed_values_(failed_values) {}

  std::vector<ScenarioIssue> run() {
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

 private:
  bool failed(std::string_view at) const { return failed_values_.failed(at); }
  bool failed_within(std::string_view at) const { return failed_values_.failed_within(at); }
  void report(std::string at, std::string message) { issues_.push_back({std::move(at), std::move(message)}); }

  /// Whether `name` can take part in checks. A name that failed to read was reported already; an
  /// empty one that did not (a config built in code) is reported here.
  bool usable_name(const std::string& at, const std::string& name) {
    if (failed(at)) return false;
    if (name.empty()) {
      report(at, "expected a non-empty string, found \"\"");
      return false;
    }
    return true;
  }

  /// Adds `name` to `table`, reporting it when it is taken already. Returns whether it was added.
  bool register_name(NameTable& table, const std::string& at, const std::string& name, std::string_view what,
                     std::size_t index = 0) {
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
  bool resolves(const NameTable& table, const std::string& at, const std::string& name, std::string_view what) {
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
  void check_sizes() {
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
    std::vector<Part> fleet;
    std::uint64_t cluster_count = 0;
    for (std::size_t r = 0; r < config_.regions.size(); ++r) {
      for (std::size_t c = 0; c < config_.regions[r].clusters.size(); ++c) {
        fleet.push_back({pointer("regions", r, "clusters", c, "nodes"), config_.regions[r].clusters[c].nodes});
        ++cluster_count;
      }
    }
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
      fleet.push_back({pointer("services", s, "replicas_per_cluster"), deployments * service.replicas_per_cluster});
      if (service.waypoint) fleet.push_back({pointer("services", s, "waypoint"), deployments * service.waypoint->replicas});
    }
    over_limit(fleet, kMaxFleetComponents, "nodes, pods and waypoint replicas in the fleet");

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
        const bool pods = part.at.ends_with("/replicas_per_cluster");
        if ((process.components == ComponentClass::Nodes && nodes) || (process.components == ComponentClass::Pods && pods))
          components += static_cast<double>(part.count);
      }
      if (process.components == ComponentClass::Clusters) components = static_cast<double>(cluster_count);
      if (process.components == ComponentClass::Zones)
        for (const auto& region : config_.regions) components += static_cast<double>(region.zones.size());
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

  void check_run() {
    const RunConfig& run = config_.run;
    if (failed("/run/step") || failed("/run/duration")) return;
    if (run.step > run.duration) {
      report("/run/step", "expected a step no longer than the run's duration (" + format(run.duration) + "), found " +
                              format(run.step));
    }
  }

  void check_regions() {
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

  void check_cluster_zones(std::size_t r, std::size_t c) {
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

  void check_backbone() {
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

  void check_services() {
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
  void check_call_cycles(const std::vector<std::vector<std::pair<std::size_t, std::string>>>& callees) {
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

  void check_gateway() {
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
  bool has_gateway_tier(const std::string& region) const {
    const std::vector<std::string>& regions = config_.gateway.regions;
    return regions.empty() || !gateway_regions_complete_ ||
           std::find(regions.begin(), regions.end(), region) != regions.end();
  }

  void check_clients() {
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

  void check_faults() {
    for (std::size_t f = 0; f < config_.faults.size(); ++f) {
      const FaultConfig& fault = config_.faults[f];
      register_name(faults_, pointer("faults", f, "id"), fault.id, "fault id");
      if (!failed(pointer("faults", f, "kind"))) check_fault_target(f);
      if (!failed(pointer("faults", f, "at")) && !failed("/run/duration") && fault.at >= config_.run.duration) {
        report(pointer("faults", f, "at"), "expected a start before the end of the run (" +
                                               format(config_.run.duration) + "), found " + format(fault.at));
      }
    }
    for (std::size_t p = 0; p < config_.fault_processes.size(); ++p)
      register_name(faults_, pointer("fault_processes", p, "id"), config_.fault_processes[p].id, "fault id");
  }

  void check_databases() {
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
  void check_dns() {
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

  void check_fault_target(std::size_t f) {
    const FaultConfig& fault = config_.faults[f];
    const std::string at = pointer("faults", f, "target");
    switch (fault.kind) {
      case FaultKind::RegionOutage:
        resolves(regions_, at, fault.target, "the name of a region");
        return;
      case FaultKind::GatewayTierOutage:
        if (resolves(regions_, at, fault.target, "the name of a region") && !has_gateway_tier(fault.target)) {
          report(at, "expected a region with a gateway proxy tier (one of " + quoted_list(config_.gateway.regions) +
                         "), found " + quote(fault.target));
        }
        return;
      case FaultKind::ZoneOutage:
        resolves(zones_, at, fault.target, "the name of a zone");
        return;
      case FaultKind::ClusterOutage:
        resolves(clusters_, at, fault.target, "the name of a cluster");
        return;
      case FaultKind::IstiodOutage:
        if (resolves(clusters_, at, fault.target, "the name of a cluster") && !runs_istiod(fault.target))
          report(at, "expected a cluster that runs an istiod (primary-remote: one of " + quoted_list(config_.mesh.primaries) +
                         "), found the remote cluster " + quote(fault.target));
        return;
      case FaultKind::ConfigClusterOutage:
        if (resolves(clusters_, at, fault.target, "the name of a cluster") && !is_config_cluster(fault.target))
          report(at, "expected the config cluster (the one with \"config_cluster\": true), found " + quote(fault.target));
        return;
      case FaultKind::NodeCrash:
      case FaultKind::ZtunnelCrash:
        check_node_target(at, fault.target);
        return;
      case FaultKind::WaypointCrash:
      case FaultKind::WaypointOverload:
        if (pods_complete() && usable_name(at, fault.target) && !waypoint_names().contains(fault.target))
          report(at, unknown_reference("a waypoint \"<cluster>/<service>-waypoint\" or one of its replicas "
                                       "\"<cluster>/<service>-waypoint-<index>\"",
                                       waypoint_names().names, fault.target));
        return;
      case FaultKind::CrashLoop:
        if (pods_complete() && usable_name(at, fault.target) && !pod_names().contains(fault.target) &&
            !waypoint_names().contains(fault.target)) {
          std::vector<std::string> candidates = pod_names().names;
          candidates.insert(candidates.end(), waypoint_names().names.begin(), waypoint_names().names.end());
          report(at, unknown_reference("a pod \"<cluster>/<service>-<index>\" or a waypoint replica", candidates, fault.target));
        }
        return;
      case FaultKind::DnsOutage:
        if (!config_.dns) report(pointer("faults", f, "kind"), "expected a scenario with \"dns\" for a dns-outage, found none");
        return;
      case FaultKind::PodCrash:
        if (pods_complete()) resolves(pod_names(), at, fault.target, "the name of a pod (\"<cluster>/<service>-<index>\")");
        return;
      case FaultKind::GrayFailure:
        check_gray_failure_target(at, fault.target);
        return;
      case FaultKind::BackbonePartition:
      case FaultKind::BackboneDegradation: {
        // "<region>/<region>", in either order, for a link of the backbone.
        std::vector<std::string> links;
        for (const auto& link : config_.backbone) {
          links.push_back(link.from + "/" + link.to);
          if (link.from + "/" + link.to == fault.target || link.to + "/" + link.from == fault.target) return;
        }
        if (usable_name(at, fault.target)) report(at, unknown_reference("a backbone link \"<region>/<region>\"", links, fault.target));
        return;
      }
      case FaultKind::DatabasePrimaryFailure: {
        std::vector<std::string> names;
        for (const auto& db : config_.databases) names.push_back(db.name);
        if (usable_name(at, fault.target) && std::find(names.begin(), names.end(), fault.target) == names.end())
          report(at, unknown_reference("the name of a database", names, fault.target));
        return;
      }
    }
  }

  // Pods are named "<cluster>/<service>-<index>", one per replica of each service in each cluster
  // it is deployed to. Built on first use, once regions and services are known.
  bool pods_complete() const { return clusters_.complete && services_.complete; }
  // Calls fn(cluster, service) for every cluster a service is deployed to, in scenario order.
  template <class Fn>
  void for_each_deployment(Fn fn) const {
    for (const auto& region : config_.regions)
      for (const auto& cluster : region.clusters)
        for (const auto& service : config_.services)
          if (service.clusters.empty() ||
              std::find(service.clusters.begin(), service.clusters.end(), cluster.name) != service.clusters.end())
            fn(cluster, service);
  }
  static void add_name(NameTable& table, std::string name) {
    table.first_pointer.emplace(name, "");
    table.names.push_back(std::move(name));
  }

  const NameTable& pod_names() {
    if (pods_built_) return pods_;
    pods_built_ = true;
    for_each_deployment([&](const ClusterConfig& cluster, const ServiceConfig& service) {
      for (std::uint32_t i = 0; i < service.replicas_per_cluster; ++i)
        add_name(pods_, cluster.name + "/" + service.name + "-" + std::to_string(i));
    });
    return pods_;
  }

  // Waypoints are named "<cluster>/<service>-waypoint" and their replicas "...-waypoint-<index>".
  const NameTable& waypoint_names() {
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

  bool is_config_cluster(const std::string& name) const {
    for (const auto& region : config_.regions)
      for (const auto& cluster : region.clusters)
        if (cluster.name == name) return cluster.config_cluster;
    return false;
  }
  bool runs_istiod(const std::string& cluster) const {
    const auto& mesh = config_.mesh;
    return mesh.control_plane == ControlPlaneTopology::MultiPrimary ||
           std::find(mesh.primaries.begin(), mesh.primaries.end(), cluster) != mesh.primaries.end();
  }

  // Primary-remote names the clusters that run an istiod.
  void check_mesh() {
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

  // A gray failure targets a pod, a node or a cluster.
  void check_gray_failure_target(const std::string& at, const std::string& target) {
    if (!usable_name(at, target) || !pods_complete()) return;
    if (pod_names().contains(target) || clusters_.contains(target)) return;
    if (const auto node = split_node_name(target)) {
      const auto location = cluster_locations_.find(node->cluster);
      if (location != cluster_locations_.end() &&
          node->index < config_.regions[location->second.first].clusters[location->second.second].nodes)
        return;
    }
    std::string message = "expected the name of a pod (\"<cluster>/<service>-<index>\"), a node "
                          "(\"<cluster>/node-<index>\") or a cluster, found " + quote(target);
    std::vector<std::string> candidates = pod_names().names;
    candidates.insert(candidates.end(), clusters_.names.begin(), clusters_.names.end());
    if (const auto match = closest_match(target, candidates)) message += "; did you mean " + quote(*match) + "?";
    report(at, std::move(message));
  }

  void check_node_target(const std::string& at, const std::string& target) {
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

  const ScenarioConfig& config_;
  const FailedValues& failed_values_;
  std::vector<ScenarioIssue> issues_;
  NameTable regions_;
  NameTable zones_;
  NameTable clusters_;
  NameTable services_;
  NameTable clients_;
  NameTable faults_;
  NameTable pods_;
  NameTable waypoints_;
  NameTable databases_;
  bool pods_built_ = false;
  bool waypoints_built_ = false;
  std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> cluster_locations_;  // region, cluster
  bool gateway_regions_complete_ = true;
};

}  // namespace

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
  if (!issues.empty()) throw ScenarioError(config.file, std::move(issues));
  return ValidatedScenario(std::move(config));
}

}  // namespace models::config
