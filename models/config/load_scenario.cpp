// parse_scenario(): scenario JSON to ScenarioConfig, one reader per section of the format that
// scenarios/README.md documents. Each reader names every key its object may have; keys nobody
// reads are reported as unknown.

#include "models/config/load_scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>

#include "models/config/json_reader.hpp"
#include "models/config/merge_patch.hpp"
#include "models/config/scenario_checks.hpp"

namespace models::config {
namespace {

using detail::describe;
using detail::describe_with_type;
using detail::IssueLog;
using detail::Json;
using detail::ObjectReader;
using detail::Presence;
namespace value = detail::value;

constexpr Presence kRequired = Presence::Required;

constexpr std::string_view kMultiPrimary = "multi-primary";
constexpr std::string_view kGatewayClass = "gke-l7-cross-regional-internal-managed-mc";

template <class Kind>
std::vector<std::pair<std::string, Kind>> spellings(std::initializer_list<Kind> kinds) {
  std::vector<std::pair<std::string, Kind>> out;
  for (const Kind kind : kinds) out.emplace_back(to_string(kind), kind);
  return out;
}

const auto kFaultKinds = spellings({FaultKind::RegionOutage, FaultKind::ZoneOutage, FaultKind::ClusterOutage,
                                    FaultKind::NodeCrash, FaultKind::GatewayTierOutage, FaultKind::IstiodOutage,
                                    FaultKind::PodCrash, FaultKind::GrayFailure, FaultKind::DatabasePrimaryFailure,
                                    FaultKind::BackbonePartition, FaultKind::BackboneDegradation,
                                    FaultKind::ZtunnelCrash, FaultKind::WaypointCrash, FaultKind::WaypointOverload,
                                    FaultKind::CrashLoop, FaultKind::DnsOutage, FaultKind::ConfigClusterOutage});
const auto kServiceTimeKinds =
    spellings({ServiceTimeKind::Constant, ServiceTimeKind::Exponential, ServiceTimeKind::LogNormal});

// ---- JSON text ----

/// Where a byte offset falls, as 1-based line and column (in characters, not bytes).
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  std::size_t column = 1;
  for (std::size_t i = line_start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;  // skip UTF-8 continuation bytes
  }
  return {line, column};
}

/// nlohmann's explanation without its prefix and without the "last read" excerpt, which the line
/// and column replace: "unexpected '}'; expected end of input".
std::string syntax_error_reason(const std::string& what) {
  std::string reason = what;
  if (const std::size_t dash = reason.find(" - "); dash != std::string::npos) {
    reason.erase(0, dash + 3);
  } else if (const std::size_t colon = reason.find(": "); colon != std::string::npos) {
    reason.erase(0, colon + 2);
  }
  if (const std::size_t last_read = reason.find("; last read: '"); last_read != std::string::npos) {
    const std::size_t expected = reason.rfind("'; expected ");
    if (expected != std::string::npos && expected > last_read) {
      reason.erase(last_read, expected + 1 - last_read);
    } else {
      reason.erase(last_read);
    }
  }
  return reason;
}

/// Parses JSON with comments, reporting keys repeated within one object (nlohmann would silently
/// keep the last value).
Json parse_json(std::string_view text, IssueLog& log) {
  // Each open container keeps only its own step of the pointer, not the whole pointer: a deeply
  // nested file must not cost memory quadratic in its depth.
  struct OpenContainer {
    bool is_array = false;
    std::string step;            // key or index of this container within its parent
    std::size_t next_index = 0;  // arrays: index of the next element
    std::string current_key;     // objects: key of the member being parsed
    std::set<std::string> keys;  // objects: keys seen so far
  };
  std::vector<OpenContainer> open;
  // The step of the value about to be parsed; advances the index of an enclosing array.
  auto next_value_step = [&open]() -> std::string {
    if (open.empty()) return "";
    OpenContainer& container = open.back();
    return container.is_array ? std::to_string(container.next_index++) : container.current_key;
  };
  auto on_event = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start: {
        OpenContainer container;
        container.is_array = event == Json::parse_event_t::array_start;
        container.step = next_value_step();
        open.push_back(std::move(container));
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        open.pop_back();
        break;
      case Json::parse_event_t::key: {
        OpenContainer& object = open.back();
        object.current_key = parsed.get<std::string>();
        if (!object.keys.insert(object.current_key).second) {
          std::string pointer;
          for (std::size_t i = 1; i < open.size(); ++i) pointer = detail::child_pointer(pointer, open[i].step);
          log.report(
              detail::child_pointer(pointer, object.current_key),
              "expected each key at most once per object, found " + detail::quote(object.current_key) + " again");
        }
        break;
      }
      case Json::parse_event_t::value:
        next_value_step();
        break;
    }
    return true;
  };
  return Json::parse(text.begin(), text.end(), on_event, /*allow_exceptions=*/true, /*ignore_comments=*/true);
}

// ---- Sections, in the order of the format ----

const auto kControlPlanes = std::vector<std::pair<std::string, ControlPlaneTopology>>{
    {std::string(kMultiPrimary), ControlPlaneTopology::MultiPrimary}, {"primary-remote", ControlPlaneTopology::PrimaryRemote}};

std::optional<std::string> gateway_class(const Json& found, const std::string& pointer, IssueLog& log) {
  if (found.is_string() && found.get_ref<const std::string&>() == kGatewayClass) return std::string(kGatewayClass);
  log.report(pointer, "expected " + detail::quote(kGatewayClass) + ", found " +
                          (found.is_string() ? describe(found) : describe_with_type(found)));
  return std::nullopt;
}

