// build_world: the fixed fleet from a validated scenario, its graph, and the initial state of
// the subsystems (gateway tiers, waypoint Envoys, databases); faults/build_faults.cpp adds the faults.
#include "models/world.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <span>

#include "models/faults/build_faults.hpp"
#include "models/routing/istio_locality_priority.hpp"

namespace models {

using topology::ComponentKind;
using topology::EdgeKind;

std::uint32_t World::add_stream(std::uint64_t seed, std::string_view entity) {
  streams.emplace_back(seed, 0, entity);
  return static_cast<std::uint32_t>(streams.size() - 1);
}

namespace {

traffic::ArrivalRate client_rate(const config::ClientConfig& cc) {
  if (cc.diurnal) return traffic::ArrivalRate::diurnal(cc.diurnal->peak, cc.diurnal->trough, cc.diurnal->peak_at);
  if (cc.profile.empty()) return traffic::ArrivalRate::constant(cc.rate_per_second);
  std::vector<traffic::ArrivalRate::Point> points;
  for (const auto& p : cc.profile) {
    const config::RateShape shape = p.shape.value_or(cc.shape);
    points.push_back({p.at, p.rate_per_second,
                      shape == config::RateShape::Linear ? traffic::ArrivalRate::Shape::Linear : traffic::ArrivalRate::Shape::Step});
  }
  return traffic::ArrivalRate::profile(std::move(points));
}

using gateway::GatewayBackends;
using gateway::GatewayTier;

class WorldBuilder {
 public:
  WorldBuilder(const config::ScenarioConfig& cfg, std::uint64_t seed) : cfg_(cfg), seed_(seed) {
    w_.config = cfg;
    w_.config.run.seed = seed;
  }

  World build() {
    add_regions();
    add_backbone();
    assign_control_planes();
    add_gateway();
    add_services();
    add_mesh_proxies();
    group_endpoints();
    add_ztunnel_endpoints();
    add_routes_and_clients();
    add_gateway_backends();
    add_databases();
    faults::add_faults(w_, cfg_, seed_);
    return std::move(w_);
  }

 private:
  ComponentId add(ComponentKind kind, const std::string& name, std::uint32_t index) {
    const ComponentId id = w_.graph.add_component(kind, name);
    w_.refs.push_back(ComponentRef{kind, index});
    return id;
  }

  void add_regions() {
    for (const auto& rc : cfg_.regions) {
      const auto r = static_cast<std::uint32_t>(w_.regions.size());
      Region region;
      region.name = rc.name;
      region.component = add(ComponentKind::Region, rc.name, r);
      region.intra_latency = rc.intra_region_latency;
      region.intra_jitter = rc.intra_region_jitter;
      w_.regions.push_back(std::move(region));
      std::vector<std::uint32_t> region_zones;
      for (const auto& zname : rc.zones) {
        const auto z = static_cast<std::uint32_t>(w_.zones.size());
        Zone zone{zname, r, add(ComponentKind::Zone, zname, z)};
        w_.graph.add_edge(w_.regions[r].component, zone.component, EdgeKind::Contains);
        w_.zones.push_back(std::move(zone));
        region_zones.push_back(z);
      }
      for (const auto& cc : rc.clusters) add_cluster(r, cc, region_zones);
    }
  }

