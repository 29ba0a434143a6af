#include "models/faults/failure_modes.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace models::faults {

namespace {

std::string sorted_joined(std::vector<std::string> parts) {
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const std::string& p : parts) out += p + ";";
  return out;
}

// Signatures: what a component is, without its name. Equal signatures, interchangeable targets.
class Signatures {
 public:
  explicit Signatures(const Fleet& fleet) : fleet_(fleet) {
    for (std::uint32_t r = 0; r < fleet.regions.size(); ++r) regions_.push_back(region_content(r));
    for (std::uint32_t c = 0; c < fleet.clusters.size(); ++c)
      clusters_.push_back(regions_[fleet.clusters[c].region] + "|" + cluster_content(c));
  }

  const std::string& region(std::uint32_t r) const { return regions_[r]; }
  const std::string& cluster(std::uint32_t c) const { return clusters_[c]; }

  std::string zone(std::uint32_t z) const {
    std::vector<std::string> nodes;
    for (const Node& n : fleet_.nodes)
      if (n.zone == z) nodes.push_back(node(n));
    return regions_[fleet_.zones[z].region] + "|" + sorted_joined(nodes);
  }

  std::string node(const Node& n) const { return clusters_[n.cluster] + "|" + node_content(n); }

  // An istiod configures its own cluster's proxies and, in primary-remote, its remotes'.
  std::string istiod(std::uint32_t c) const {
    std::vector<std::string> configured;
    for (std::uint32_t k = 0; k < fleet_.clusters.size(); ++k)
      if (fleet_.clusters[k].configured_by == c) configured.push_back(clusters_[k]);
    return clusters_[c] + "|" + sorted_joined(configured);
  }

  std::string link(std::size_t l) const {
    const config::BackboneLinkConfig& link = fleet_.config.backbone[l];
    std::vector<std::string> ends{regions_[index_of(fleet_.regions, link.from)], regions_[index_of(fleet_.regions, link.to)]};
    return sorted_joined(ends) + "|" + std::to_string(link.latency.count()) + "/" + std::to_string(link.jitter.count());
  }

 private:
  // What runs on a node: its pods and waypoint replicas, by service.
  std::string node_content(const Node& n) const {
    std::vector<std::string> workloads;
    const std::uint32_t node = static_cast<std::uint32_t>(&n - fleet_.nodes.data());
    for (std::uint32_t wi : fleet_.clusters[n.cluster].workloads) {
      const Workload& wl = fleet_.workloads[wi];
      if (wl.node == node)
        workloads.push_back(fleet_.services[wl.service].name + (wl.kind == WorkloadKind::Pod ? "" : "/waypoint"));
    }
    return sorted_joined(workloads);
  }

  std::string cluster_content(std::uint32_t c) const {
    const Cluster& cluster = fleet_.clusters[c];
    std::vector<std::string> nodes;
    for (std::uint32_t n : cluster.nodes) nodes.push_back(node_content(fleet_.nodes[n]));
    std::set<std::uint32_t> zones;
    for (std::uint32_t n : cluster.nodes) zones.insert(fleet_.nodes[n].zone);
    return "nodes:" + sorted_joined(nodes) + "|zones:" + std::to_string(zones.size()) +
           "|istiod:" + (cluster.configured_by == c ? "own" : "remote") + (c == fleet_.config_cluster ? "|config" : "");
  }

  // A region: its VIP, its clients, its zones and clusters, the databases there and its backbone links.
  std::string region_content(std::uint32_t r) const {
    const Region& region = fleet_.regions[r];
    const config::ScenarioConfig& cfg = fleet_.config;
    std::vector<std::string> parts{region.gateway_tier != kNone ? "vip" : "no-vip",
                                   "zones:" + std::to_string(cfg.regions[r].zones.size()),
                                   "intra:" + std::to_string(region.intra_latency.count()) + "/" +
                                       std::to_string(region.intra_jitter.count())};
    std::vector<std::string> clusters, clients, databases, links;
    for (std::uint32_t c : region.clusters) clusters.push_back(cluster_content(c));
    for (std::size_t k = 0; k < fleet_.clients.size(); ++k) {
      const Client& client = fleet_.clients[k];
      if (client.region != r) continue;
      std::string text = client.rate.describe() + "/" + std::to_string(client.access_latency.count());
      for (const auto& p : cfg.clients[k].paths) {
        text += "/" + p.path + "*" + std::to_string(p.weight);
        for (const auto& [name, value] : p.headers) text += "/" + name + "=" + value;
      }
      clients.push_back(text);
    }
    for (const auto& db : cfg.databases) {
      if (db.primary_region == region.name) databases.push_back(db.name + ":primary");
      for (std::size_t i = 0; i < db.replica_regions.size(); ++i)
        if (db.replica_regions[i] == region.name) databases.push_back(db.name + ":replica" + std::to_string(i));
    }
    for (const auto& link : cfg.backbone)
      if (link.from == region.name || link.to == region.name)
        links.push_back(std::to_string(link.latency.count()) + "/" + std::to_string(link.jitter.count()));
    if (cfg.dns) {
      const auto listed = [&](const std::vector<std::string>& names) {
        return std::find(names.begin(), names.end(), region.name) != names.end();
      };
      parts.push_back(std::string("dns:") + (listed(cfg.dns->primary) ? "primary" : "") + (listed(cfg.dns->backup) ? "backup" : ""));
      for (const auto& [name, weight] : cfg.dns->weights)
        if (name == region.name) parts.push_back("weight:" + std::to_string(weight));
    }
    return sorted_joined(parts) + "|clusters:" + sorted_joined(clusters) + "|clients:" + sorted_joined(clients) +
           "|databases:" + sorted_joined(databases) + "|links:" + sorted_joined(links);
  }