/// `{ "replicas": N }`, or true for the defaults, or false for no waypoint.
std::optional<std::optional<WaypointConfig>> waypoint(const Json& found, const std::string& pointer, IssueLog& log) {
  using Result = std::optional<std::optional<WaypointConfig>>;
  if (found.is_boolean()) {
    return found.get<bool>() ? Result{WaypointConfig{}} : Result{std::in_place, std::nullopt};
  }
  if (found.is_object()) {
    WaypointConfig config;
    detail::read_object_value(found, pointer, log,
                              [&](ObjectReader& reader) { reader.read("replicas", config.replicas, value::count(1)); });
    return Result{config};
  }
  log.report(pointer,
             "expected an object such as {\"replicas\": 2}, true or false, found " + describe_with_type(found));
  return std::nullopt;
}

void read_run(ObjectReader& reader, RunConfig& run) {
  reader.read("duration", run.duration, value::positive_duration);
  reader.read("step", run.step, value::positive_duration);
  reader.read("seed", run.seed, value::seed);
}

void read_cluster(ObjectReader& reader, ClusterConfig& cluster) {
  reader.read("name", cluster.name, value::name, kRequired);
  reader.read("nodes", cluster.nodes, value::count(1));
  reader.read("zones", cluster.zones, value::list_of(value::name));
  reader.read("config_cluster", cluster.config_cluster, value::boolean);
}

void read_region(ObjectReader& reader, RegionConfig& region) {
  reader.read("name", region.name, value::name, kRequired);
  reader.read("zones", region.zones, value::list_of(value::name, /*must_not_be_empty=*/true), kRequired);
  reader.read("intra_region_latency", region.intra_region_latency, value::duration);
  reader.read("intra_region_jitter", region.intra_region_jitter, value::duration);
  reader.read_objects("clusters", region.clusters, read_cluster, kRequired);
}

void read_backbone_link(ObjectReader& reader, BackboneLinkConfig& link) {
  reader.read("from", link.from, value::name, kRequired);
  reader.read("to", link.to, value::name, kRequired);
  reader.read("latency", link.latency, value::positive_duration, kRequired);
  reader.read("jitter", link.jitter, value::duration);
}

void read_mesh(ObjectReader& reader, MeshConfig& mesh) {
  reader.read("control_plane", mesh.control_plane, value::choice(kControlPlanes));
  if (mesh.control_plane == ControlPlaneTopology::PrimaryRemote)
    reader.read("primaries", mesh.primaries, value::list_of(value::name), kRequired);
  reader.read_object("certificates", [&](ObjectReader& certs) {
    certs.read("ttl", mesh.workload_cert_ttl, value::positive_duration);
    certs.read("retry_max", mesh.cert_retry_max, value::positive_duration);
  });
  reader.read("push_delay", mesh.push_delay, value::duration);
  reader.read("ztunnel_latency", mesh.ztunnel_latency, value::duration);
  reader.read("waypoint_latency", mesh.waypoint_latency, value::duration);
  reader.read("connect_timeout", mesh.connect_timeout, value::positive_duration);
  reader.read_object("readiness", [&](ObjectReader& readiness) {
    readiness.read("period", mesh.readiness_period, value::positive_duration);
    readiness.read("failure_threshold", mesh.readiness_failure_threshold, value::count(1));
  });
  reader.read("node_monitor_grace_period", mesh.node_monitor_grace_period, value::positive_duration);
  reader.read_object("envoy", [&](ObjectReader& envoy) {
    envoy.read("max_ejection_rule", mesh.max_ejection_pre_2023,
               value::choice(std::vector<std::pair<std::string, bool>>{{"current", false}, {"pre-2023", true}}));
    envoy.read("retry_backoff", mesh.retry_backoff_docs,
               value::choice(std::vector<std::pair<std::string, bool>>{{"code", false}, {"docs", true}}));
  });
}

void read_service_time(ObjectReader& reader, ServiceTimeConfig& service_time) {
  if (!reader.read("dist", service_time.kind, value::choice(kServiceTimeKinds), kRequired)) {
    reader.accept_remaining_keys();  // which keys belong depends on the distribution
    return;
  }
  switch (service_time.kind) {
    case ServiceTimeKind::Constant:
      reader.read("value", service_time.scale, value::duration, kRequired);
      break;
    case ServiceTimeKind::Exponential:
      reader.read("mean", service_time.scale, value::positive_duration, kRequired);
      break;
    case ServiceTimeKind::LogNormal:
      reader.read("median", service_time.scale, value::positive_duration, kRequired);
      reader.read("sigma", service_time.sigma, value::positive_number);
      break;
  }
}

void read_call(ObjectReader& reader, CallConfig& call) {
  reader.read("service", call.service, value::name, kRequired);
  reader.read("probability", call.probability, value::probability);
  reader.read("timeout", call.timeout, value::positive_duration);
  reader.read("retries", call.retries, value::count(0));
}

const auto kLoadBalancerPolicies = std::vector<std::pair<std::string, LoadBalancerPolicy>>{
    {"LEAST_REQUEST", LoadBalancerPolicy::LeastRequest}, {"LEAST_CONN", LoadBalancerPolicy::LeastRequest},
    {"ROUND_ROBIN", LoadBalancerPolicy::RoundRobin},
    {"RANDOM", LoadBalancerPolicy::Random}};
const auto kTrafficDistributions = std::vector<std::pair<std::string, TrafficDistribution>>{
    {"PreferSameZone", TrafficDistribution::PreferSameZone}, {"PreferSameNode", TrafficDistribution::PreferSameNode}};