  void add_cluster(std::uint32_t r, const config::ClusterConfig& cc, const std::vector<std::uint32_t>& region_zones) {
    const auto c = static_cast<std::uint32_t>(w_.clusters.size());
    Cluster cluster;
    cluster.name = cc.name;
    cluster.region = r;
    cluster.component = add(ComponentKind::Cluster, cc.name, c);
    cluster.configured_by = c;
    const auto& primaries = cfg_.mesh.primaries;
    const bool runs_istiod = cfg_.mesh.control_plane == config::ControlPlaneTopology::MultiPrimary ||
                             std::find(primaries.begin(), primaries.end(), cc.name) != primaries.end();
    if (runs_istiod) {
      cluster.istiod = add(ComponentKind::Istiod, cc.name + "/istiod", c);
      w_.graph.add_edge(cluster.component, cluster.istiod, EdgeKind::Contains);
      w_.istiod_clusters.push_back(c);
    }
    cluster.stream = w_.add_stream(seed_, "cluster/" + cc.name + "/control-plane");
    w_.graph.add_edge(w_.regions[r].component, cluster.component, EdgeKind::Contains);
    if (cc.config_cluster) {
      config_cluster_ = cluster.component;
      w_.config_cluster = c;
    }

    // A regional cluster spreads its nodes over its zones in turn.
    std::vector<std::uint32_t> zones;
    if (cc.zones.empty()) {
      zones = region_zones;
    } else {
      for (const auto& zname : cc.zones) zones.push_back(index_of(w_.zones, zname));
    }
    w_.clusters.push_back(std::move(cluster));
    for (std::uint32_t i = 0; i < cc.nodes; ++i) {
      const auto n = static_cast<std::uint32_t>(w_.nodes.size());
      Node node;
      node.name = cc.name + "/node-" + std::to_string(i);
      node.cluster = c;
      node.zone = zones[i % zones.size()];
      node.region = r;
      node.component = add(ComponentKind::Node, node.name, n);
      node.ztunnel = add(ComponentKind::Ztunnel, node.name + "/ztunnel", n);
      w_.graph.add_edge(w_.clusters[c].component, node.component, EdgeKind::Contains);
      w_.graph.add_edge(w_.zones[node.zone].component, node.component, EdgeKind::Contains);
      w_.graph.add_edge(node.component, node.ztunnel, EdgeKind::RunsOn);
      w_.clusters[c].nodes.push_back(n);
      w_.nodes.push_back(std::move(node));
    }
    w_.regions[r].clusters.push_back(c);
  }

  // Which istiod configures each cluster's proxies: its own, or (primary-remote) the closest
  // primary's by backbone latency, ties to the first listed.
  void assign_control_planes() {
    for (std::uint32_t c = 0; c < w_.clusters.size(); ++c) {
      Cluster& cluster = w_.clusters[c];
      if (!cluster.istiod.valid()) {
        std::uint32_t best = kNone;
        for (const std::string& name : cfg_.mesh.primaries) {
          const std::uint32_t p = index_of(w_.clusters, name);
          const auto latency = [&](std::uint32_t k) {
            const std::uint32_t a = cluster.region, b = w_.clusters[k].region;
            return a == b ? sim::Duration::zero() : w_.latencies.latency[a][b];
          };
          if (best == kNone || latency(p) < latency(best)) best = p;
        }
        cluster.configured_by = best;
        cluster.istiod = w_.clusters[best].istiod;
      }
      for (std::uint32_t n : cluster.nodes) w_.graph.add_edge(cluster.istiod, w_.nodes[n].ztunnel, EdgeKind::Configures);
    }
  }

  void add_backbone() {
    for (const auto& link : cfg_.backbone) {
      const std::uint32_t a = index_of(w_.regions, link.from);
      const std::uint32_t b = index_of(w_.regions, link.to);
      const ComponentId id = w_.graph.add_backbone_link(w_.regions[a].component, w_.regions[b].component,
                                                        topology::LinkLatency{link.latency, link.jitter});
      w_.refs.push_back(ComponentRef{ComponentKind::BackboneLink, static_cast<std::uint32_t>(w_.backbone_links.size())});
      w_.backbone_links.push_back(id);
      w_.backbone_names.push_back(link.from + "/" + link.to);
    }
    std::vector<ComponentId> region_ids;
    for (const auto& r : w_.regions) region_ids.push_back(r.component);
    w_.latencies = w_.graph.region_latencies(region_ids);
  }

  void add_gateway() {
    const auto& gw = cfg_.gateway;
    const ComponentId gateway = add(ComponentKind::Gateway, gw.name, kNone);
    if (config_cluster_.valid()) w_.graph.add_edge(config_cluster_, gateway, EdgeKind::Configures);
    for (std::uint32_t r = 0; r < w_.regions.size(); ++r) {
      const bool has_vip = gw.regions.empty() ||
                           std::find(gw.regions.begin(), gw.regions.end(), w_.regions[r].name) != gw.regions.end();
      if (!has_vip) continue;
      const auto t = static_cast<std::uint32_t>(w_.tiers.size());
      GatewayTier tier;
      tier.name = gw.name + "/" + w_.regions[r].name;
      tier.region = r;
      tier.component = add(ComponentKind::GatewayProxyTier, tier.name, t);
      tier.stream = w_.add_stream(seed_, "gateway/" + tier.name);
      // The proxy tier is Google-managed, outside the region's GKE failure domain: a region
      // outage of the fleet does not take it; a gateway-tier-outage fault does.
      w_.graph.add_edge(gateway, tier.component, EdgeKind::Contains);
      w_.regions[r].gateway_tier = t;
      w_.tiers.push_back(std::move(tier));
    }
  }

