#pragma once
// The runtime fleet: every component as a struct in an id-indexed vector, the fleet graph beside
// it, and no JSON. Built once from a ValidatedScenario; only event handlers change it afterwards.

#include <cstdint>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/health/health_check.hpp"
#include "models/proxies/envoy_upstream.hpp"
#include "models/routing/closest_region_round_robin.hpp"
#include "sim/run_result.hpp"
#include "models/routing/gclb_waterfall.hpp"
#include "models/routing/http_route.hpp"
#include "models/routing/ztunnel_lb.hpp"
#include "models/topology/fleet_graph.hpp"
#include "sim/engine.hpp"
#include "sim/rng.hpp"

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
  sim::SimTime down_since{};
};

enum class WorkloadKind : std::uint8_t { Pod, WaypointReplica };

/// A pod: a service replica (with its concurrency slots and queue) or a waypoint replica.
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

  // Service pods at run time.
  std::uint32_t busy = 0;            // requests being worked on
  std::vector<std::uint32_t> queue;  // waiting calls, a ring buffer grown on demand up to queue_limit
  std::uint32_t queue_head = 0;
  std::uint32_t queue_size = 0;
  std::uint32_t active_head = kNone;  // intrusive list of calls holding a slot

  double error_rate = 0;  // share of requests answered 503 while up (active gray failures)
  sim::Duration added_latency{};  // per request: a slow pod (gray failure) or a saturated waypoint

  // Kubernetes readiness as the cluster's API server knows it.
  bool ready = true;
  std::uint32_t failed_probes = 0;
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
  bool has_waypoint = false;
  routing::ZtunnelLbMode ztunnel_mode = routing::ZtunnelLbMode::Standard;
  std::vector<routing::ZtunnelEndpoint> ztunnel_endpoints;  // its pods, as ztunnel sees them
  std::vector<ResolvedCall> calls;
  std::vector<std::uint32_t> pods;
  std::vector<std::uint32_t> waypoint_replicas;
};

enum class ProxyKind : std::uint8_t { Ztunnel, Waypoint };

/// A mesh proxy's own view of the endpoints, as last pushed by its control plane: there is no
/// global truth on the data path, so two proxies can disagree.
struct MeshProxy {
  ProxyKind kind = ProxyKind::Ztunnel;
  std::uint32_t cluster = 0;          // whose istiod configures it
  std::uint32_t region = 0;
  ComponentId component;              // the ztunnel or the waypoint replica
  std::vector<std::uint8_t> ready;    // by workload index
  std::vector<std::uint32_t> cursors; // round-robin cursors, [service * regions + group]
  /// Waypoints: the Envoy's cluster for the pods of its service.
  std::optional<proxies::EnvoyUpstream> upstream;
  std::vector<health::EnvoyActiveHealthChecker> active_checks;  // waypoints with health checks: by host
  std::uint32_t stream = 0;
  // Its workload certificate (mTLS), renewed from istiod at half life; expired, its peers refuse it.
  sim::SimTime cert_expires{};
  sim::Duration cert_retry{};  // current back-off while istiod cannot renew it
  bool cert_valid(sim::SimTime now) const { return now < cert_expires; }
};


/// One regional proxy tier's backend service for one routed service: a backend (NEG) per cluster
/// running the service, filled WATERFALL_BY_REGION from measured load, with the tier's own view of
/// which endpoints are healthy (its health checks, and its outlier detection when configured).
struct GatewayBackends {
  std::uint32_t service = 0;
  std::vector<std::vector<std::uint32_t>> neg_pods;  // workloads, per backend
  std::vector<routing::WaterfallBackend> backends;   // healthy_endpoints kept current
  routing::WaterfallPicker picker{0};
  std::optional<health::OutlierDetector> outlier;     // hosts: the pods in backend order
  std::vector<double> placed_rps;                     // this tier's load per backend, last computed
  std::uint64_t arrivals = 0;                         // since the last rate measurement
  double offered_rps = 0;                             // measured over the last second
  bool shares_dirty = true;
};

/// The gateway's managed proxies in one region, with their own health-check view.
struct GatewayTier {
  std::string name;
  std::uint32_t region = 0;
  ComponentId component;
  std::uint32_t stream = 0;
  std::vector<health::HealthCheckState> health;  // by workload index (service pods of routed services)
  std::vector<std::uint32_t> region_order;      // regions by backbone latency from this one
  std::vector<GatewayBackends> backend_services;  // by routed ordinal
  std::vector<std::pair<sim::SimTime, bool>> up_history{{sim::SimTime{}, true}};  // for DNS health, which lags
};

/// One HTTPRoute rule at run time: its weighted backends as services, and the deadline it gives.
struct Route {
  std::string name;                    // "routes/<index>" and its first match, e.g. "routes/0 PathPrefix /"
  routing::HttpRouteRule rule;         // for the weighted backend pick
  std::vector<std::uint32_t> services; // by backendRef
  sim::Duration timeout{};             // the request's deadline at the gateway
};