const auto kInternalTrafficPolicies = std::vector<std::pair<std::string, bool>>{{"Cluster", false}, {"Local", true}};
const auto kRetryOn = std::vector<std::pair<std::string, std::string>>{
    {"5xx", "5xx"}, {"gateway-error", "gateway-error"}, {"reset", "reset"}, {"connect-failure", "connect-failure"},
    {"refused-stream", "refused-stream"}, {"unavailable", "unavailable"}, {"cancelled", "cancelled"},
    {"retriable-status-codes", "retriable-status-codes"}};

/// A `failoverPriority` entry: a label the simulator gives every proxy and endpoint, or
/// "key=value" to compare endpoints with a literal value.
std::optional<std::string> failover_label(const Json& found, const std::string& pointer, IssueLog& log) {
  static const std::vector<std::string> kLabels{"topology.istio.io/network", "topology.kubernetes.io/region",
                                                "topology.kubernetes.io/zone", "topology.istio.io/subzone",
                                                "kubernetes.io/hostname", "topology.istio.io/cluster"};
  if (found.is_string()) {
    const std::string& label = found.get_ref<const std::string&>();
    if (label.find('=') != std::string::npos && label.front() != '=') return label;
    if (std::find(kLabels.begin(), kLabels.end(), label) != kLabels.end()) return label;
    log.report(pointer, "expected one of " + detail::quoted_list(kLabels) + " or \"key=value\", found " +
                            describe(found) + detail::did_you_mean(label, kLabels));
    return std::nullopt;
  }
  log.report(pointer, "expected a label such as \"topology.kubernetes.io/region\", found " + describe_with_type(found));
  return std::nullopt;
}

void read_locality_failover(ObjectReader& reader, LocalityFailoverConfig& failover) {
  reader.read("from", failover.from, value::name, kRequired);
  reader.read("to", failover.to, value::name, kRequired);
}

void read_outlier_detection(ObjectReader& reader, OutlierDetectionSettings& od) {
  std::uint32_t count = 0;
  if (reader.read("consecutive5xxErrors", count, value::count(0))) od.consecutive_5xx_errors = count;
  if (reader.read("consecutiveGatewayErrors", count, value::count(0))) od.consecutive_gateway_errors = count;
  reader.read("interval", od.interval, value::positive_duration);
  reader.read("baseEjectionTime", od.base_ejection_time, value::positive_duration);
  reader.read("maxEjectionPercent", od.max_ejection_percent, value::percent);
  reader.read("minHealthPercent", od.min_health_percent, value::percent);
}

void read_traffic_policy(ObjectReader& reader, TrafficPolicyConfig& policy) {
  reader.read_object("loadBalancer", [&](ObjectReader& lb) {
    lb.read("simple", policy.load_balancer, value::choice(kLoadBalancerPolicies));
    lb.read_object("localityLbSetting", [&](ObjectReader& locality) {
      locality.read("enabled", policy.locality_lb_setting.enabled, value::boolean);
      locality.read_objects("failover", policy.locality_lb_setting.failover, read_locality_failover);
      locality.read("failoverPriority", policy.locality_lb_setting.failover_priority, value::list_of(failover_label));
    });
  });
  reader.read_object("outlierDetection", [&](ObjectReader& od) {
    policy.outlier_detection.emplace();
    read_outlier_detection(od, *policy.outlier_detection);
  });
  reader.read_object("connectionPool", [&](ObjectReader& pool) {
    pool.read_object("http", [&](ObjectReader& http) {
      http.read("http1MaxPendingRequests", policy.connection_pool.http1_max_pending_requests, value::count(1));
      http.read("http2MaxRequests", policy.connection_pool.http2_max_requests, value::count(1));
      http.read("maxRetries", policy.connection_pool.max_retries, value::count(0));
    });
  });
  reader.read_object("healthCheck", [&](ObjectReader& hc) {
    auto& c = policy.health_check.emplace();
    hc.read("interval", c.interval, value::positive_duration);
    hc.read("timeout", c.timeout, value::positive_duration);
    hc.read("unhealthyThreshold", c.unhealthy_threshold, value::count(1));
    hc.read("healthyThreshold", c.healthy_threshold, value::count(1));
    hc.read("intervalJitter", c.interval_jitter, value::duration);
    hc.read("noTrafficInterval", c.no_traffic_interval, value::positive_duration);
    sim::Duration d{};
    if (hc.read("unhealthyInterval", d, value::positive_duration)) c.unhealthy_interval = d;
    if (hc.read("unhealthyEdgeInterval", d, value::positive_duration)) c.unhealthy_edge_interval = d;
    if (hc.read("healthyEdgeInterval", d, value::positive_duration)) c.healthy_edge_interval = d;
  });
  reader.read_object("retryBudget", [&](ObjectReader& budget) {
    policy.retry_budget.emplace();
    budget.read("budgetPercent", policy.retry_budget->budget_percent, value::percent_number);
    budget.read("minRetryConcurrency", policy.retry_budget->min_retry_concurrency, value::count(0));
  });
}

void read_retries(ObjectReader& reader, RetryConfig& retries) {
  reader.read("attempts", retries.attempts, value::count(0));
  sim::Duration per_try{};
  if (reader.read("perTryTimeout", per_try, value::positive_duration)) retries.per_try_timeout = per_try;
  std::string retry_on;
  if (reader.read("retryOn", retry_on, value::text)) {
    retries.retry_on.clear();
    const auto read_token = value::choice(kRetryOn);
    std::size_t start = 0;
    while (start <= retry_on.size()) {
      const std::size_t comma = std::min(retry_on.find(',', start), retry_on.size());
      const auto token = read_token(Json(retry_on.substr(start, comma - start)), reader.pointer_of("retryOn"), reader.log());
      if (token) retries.retry_on.push_back(*token);
      start = comma + 1;
    }
  }
}