  void add_services() {
    for (const auto& sc : cfg_.services) {
      Service s;
      s.name = sc.name;
      s.service_time = sc.service_time;
      s.concurrency = sc.concurrency;
      s.queue_limit = sc.queue_limit;
      s.pod_startup = sc.pod_startup;
      s.has_waypoint = sc.waypoint.has_value();
      w_.services.push_back(std::move(s));
    }
    for (std::size_t i = 0; i < cfg_.services.size(); ++i) {
      for (const auto& call : cfg_.services[i].calls) {
        w_.services[i].calls.push_back(
            ResolvedCall{index_of(w_.services, call.service), call.probability, call.timeout, call.retries, {}});
      }
    }
    // Place replicas on nodes round robin, each service starting where the previous one stopped, so that
    // services spread over the nodes instead of piling onto node 0.
    for (std::uint32_t c = 0; c < w_.clusters.size(); ++c) {
      std::uint32_t next_node = 0;
      for (std::uint32_t s = 0; s < cfg_.services.size(); ++s) {
        const auto& sc = cfg_.services[s];
        const bool deployed = sc.clusters.empty() ||
                              std::find(sc.clusters.begin(), sc.clusters.end(), w_.clusters[c].name) != sc.clusters.end();
        if (!deployed) continue;
        // With an autoscaler the Deployment may create up to maxReplicas pods: those beyond the
        // replicas it starts with (clamped into [minReplicas, maxReplicas], as the HPA would at
        // its first sync) are slots, absent until created.
        Deployment d;
        d.service = s;
        d.cluster = c;
        d.replicas = sc.replicas_per_cluster;
        std::uint32_t slots = sc.replicas_per_cluster;
        if (sc.autoscaling) {
          d.autoscaling = sc.autoscaling;
          d.replicas = std::clamp(d.replicas, sc.autoscaling->min_replicas, sc.autoscaling->max_replicas);
          slots = std::max(d.replicas, sc.autoscaling->max_replicas);
        }
        slots += rollout_room(c, sc, slots);
        const auto deployment = static_cast<std::uint32_t>(w_.deployments.size());
        for (std::uint32_t i = 0; i < slots; ++i) {
          d.pods.push_back(static_cast<std::uint32_t>(w_.workloads.size()));
          add_workload(WorkloadKind::Pod, s, c, next_node++, w_.clusters[c].name + "/" + sc.name + "-" + std::to_string(i));
          w_.deployment_of.back() = deployment;
          w_.starts_absent.back() = i >= d.replicas ? 1 : 0;
        }
        w_.deployments.push_back(std::move(d));
        if (sc.waypoint) {
          for (std::uint32_t i = 0; i < sc.waypoint->replicas; ++i)
            add_workload(WorkloadKind::WaypointReplica, s, c, next_node++,
                         w_.clusters[c].name + "/" + sc.name + "-waypoint-" + std::to_string(i));
        }
      }
    }
  }

  // A bad rollout's Deployment needs room beside its pods: maxSurge new pods at a time, and the
  // pods of a batch or two still terminating (kubernetes/deployments.hpp).
  std::uint32_t rollout_room(std::uint32_t c, const config::ServiceConfig& sc, std::uint32_t replicas) const {
    const Cluster& cluster = w_.clusters[c];
    std::uint32_t room = 0;
    for (const config::FaultConfig& f : cfg_.faults) {
      if (f.kind != config::FaultKind::BadRollout) continue;
      if (f.target != cluster.name + "/" + sc.name && f.target != w_.regions[cluster.region].name + "/" + sc.name) continue;
      const std::uint32_t surge = f.max_surge.resolve(replicas, true);
      const std::uint32_t unavailable = std::max(f.max_unavailable.resolve(replicas, false), surge == 0 ? 1u : 0u);
      room = std::max(room, 2 * (surge + unavailable));
    }
    return room;
  }

