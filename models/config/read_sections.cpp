// read_scenario() and read_document(): a scenario document read section by section.

#include "models/config/read_sections.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "models/config/json_reader.hpp"
#include "models/config/load_scenario.hpp"
#include "models/config/scenario_checks.hpp"

namespace models::config::detail {
namespace {

constexpr std::string_view kMultiPrimary = "multi-primary";
constexpr std::string_view kGatewayClass = "gke-l7-cross-regional-internal-managed-mc";

// ---- Sections, in the order of the format ----

const auto kControlPlanes = std::vector<std::pair<std::string, ControlPlaneTopology>>{
    {std::string(kMultiPrimary), ControlPlaneTopology::MultiPrimary}, {"primary-remote", ControlPlaneTopology::PrimaryRemote}};

std::optional<std::string> gateway_class(const Json& found, const std::string& pointer, IssueLog& log) {
  if (found.is_string() && found.get_ref<const std::string&>() == kGatewayClass) return std::string(kGatewayClass);
  log.report(pointer, "expected " + detail::quote(kGatewayClass) + ", found " +
                          (found.is_string() ? describe(found) : describe_with_type(found)));
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

std::optional<double> rate_or_zero(const Json& value, const std::string& pointer, IssueLog& log) {
  if (value.is_string())
    if (const auto zero = parse_rate(value.get_ref<const std::string&>()); zero && *zero == 0) return 0.0;
  return value::positive_rate(value, pointer, log);
}

const auto rate_shape = value::choice(std::vector<std::pair<std::string, RateShape>>{{"step", RateShape::Step}, {"linear", RateShape::Linear}});

// Exactly one of "rate" (constant), "profile" (points) and "diurnal" (a daily sine).
void read_client_rate(ObjectReader& reader, ClientConfig& client) {
  std::vector<std::string> given;
  for (const char* key : {"rate", "profile", "diurnal"})
    if (reader.has(key)) given.emplace_back(key);
  if (given.empty()) {
    reader.log().report(reader.pointer_of("rate"),
                        "expected the required key \"rate\" (or a load \"profile\" or \"diurnal\" instead), found none");
  }
  for (std::size_t i = 1; i < given.size(); ++i)
    reader.log().report(reader.pointer_of(given[i]), "expected one of \"rate\", \"profile\" and \"diurnal\", found \"" +
                                                         given[0] + "\" and \"" + given[i] + "\"");
  reader.read("rate", client.rate_per_second, value::positive_rate);
  reader.read("shape", client.shape, rate_shape);
  reader.read_objects("profile", client.profile, [](ObjectReader& point, RatePointConfig& p) {
    point.read("at", p.at, value::duration, kRequired);
    point.read("rate", p.rate_per_second, rate_or_zero, kRequired);
    RateShape shape{};
    if (point.read("shape", shape, rate_shape)) p.shape = shape;
  });
  if (reader.has("profile")) {
    const std::string pointer = reader.pointer_of("profile");
    if (client.profile.empty()) reader.log().report(pointer, "expected a non-empty array of { \"at\", \"rate\" } points, found []");
    for (std::size_t i = 1; i < client.profile.size(); ++i)
      if (client.profile[i].at <= client.profile[i - 1].at)
        reader.log().report(child_pointer(child_pointer(pointer, i), "at"),
                            "expected a time after the previous point's " + sim::format_duration(client.profile[i - 1].at) +
                                " (points in increasing \"at\"), found " + sim::format_duration(client.profile[i].at));
  } else if (reader.has("shape")) {
    reader.log().report(reader.pointer_of("shape"), "expected \"shape\" only with a \"profile\", found it without one");
  }
  reader.read_object("diurnal", [&](ObjectReader& diurnal) {
    DiurnalConfig d;
    diurnal.read("peak", d.peak, value::positive_rate, kRequired);
    diurnal.read("trough", d.trough, rate_or_zero, kRequired);
    diurnal.read("peak_at", d.peak_at, value::duration);
    if (diurnal.has("peak") && diurnal.has("trough") && d.trough > d.peak && d.peak > 0)
      diurnal.log().report(diurnal.pointer_of("trough"), "expected a trough at most the peak, found a trough above it");
    client.diurnal = d;
  });
}

void read_client_retries(ObjectReader& reader, ClientRetryConfig& retries) {
  reader.read("attempts", retries.attempts, value::count(1), kRequired);
  if (retries.attempts > kMaxClientAttempts) {
    reader.log().report(reader.pointer_of("attempts"), "expected an integer between 1 and " + std::to_string(kMaxClientAttempts) +
                                                           ", found " + std::to_string(retries.attempts));
    retries.attempts = 1;
  }
  reader.read("backoff", retries.backoff, value::positive_duration);
  Duration max_backoff{};
  if (reader.read("max_backoff", max_backoff, value::positive_duration)) {
    if (max_backoff < retries.backoff)
      reader.log().report(reader.pointer_of("max_backoff"), "expected a duration at least \"backoff\" (" +
                                                                sim::format_duration(retries.backoff) + "), found " +
                                                                sim::format_duration(max_backoff));
    retries.max_backoff = max_backoff;
  }
  double budget = 0;
  if (reader.read("budget", budget, value::probability)) retries.budget = budget;
  std::vector<std::pair<std::string, traffic::Failure>> reasons;
  for (std::size_t f = 1; f < traffic::kFailureCount; ++f)
    reasons.emplace_back(traffic::kFailureNames[f], static_cast<traffic::Failure>(f));
  reader.read("on", retries.on, value::list_of(value::choice(std::move(reasons)), /*must_not_be_empty=*/true));
}

void read_client(ObjectReader& reader, ClientConfig& client) {
  reader.read("name", client.name, value::name);
  // A name that is there but unreadable stays empty: it was reported, and is not replaced.
  if (reader.read("region", client.region, value::name, kRequired) && !reader.has("name")) {
    client.name = "clients-" + client.region;
  }
  read_client_rate(reader, client);
  reader.read("access_latency", client.access_latency, value::duration);
  reader.read_objects("paths", client.paths, read_request_mix_entry);
  reader.read_object("dns", [&](ObjectReader& dns) { read_client_dns(dns, client.dns); });
  reader.read_object("retries", [&](ObjectReader& retries) { read_client_retries(retries, client.retries.emplace()); });
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
                                                                              {"zones", ComponentClass::Zones},
                                                                              {"regions", ComponentClass::Regions},
                                                                              {"gateway_tiers", ComponentClass::GatewayTiers},
                                                                              {"istiods", ComponentClass::Istiods},
                                                                              {"backbone_links", ComponentClass::BackboneLinks},
                                                                              {"waypoints", ComponentClass::Waypoints},
                                                                              {"databases", ComponentClass::Databases},
                                                                              {"dns", ComponentClass::Dns}}),
              kRequired);
  reader.read("distribution", process.distribution,
              value::choice(std::vector<std::pair<std::string, LifetimeDistribution>>{
                  {"exponential", LifetimeDistribution::Exponential}, {"weibull", LifetimeDistribution::Weibull}}));
  reader.read("mttf", process.mean_time_to_failure, value::positive_duration, kRequired);
  reader.read("mttr", process.mean_time_to_repair, value::positive_duration, kRequired);
  if (process.distribution == LifetimeDistribution::Weibull) reader.read("shape", process.shape, value::positive_number);
  reader.read("targets", process.targets, value::list_of(value::name));
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

}  // namespace

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

}  // namespace models::config::detail