void read_service(ObjectReader& reader, ServiceConfig& service) {
  reader.read("name", service.name, value::name, kRequired);
  reader.read("replicas_per_cluster", service.replicas_per_cluster, value::count(0));
  reader.read("clusters", service.clusters, value::list_of(value::name));
  reader.read_object("service_time",
                     [&](ObjectReader& service_time) { read_service_time(service_time, service.service_time); });
  reader.read("concurrency", service.concurrency, value::count(1));
  reader.read("queue_limit", service.queue_limit, value::count(0));
  reader.read("waypoint", service.waypoint, waypoint);
  reader.read_objects("calls", service.calls, read_call);
  reader.read_object("traffic_policy", [&](ObjectReader& policy) { read_traffic_policy(policy, service.traffic_policy); });
  reader.read_object("retries", [&](ObjectReader& retries) { read_retries(retries, service.retries); });
  reader.read("traffic_distribution", service.traffic_distribution, value::choice(kTrafficDistributions));
  reader.read("internal_traffic_policy", service.internal_traffic_policy_local, value::choice(kInternalTrafficPolicies));
  reader.read("database", service.database, value::name);
  reader.read("write_probability", service.write_probability, value::probability);
  // In ambient mode L7 policy is enforced by the destination's waypoint: without one it would be
  // silently ignored, so it is an error here.
  const bool no_waypoint = !service.waypoint && (!reader.has("waypoint") || reader.is_false("waypoint"));
  for (const char* l7_key : {"traffic_policy", "retries"}) {
    if (reader.has(l7_key) && no_waypoint) {
      reader.log().report(reader.pointer_of(l7_key), "expected a service with a \"waypoint\" (L7 policy is applied by "
                                                     "the service's waypoint in ambient mode), found none");
    }
  }
}

void read_gcp_outlier_detection(ObjectReader& reader, GcpOutlierDetectionConfig& od) {
  reader.read("consecutiveErrors", od.consecutive_errors, value::count(1));
  reader.read("consecutiveGatewayFailure", od.consecutive_gateway_failure, value::count(1));
  reader.read("enforcingConsecutiveErrors", od.enforcing_consecutive_errors, value::percent);
  reader.read("enforcingConsecutiveGatewayFailure", od.enforcing_consecutive_gateway_failure, value::percent);
  reader.read("interval", od.interval, value::positive_duration);
  reader.read("baseEjectionTime", od.base_ejection_time, value::positive_duration);
  reader.read("maxEjectionPercent", od.max_ejection_percent, value::percent);
}

/// capacityScaler: 0 (drained) or between 0.1 and 1 [C9].
std::optional<double> capacity_scaler(const Json& found, const std::string& pointer, IssueLog& log) {
  if (found.is_number()) {
    const double x = found.get<double>();
    if (x == 0.0 || (x >= 0.1 && x <= 1.0)) return x;
  }
  log.report(pointer, "expected 0 or a number between 0.1 and 1, found " +
                          (found.is_number() ? describe(found) : describe_with_type(found)));
  return std::nullopt;
}

void read_backend_policy(ObjectReader& reader, GatewayBackendPolicyConfig& policy) {
  bool rate_mode = true;  // the only balancing mode modelled so far
  reader.read("balancingMode", rate_mode, value::choice(std::vector<std::pair<std::string, bool>>{{"RATE", true}}));
  double rate = 0;
  if (reader.read("maxRatePerEndpoint", rate, value::positive_number)) policy.max_rate_per_endpoint = rate;
  reader.read_object("capacityScaler", [&](ObjectReader& scalers) {
    for (const std::string& cluster : scalers.keys()) {
      double x = 0;
      if (scalers.read(cluster, x, capacity_scaler)) policy.capacity_scalers.emplace_back(cluster, x);
    }
  });
  reader.read("failoverHealthThreshold", policy.failover_health_threshold,
              [](const Json& found, const std::string& pointer, IssueLog& log) -> std::optional<std::uint32_t> {
                if (found.is_number_unsigned() && found.get<std::uint64_t>() >= 1 && found.get<std::uint64_t>() <= 99)
                  return static_cast<std::uint32_t>(found.get<std::uint64_t>());
                log.report(pointer, "expected an integer between 1 and 99, found " + describe(found));
                return std::nullopt;
              });
  reader.read("autoCapacityDrain", policy.auto_capacity_drain, value::boolean);
  reader.read_object("outlierDetection", [&](ObjectReader& od) {
    policy.outlier_detection.emplace();
    read_gcp_outlier_detection(od, *policy.outlier_detection);
  });
}

void read_health_check(ObjectReader& reader, HealthCheckConfig& health_check) {
  reader.read("interval", health_check.interval, value::positive_duration);
  reader.read("timeout", health_check.timeout, value::positive_duration);
  reader.read("healthy_threshold", health_check.healthy_threshold, value::count(1));
  reader.read("unhealthy_threshold", health_check.unhealthy_threshold, value::count(1));
  reader.read("depth", health_check.deep,
              value::choice(std::vector<std::pair<std::string, bool>>{{"shallow", false}, {"deep", true}}));
  reader.read("fails_under_load", health_check.fails_under_load, value::boolean);
  reader.read("false_failure_rate", health_check.false_failure_rate, value::probability);
  reader.read("port", health_check.separate_port,
              value::choice(std::vector<std::pair<std::string, bool>>{{"traffic", false}, {"separate", true}}));
  reader.read("path", health_check.path, value::path);
  reader.read("jitter", health_check.jitter, value::duration);
}

void read_header_match(ObjectReader& reader, HeaderMatchConfig& header) {
  reader.read("name", header.name, value::name, kRequired);
  reader.read("value", header.value, value::text, kRequired);
}