  void add_workload(WorkloadKind kind, std::uint32_t s, std::uint32_t c, std::uint32_t slot, std::string name) {
    const auto& cluster = w_.clusters[c];
    const auto wi = static_cast<std::uint32_t>(w_.workloads.size());
    Workload wl;
    wl.kind = kind;
    wl.service = s;
    wl.cluster = c;
    wl.node = cluster.nodes[slot % cluster.nodes.size()];
    wl.region = cluster.region;
    wl.component = add(kind == WorkloadKind::Pod ? ComponentKind::Pod : ComponentKind::WaypointReplica, name, wi);
    wl.stream = w_.add_stream(seed_, name);
    wl.name = std::move(name);
    const Node& node = w_.nodes[wl.node];
    w_.graph.add_edge(node.component, wl.component, EdgeKind::RunsOn);
    if (kind == WorkloadKind::Pod) {
      // A pod's mesh traffic passes its node's ztunnel; a waypoint speaks HBONE itself.
      w_.graph.add_edge(node.ztunnel, wl.component, EdgeKind::DependsOn);
      w_.services[s].pods.push_back(wi);
    } else {
      w_.graph.add_edge(cluster.istiod, wl.component, EdgeKind::Configures);
      w_.services[s].waypoint_replicas.push_back(wi);
    }
    w_.clusters[c].workloads.push_back(wi);
    w_.workloads.push_back(std::move(wl));
    w_.deployment_of.push_back(kNone);
    w_.starts_absent.push_back(0);
  }

  void add_mesh_proxies() {
    for (std::uint32_t n = 0; n < w_.nodes.size(); ++n) {
      Node& node = w_.nodes[n];
      node.ztunnel_proxy = add_proxy(ProxyKind::Ztunnel, node.cluster, node.region, node.ztunnel);
    }
    // Where each service's pods are, as Istio sees them: the same for every replica of its
    // waypoint, so computed once per service (a large fleet has hundreds of replicas).
    std::vector<std::vector<routing::LocalityAndLabels>> pod_localities(w_.services.size());
    for (std::uint32_t wi = 0; wi < w_.workloads.size(); ++wi) {
      Workload& wl = w_.workloads[wi];
      if (wl.kind != WorkloadKind::WaypointReplica) continue;
      wl.proxy = add_proxy(ProxyKind::Waypoint, wl.cluster, wl.region, wl.component);
      w_.proxies[wl.proxy].stream = wl.stream;
      w_.proxies[wl.proxy].workload = wi;
      std::vector<routing::LocalityAndLabels>& endpoints = pod_localities[wl.service];
      if (endpoints.empty())
        for (std::uint32_t h : w_.services[wl.service].pods) endpoints.push_back(locality_of(w_.workloads[h]));
      w_.upstreams[wl.proxy].emplace(waypoint_upstream(wl, endpoints));
    }
    for (auto& tier : w_.tiers) {
      tier.health.assign(w_.workloads.size(), health::HealthCheckState{});
      // A pod not yet created has never passed a check: it must pass the healthy threshold once created.
      for (std::size_t wi = 0; wi < w_.workloads.size(); ++wi)
        if (w_.starts_absent[wi] != 0) tier.health[wi] = health::HealthCheckState::unhealthy();
      tier.results_in_flight.assign(w_.workloads.size(), 0);
    }
  }

  // Where a proxy or endpoint is, as Istio sees it: region, zone, no subzone; labels for the node
  // and the cluster. The scenario has one network.
  routing::LocalityAndLabels locality_of(const Workload& wl) const {
    const Node& node = w_.nodes[wl.node];
    routing::LocalityAndLabels out;
    out.locality = routing::Locality{w_.regions[wl.region].name, w_.zones[node.zone].name, ""};
    out.labels = {{std::string(routing::kNetworkLabel), "default"},
                  {std::string(routing::kHostnameLabel), node.name},
                  {"topology.istio.io/cluster", w_.clusters[wl.cluster].name}};
    return out;
  }

