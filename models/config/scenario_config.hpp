#pragma once
// The scenario format as plain data: what a scenario file says, with units parsed and defaults
// filled in, and no behaviour. Only models/config/*.cpp includes nlohmann/json; everything else
// sees these structs. Defaults live here, next to the field, with the source they come from
// (tags refer to the project's routing reference, summarised in scenarios/README.md).
//
// Names are the stable keys of the model: they seed each entity's random stream, name the
// components in results.json and are what faults target.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/faults/fault_kind.hpp"
#include "models/health/envoy_active_health_check.hpp"
#include "models/traffic/outcome.hpp"
#include "sim/time.hpp"

namespace models::config {

using namespace std::chrono_literals;
using sim::Duration;

/// "/run": how long to simulate and how finely to report.
struct RunConfig {
  Duration duration = 10min;  // arrivals are generated in [0, duration)
  Duration step = 1s;         // width of one time-series step in results.json
  std::uint64_t seed = 1;
};

struct ClusterConfig {
  std::string name;                // unique across the scenario, e.g. "use1-a"
  std::uint32_t nodes = 3;         // >= 1
  std::vector<std::string> zones;  // subset of the region's zones; empty = all of them (regional cluster)
  bool config_cluster = false;     // the fleet's config cluster (exactly one in the scenario)
};

struct RegionConfig {
  std::string name;                // e.g. "us-east1"
  std::vector<std::string> zones;  // unique across the scenario, e.g. "us-east1-b"; >= 1
  Duration intra_region_latency = 250us;  // one-way, between any two points in the region
  Duration intra_region_jitter = 50us;    // each traversal adds uniform [0, jitter)
  std::vector<ClusterConfig> clusters;
};

/// One backbone link between two regions; links are bidirectional and symmetric. The latency
/// between two regions is the shortest path over links.
struct BackboneLinkConfig {
  std::string from;
  std::string to;
  Duration latency{};  // one-way, > 0
  Duration jitter{};   // each traversal adds uniform [0, jitter)
};

/// Istio multicluster control planes (ROUTING.md 5.3): an istiod in every cluster, or istiods in
/// the primary clusters only, each configuring the remote clusters closest to it. (Istio's ambient
/// docs support only multi-primary today; primary-remote is here to compare the two.)
enum class ControlPlaneTopology { MultiPrimary, PrimaryRemote };

/// "/mesh": Istio ambient mesh settings.
struct MeshConfig {
  ControlPlaneTopology control_plane = ControlPlaneTopology::MultiPrimary;
  std::vector<std::string> primaries;  // primary-remote: the clusters that run an istiod (>= 1)
  Duration push_delay = 500ms;       // istiod: endpoint change -> proxies updated (not documented upstream; an assumption)
  Duration ztunnel_latency = 50us;   // processing per ztunnel traversal
  Duration waypoint_latency = 300us; // processing per waypoint traversal
  Duration connect_timeout = 10s;    // Istio's default connect timeout [I5]
  Duration readiness_period = 10s;   // Kubernetes readinessProbe.periodSeconds default [K2]
  std::uint32_t readiness_failure_threshold = 3;  // readinessProbe.failureThreshold default [K2]
  // kube-controller-manager --node-monitor-grace-period. Older docs [K1] say 40s;
  // the code's default is 50s since Kubernetes 1.32 (kubernetes/kubernetes#126287). We follow the code.
  Duration node_monitor_grace_period = 50s;
  // Envoy behaviours that changed between releases (see scenarios/README.md).
  bool max_ejection_pre_2023 = false;  // outlier max-ejection rule before envoy PR #27909
  bool retry_backoff_docs = false;     // back-off windows as the docs describe them, not the code
  // Workload certificates (ROUTING.md 5.2): ztunnel's SECRET_TTL default 24 h, renewed at half
  // life from istiod (the CA); on failure it retries with back-off capped at 150 s [Z4][Z6].
  Duration workload_cert_ttl = 24h;
  Duration cert_retry_max = 150s;
};

enum class ServiceTimeKind { Constant, Exponential, LogNormal };

/// Time a pod spends working on one request, excluding the calls it makes.
struct ServiceTimeConfig {
  ServiceTimeKind kind = ServiceTimeKind::Exponential;
  Duration scale = 5ms;  // constant: the value; exponential: the mean; lognormal: the median
  double sigma = 0.5;    // lognormal only: standard deviation of the underlying normal, > 0
};

struct CallConfig {
  std::string service;       // the callee
  double probability = 1.0;  // chance that a request makes this call, in [0, 1]
  Duration timeout = 15s;    // the caller's client timeout for this call (Envoy's route default, 15 s [E18])
  std::uint32_t retries = 0; // the caller's own retries after a failed call (application level)
};

struct WaypointConfig {
  std::uint32_t replicas = 2;  // waypoint pods per cluster, >= 1
};

// ---- L7 policy, applied by the service's waypoint (Envoy). JSON keys follow Istio's
// DestinationRule and VirtualService field names.

/// `loadBalancer.simple`. Istio configures LEAST_REQUEST when it is unset
/// (istio/istio pilot/pkg/networking/core/cluster_traffic_policy.go).
enum class LoadBalancerPolicy { LeastRequest, RoundRobin, Random };

struct LocalityFailoverConfig {
  std::string from;  // a region
  std::string to;    // a region
};

/// `loadBalancer.localityLbSetting`; mesh default enabled.
struct LocalityLbSettingConfig {
  bool enabled = true;
  std::vector<LocalityFailoverConfig> failover;
  std::vector<std::string> failover_priority;  // label keys, or "key=value"
};

/// `outlierDetection`. Unset counters keep Envoy's defaults, as Istio leaves them out then.
struct OutlierDetectionSettings {
  std::optional<std::uint32_t> consecutive_5xx_errors;      // Envoy default 5
  std::optional<std::uint32_t> consecutive_gateway_errors;  // unset: detected, not enforced
  Duration interval = 10s;
  Duration base_ejection_time = 30s;
  std::uint32_t max_ejection_percent = 10;
  std::uint32_t min_health_percent = 0;  // becomes Envoy's panic threshold: 0 disables panic
};

/// `connectionPool.http`. Istio's defaults are effectively unlimited (2^32 - 1) [I3].
struct ConnectionPoolConfig {
  std::uint32_t http1_max_pending_requests = 0xffffffffu;
  std::uint32_t http2_max_requests = 0xffffffffu;
  std::uint32_t max_retries = 0xffffffffu;
};

/// Envoy's `retry_budget` (Istio exposes it only through an EnvoyFilter).
struct RetryBudgetConfig {
  double budget_percent = 20.0;
  std::uint32_t min_retry_concurrency = 3;
};

struct TrafficPolicyConfig {
  LoadBalancerPolicy load_balancer = LoadBalancerPolicy::LeastRequest;
  LocalityLbSettingConfig locality_lb_setting;
  std::optional<OutlierDetectionSettings> outlier_detection;
  ConnectionPoolConfig connection_pool;
  std::optional<RetryBudgetConfig> retry_budget;
  /// Envoy's cluster `health_checks` (Istio has no API for them: an EnvoyFilter patch). Absent: the
  /// waypoint does no active health checking, as with Istio's defaults.
  std::optional<health::EnvoyHealthCheckConfig> health_check;
};

/// VirtualService `http[].retries` for requests to the service. Istio's default route retry
/// policy when none is written [I4].
struct RetryConfig {
  std::uint32_t attempts = 2;
  std::optional<Duration> per_try_timeout;
  std::vector<std::string> retry_on{"connect-failure", "refused-stream", "unavailable", "cancelled",
                                    "retriable-status-codes"};  // retriable status code 503
};

/// Kubernetes Service `trafficDistribution`, which ztunnel and Istio honour.
enum class TrafficDistribution { Any, PreferSameZone, PreferSameNode };

/// One HorizontalPodAutoscaler scaling rule (autoscaling/v2 `behavior.scaleUp.policies[]`): at most
/// `value` pods, or `value` percent of the replicas at the period's start, per `period_seconds`.
struct HpaScalingPolicyConfig {
  bool percent = false;  // "type": "Percent" (else "Pods")
  std::uint32_t value = 0;
  std::uint32_t period_seconds = 15;
};

/// autoscaling/v2 `behavior.scaleUp` / `behavior.scaleDown`. Defaults are Kubernetes'
/// scale up by the larger of 100% or 4 pods per 15 s with no stabilization; scale down by up to
/// 100% per 15 s after a 300 s stabilization window [K3].
struct HpaScalingRulesConfig {
  std::uint32_t stabilization_window_seconds = 0;
  enum class Select { Max, Min, Disabled } select_policy = Select::Max;
  std::vector<HpaScalingPolicyConfig> policies;
};

/// `services[].autoscaling`: a HorizontalPodAutoscaler per cluster on the pods' concurrency
/// (busy slots / concurrency, averaged over the sync period, as metrics-server's window averages
/// CPU). Field names are Kubernetes'; the defaults are its API's and kube-controller-manager's [K1][K3].
struct AutoscalingConfig {
  std::uint32_t min_replicas = 1;       // `minReplicas` (the API defaults it to 1)
  std::uint32_t max_replicas = 0;       // `maxReplicas`, required
  std::uint32_t target_utilization = 80;  // percent; `kubectl autoscale` defaults --cpu-percent to 80
  HpaScalingRulesConfig scale_up{0, HpaScalingRulesConfig::Select::Max, {{true, 100, 15}, {false, 4, 15}}};
  HpaScalingRulesConfig scale_down{300, HpaScalingRulesConfig::Select::Max, {{true, 100, 15}}};
};

struct ServiceConfig {
  std::string name;
  std::uint32_t replicas_per_cluster = 3;
  std::optional<AutoscalingConfig> autoscaling;  // absent: replicas_per_cluster, fixed
  Duration pod_startup = 30s;  // a new pod's creation to Ready: scheduling, image pull, start, readiness
  std::vector<std::string> clusters;  // where it is deployed; empty = every cluster
  ServiceTimeConfig service_time;
  std::uint32_t concurrency = 16;   // requests a pod works on at once (>= 1); the rest wait in its queue
  std::uint32_t queue_limit = 1000; // waiting requests per pod beyond which new ones are rejected (503)
  std::optional<WaypointConfig> waypoint;  // present: calls to this service go through its waypoint
  std::vector<CallConfig> calls;    // made one after another, after the service time
  TrafficPolicyConfig traffic_policy;  // applied by the waypoint
  RetryConfig retries;                 // applied by the waypoint
  TrafficDistribution traffic_distribution = TrafficDistribution::Any;
  bool internal_traffic_policy_local = false;  // `internalTrafficPolicy: Local`: node-local only
  std::string database;     // a database this service writes to, after its service time
  double write_probability = 1.0;  // share of its requests that write
};

struct HealthCheckConfig {
  // Compute Engine health-check defaults [C5].
  Duration interval = 5s;
  Duration timeout = 5s;  // <= interval
  std::uint32_t healthy_threshold = 2;
  std::uint32_t unhealthy_threshold = 2;
  // How the check can be wrong (the flaws a scenario can switch on):
  bool deep = false;              // "depth": "deep" exercises the request path and its required
                                  // dependencies; "shallow" (default) only asks whether the pod runs
  bool fails_under_load = false;  // the probe waits behind queued requests and times out
  double false_failure_rate = 0;  // each probe fails with this probability anyway (flapping)
  bool separate_port = false;     // "port": "separate": the check asks a port of its own, outside the
                                  // traffic's path (not through ztunnel, not behind the request queue)
  std::string path = "/healthz";  // reported only: which request the check sends
  Duration jitter{};              // each round starts up to this much later (uniform), spreading probes
};

/// Compute Engine backend-service outlier detection (JSON keys as in the Compute API). Absent
/// from the scenario: disabled, as on Google Cloud. Defaults are Google's, not Envoy's [C10].
struct GcpOutlierDetectionConfig {
  std::uint32_t consecutive_errors = 5;
  std::uint32_t consecutive_gateway_failure = 3;
  std::uint32_t enforcing_consecutive_errors = 0;
  std::uint32_t enforcing_consecutive_gateway_failure = 100;
  Duration interval = 1s;
  Duration base_ejection_time = 30s;
  std::uint32_t max_ejection_percent = 50;
};

/// The backend service behind the Gateway (GCPBackendPolicy and the backend settings): one
/// backend (NEG) per cluster that runs a routed service, filled WATERFALL_BY_REGION.
struct GatewayBackendPolicyConfig {
  std::optional<double> max_rate_per_endpoint;  // balancingMode RATE; unset: no maximum (unlimited)
  std::vector<std::pair<std::string, double>> capacity_scalers;  // cluster -> 0 or [0.1, 1]; default 1
  std::uint32_t failover_health_threshold = 70;  // 1..99 [C8]
  bool auto_capacity_drain = false;
  std::optional<GcpOutlierDetectionConfig> outlier_detection;
};

/// Gateway API HTTPRoute: `matches` (path Exact or PathPrefix, exact header values) and
/// weighted `backendRefs`, with `timeouts`. The shorthand { "path_prefix", "backend" } stands
/// for one PathPrefix match and one backendRef of weight 1.
struct HeaderMatchConfig {
  std::string name;
  std::string value;
};
struct RouteMatchConfig {
  bool exact = false;  // path type Exact, else PathPrefix
  std::string path = "/";
  std::vector<HeaderMatchConfig> headers;
};
struct BackendRefConfig {
  std::string name;         // a service
  std::uint32_t weight = 1; // 0..1,000,000; share = weight / sum
};
struct RouteConfig {
  std::string path_prefix = "/";  // shorthand
  std::string backend;            // shorthand
  std::vector<RouteMatchConfig> matches;       // empty: PathPrefix "/"
  std::vector<BackendRefConfig> backend_refs;  // filled from `backend` for the shorthand
  std::optional<Duration> request_timeout;          // timeouts.request; 0s disables
  std::optional<Duration> backend_request_timeout;  // timeouts.backendRequest; <= request
};

/// "/gateway": the multi-cluster Gateway and the cross-region internal ALB behind it.
struct GatewayConfig {
  std::string name = "internal-gateway";
  std::string gateway_class = "gke-l7-cross-regional-internal-managed-mc";
  std::vector<std::string> regions;  // regions with a VIP and a proxy tier; empty = every region
  Duration proxy_latency = 1ms;      // processing per request in a regional proxy
  Duration timeout = 30s;            // backend service timeoutSec default [C4]
  Duration connect_timeout = 5s;     // a blackholed backend fails after this (assumption)
  // Kubernetes readiness reaches the gateway's backends through each cluster's NEG controller
  // (multi-cluster Services export the endpoints): a pod's endpoint joins or leaves its NEG this
  // long after its readiness changes. Not documented by Google: an assumption.
  Duration neg_sync_delay = 5s;
  HealthCheckConfig health_check;
  GatewayBackendPolicyConfig backend_policy;
  std::vector<RouteConfig> routes;   // >= 1
};

struct RequestMixEntry {
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;  // request headers, for route matches
  double weight = 1.0;  // > 0; share = weight / sum of weights
};

/// How a client group finds the gateway when the scenario has "dns": its instances each cache the
/// answer, and may keep a pooled connection to one VIP.
struct ClientDnsConfig {
  std::uint32_t instances = 100;           // client processes, each with its own cache and connection
  std::optional<Duration> cache;           // client-side cache ignoring the TTL (the JVM's 30s); unset: the TTL
  bool cache_forever = false;              // "forever": resolve once (a JVM with a security manager)
  std::optional<Duration> connection_lifetime;  // pooled connection kept to one VIP; unset: none
};

/// How a load profile's rate goes from one point to the next.
enum class RateShape { Step, Linear };
struct RatePointConfig {
  Duration at{};
  double rate_per_second = 0;      // >= 0
  std::optional<RateShape> shape;  // to the next point; unset: the client's `shape`
};
/// A sine over 24 h: `peak` at `peak_at` (and every day after), `trough` twelve hours away.
struct DiurnalConfig {
  double peak = 0, trough = 0;
  Duration peak_at{};
};

/// The client re-sends a failed request (models/traffic/client_retries.hpp).
struct ClientRetryConfig {
  std::uint32_t attempts = 1;           // required: the most tries of one request, the first included (1-10)
  Duration backoff = 25ms;              // base of the fully jittered exponential back-off (Envoy's default)
  std::optional<Duration> max_backoff;  // unset: 10 x backoff (Envoy's default)
  std::optional<double> budget;         // retries at most this fraction of requests over 10 s; unset: no budget
  std::vector<traffic::Failure> on;     // empty: every failure but no_route (a 404 is not retried)
};

struct ClientConfig {
  std::string name;                   // default "clients-<region>"
  std::string region;                 // where the clients are; without "dns", the VIP they use
  // Exactly one of rate, profile and diurnal. Poisson arrivals at the (time-varying) rate.
  double rate_per_second = 0;         // constant; written "2000/s", "120/m", "5/ms"; 0 with a profile or diurnal
  std::vector<RatePointConfig> profile;  // points in increasing `at`
  RateShape shape = RateShape::Step;     // the profile's default shape between points
  std::optional<DiurnalConfig> diurnal;
  std::optional<ClientRetryConfig> retries;
  Duration access_latency = 500us;    // one-way, client to a VIP in its region (plus backbone to others)
  std::vector<RequestMixEntry> paths; // empty = all requests to "/"
  ClientDnsConfig dns;
};

/// Cloud DNS for the gateway's name: a routing policy over the regional VIPs, health-checked
/// through the load balancer's own health [C12]. Absent: clients use their own region's VIP.
enum class DnsPolicy { Geolocation, Failover, WeightedRoundRobin };
struct DnsConfig {
  DnsPolicy policy = DnsPolicy::Geolocation;
  Duration ttl = 300s;             // the record's TTL (Cloud DNS's default when creating records)
  Duration health_delay = 30s;     // until Cloud DNS sees a VIP's change of health (not documented: an assumption)
  std::vector<std::string> primary;  // failover: the active regions
  std::vector<std::string> backup;   // failover: the backup regions
  double trickle_ratio = 0;          // failover: share of answers sent to the backup while healthy
  std::vector<std::pair<std::string, double>> weights;  // weighted round robin: region -> weight
};

using faults::FaultKind;  // models/faults/fault_kind.hpp: the kinds, one row each in the fault catalogue

/// A Kubernetes IntOrString count: an integer, or a percentage ("25%") of the desired replicas.
struct IntOrPercent {
  std::uint32_t value = 0;
  bool percent = false;
  /// Kubernetes' resolution against `replicas`: percentages round up for a surge, down for
  /// unavailability (deployment/util.ResolveFenceposts).
  std::uint32_t resolve(std::uint32_t replicas, bool round_up) const {
    if (!percent) return value;
    const std::uint64_t scaled = std::uint64_t{value} * replicas;
    return static_cast<std::uint32_t>(round_up ? (scaled + 99) / 100 : scaled / 100);
  }
};

struct FaultConfig {
  std::string id;    // unique; results refer to it
  FaultKind kind = FaultKind::RegionOutage;
  std::string target;
  Duration at{};                     // start, from the beginning of the run
  std::optional<Duration> duration;  // "for"; absent = until the end of the run
  double error_rate = 1.0;           // gray-failure only: share of requests answered with 503
                                     // (default 1, or 0 when only added_latency is given)
  Duration added_latency{};          // backbone-degradation (one-way), gray-failure (per request),
                                     // waypoint-overload (per request forwarded)
  Duration added_jitter{};           // backbone-degradation only
  double loss = 0;                   // backbone-degradation only: share of packets lost on the link
  Duration up_for = 30s;             // crash-loop only: how long the container runs before it crashes again
  std::string service;               // gray-failure only: just this service's pods in the target; empty = all
  // bad-rollout only: the Deployment's rolling update (Kubernetes' defaults [K5]); the fault's
  // duration is `rollback_after`, after which the same rolling update brings the old version back.
  IntOrPercent max_surge{25, true};
  IntOrPercent max_unavailable{25, true};
  std::uint32_t min_ready_seconds = 0;
  bool health_checks_fail = false;   // "health_checks": "fail": the new pods never pass their readiness probe
};

/// A replicated database with a primary region and replicas (ROUTING.md 9.9): asynchronous
/// replication loses the writes still inside the lag when the primary fails (RPO); writes fail
/// from the failure until a replica is promoted (RTO). Synchronous replication loses nothing and
/// adds a round trip to the nearest replica to every commit.
struct DatabaseConfig {
  std::string name;
  std::string primary_region;
  std::vector<std::string> replica_regions;  // promotion order: the first healthy one wins
  bool synchronous = false;
  Duration replication_lag = 200ms;   // mean of an exponential lag, asynchronous replication
  Duration failover_detection = 30s;  // until the failure of the primary is noticed
  Duration promotion_delay = 30s;     // then until a replica serves as the new primary
  Duration write_latency = 2ms;       // commit time on the primary, besides the network
};

/// A stochastic failure process: every component of a class fails and is repaired again and again,
/// times to failure and to repair drawn from its own random stream (named after the component).
/// Each class fails as one fault kind (faults::process_fault_kind): pod-crash, node-crash,
/// cluster-outage, zone-outage, region-outage, gateway-tier-outage, istiod-outage,
/// backbone-partition, waypoint-crash (one replica), database-primary-failure, dns-outage.
enum class ComponentClass { Pods, Nodes, Clusters, Zones, Regions, GatewayTiers, Istiods, BackboneLinks, Waypoints, Databases, Dns };
enum class LifetimeDistribution { Exponential, Weibull };
struct FaultProcessConfig {
  std::string id;                        // unique among faults and processes; generated faults are "<id>/<target>#<n>"
  ComponentClass components = ComponentClass::Nodes;
  LifetimeDistribution distribution = LifetimeDistribution::Exponential;
  Duration mean_time_to_failure{};       // required, > 0
  Duration mean_time_to_repair{};        // required, > 0
  double shape = 1.0;                    // Weibull shape k (> 0); 1 is exponential
  std::vector<std::string> targets;      // empty: every component of the class; else these, named as
                                         // fault targets name them (a waypoint names all its replicas)
};

struct SloConfig {
  double availability = 0.999;  // target success ratio, in (0, 1)
  Duration latency = 300ms;     // a successful request slower than this breaks the SLO
  Duration window = 30s;        // recovery: the success rate over this sliding window ...
  Duration hold = 60s;          // ... is back at the target and stays there this long
};

/// A whole scenario file, parsed. Build one only through load_scenario(); build a World only from
/// a ValidatedScenario.
class SourcePositions;  // yaml_document.hpp

struct ScenarioConfig {
  std::string file;  // where it was read from, for messages
  // A YAML file's line and column of each value, which its messages add; null for JSON.
  std::shared_ptr<const SourcePositions> positions;
  int version = 1;   // "faultline": 1
  std::string name;
  std::string description;
  RunConfig run;
  std::vector<RegionConfig> regions;
  std::vector<BackboneLinkConfig> backbone;
  MeshConfig mesh;
  std::vector<ServiceConfig> services;
  GatewayConfig gateway;
  std::vector<ClientConfig> clients;
  std::vector<FaultConfig> faults;
  std::vector<FaultProcessConfig> fault_processes;
  std::vector<DatabaseConfig> databases;
  SloConfig slo;
  std::optional<DnsConfig> dns;
};

/// A route's backendRefs and matches, with the shorthand { "path_prefix", "backend" } spelled out
/// (a config built in code may fill only the shorthand fields).
inline std::vector<BackendRefConfig> backend_refs_of(const RouteConfig& route) {
  if (!route.backend_refs.empty() || route.backend.empty()) return route.backend_refs;
  return {BackendRefConfig{route.backend, 1}};
}
inline std::vector<RouteMatchConfig> matches_of(const RouteConfig& route) {
  if (!route.matches.empty() || route.backend.empty()) return route.matches;
  return {RouteMatchConfig{false, route.path_prefix, {}}};
}

const char* to_string(FaultKind kind);
const char* to_string(ServiceTimeKind kind);

}  // namespace models::config