void read_route_match(ObjectReader& reader, RouteMatchConfig& match) {
  reader.read_object("path", [&](ObjectReader& path) {
    path.read("type", match.exact,
              value::choice(std::vector<std::pair<std::string, bool>>{{"PathPrefix", false}, {"Exact", true}}));
    path.read("value", match.path, value::path);
  });
  reader.read_objects("headers", match.headers, read_header_match);
}

void read_backend_ref(ObjectReader& reader, BackendRefConfig& ref) {
  reader.read("name", ref.name, value::name, kRequired);
  reader.read("weight", ref.weight,
              [](const Json& found, const std::string& pointer, IssueLog& log) -> std::optional<std::uint32_t> {
                if (found.is_number_unsigned() && found.get<std::uint64_t>() <= 1'000'000)
                  return static_cast<std::uint32_t>(found.get<std::uint64_t>());
                log.report(pointer, "expected an integer between 0 and 1000000, found " +
                                        (found.is_number() ? describe(found) : describe_with_type(found)));
                return std::nullopt;
              });
}

// Either the shorthand { "path_prefix", "backend" } or the HTTPRoute rule form
// { "matches", "backendRefs", "timeouts" }.
void read_route(ObjectReader& reader, RouteConfig& route) {
  const bool full = reader.has("matches") || reader.has("backendRefs");
  if (full) {
    for (const char* shorthand : {"path_prefix", "backend"})
      if (reader.take(shorthand) != nullptr)  // taken: reported once, not again as an unknown key
        reader.log().report(reader.pointer_of(shorthand),
                            "expected either the shorthand \"path_prefix\"/\"backend\" or \"matches\"/\"backendRefs\", "
                            "found both");
    reader.read_objects("matches", route.matches, read_route_match);
    reader.read_objects("backendRefs", route.backend_refs, read_backend_ref, kRequired);
  } else {
    if (reader.read("path_prefix", route.path_prefix, value::path)) route.matches.push_back({false, route.path_prefix, {}});
    if (reader.read("backend", route.backend, value::name, kRequired)) route.backend_refs.push_back({route.backend, 1});
  }
  reader.read_object("timeouts", [&](ObjectReader& timeouts) {
    sim::Duration d{};
    if (timeouts.read("request", d, value::duration)) route.request_timeout = d;
    if (timeouts.read("backendRequest", d, value::duration)) route.backend_request_timeout = d;
  });
}

void read_gateway(ObjectReader& reader, GatewayConfig& gateway) {
  reader.read("name", gateway.name, value::name);
  reader.read("class", gateway.gateway_class, gateway_class);
  reader.read("regions", gateway.regions, value::list_of(value::name));
  reader.read("proxy_latency", gateway.proxy_latency, value::duration);
  reader.read("timeout", gateway.timeout, value::positive_duration);
  reader.read("connect_timeout", gateway.connect_timeout, value::positive_duration);
  reader.read("neg_sync_delay", gateway.neg_sync_delay, value::duration);
  reader.read_object("health_check",
                     [&](ObjectReader& health_check) { read_health_check(health_check, gateway.health_check); });
  reader.read_object("backend_policy", [&](ObjectReader& policy) { read_backend_policy(policy, gateway.backend_policy); });
  reader.read_objects("routes", gateway.routes, read_route, kRequired);
}

void read_request_mix_entry(ObjectReader& reader, RequestMixEntry& entry) {
  reader.read("path", entry.path, value::path);
  reader.read_object("headers", [&](ObjectReader& headers) {
    for (const std::string& name : headers.keys()) {
      std::string header_value;
      if (headers.read(name, header_value, value::text)) entry.headers.emplace_back(name, header_value);
    }
  });
  reader.read("weight", entry.weight, value::positive_number);
}

void read_client_dns(ObjectReader& reader, ClientDnsConfig& dns) {
  reader.read("instances", dns.instances, value::count(1));
  reader.read("cache", dns.cache,
              [&](const Json& found, const std::string& pointer, IssueLog& log) -> std::optional<std::optional<Duration>> {
                if (found.is_string() && found.get_ref<const std::string&>() == "ttl") return std::optional<Duration>{};
                if (found.is_string() && found.get_ref<const std::string&>() == "forever") {
                  dns.cache_forever = true;
                  return std::optional<Duration>{};
                }
                if (found.is_string())
                  if (const auto d = sim::parse_duration(found.get_ref<const std::string&>())) return std::optional<Duration>{*d};
                log.report(pointer, "expected \"ttl\", \"forever\" or a duration such as \"30s\", found " + describe(found));
                return std::nullopt;
              });
  Duration lifetime{};
  if (reader.read("connection_lifetime", lifetime, value::positive_duration)) dns.connection_lifetime = lifetime;
}

void read_client(ObjectReader& reader, ClientConfig& client) {
  reader.read("name", client.name, value::name);
  // A name that is there but unreadable stays empty: it was reported, and is not replaced.
  if (reader.read("region", client.region, value::name, kRequired) && !reader.has("name")) {
    client.name = "clients-" + client.region;
  }
  reader.read("rate", client.rate_per_second, value::positive_rate, kRequired);
  reader.read("access_latency", client.access_latency, value::duration);
  reader.read_objects("paths", client.paths, read_request_mix_entry);
  reader.read_object("dns", [&](ObjectReader& dns) { read_client_dns(dns, client.dns); });
}