  // The Envoy of one waypoint replica: its service's pods in every cluster (`endpoints`: where
  // each is), in Istio's priority levels for this replica's locality, with the service's
  // DestinationRule and retry policy.
  proxies::EnvoyUpstream waypoint_upstream(const Workload& wp, std::span<const routing::LocalityAndLabels> endpoints) const {
    const config::ServiceConfig& sc = cfg_.services[wp.service];
    const config::TrafficPolicyConfig& tp = sc.traffic_policy;
    proxies::EnvoyUpstreamSettings settings;
    switch (tp.load_balancer) {
      case config::LoadBalancerPolicy::LeastRequest: settings.lb_policy = routing::LbPolicy::LeastRequest; break;
      case config::LoadBalancerPolicy::RoundRobin: settings.lb_policy = routing::LbPolicy::RoundRobin; break;
      case config::LoadBalancerPolicy::Random: settings.lb_policy = routing::LbPolicy::Random; break;
    }
    settings.active_health_check = tp.health_check;
    if (tp.outlier_detection) {
      const auto& od = *tp.outlier_detection;
      health::IstioOutlierDetection rule;
      rule.consecutive_5xx_errors = od.consecutive_5xx_errors;
      rule.consecutive_gateway_errors = od.consecutive_gateway_errors;
      rule.interval = od.interval;
      rule.base_ejection_time = od.base_ejection_time;
      rule.max_ejection_percent = od.max_ejection_percent;
      settings.outlier_detection = health::from_istio(rule);
      if (cfg_.mesh.max_ejection_pre_2023) settings.outlier_detection->max_ejection_rule = health::MaxEjectionRule::Pre2023;
      // Istio: healthy_panic_threshold = minHealthPercent whenever outlierDetection is set.
      settings.panic_threshold_percent = od.min_health_percent;
    }
    settings.retry = routing::RetryPolicy::istio_defaults();
    settings.retry.num_retries = sc.retries.attempts;
    settings.retry.per_try_timeout = sc.retries.per_try_timeout;
    settings.retry.retry_on = routing::RetryOn::None;
    for (const std::string& token : sc.retries.retry_on) settings.retry.retry_on = settings.retry.retry_on | retry_on_bit(token);
    if (cfg_.mesh.retry_backoff_docs) settings.retry.backoff_formula = routing::BackoffFormula::Docs;
    settings.circuit_breakers = routing::CircuitBreakerThresholds::istio_defaults();
    settings.circuit_breakers.max_pending_requests = tp.connection_pool.http1_max_pending_requests;
    settings.circuit_breakers.max_requests = tp.connection_pool.http2_max_requests;
    settings.circuit_breakers.max_retries = tp.connection_pool.max_retries;
    if (tp.retry_budget)
      settings.retry_budget = routing::RetryBudget{tp.retry_budget->budget_percent, tp.retry_budget->min_retry_concurrency};

    routing::LocalityFailoverSettings failover;
    failover.failover_enabled = tp.outlier_detection.has_value() && tp.locality_lb_setting.enabled;
    for (const auto& rule : tp.locality_lb_setting.failover) failover.failover.push_back({rule.from, rule.to});
    failover.failover_priority = tp.locality_lb_setting.failover_priority;
    switch (sc.traffic_distribution) {
      case config::TrafficDistribution::Any: break;
      case config::TrafficDistribution::PreferSameZone:
        failover.traffic_distribution = routing::TrafficDistribution::PreferSameZone;
        break;
      case config::TrafficDistribution::PreferSameNode:
        failover.traffic_distribution = routing::TrafficDistribution::PreferSameNode;
        break;
    }
    const std::vector<std::uint32_t>& hosts = w_.services[wp.service].pods;
    std::vector<std::uint32_t> priorities = routing::assign_istio_priorities(locality_of(wp), endpoints, failover);
    return proxies::EnvoyUpstream(std::move(settings), hosts, std::move(priorities));
  }

  static routing::RetryOn retry_on_bit(const std::string& token) {
    if (token == "5xx") return routing::RetryOn::FiveXX;
    if (token == "gateway-error") return routing::RetryOn::GatewayError;
    if (token == "reset") return routing::RetryOn::Reset;
    if (token == "connect-failure") return routing::RetryOn::ConnectFailure;
    if (token == "refused-stream") return routing::RetryOn::RefusedStream;
    if (token == "unavailable") return routing::RetryOn::GrpcUnavailable;
    if (token == "cancelled") return routing::RetryOn::GrpcCancelled;
    if (token == "retriable-status-codes") return routing::RetryOn::RetriableStatusCodes;
    return routing::RetryOn::None;
  }