  const Fleet& fleet_;
  std::vector<std::string> regions_, clusters_;
};

// Collects targets into classes by signature, in the order of each class's first target.
class Classes {
 public:
  explicit Classes(FaultKind kind) : kind_(kind) {}
  void add(const std::string& signature, const std::string& target, const std::string& service = "") {
    const auto [it, inserted] = index_.try_emplace(signature, modes_.size());
    if (inserted) modes_.push_back(FailureMode{kind_, target, {}, service});
    modes_[it->second].represents.push_back(target);
  }
  void append_to(std::vector<FailureMode>& out) { out.insert(out.end(), modes_.begin(), modes_.end()); }

 private:
  FaultKind kind_;
  std::map<std::string, std::size_t> index_;
  std::vector<FailureMode> modes_;
};

}  // namespace

std::vector<FailureMode> failure_modes(const Fleet& fleet) {
  const Signatures sig(fleet);
  std::vector<FailureMode> out;
  Classes regions(FaultKind::RegionOutage), zones(FaultKind::ZoneOutage), clusters(FaultKind::ClusterOutage),
      tiers(FaultKind::GatewayTierOutage), istiods(FaultKind::IstiodOutage), links(FaultKind::BackbonePartition),
      nodes(FaultKind::NodeCrash), waypoints(FaultKind::WaypointCrash), databases(FaultKind::DatabasePrimaryFailure),
      grays(FaultKind::GrayFailure);
  for (std::uint32_t r = 0; r < fleet.regions.size(); ++r) {
    regions.add(sig.region(r), fleet.regions[r].name);
    if (fleet.regions[r].gateway_tier != kNone) tiers.add(sig.region(r), fleet.regions[r].name);
  }
  for (std::uint32_t z = 0; z < fleet.zones.size(); ++z) zones.add(sig.zone(z), fleet.zones[z].name);
  for (std::uint32_t c = 0; c < fleet.clusters.size(); ++c) {
    clusters.add(sig.cluster(c), fleet.clusters[c].name);
    if (fleet.clusters[c].configured_by == c) istiods.add(sig.istiod(c), fleet.clusters[c].name);
  }
  for (std::size_t l = 0; l < fleet.config.backbone.size(); ++l) links.add(sig.link(l), fleet.backbone_names[l]);
  for (const Node& n : fleet.nodes) nodes.add(sig.node(n), n.name);
  // A waypoint crash takes every replica of a service's waypoint in one cluster.
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  for (const Workload& wl : fleet.workloads) {
    if (wl.kind != WorkloadKind::WaypointReplica || !seen.emplace(wl.cluster, wl.service).second) continue;
    const std::string& service = fleet.services[wl.service].name;
    waypoints.add(sig.cluster(wl.cluster) + "|" + service, fleet.clusters[wl.cluster].name + "/" + service + "-waypoint");
  }
  for (const auto& db : fleet.config.databases) databases.add(db.name, db.name);
  // A gray failure of each service in each cluster where it has pods: identical clusters' pods of
  // the same service are one class (the service is part of the signature; its target the cluster).
  std::set<std::pair<std::uint32_t, std::uint32_t>> degraded;
  for (const Workload& wl : fleet.workloads) {
    if (wl.kind != WorkloadKind::Pod || !degraded.emplace(wl.cluster, wl.service).second) continue;
    const std::string& service = fleet.services[wl.service].name;
    grays.add(sig.cluster(wl.cluster) + "|" + service, fleet.clusters[wl.cluster].name, service);
  }
  regions.append_to(out);
  zones.append_to(out);
  clusters.append_to(out);
  tiers.append_to(out);
  istiods.append_to(out);
  links.append_to(out);
  nodes.append_to(out);
  waypoints.append_to(out);
  if (fleet.config.dns) out.push_back(FailureMode{FaultKind::DnsOutage, "", {""}, ""});
  databases.append_to(out);
  grays.append_to(out);
  return out;
}

}  // namespace models::faults
