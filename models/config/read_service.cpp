// read_service(): one entry of "services", with its calls, waypoint, traffic policy and retries.

#include "models/config/read_sections.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/config/json_reader.hpp"

namespace models::config::detail {
namespace {

const auto kServiceTimeKinds =
    spellings({ServiceTimeKind::Constant, ServiceTimeKind::Exponential, ServiceTimeKind::LogNormal});

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
    {"PreferSameZone", TrafficDistribution::PreferSameZone}, {"PreferSameNode", TrafficDistribution::PreferSameNode},
    {"PreferClose", TrafficDistribution::PreferSameZone}};  // Kubernetes 1.33 renamed PreferClose to PreferSameZone; both are accepted
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

const auto kHpaPolicyTypes = std::vector<std::pair<std::string, bool>>{{"Pods", false}, {"Percent", true}};
const auto kHpaSelectPolicies = std::vector<std::pair<std::string, HpaScalingRulesConfig::Select>>{
    {"Max", HpaScalingRulesConfig::Select::Max}, {"Min", HpaScalingRulesConfig::Select::Min},
    {"Disabled", HpaScalingRulesConfig::Select::Disabled}};

void read_hpa_policy(ObjectReader& reader, HpaScalingPolicyConfig& policy) {
  reader.read("type", policy.percent, value::choice(kHpaPolicyTypes), kRequired);
  reader.read("value", policy.value, value::count(1), kRequired);
  // The API requires periodSeconds, 1 to 1800; it is optional here, with the default rules' 15 s.
  if (reader.read("periodSeconds", policy.period_seconds, value::count(1)) && policy.period_seconds > 1800)
    reader.log().report(reader.pointer_of("periodSeconds"),
                        "expected at most 1800 (the HPA API's limit), found " + std::to_string(policy.period_seconds));
}

void read_hpa_rules(ObjectReader& reader, HpaScalingRulesConfig& rules) {
  if (reader.read("stabilizationWindowSeconds", rules.stabilization_window_seconds, value::count(0)) &&
      rules.stabilization_window_seconds > 3600)
    reader.log().report(reader.pointer_of("stabilizationWindowSeconds"),
                        "expected at most 3600 (the HPA API's limit), found " +
                            std::to_string(rules.stabilization_window_seconds));
  reader.read("selectPolicy", rules.select_policy, value::choice(kHpaSelectPolicies));
  if (reader.has("policies")) {
    // Written policies replace the defaults, as in the API, which requires at least one.
    reader.read_objects("policies", rules.policies, read_hpa_policy);
    if (rules.policies.empty())
      reader.log().report(reader.pointer_of("policies"), "expected at least one policy (as the HPA API does), found []");
  }
}

void read_autoscaling(ObjectReader& reader, AutoscalingConfig& hpa) {
  const bool min_read = reader.read("minReplicas", hpa.min_replicas, value::count(1));
  const bool max_read = reader.read("maxReplicas", hpa.max_replicas, value::count(1), kRequired);
  if (max_read && (min_read || !reader.has("minReplicas")) && hpa.max_replicas < hpa.min_replicas)
    reader.log().report(reader.pointer_of("maxReplicas"), "expected at least minReplicas (" +
                                                              std::to_string(hpa.min_replicas) + "), found " +
                                                              std::to_string(hpa.max_replicas));
  // A percentage of the pods' concurrency, as averageUtilization is of their CPU request; busy slots
  // cannot exceed the concurrency, so a target above 100 could never be reached.
  if (reader.read("targetUtilization", hpa.target_utilization, value::count(1)) && hpa.target_utilization > 100)
    reader.log().report(reader.pointer_of("targetUtilization"),
                        "expected a percentage of the pods' concurrency from 1 to 100 (as the HPA's averageUtilization), "
                        "found " + std::to_string(hpa.target_utilization));
  reader.read_object("behavior", [&](ObjectReader& behavior) {
    behavior.read_object("scaleUp", [&](ObjectReader& up) { read_hpa_rules(up, hpa.scale_up); });
    behavior.read_object("scaleDown", [&](ObjectReader& down) { read_hpa_rules(down, hpa.scale_down); });
  });
}

}  // namespace

void read_service(ObjectReader& reader, ServiceConfig& service) {
  reader.read("name", service.name, value::name, kRequired);
  reader.read("replicas_per_cluster", service.replicas_per_cluster, value::count(0));
  reader.read("clusters", service.clusters, value::list_of(value::name));
  reader.read_object("autoscaling", [&](ObjectReader& hpa) {
    service.autoscaling.emplace();
    read_autoscaling(hpa, *service.autoscaling);
  });
  reader.read("pod_startup", service.pod_startup, value::duration);
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

}  // namespace models::config::detail
