#include "sim/cli/key_settings.hpp"

#include <cstdio>

#include "sim/time.hpp"

namespace cli {

namespace {

using namespace models::config;

std::string d(sim::Duration duration) { return sim::format_duration(duration); }
std::string n(std::uint64_t value) { return std::to_string(value); }
std::string g(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

std::string health_check(const HealthCheckConfig& h) {
  std::string out = "every " + d(h.interval) + ", timeout " + d(h.timeout) + "; down after " + n(h.unhealthy_threshold) +
                    " failures, up after " + n(h.healthy_threshold) + " passes; " +
                    (h.deep ? "deep (the request path and its dependencies)" : "shallow (is the pod running)") + ", " +
                    (h.separate_port ? "on a separate port" : "on the traffic port") + ", " + h.path;
  if (h.fails_under_load) out += "; fails under load (waits behind queued requests)";
  if (h.false_failure_rate > 0) out += "; fails " + g(100 * h.false_failure_rate) + "% of probes anyway";
  if (h.jitter.count() > 0) out += "; jitter up to " + d(h.jitter);
  return out;
}

std::string gcp_outlier(const std::optional<GcpOutlierDetectionConfig>& o) {
  if (!o) return "off (Google Cloud's default)";
  return n(o->consecutive_errors) + " consecutive errors (enforced " + n(o->enforcing_consecutive_errors) + "%), " +
         n(o->consecutive_gateway_failure) + " consecutive gateway failures (enforced " +
         n(o->enforcing_consecutive_gateway_failure) + "%); swept every " + d(o->interval) + ", ejected for " +
         d(o->base_ejection_time) + " and longer, at most " + n(o->max_ejection_percent) + "% of endpoints";
}

std::string mesh_outlier(const std::optional<OutlierDetectionSettings>& o) {
  if (!o) return "off";
  return (o->consecutive_5xx_errors ? n(*o->consecutive_5xx_errors) : std::string("5 (Envoy's default)")) +
         " consecutive 5xx" +
         (o->consecutive_gateway_errors ? ", " + n(*o->consecutive_gateway_errors) + " consecutive gateway errors" : std::string()) +
         "; swept every " + d(o->interval) + ", ejected for " + d(o->base_ejection_time) + " and longer, at most " +
         n(o->max_ejection_percent) + "% ejected, panic below " + n(o->min_health_percent) + "% healthy";
}

std::string service_time(const ServiceTimeConfig& t) {
  switch (t.kind) {
    case ServiceTimeKind::Constant: return "constant " + d(t.scale);
    case ServiceTimeKind::Exponential: return "exponential, mean " + d(t.scale);
    case ServiceTimeKind::LogNormal: return "lognormal, median " + d(t.scale) + ", sigma " + g(t.sigma);
  }
  return "";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> key_settings(const ScenarioConfig& c) {
  std::vector<std::pair<std::string, std::string>> rows;
  const GatewayConfig& gw = c.gateway;
  rows.emplace_back("Gateway health check", health_check(gw.health_check));
  rows.emplace_back("Gateway outlier detection", gcp_outlier(gw.backend_policy.outlier_detection));
  std::string capacity = gw.backend_policy.max_rate_per_endpoint
                             ? "at most " + g(*gw.backend_policy.max_rate_per_endpoint) + " requests/s per endpoint"
                             : std::string("no rate limit per endpoint");
  capacity += "; fails over below " + n(gw.backend_policy.failover_health_threshold) + "% healthy";
  for (const auto& [cluster, scaler] : gw.backend_policy.capacity_scalers) capacity += "; " + cluster + " capacity x" + g(scaler);
  if (gw.backend_policy.auto_capacity_drain) capacity += "; auto capacity drain";
  rows.emplace_back("Gateway capacity", capacity);
  rows.emplace_back("Gateway timeouts", "backend " + d(gw.timeout) + ", connect " + d(gw.connect_timeout) +
                                            "; endpoints follow readiness after " + d(gw.neg_sync_delay) + " (NEG sync)");
  if (c.dns) {
    const char* policy = c.dns->policy == DnsPolicy::Geolocation ? "geolocation"
                         : c.dns->policy == DnsPolicy::Failover  ? "failover"
                                                                 : "weighted round robin";
    rows.emplace_back("DNS", std::string(policy) + ", TTL " + d(c.dns->ttl) + ", sees a VIP's health after " + d(c.dns->health_delay));
  }
  rows.emplace_back("Mesh", "readiness probe every " + d(c.mesh.readiness_period) + ", down after " +
                                n(c.mesh.readiness_failure_threshold) + " failures; istiod push delay " + d(c.mesh.push_delay) +
                                "; connect timeout " + d(c.mesh.connect_timeout) + "; node grace period " +
                                d(c.mesh.node_monitor_grace_period));
  for (const ServiceConfig& s : c.services) {
    std::string text = s.autoscaling ? "autoscaled " + n(s.autoscaling->min_replicas) + "–" + n(s.autoscaling->max_replicas) +
                                           " pods per cluster at " + n(s.autoscaling->target_utilization) + "% utilization"
                                     : n(s.replicas_per_cluster) + " pods per cluster";
    text += ", " + n(s.concurrency) + " requests at once per pod, queue of " + n(s.queue_limit) + "; service time " +
            service_time(s.service_time) + "; new pods ready after " + d(s.pod_startup);
    if (s.waypoint) {
      text += "; waypoint (" + n(s.waypoint->replicas) + " per cluster): outlier detection " +
              mesh_outlier(s.traffic_policy.outlier_detection) + "; " + n(s.retries.attempts) + " retries" +
              (s.retries.per_try_timeout ? ", " + d(*s.retries.per_try_timeout) + " per try" : std::string());
      if (const auto& hc = s.traffic_policy.health_check)
        text += "; active health check every " + d(hc->interval) + ", timeout " + d(hc->timeout) + ", down after " +
                n(hc->unhealthy_threshold) + " failures";
    }
    rows.emplace_back("Service " + s.name, text);
  }
  return rows;
}

}  // namespace cli