/// One client process's view of the gateway's name: its cached answer and its pooled connection.
struct DnsInstance {
  std::uint32_t cached_vip = kNone;  // region whose VIP the process's cache holds
  sim::SimTime cached_until{};
  std::uint32_t connected_vip = kNone;  // region of its pooled connection, if any
  sim::SimTime connected_until{};
};

struct Client {
  std::string name;
  std::uint32_t region = 0;
  double rate_per_second = 0;
  sim::Duration access_latency{};
  std::vector<double> path_cumulative_weight;  // normalised to end at 1
  std::vector<std::uint32_t> path_route;       // rule per path entry, kNone when none matches (404)
  std::uint32_t stream = 0;
  // With DNS: the client processes, and the recursive resolver they share (it honours the TTL).
  std::vector<DnsInstance> instances;
  std::uint32_t resolver_vip = kNone;
  sim::SimTime resolver_until{};
  std::vector<std::uint32_t> region_order;  // regions by backbone latency from the client's
};

struct Fault {
  std::string id;
  config::FaultKind kind{};
  std::string target;
  ComponentId root;
  std::vector<ComponentId> reach;  // structural blast radius, root first
  sim::SimTime start{};
  std::optional<sim::SimTime> end;
  double error_rate = 1.0;  // gray failures
  topology::LinkLatency added;  // backbone degradations (latency, jitter, loss); gray failures and
                                // waypoint overloads (latency per request)
  sim::Duration up_for{};       // crash loops
  std::vector<ComponentId> holds;  // what it takes down while active: the reach, or only its root
                                   // (a ztunnel crash leaves the pods running), or nothing
  bool drawn = false;              // generated by a fault process (differs from seed to seed)
  bool active = false;
  bool holding = false;            // crash loops: whether the component is down right now
  std::uint32_t crashes = 0;       // crash loops: restarts so far, for CrashLoopBackOff
};

/// A replicated database at run time: its instances (primary first, then replicas in promotion
/// order), which one is primary, and the writes still being replicated.
struct Database {
  std::string name;
  config::DatabaseConfig config;
  std::vector<std::uint32_t> regions;
  std::vector<ComponentId> instances;
  std::uint32_t primary = 0;  // index into instances
  bool writable = true;       // false from a primary failure until a promotion
  sim::SimTime unavailable_since{};
  std::vector<std::int64_t> replicating;  // min-heap of replication completion times (ns), async
  std::uint32_t stream = 0;
  sim::DatabaseResult result;
};

/// Which runtime object a graph vertex is, for reacting to failures and repairs.
struct ComponentRef {
  topology::ComponentKind kind{};
  std::uint32_t index = kNone;
};

struct World {
  config::ScenarioConfig config;  // the validated scenario (plain data)
  topology::FleetGraph graph;
  std::vector<ComponentRef> refs;               // by component id
  std::vector<std::uint16_t> down_causes;       // by component id: active faults reaching it
  topology::RegionLatencies latencies;

  std::vector<Region> regions;
  std::vector<Zone> zones;
  std::vector<Cluster> clusters;
  std::vector<Node> nodes;
  std::vector<Workload> workloads;
  std::vector<Service> services;
  std::vector<MeshProxy> proxies;
  std::vector<GatewayTier> tiers;
  std::vector<Route> routes;
  std::vector<Client> clients;
  std::vector<Fault> faults;
  std::vector<Database> databases;
  std::vector<std::uint32_t> istiod_clusters;  // clusters that run an istiod
  std::uint32_t dns_outages = 0;              // active DNS outages
  std::uint32_t config_cluster = kNone;
  std::uint32_t config_cluster_outages = 0;   // active outages of the config cluster's control plane
  std::vector<ComponentId> backbone_links;  // in scenario order
  std::vector<std::string> backbone_names;  // "<from>/<to>"
  std::vector<std::uint32_t> service_database;  // by service; kNone when it writes to none
  std::vector<sim::RngStream> streams;

  // Waypoint replicas grouped by region in order of latency from a region: [from_region][service].
  std::vector<std::vector<std::vector<routing::EndpointGroup>>> waypoint_groups;
  std::vector<std::vector<std::uint32_t>> endpoint_storage;  // backs the spans above

  // The gateway's backend services: which services routes send to, and where each pod sits in
  // its backend service (backend and host index, the same in every tier).
  std::vector<routing::RankedEndpoints> ztunnel_ranked;  // [node * services + service]
  std::vector<std::uint32_t> routed_ordinal;   // by service; kNone when no route sends to it
  std::vector<std::uint32_t> gateway_backend;  // by workload
  std::vector<std::uint32_t> gateway_host;     // by workload
  std::vector<std::uint8_t> in_neg;            // by workload: its endpoint is in its NEG (Kubernetes says Ready)

  bool is_up(ComponentId c) const { return down_causes[c.index()] == 0; }
  std::uint32_t add_stream(std::uint64_t seed, std::string_view entity);
};

/// Builds the fleet, its graph and its runtime state. `seed` overrides nothing: pass the seed to
/// use (the scenario's, or the command line's).
World build_world(const config::ValidatedScenario& scenario, std::uint64_t seed);

}  // namespace models