void read_fault(ObjectReader& reader, FaultConfig& fault) {
  reader.read("id", fault.id, value::name, kRequired);
  reader.read("kind", fault.kind, value::choice(kFaultKinds), kRequired);
  // A DNS outage has no target: Cloud DNS is one service.
  if (fault.kind != FaultKind::DnsOutage) reader.read("target", fault.target, value::name, kRequired);
  reader.read("at", fault.at, value::duration, kRequired);
  reader.read("for", fault.duration, value::positive_duration);
  // Each kind reads only its own parameters; any other key stays unknown (and is reported).
  switch (fault.kind) {
    case FaultKind::GrayFailure:
      reader.read("added_latency", fault.added_latency, value::duration);
      if (!reader.read("error_rate", fault.error_rate, value::probability) && reader.has("added_latency"))
        fault.error_rate = 0;  // a slow pod, not a failing one
      break;
    case FaultKind::BackboneDegradation:
      reader.read("added_latency", fault.added_latency, value::duration);
      reader.read("added_jitter", fault.added_jitter, value::duration);
      reader.read("loss", fault.loss, value::probability);
      break;
    case FaultKind::WaypointOverload:
      reader.read("added_latency", fault.added_latency, value::positive_duration, kRequired);
      break;
    case FaultKind::CrashLoop:
      reader.read("up_for", fault.up_for, value::positive_duration);
      break;
    default:
      break;
  }
}

void read_dns(ObjectReader& reader, DnsConfig& dns) {
  reader.read("policy", dns.policy,
              value::choice(std::vector<std::pair<std::string, DnsPolicy>>{
                  {"geolocation", DnsPolicy::Geolocation}, {"failover", DnsPolicy::Failover},
                  {"weighted", DnsPolicy::WeightedRoundRobin}}));
  reader.read("ttl", dns.ttl, value::duration);
  reader.read("health_delay", dns.health_delay, value::duration);
  reader.read("primary", dns.primary, value::list_of(value::name));
  reader.read("backup", dns.backup, value::list_of(value::name));
  reader.read("trickle_ratio", dns.trickle_ratio, value::probability);
  reader.read_object("weights", [&](ObjectReader& weights) {
    for (const std::string& region : weights.keys()) {
      double w = 0;
      if (weights.read(region, w, value::positive_number)) dns.weights.emplace_back(region, w);
    }
  });
}

void read_fault_process(ObjectReader& reader, FaultProcessConfig& process) {
  reader.read("id", process.id, value::name, kRequired);
  reader.read("components", process.components,
              value::choice(std::vector<std::pair<std::string, ComponentClass>>{{"pods", ComponentClass::Pods},
                                                                              {"nodes", ComponentClass::Nodes},
                                                                              {"clusters", ComponentClass::Clusters},
                                                                              {"zones", ComponentClass::Zones}}),
              kRequired);
  reader.read("distribution", process.distribution,
              value::choice(std::vector<std::pair<std::string, LifetimeDistribution>>{
                  {"exponential", LifetimeDistribution::Exponential}, {"weibull", LifetimeDistribution::Weibull}}));
  reader.read("mttf", process.mean_time_to_failure, value::positive_duration, kRequired);
  reader.read("mttr", process.mean_time_to_repair, value::positive_duration, kRequired);
  if (process.distribution == LifetimeDistribution::Weibull) reader.read("shape", process.shape, value::positive_number);
}

void read_database(ObjectReader& reader, DatabaseConfig& db) {
  reader.read("name", db.name, value::name, kRequired);
  reader.read("primary_region", db.primary_region, value::name, kRequired);
  reader.read("replica_regions", db.replica_regions, value::list_of(value::name));
  reader.read("replication", db.synchronous,
              value::choice(std::vector<std::pair<std::string, bool>>{{"async", false}, {"sync", true}}));
  reader.read("replication_lag", db.replication_lag, value::duration);
  reader.read("failover_detection", db.failover_detection, value::duration);
  reader.read("promotion_delay", db.promotion_delay, value::duration);
  reader.read("write_latency", db.write_latency, value::duration);
}

void read_slo(ObjectReader& reader, SloConfig& slo) {
  reader.read("availability", slo.availability, value::open_fraction);
  reader.read("latency", slo.latency, value::positive_duration);
  reader.read("recovery_window", slo.window, value::positive_duration);
  reader.read("recovery_hold", slo.hold, value::positive_duration);
}

/// "faultline": 1. Any other version is a different format, in which the rest of the file cannot
/// be judged, so it is the only problem reported.
void read_version(ObjectReader& reader, ScenarioConfig& config) {
  const Json* version = reader.take("faultline", kRequired);
  if (version == nullptr) return;
  if (version->is_number_unsigned() && version->get<std::uint64_t>() == 1) {
    config.version = 1;
    return;
  }
  const std::string message = "expected format version 1, found ";
  if (version->is_number_integer()) {
    throw ScenarioError(config.file, {{reader.pointer_of("faultline"), message + describe(*version)}});
  }
  reader.log().report(reader.pointer_of("faultline"),
                      message + (version->is_number() ? describe(*version) : describe_with_type(*version)));
}

/// A strategy name: letters, digits, '.', '_' and '-', so that it can be listed in --strategies
/// and printed in tables as it is.
bool is_strategy_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

/// "strategies": { "<name>": <merge patch>, ... }: the shape of each entry. What the patched
/// document says is checked once the base scenario is known to be valid (parse_scenario_file).
void read_strategies(ObjectReader& reader) {
  for (const std::string& name : reader.keys()) {
    const Json* patch = reader.take(name);
    const std::string pointer = reader.pointer_of(name);
    if (name == kBaseStrategy) {
      reader.log().report(pointer, "expected a strategy name other than \"base\" (the scenario itself is strategy "
                                   "\"base\"), found \"base\"");
    } else if (!is_strategy_name(name)) {
      reader.log().report(pointer, "expected a strategy name of letters, digits, \".\", \"_\" and \"-\", found " +
                                       detail::quote(name));
    }
    if (!patch->is_object()) {
      reader.log().report(pointer, "expected an object (a JSON Merge Patch over the scenario), found " +
                                       describe_with_type(*patch));
      continue;
    }
    if (patch->contains("run")) {
      reader.log().report(detail::child_pointer(pointer, "run"),
                          "expected no \"run\" in a strategy (strategies share the scenario's duration, step and "
                          "seed, so that they are compared on the same random inputs), found " +
                              describe(patch->at("run")));
    }
    if (patch->contains("strategies")) {
      reader.log().report(detail::child_pointer(pointer, "strategies"),
                          "expected no \"strategies\" inside a strategy, found " + describe(patch->at("strategies")));
    }
  }
}

