#include "models/availability/client_paths.hpp"

#include <algorithm>

namespace models::availability {

ClientPaths::ClientPaths(const World& world, std::vector<topology::ComponentId> failing) : w_(world) {
  for (const topology::ComponentId c : failing) {
    std::vector<std::uint32_t> reach;
    if (c.valid())
      for (const topology::ComponentId r : w_.graph.failure_reach(c)) reach.push_back(static_cast<std::uint32_t>(r.index()));
    reach_.push_back(std::move(reach));
  }
  const auto region_index = [&](const std::string& name) { return index_of(w_.regions, name); };
  for (const auto& link : w_.config.backbone) links_.emplace_back(region_index(link.from), region_index(link.to));
  if (const auto& dns = w_.config.dns) {
    for (std::uint32_t r = 0; r < w_.regions.size(); ++r) {
      if (w_.regions[r].gateway_tier == kNone) continue;
      const std::string& name = w_.regions[r].name;
      const auto listed = [&](const std::vector<std::string>& names) { return std::find(names.begin(), names.end(), name) != names.end(); };
      bool answered = true;
      if (dns->policy == config::DnsPolicy::Failover) answered = listed(dns->primary) || listed(dns->backup);
      if (dns->policy == config::DnsPolicy::WeightedRoundRobin)
        answered = std::any_of(dns->weights.begin(), dns->weights.end(), [&](const auto& w) { return w.first == name && w.second > 0; });
      if (answered) entry_regions_.push_back(r);
    }
  }
  down_count_.assign(w_.graph.size(), 0);
}

bool ClientPaths::pod_ready(std::uint32_t wi) const {
  const Workload& wl = w_.workloads[wi];
  return w_.starts_absent[wi] == 0 && down_count_[wl.component.index()] == 0;
}

void ClientPaths::connect_regions() const {
  const std::size_t n = w_.regions.size();
  connected_.assign(n * n, 0);
  for (std::size_t from = 0; from < n; ++from) {
    // Breadth-first over the links that are up.
    std::vector<std::uint32_t>& frontier = frontier_;
    frontier.assign(1, static_cast<std::uint32_t>(from));
    connected_[from * n + from] = 1;
    while (!frontier.empty()) {
      const std::uint32_t at = frontier.back();
      frontier.pop_back();
      for (std::size_t l = 0; l < links_.size(); ++l) {
        if (down_count_[w_.backbone_links[l].index()] != 0) continue;
        const auto [a, b] = links_[l];
        const std::uint32_t next = a == at ? b : b == at ? a : kNone;
        if (next == kNone || connected_[from * n + next]) continue;
        connected_[from * n + next] = 1;
        frontier.push_back(next);
      }
    }
  }
}

bool ClientPaths::works(std::uint32_t service, std::uint32_t region) const {
  std::int8_t& memo = works_[service * w_.regions.size() + region];
  if (memo >= 0) return memo == 1;
  if (memo == -2) return false;  // a call cycle: not a path
  memo = -2;
  const Service& s = w_.services[service];
  bool ok = std::any_of(s.pods.begin(), s.pods.end(),
                        [&](std::uint32_t wi) { return w_.workloads[wi].region == region && pod_ready(wi); });
  for (const ResolvedCall& call : s.calls)
    if (ok && !reachable(call.callee, region)) ok = false;
  if (ok && w_.service_database[service] != kNone) {
    // A primary failure promotes a replica: writes work while some instance is up.
    const auto& instances = w_.databases[w_.service_database[service]].instances;
    ok = std::any_of(instances.begin(), instances.end(), [&](topology::ComponentId c) { return down_count_[c.index()] == 0; });
  }
  memo = ok ? 1 : 0;
  return ok;
}

bool ClientPaths::reachable(std::uint32_t service, std::uint32_t from) const {
  const std::size_t n = w_.regions.size();
  const auto served_from = [&](std::uint32_t at) {
    for (std::uint32_t r = 0; r < n; ++r)
      if (connected_[at * n + r] && works(service, r)) return true;
    return false;
  };
  const Service& s = w_.services[service];
  if (!s.has_waypoint) return served_from(from);
  // Through one of its waypoint's replicas, then to its pods.
  for (std::uint32_t wi : s.waypoint_replicas) {
    const std::uint32_t at = w_.workloads[wi].region;
    if (connected_[from * n + at] && down_count_[w_.workloads[wi].component.index()] == 0 && served_from(at)) return true;
  }
  return false;
}

double ClientPaths::success(std::uint32_t client, std::span<const std::uint32_t> down) const {
  dns_down_ = false;
  for (std::uint32_t i : down) {
    if (reach_[i].empty()) dns_down_ = true;
    for (std::uint32_t c : reach_[i]) ++down_count_[c];
  }
  connect_regions();
  works_.assign(w_.services.size() * w_.regions.size(), -1);
  const std::size_t n = w_.regions.size();
  const Client& cl = w_.clients[client];
  // With DNS, the VIPs it may answer (none while it is down); without, the client's own region's.
  const std::span<const std::uint32_t> entries =
      !w_.config.dns ? std::span<const std::uint32_t>(&cl.region, 1)
      : dns_down_    ? std::span<const std::uint32_t>()
                     : std::span<const std::uint32_t>(entry_regions_);
  const auto tier_up = [&](std::uint32_t r) {
    const std::uint32_t tier = w_.regions[r].gateway_tier;
    return tier != kNone && down_count_[w_.tiers[tier].component.index()] == 0;
  };
  double share = 0, previous = 0;
  for (std::size_t p = 0; p < cl.path_cumulative_weight.size(); ++p) {
    const double weight = cl.path_cumulative_weight[p] - previous;
    previous = cl.path_cumulative_weight[p];
    const std::uint32_t route = cl.path_route[p];
    if (route == kNone) continue;  // a 404
    const Route& rt = w_.routes[route];
    double best = 0;  // the best entry VIP's share of the route's backend weight that works
    for (std::uint32_t v : entries) {
      if (!tier_up(v) || !connected_[cl.region * n + v]) continue;
      double total = 0, working = 0;
      for (std::size_t b = 0; b < rt.rule.backends.size(); ++b) {
        const auto& backend = rt.rule.backends[b];
        total += backend.weight;
        if (!backend.valid || b >= rt.services.size()) continue;
        // The gateway sends to pods directly (NEG endpoints), in any region the backbone reaches.
        bool served = false;
        for (std::uint32_t r = 0; r < n && !served; ++r) served = connected_[v * n + r] && works(rt.services[b], r);
        if (served) working += backend.weight;
      }
      if (total > 0) best = std::max(best, working / total);
    }
    share += weight * best;
  }
  for (std::uint32_t i : down)
    for (std::uint32_t c : reach_[i]) --down_count_[c];
  return share;
}

}  // namespace models::availability