  std::uint32_t add_proxy(ProxyKind kind, std::uint32_t c, std::uint32_t r, ComponentId component) {
    const auto p = static_cast<std::uint32_t>(w_.proxies.size());
    MeshProxy proxy;
    proxy.kind = kind;
    proxy.cluster = c;
    proxy.region = r;
    proxy.component = component;
    w_.proxies.push_back(std::move(proxy));
    w_.upstreams.emplace_back();
    w_.clusters[w_.clusters[c].configured_by].proxies.push_back(p);
    return p;
  }

  // For each source region, the regions in order of backbone latency, each with the waypoint
  // replicas of every service there (ztunnel reaches a service's waypoint by closest region).
  void group_endpoints() {
    const std::size_t nr = w_.regions.size();
    w_.endpoint_storage.assign(nr * w_.services.size(), {});
    for (std::uint32_t i = 0; i < w_.workloads.size(); ++i) {
      const Workload& wl = w_.workloads[i];
      if (wl.kind == WorkloadKind::WaypointReplica) w_.endpoint_storage[wl.region * w_.services.size() + wl.service].push_back(i);
    }
    w_.waypoint_groups.assign(nr, std::vector<std::vector<routing::EndpointGroup>>(w_.services.size()));
    for (std::uint32_t from = 0; from < nr; ++from)
      for (std::uint32_t to : w_.latencies.by_distance_from(from))
        for (std::size_t s = 0; s < w_.services.size(); ++s)
          w_.waypoint_groups[from][s].push_back(
              routing::EndpointGroup{to, w_.endpoint_storage[to * w_.services.size() + s]});
  }

  // What ztunnel needs to choose among a service's pods: their locality as dense ids, and the
  // load-balancing mode the Service's trafficDistribution / internalTrafficPolicy give.
  void add_ztunnel_endpoints() {
    for (std::uint32_t s = 0; s < w_.services.size(); ++s) {
      Service& service = w_.services[s];
      const config::ServiceConfig& sc = cfg_.services[s];
      if (sc.internal_traffic_policy_local) {
        service.ztunnel_mode = routing::ZtunnelLbMode::StrictLocalNode;
      } else {
        switch (sc.traffic_distribution) {
          case config::TrafficDistribution::Any: service.ztunnel_mode = routing::ZtunnelLbMode::Standard; break;
          case config::TrafficDistribution::PreferSameZone:
            service.ztunnel_mode = routing::ZtunnelLbMode::PreferSameZone;
            break;
          case config::TrafficDistribution::PreferSameNode:
            service.ztunnel_mode = routing::ZtunnelLbMode::PreferSameNode;
            break;
        }
      }
      for (std::uint32_t pod : service.pods)
        service.ztunnel_endpoints.push_back(routing::ZtunnelEndpoint{pod, ztunnel_locality(w_.workloads[pod].node), 1, true});
    }
    // Ranks depend only on where caller and pods are, and only on the scopes the mode compares:
    // one table per (service, the source's locality at the finest scope that mode ranks on).
    std::map<std::array<std::uint32_t, 3>, std::uint32_t> table_of;
    for (std::uint32_t n = 0; n < w_.nodes.size(); ++n)
      for (std::uint32_t s = 0; s < w_.services.size(); ++s) {
        const Service& service = w_.services[s];
        std::array<std::uint32_t, 3> key{s, 0, 0};
        switch (service.ztunnel_mode) {
          case routing::ZtunnelLbMode::Standard: break;
          case routing::ZtunnelLbMode::PreferSameZone: key = {s, w_.nodes[n].region, w_.nodes[n].zone + 1}; break;
          case routing::ZtunnelLbMode::PreferSameNode:
          case routing::ZtunnelLbMode::StrictLocalNode: key = {s, n, kNone}; break;
        }
        const auto [it, added] = table_of.try_emplace(key, static_cast<std::uint32_t>(w_.ztunnel_ranked.size()));
        if (added)
          w_.ztunnel_ranked.push_back(routing::rank_endpoints(service.ztunnel_mode, ztunnel_locality(n), service.ztunnel_endpoints));
        w_.ztunnel_ranked_of.push_back(it->second);
      }
  }

  routing::EndpointLocality ztunnel_locality(std::uint32_t node) const {
    const Node& n = w_.nodes[node];
    return routing::EndpointLocality{0, n.region, n.zone, 0, node};  // one network, no subzones
  }

