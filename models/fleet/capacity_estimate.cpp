#include "models/fleet/capacity_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "sim/number_text.hpp"

namespace models {
namespace {

double mean_service_seconds(const config::ServiceTimeConfig& st) {
  const double scale = sim::to_seconds(st.scale);
  return st.kind == config::ServiceTimeKind::LogNormal ? scale * std::exp(st.sigma * st.sigma / 2) : scale;
}

std::string percent(double share) { return sim::fixed_text(100 * share, 0, "%"); }
std::string milliseconds(double seconds) { return sim::fixed_text(1e3 * seconds, 1, " ms"); }
std::string rate(double per_second) { return sim::fixed_text(per_second, 0, "/s"); }

}  // namespace

CapacityEstimate estimate_capacity(const Fleet& fleet) {
  const std::size_t regions = fleet.regions.size(), services = fleet.services.size();
  // The pods each Deployment runs at the start, or with an autoscaler as many as it may create: a
  // service the HPA can scale out of trouble is not flagged (a rollout's room counts for nothing).
  std::vector<std::vector<std::uint32_t>> pods(services, std::vector<std::uint32_t>(regions, 0));
  std::vector<std::uint32_t> service_pods(services, 0);
  for (const Deployment& d : fleet.deployments) {
    const std::uint32_t n = d.autoscaling ? d.autoscaling->max_replicas : d.replicas;
    pods[d.service][fleet.clusters[d.cluster].region] += n;
    service_pods[d.service] += n;
  }
  const auto one_way = [&](std::uint32_t a, std::uint32_t b) {
    if (a == b) return sim::to_seconds(fleet.regions[a].intra_latency);
    const sim::Duration d = fleet.latencies.latency[a][b];
    return d == sim::Duration::max() ? 0.0 : sim::to_seconds(d);
  };
  // The region closest to `from` where `service` has pods (itself first).
  const auto closest_with_pods = [&](std::uint32_t service, std::uint32_t from) -> std::uint32_t {
    for (std::uint32_t r : fleet.latencies.by_distance_from(from))
      if (pods[service][r] > 0) return r;
    return kNone;
  };
  // Where a call from `from` to `callee` goes: region -> share.
  const auto spread = [&](std::uint32_t callee, std::uint32_t from) {
    std::vector<double> share(regions, 0.0);
    const Service& s = fleet.services[callee];
    const auto& policy = fleet.config.services[callee].traffic_policy;
    const bool local = s.has_waypoint ? policy.outlier_detection.has_value() : s.ztunnel_mode != routing::ZtunnelLbMode::Standard;
    if (local) {
      if (const std::uint32_t r = closest_with_pods(callee, from); r != kNone) share[r] = 1.0;
      return share;
    }
    const double total = static_cast<double>(service_pods[callee]);
    for (std::uint32_t r = 0; r < regions; ++r) share[r] = total > 0 ? pods[callee][r] / total : 0.0;
    return share;
  };

  // Callers before callees (the call graph has no cycle: validated).
  std::vector<std::uint32_t> order;
  std::vector<std::uint8_t> seen(services, 0);
  const std::function<void(std::uint32_t)> visit = [&](std::uint32_t s) {
    if (seen[s]) return;
    seen[s] = 1;
    for (const ResolvedCall& c : fleet.services[s].calls) visit(c.callee);
    order.push_back(s);  // after its callees
  };
  for (std::uint32_t s = 0; s < services; ++s) visit(s);

  // Hold times, callees first.
  std::vector<std::vector<double>> hold(services, std::vector<double>(regions, 0.0)), cross(hold);
  for (const std::uint32_t s : order) {
    for (std::uint32_t r = 0; r < regions; ++r) {
      double h = mean_service_seconds(fleet.services[s].service_time), x = 0;
      for (const ResolvedCall& c : fleet.services[s].calls) {
        const auto share = spread(c.callee, r);
        for (std::uint32_t to = 0; to < regions; ++to) {
          if (share[to] == 0) continue;
          const double round_trip = 2 * one_way(r, to);
          h += c.probability * share[to] * (round_trip + hold[c.callee][to]);
          x += c.probability * share[to] * ((to != r ? round_trip : 0.0) + cross[c.callee][to]);
        }
      }
      hold[s][r] = h;
      cross[s][r] = x;
    }
  }

  // Offered load, callers first: the gateway's share of each client group's peak, then the calls.
  std::vector<std::vector<double>> offered(services, std::vector<double>(regions, 0.0));
  for (const Client& client : fleet.clients) {
    double previous = 0;
    for (std::size_t p = 0; p < client.path_route.size(); ++p) {
      const double path_share = client.path_cumulative_weight[p] - previous;
      previous = client.path_cumulative_weight[p];
      const std::uint32_t route = client.path_route[p];
      if (route == kNone) continue;
      const auto& refs = fleet.config.gateway.routes[route].backend_refs;
      double weights = 0;
      for (const auto& ref : refs) weights += ref.weight;
      if (weights == 0) continue;
      for (std::size_t b = 0; b < refs.size(); ++b) {
        const std::uint32_t service = fleet.routes[route].services[b];
        const std::uint32_t r = closest_with_pods(service, client.region);
        if (r != kNone) offered[service][r] += client.rate.peak() * path_share * refs[b].weight / weights;
      }
    }
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::uint32_t s = *it;
    for (std::uint32_t r = 0; r < regions; ++r) {
      if (offered[s][r] == 0) continue;
      for (const ResolvedCall& c : fleet.services[s].calls) {
        const auto share = spread(c.callee, r);
        for (std::uint32_t to = 0; to < regions; ++to) offered[c.callee][to] += offered[s][r] * c.probability * share[to];
      }
    }
  }

  CapacityEstimate out;
  for (std::uint32_t s = 0; s < services; ++s) {
    const Service& service = fleet.services[s];
    for (std::uint32_t r = 0; r < regions; ++r) {
      if (pods[s][r] == 0) continue;
      ServiceRegionLoad load{s, r, pods[s][r], offered[s][r], hold[s][r], cross[s][r], 0};
      load.utilization = load.offered_per_second * load.hold_seconds / (static_cast<double>(load.pods) * service.concurrency);
      out.loads.push_back(load);
      if (load.utilization < 1.0) continue;
      std::string why = "service \"" + service.name + "\" in " + fleet.regions[r].name + " is over capacity at the clients' peak: " +
                        rate(load.offered_per_second) + " x " + milliseconds(load.hold_seconds) + " held per request = " +
                        percent(load.utilization) + " of " + std::to_string(load.pods) + " pods x concurrency " +
                        std::to_string(service.concurrency);
      if (load.cross_region_seconds > load.hold_seconds / 2)
        why += "; most of the hold (" + milliseconds(load.cross_region_seconds) +
               ") is waiting on calls that cross regions: set traffic_distribution on the services it calls";
      out.warnings.push_back(std::move(why));
    }
  }
  // Calls that leave the region for lack of traffic_distribution, while the callee has pods here.
  for (std::uint32_t caller = 0; caller < services; ++caller) {
    for (const ResolvedCall& c : fleet.services[caller].calls) {
      const Service& callee = fleet.services[c.callee];
      if (callee.has_waypoint || callee.ztunnel_mode != routing::ZtunnelLbMode::Standard) continue;
      const auto in_regions = std::count_if(pods[c.callee].begin(), pods[c.callee].end(), [](std::uint32_t n) { return n > 0; });
      if (in_regions < 2) continue;
      double calls = 0, leaving = 0;
      for (std::uint32_t r = 0; r < regions; ++r) {
        if (offered[caller][r] == 0 || pods[c.callee][r] == 0) continue;
        const double n = offered[caller][r] * c.probability;
        calls += n;
        leaving += n * (1.0 - static_cast<double>(pods[c.callee][r]) / static_cast<double>(service_pods[c.callee]));
      }
      if (calls == 0 || leaving / calls < 0.1) continue;
      out.warnings.push_back("calls from \"" + fleet.services[caller].name + "\" to \"" + callee.name + "\" cross regions: \"" +
                             callee.name + "\" has no traffic_distribution, so ztunnel spreads them over its pods in all " +
                             std::to_string(in_regions) + " regions (about " + percent(leaving / calls) +
                             " leave their region although it has pods of \"" + callee.name +
                             "\"); \"traffic_distribution\": \"PreferSameZone\" keeps them local");
      break;  // once per caller
    }
  }
  return out;
}

}  // namespace models
