#pragma once
// The fixed fleet: every component as a struct in an id-indexed vector, the fleet graph beside
// it, and no JSON. Built once from a ValidatedScenario (build_world) and never changed afterwards:
// what changes at run time belongs to the subsystem that changes it (models/subsystems.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/routing/closest_region_round_robin.hpp"
#include "models/routing/http_route.hpp"
#include "models/routing/ztunnel_lb.hpp"
#include "models/topology/fleet_graph.hpp"
#include "models/traffic/arrival_rate.hpp"
#include "sim/engine.hpp"

namespace models {

using topology::ComponentId;
inline constexpr std::uint32_t kNone = 0xffffffffu;

struct Region {
  std::string name;
  ComponentId component;
  sim::Duration intra_latency{};
  sim::Duration intra_jitter{};
  std::vector<std::uint32_t> clusters;
  std::uint32_t gateway_tier = kNone;  // the regional gateway proxy tier, if the Gateway has a VIP here
};

struct Zone {
  std::string name;
  std::uint32_t region = 0;
  ComponentId component;
};

struct Cluster {
  std::string name;
  std::uint32_t region = 0;
  ComponentId component;
  ComponentId istiod;                    // the istiod that configures its proxies (a primary's, for a remote)
  std::uint32_t configured_by = 0;       // the cluster that runs that istiod (itself in multi-primary)
  std::vector<std::uint32_t> nodes;
  std::vector<std::uint32_t> workloads;  // pods and waypoint replicas scheduled here
  std::vector<std::uint32_t> proxies;    // mesh proxies its istiod configures (a primary's include its remotes')
  std::uint32_t stream = 0;              // control-plane draws (probe phases)
};

struct Node {
  std::string name;
  std::uint32_t cluster = 0;
  std::uint32_t zone = 0;
  std::uint32_t region = 0;
  ComponentId component;
  ComponentId ztunnel;
  std::uint32_t ztunnel_proxy = 0;
};

enum class WorkloadKind : std::uint8_t { Pod, WaypointReplica };

/// A pod: a service replica or a waypoint replica. Its queue and slots are traffic's
/// (traffic/requests.hpp), its readiness Kubernetes' (kubernetes/kubernetes.hpp).
struct Workload {
  std::string name;
  WorkloadKind kind = WorkloadKind::Pod;
  std::uint32_t service = 0;
  std::uint32_t cluster = 0;
  std::uint32_t node = 0;
  std::uint32_t region = 0;
  ComponentId component;
  std::uint32_t stream = 0;
  std::uint32_t proxy = kNone;  // waypoint replicas: the Envoy's own view
};

struct ResolvedCall {
  std::uint32_t callee = 0;
  double probability = 1.0;
  sim::Duration timeout{};
  std::uint32_t retries = 0;  // the caller's own retries
  sim::LaneId timeout_lane;
};

struct Service {
  std::string name;
  config::ServiceTimeConfig service_time;
  std::uint32_t concurrency = 1;
  std::uint32_t queue_limit = 0;
  sim::Duration pod_startup{};  // a created pod's time to Ready (kubernetes/deployments.hpp)
  bool has_waypoint = false;
  routing::ZtunnelLbMode ztunnel_mode = routing::ZtunnelLbMode::Standard;
  std::vector<routing::ZtunnelEndpoint> ztunnel_endpoints;  // its pods, as ztunnel sees them
  std::vector<ResolvedCall> calls;
  std::vector<std::uint32_t> pods;
  std::vector<std::uint32_t> waypoint_replicas;
};

enum class ProxyKind : std::uint8_t { Ztunnel, Waypoint };

/// A mesh proxy: a node's ztunnel or a waypoint replica's Envoy. What it knows of the endpoints is
/// pushed by its istiod (control/istiod.hpp); a waypoint's Envoy state is the waypoints'.
struct MeshProxy {
  ProxyKind kind = ProxyKind::Ztunnel;
  std::uint32_t cluster = 0;          // whose istiod configures it
  std::uint32_t region = 0;
  ComponentId component;              // the ztunnel or the waypoint replica
  std::uint32_t workload = kNone;     // waypoints: the replica
  std::uint32_t stream = 0;
};

/// One HTTPRoute rule at run time: its weighted backends as services, and the deadline it gives.
struct Route {
  std::string name;                    // "routes/<index>" and its first match, e.g. "routes/0 PathPrefix /"
  routing::HttpRouteRule rule;         // for the weighted backend pick
  std::vector<std::uint32_t> services; // by backendRef
  sim::Duration timeout{};             // the request's deadline at the gateway
};

/// A client group's own retries of failed requests (scenario `clients[].retries`).
struct ClientRetries {
  std::uint32_t attempts = 1;  // the most tries of one request, the first included
  sim::Duration backoff{};
  std::optional<sim::Duration> max_backoff;
  double budget = -1;          // the most retries as a share of requests over 10 s; < 0: none
  std::uint32_t on = 0;        // bit f: retry after traffic::Failure f
  std::uint32_t stream = 0;    // its own stream: back-off draws leave the arrivals' draws alone
};

struct Client {
  std::string name;
  std::uint32_t region = 0;
  traffic::ArrivalRate rate;  // requests per second over time
  sim::Duration access_latency{};
  std::vector<double> path_cumulative_weight;  // normalised to end at 1
  std::vector<std::uint32_t> path_route;       // rule per path entry, kNone when none matches (404)
  std::uint32_t stream = 0;
  std::optional<ClientRetries> retries;
};

/// A service's pods in one cluster, as its Deployment manages them (kubernetes/deployments.hpp).
/// Pods a Deployment may create later (up to an autoscaler's maxReplicas) are in the fleet from
/// the start, as slots: the first `replicas` run at the start, the others are absent until created.
struct Deployment {
  std::uint32_t service = 0;
  std::uint32_t cluster = 0;
  std::vector<std::uint32_t> pods;  // its pod slots (workloads), in order
  std::uint32_t replicas = 0;       // pods running at the start: the first `replicas` slots
  std::optional<config::AutoscalingConfig> autoscaling;  // its HorizontalPodAutoscaler, if any
};

/// Which runtime object a graph vertex is, for reacting to failures and repairs.
struct ComponentRef {
  topology::ComponentKind kind{};
  std::uint32_t index = kNone;
};

struct Fleet {
  config::ScenarioConfig config;  // the validated scenario (plain data)
  topology::FleetGraph graph;
  std::vector<ComponentRef> refs;               // by component id
  topology::RegionLatencies latencies;          // over the whole backbone (backbone/ keeps the current ones)