  void add_routes_and_clients() {
    std::vector<routing::HttpRouteRule> rules;
    for (const auto& rc : cfg_.gateway.routes) {
      routing::HttpRouteRule rule;
      for (const auto& m : config::matches_of(rc)) {
        routing::HttpMatch match;
        match.path = routing::PathMatch{m.exact ? routing::PathMatchType::Exact : routing::PathMatchType::PathPrefix, m.path};
        for (const auto& h : m.headers) match.headers.push_back(routing::HeaderMatch{h.name, h.value});
        rule.matches.push_back(std::move(match));
      }
      Route route;
      route.name = "routes/" + std::to_string(w_.routes.size());
      if (const auto matches = config::matches_of(rc); !matches.empty()) {
        route.name += matches.front().exact ? " Exact " : " PathPrefix ";
        route.name += matches.front().path;
      }
      for (const auto& ref : config::backend_refs_of(rc)) {
        rule.backends.push_back(routing::BackendRef{ref.name, ref.weight, true});
        route.services.push_back(index_of(w_.services, ref.name));
      }
      rule.request_timeout = rc.request_timeout;
      rule.backend_request_timeout = rc.backend_request_timeout;
      // No gateway retries: one backend request, bounded by both timeouts; 0s disables one.
      route.timeout = cfg_.gateway.timeout;
      for (const auto& t : {rc.request_timeout, rc.backend_request_timeout})
        if (const auto active = routing::active_timeout(t)) route.timeout = *active;
      if (const auto request = routing::active_timeout(rc.request_timeout); request && *request < route.timeout)
        route.timeout = *request;
      route.rule = rule;
      rules.push_back(std::move(rule));
      w_.routes.push_back(std::move(route));
    }
    const routing::HttpRouteTable table(std::move(rules));
    for (const auto& cc : cfg_.clients) {
      Client client;
      client.name = cc.name.empty() ? "clients-" + cc.region : cc.name;
      client.region = index_of(w_.regions, cc.region);
      client.rate = client_rate(cc);
      client.access_latency = cc.access_latency;
      client.stream = w_.add_stream(seed_, "client/" + client.name);
      if (cc.retries) {
        ClientRetries& r = client.retries.emplace();
        r.attempts = cc.retries->attempts;
        r.backoff = cc.retries->backoff;
        r.max_backoff = cc.retries->max_backoff;
        r.budget = cc.retries->budget.value_or(-1.0);
        if (cc.retries->on.empty()) {
          for (std::size_t f = 1; f < traffic::kFailureCount; ++f)
            if (static_cast<traffic::Failure>(f) != traffic::Failure::NoRoute) r.on |= 1u << f;
        }
        for (const traffic::Failure f : cc.retries->on) r.on |= 1u << static_cast<unsigned>(f);
        r.stream = w_.add_stream(seed_, "client/" + client.name + "/retries");
      }
      std::vector<config::RequestMixEntry> paths = cc.paths;
      if (paths.empty()) paths.push_back(config::RequestMixEntry{});
      double total = 0;
      for (const auto& p : paths) total += p.weight;
      double cumulative = 0;
      for (const auto& p : paths) {
        cumulative += p.weight / total;
        client.path_cumulative_weight.push_back(cumulative);
        std::vector<routing::HttpHeader> headers;
        for (const auto& [name, value] : p.headers) headers.push_back(routing::HttpHeader{name, value});
        // Matched once here: a client's path entries are fixed, so no string work per request.
        const auto matched = table.match(routing::HttpRequestView{"GET", p.path, headers});
        client.path_route.push_back(matched ? static_cast<std::uint32_t>(matched->rule) : kNone);
      }
      client.path_cumulative_weight.back() = 1.0;
      w_.clients.push_back(std::move(client));
    }
  }