void read_scenario(ObjectReader& reader, ScenarioConfig& config) {
  read_version(reader, config);
  reader.read("name", config.name, value::name, kRequired);
  reader.read("description", config.description, value::text);
  reader.read_object("run", [&](ObjectReader& run) { read_run(run, config.run); });
  reader.read_objects("regions", config.regions, read_region, kRequired);
  reader.read_objects("backbone", config.backbone, read_backbone_link);
  reader.read_object("mesh", [&](ObjectReader& mesh) { read_mesh(mesh, config.mesh); });
  reader.read_objects("services", config.services, read_service, kRequired);
  reader.read_object(
      "gateway", [&](ObjectReader& gateway) { read_gateway(gateway, config.gateway); }, kRequired);
  reader.read_objects("clients", config.clients, read_client, kRequired);
  reader.read_objects("faults", config.faults, read_fault);
  reader.read_object("slo", [&](ObjectReader& slo) { read_slo(slo, config.slo); });
  reader.read_objects("fault_processes", config.fault_processes, read_fault_process);
  reader.read_objects("databases", config.databases, read_database);
  reader.read_object("dns", [&](ObjectReader& dns) {
    config.dns.emplace();
    read_dns(dns, *config.dns);
  });
  // Here only each strategy's shape; parse_scenario_file() checks the patched documents.
  reader.read_object("strategies", read_strategies);
}

// ---- The whole file ----

/// Reads a parsed document into `config`: every problem, in document order, with the
/// cross-reference checks of the values that could be read; empty when the document is valid.
std::vector<ScenarioIssue> read_document(const Json& document, ScenarioConfig& config) {
  IssueLog log;
  const bool is_object =
      detail::read_object_value(document, "", log, [&](ObjectReader& reader) { read_scenario(reader, config); });
  if (log.empty()) return detail::check_scenario(config, detail::FailedValues{});
  // Report the cross-reference problems too, so that one run lists everything, but leave out
  // checks that involve values which could not be read.
  log.sort_in_document_order(document);
  std::vector<ScenarioIssue> issues = log.take_issues();
  if (is_object) {
    std::vector<ScenarioIssue> cross_checks = detail::check_scenario(config, detail::FailedValues(issues));
    issues.insert(issues.end(), std::make_move_iterator(cross_checks.begin()),
                  std::make_move_iterator(cross_checks.end()));
  }
  return issues;
}

struct ScenarioFile {
  ScenarioConfig base;
  std::vector<NamedScenario> strategies;  // the base first, then each strategy in file order
};

/// `with_strategies`: the caller needs the strategies, so a base that fails the cross-reference
/// checks is reported here; otherwise such a base is returned alone, for validate() to report.
ScenarioFile parse_scenario_file(std::string_view text, const std::string& file, bool with_strategies) {
  ScenarioFile out;
  out.base.file = file;
  IssueLog log;
  Json document;
  try {
    document = parse_json(text, log);
  } catch (const Json::parse_error& error) {
    const auto [line, column] = line_and_column(text, error.byte == 0 ? 0 : error.byte - 1);
    throw ScenarioError(
        file, {{"", "expected valid JSON, found a syntax error at line " + std::to_string(line) + ", column " +
                        std::to_string(column) + ": " + syntax_error_reason(error.what())}});
  } catch (const Json::out_of_range& error) {
    // Fuzz finding (tests/data/fuzz_regressions/scenario/number-out-of-range.json): a number
    // beyond a double's range ("1e400") is not a parse_error to nlohmann but out_of_range 406
    // ("number overflow parsing '1e400'"), which escaped as an internal error. It names the
    // number, not where it is: its first occurrence in the text is.
    const std::string what = error.what();
    const std::size_t open = what.find('\'');
    const std::string number = open == std::string::npos ? std::string() : what.substr(open + 1, what.size() - open - 2);
    const std::size_t at = number.empty() ? std::string_view::npos : text.find(number);
    const auto [line, column] = line_and_column(text, at == std::string_view::npos ? 0 : at);
    throw ScenarioError(file, {{"", "expected valid JSON, found a number out of range at line " + std::to_string(line) +
                                        ", column " + std::to_string(column) + ": " + number}});
  }
  const bool is_object =
      detail::read_object_value(document, "", log, [&](ObjectReader& reader) { read_scenario(reader, out.base); });
  if (!log.empty()) {
    // Report the cross-reference problems too, so that one run lists everything, but leave out
    // checks that involve values which could not be read.
    log.sort_in_document_order(document);
    std::vector<ScenarioIssue> issues = log.take_issues();
    if (is_object) {
      std::vector<ScenarioIssue> cross_checks = detail::check_scenario(out.base, detail::FailedValues(issues));
      issues.insert(issues.end(), std::make_move_iterator(cross_checks.begin()),
                    std::make_move_iterator(cross_checks.end()));
    }
    throw ScenarioError(file, std::move(issues));
  }
  out.strategies.push_back(NamedScenario{std::string(kBaseStrategy), "", out.base});
  const auto strategies = document.find("strategies");
  if (strategies == document.end() || strategies->empty()) return out;  // validate() cross-checks the base

  // A strategy's problems are its own only over a valid base: otherwise every strategy would
  // repeat the base's, so those are reported alone.
  if (std::vector<ScenarioIssue> base_issues = detail::check_scenario(out.base, detail::FailedValues{});
      !base_issues.empty()) {
    if (with_strategies) throw ScenarioError(file, std::move(base_issues));
    return out;
  }
  Json base_document = document;
  base_document.erase("strategies");
  std::vector<ScenarioIssue> issues;
  for (auto strategy = strategies->begin(); strategy != strategies->end(); ++strategy) {
    Json patched = base_document;
    detail::apply_merge_patch(patched, *strategy);
    NamedScenario named{strategy.key(), detail::child_pointer("/strategies", strategy.key()), ScenarioConfig{}};
    named.config.file = file;
    std::vector<ScenarioIssue> found;
    try {
      found = read_document(patched, named.config);
    } catch (const ScenarioError& error) {  // a format version other than 1
      found = error.issues();
    }
    for (ScenarioIssue& issue : found) issues.push_back({named.pointer + issue.pointer, std::move(issue.message)});
    out.strategies.push_back(std::move(named));
  }
  if (!issues.empty()) throw ScenarioError(file, std::move(issues));
  return out;
}