  std::vector<Region> regions;
  std::vector<Zone> zones;
  std::vector<Cluster> clusters;
  std::vector<Node> nodes;
  std::vector<Workload> workloads;
  std::vector<Service> services;
  std::vector<MeshProxy> proxies;
  std::vector<Route> routes;
  std::vector<Client> clients;
  std::vector<std::uint32_t> istiod_clusters;  // clusters that run an istiod
  std::uint32_t config_cluster = kNone;
  std::vector<ComponentId> backbone_links;  // in scenario order
  std::vector<std::string> backbone_names;  // "<from>/<to>"
  std::vector<std::uint32_t> service_database;  // by service; kNone when it writes to none
  std::vector<Deployment> deployments;          // one per service and cluster it is deployed in
  std::vector<std::uint32_t> deployment_of;     // by workload; kNone for waypoint replicas
  std::vector<std::uint8_t> starts_absent;      // by workload: 1 for a pod slot not yet created at the start

  // Waypoint replicas grouped by region in order of latency from a region: [from_region][service].
  std::vector<std::vector<std::vector<routing::EndpointGroup>>> waypoint_groups;
  std::vector<std::vector<std::uint32_t>> endpoint_storage;  // backs the spans above
  // ztunnel's ranked endpoints, one table per service and source locality that ranks differ on
  // (the whole fleet for Standard, a zone for PreferSameZone, a node for the node modes), so that
  // memory grows with zones x pods, not nodes x pods.
  std::vector<routing::RankedEndpoints> ztunnel_ranked;
  std::vector<std::uint32_t> ztunnel_ranked_of;  // [node * services + service]: index into ztunnel_ranked
  std::uint32_t ztunnel_table(std::uint32_t node, std::uint32_t service) const {
    return ztunnel_ranked_of[node * services.size() + service];
  }

  // The gateway's backend services: which services routes send to, and where each pod sits in
  // its backend service (backend and host index, the same in every tier).
  std::vector<std::uint32_t> routed_ordinal;   // by service; kNone when no route sends to it
  std::vector<std::uint32_t> gateway_backend;  // by workload
  std::vector<std::uint32_t> gateway_host;     // by workload
};

/// The index of the item called `name` in `items`; kNone when there is none.
template <class T>
std::uint32_t index_of(const std::vector<T>& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].name == name) return static_cast<std::uint32_t>(i);
  return kNone;
}

}  // namespace models