  // Each tier gets a backend service per routed service: one backend (NEG) per cluster running it,
  // with the backend policy's capacity settings.
  void add_gateway_backends() {
    const auto& policy = cfg_.gateway.backend_policy;
    w_.routed_ordinal.assign(w_.services.size(), kNone);
    w_.gateway_backend.assign(w_.workloads.size(), kNone);
    w_.gateway_host.assign(w_.workloads.size(), kNone);
    std::vector<std::uint32_t> routed;
    for (const Route& r : w_.routes)
      for (std::uint32_t service : r.services)
        if (w_.routed_ordinal[service] == kNone) {
          w_.routed_ordinal[service] = static_cast<std::uint32_t>(routed.size());
          routed.push_back(service);
        }
    for (GatewayTier& tier : w_.tiers) {
      tier.region_order = w_.latencies.by_distance_from(tier.region);
      for (std::uint32_t service : routed) {
        GatewayBackends gb;
        gb.service = service;
        std::uint32_t host = 0;
        for (std::uint32_t c = 0; c < w_.clusters.size(); ++c) {
          std::vector<std::uint32_t> pods;
          for (std::uint32_t wl : w_.services[service].pods)
            if (w_.workloads[wl].cluster == c) pods.push_back(wl);
          if (pods.empty()) continue;
          routing::WaterfallBackend backend;
          backend.region = w_.clusters[c].region;
          // A pod slot not yet created is not in the NEG (kubernetes/deployments.hpp).
          const auto present = static_cast<std::uint32_t>(
              std::count_if(pods.begin(), pods.end(), [&](std::uint32_t wl) { return w_.starts_absent[wl] == 0; }));
          backend.endpoints = backend.healthy_endpoints = present;
          backend.max_rate_per_endpoint = policy.max_rate_per_endpoint;
          for (const auto& [cluster, scaler] : policy.capacity_scalers)
            if (cluster == w_.clusters[c].name) backend.capacity_scaler = scaler;
          for (std::uint32_t wl : pods) {
            w_.gateway_backend[wl] = static_cast<std::uint32_t>(gb.backends.size());
            w_.gateway_host[wl] = host++;
          }
          gb.backends.push_back(backend);
          gb.neg_pods.push_back(std::move(pods));
        }
        gb.picker = routing::WaterfallPicker(gb.backends.size());
        for (std::size_t b = 0; b < gb.neg_pods.size(); ++b) {
          std::vector<std::uint32_t> present;
          for (std::uint32_t wl : gb.neg_pods[b])
            if (w_.starts_absent[wl] == 0) present.push_back(wl);
          gb.picker.set_healthy_endpoints(b, std::move(present));
        }
        gb.placed_rps.assign(gb.backends.size(), 0.0);
        if (policy.outlier_detection) {
          const auto& od = *policy.outlier_detection;
          health::OutlierDetectionConfig detector = health::OutlierDetectionConfig::gcp_backend_service_defaults();
          detector.consecutive_5xx = od.consecutive_errors;
          detector.enforcing_consecutive_5xx = od.enforcing_consecutive_errors;
          detector.consecutive_gateway_failure = od.consecutive_gateway_failure;
          detector.enforcing_consecutive_gateway_failure = od.enforcing_consecutive_gateway_failure;
          detector.interval = od.interval;
          detector.base_ejection_time = od.base_ejection_time;
          detector.max_ejection_percent = od.max_ejection_percent;
          gb.outlier.emplace(detector, host);
        }
        tier.backend_services.push_back(std::move(gb));
      }
    }
  }

  // Each database instance is a component of its region: a region outage takes it.
  void add_databases() {
    for (const auto& dc : cfg_.databases) {
      const auto d = static_cast<std::uint32_t>(w_.databases.size());
      data::Database db;
      db.name = dc.name;
      db.config = dc;
      std::vector<std::string> regions{dc.primary_region};
      regions.insert(regions.end(), dc.replica_regions.begin(), dc.replica_regions.end());
      for (const std::string& region : regions) {
        const std::uint32_t r = index_of(w_.regions, region);
        db.regions.push_back(r);
        const ComponentId instance = add(ComponentKind::DatabaseInstance, dc.name + "/" + region, d);
        w_.graph.add_edge(w_.regions[r].component, instance, EdgeKind::Contains);
        db.instances.push_back(instance);
      }
      db.stream = w_.add_stream(seed_, "database/" + dc.name);
      db.result.name = dc.name;
      w_.databases.push_back(std::move(db));
    }
    w_.service_database.assign(w_.services.size(), kNone);
    for (std::uint32_t s = 0; s < w_.services.size(); ++s)
      if (!cfg_.services[s].database.empty()) w_.service_database[s] = index_of(w_.databases, cfg_.services[s].database);
  }

  const config::ScenarioConfig& cfg_;
  std::uint64_t seed_;
  World w_;
  ComponentId config_cluster_;
};

}  // namespace

World build_world(const config::ValidatedScenario& scenario, std::uint64_t seed) {
  return WorldBuilder(scenario.config(), seed).build();
}

}  // namespace models