std::string read_scenario_text(const std::filesystem::path& file) {
  const std::string label = file.string();
  auto unreadable = [&label]() {
    const int error = errno;
    return ScenarioError(label, {{"", std::string("expected a readable file, found ") +
                                          (error != 0 ? std::strerror(error) : "an unreadable file")}});
  };
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(label.c_str(), "rb"), &std::fclose);
  if (!stream) throw unreadable();
  std::string text;
  char buffer[1 << 16];
  // Bounded, so that a huge file or an endless one (/dev/zero, a pipe) is an error, not a hang.
  while (const std::size_t read = std::fread(buffer, 1, sizeof buffer, stream.get())) {
    text.append(buffer, read);
    if (text.size() > detail::kMaxScenarioFileBytes) {
      std::error_code ec;
      const std::uintmax_t size = std::filesystem::file_size(file, ec);
      const std::string found = !ec && std::filesystem::is_regular_file(file, ec)
                                    ? "a file of " + std::to_string(size >> 20) + " MiB (" + std::to_string(size) + " bytes)"
                                    : "more than that (the input does not end)";
      throw ScenarioError(label, {{"", "expected a scenario file of at most " +
                                           std::to_string(detail::kMaxScenarioFileBytes >> 20) + " MiB, found " + found}});
    }
  }
  if (std::ferror(stream.get())) throw unreadable();  // e.g. a directory: EISDIR
  return text;
}

}  // namespace

ScenarioConfig parse_scenario(std::string_view text, const std::string& file) {
  return parse_scenario_file(text, file, false).base;
}

ScenarioConfig load_scenario(const std::filesystem::path& file) {
  return parse_scenario(read_scenario_text(file), file.string());
}

std::vector<NamedScenario> parse_strategies(std::string_view text, const std::string& file) {
  return parse_scenario_file(text, file, true).strategies;
}

std::vector<NamedScenario> load_strategies(const std::filesystem::path& file) {
  return parse_strategies(read_scenario_text(file), file.string());
}

ValidatedScenario validate(NamedScenario scenario) {
  try {
    return validate(std::move(scenario.config));
  } catch (const ScenarioError& error) {
    if (scenario.pointer.empty()) throw;
    std::vector<ScenarioIssue> issues;
    for (const ScenarioIssue& issue : error.issues()) issues.push_back({scenario.pointer + issue.pointer, issue.message});
    throw ScenarioError(error.file(), std::move(issues));
  }
}

std::string unknown_strategy(const std::vector<NamedScenario>& scenarios, std::string_view found) {
  std::vector<std::string> names;
  for (const NamedScenario& s : scenarios) names.push_back(s.name);
  std::string message = "expected one of " + detail::quoted_list(names) + ", found " + detail::quote(found);
  return message + detail::did_you_mean(found, names);
}

ValidatedScenario load_and_validate(const std::filesystem::path& file) { return validate(load_scenario(file)); }

std::optional<double> parse_rate(std::string_view text) {
  // <digits>[.<digits>]/<unit>: no sign, exponent or spaces.
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view number = text.substr(0, slash);
  const std::string_view unit = text.substr(slash + 1);
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const std::size_t integer_digits =
      static_cast<std::size_t>(std::find_if_not(number.begin(), number.end(), is_digit) - number.begin());
  if (integer_digits == 0) return std::nullopt;
  if (integer_digits < number.size()) {
    const std::string_view fraction = number.substr(integer_digits);
    if (fraction.size() < 2 || fraction.front() != '.' ||
        !std::all_of(fraction.begin() + 1, fraction.end(), is_digit)) {
      return std::nullopt;
    }
  }
  double count = 0.0;
  const auto [end, error] =
      std::from_chars(number.data(), number.data() + number.size(), count, std::chars_format::fixed);
  if (error != std::errc() || end != number.data() + number.size() || !std::isfinite(count)) return std::nullopt;

  double seconds_per_unit = 0.0;
  if (unit == "ms") {
    seconds_per_unit = 1e-3;
  } else if (unit == "s") {
    seconds_per_unit = 1.0;
  } else if (unit == "m") {
    seconds_per_unit = 60.0;
  } else if (unit == "h") {
    seconds_per_unit = 3600.0;
  } else {
    return std::nullopt;
  }
  const double per_second = count / seconds_per_unit;
  if (!std::isfinite(per_second)) return std::nullopt;
  return per_second;
}

}  // namespace models::config
