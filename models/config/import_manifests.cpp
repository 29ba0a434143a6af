// import_manifests(): Kubernetes objects to a scenario, kind by kind. The mapping table is in
// scenarios/README.md ("Importing Kubernetes manifests"); each field read here is marked used, and
// every field left unread is listed in a warning.

#include "models/config/import_manifests.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "models/config/json_reader.hpp"
#include "models/config/manifests/manifest_object.hpp"
#include "models/config/merge_patch.hpp"
#include "models/config/messages.hpp"
#include "models/config/yaml_document.hpp"

namespace models::config {
namespace {

using detail::child_pointer;
using detail::Json;
using detail::ManifestObject;

constexpr std::string_view kGatewayClass = "gke-l7-cross-regional-internal-managed-mc";
constexpr std::string_view kWaypointClass = "istio-waypoint";
constexpr std::string_view kUseWaypoint = "/metadata/labels/istio.io~1use-waypoint";
constexpr std::string_view kUseWaypointNamespace = "/metadata/labels/istio.io~1use-waypoint-namespace";

// Top-level keys in the order the scenario format lists them; the fleet's other keys follow.
const std::vector<std::string> kScenarioKeys{"faultline", "name",    "description", "run",    "regions",
                                             "backbone",  "mesh",    "services",    "gateway", "clients",
                                             "dns",       "databases", "faults",    "fault_processes", "slo",
                                             "strategies"};

/// The fleet file: a partial scenario, with the positions of its values when it is YAML.
struct Fleet {
  std::string file;
  Json value;
  std::shared_ptr<SourcePositions> positions;

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw ScenarioError(file, {{pointer, message + (positions ? positions->describe(pointer) : std::string())}});
  }
};

Fleet read_fleet(const std::string& text, const std::string& file) {
  Fleet fleet{file, Json::object(), nullptr};
  if (detail::is_yaml_file(file)) {
    detail::YamlDocument document = detail::parse_yaml_scenario(text, file);
    fleet.value = std::move(document.value);
    fleet.positions = std::move(document.positions);
  } else {
    fleet.value = Json::parse(text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
    if (fleet.value.is_discarded()) fleet.fail("", "expected a JSON or YAML (.yaml, .yml) fleet file, found a syntax error");
  }
  if (!fleet.value.is_object()) fleet.fail("", "expected a mapping (a partial scenario), found " + detail::describe_with_type(fleet.value));
  return fleet;
}

/// "checkout", "checkout.shop" and "checkout.shop.svc.cluster.local" all name Service checkout.
std::string host_service(const std::string& host) { return host.substr(0, host.find('.')); }

std::string seconds(std::uint64_t n) { return std::to_string(n) + "s"; }

class Importer {
 public:
  Importer(std::vector<ManifestObject> objects, Fleet fleet) : objects_(std::move(objects)), fleet_(std::move(fleet)) {
    read_fleet_topology();
  }

  ImportedScenario run(const std::optional<std::string>& name) {
    for (ManifestObject& o : objects_)
      if (o.kind() == "Namespace") read_namespace(o);
    for (ManifestObject& o : objects_)
      if (o.kind() == "GatewayClass") read_gateway_class(o);
    for (ManifestObject& o : objects_)
      if (o.kind() == "Gateway") read_gateway(o);
    if (gateway_object_ == nullptr)
      throw ScenarioError(objects_.empty() ? std::string("manifests") : objects_.front().where(),
                          {{"", "expected a Gateway of class " + detail::quote(kGatewayClass) +
                                    " among the manifests, found none"}});
    for (ManifestObject& o : objects_)
      if (o.kind() == "Deployment") read_deployment(o);
    for (ManifestObject& o : objects_)
      if (o.kind() == "Service") read_service(o);
    for (ManifestObject* d : deployments_)
      if (!selected_.count(d)) skip(*d, "/metadata/name", "no Service selects this Deployment: left out");
    for (ManifestObject& o : objects_) {
      if (o.kind() == "HTTPRoute") read_route(o);
      else if (o.kind() == "DestinationRule") read_destination_rule(o);
      else if (o.kind() == "HealthCheckPolicy") read_health_check_policy(o);
      else if (o.kind() == "GCPBackendPolicy") read_backend_policy(o);
      else if (o.kind() == "ServiceExport") service_index(o, "/metadata/name", o.name());
    }
    for (ManifestObject& o : objects_) {
      if (is_modelled_kind(o.kind())) continue;
      skip(o, "/kind", "kind " + o.kind() + " is not modelled: the whole object is left out");
    }
    if (gateway_["routes"].empty())
      throw ScenarioError(gateway_object_->where(), {{"", "expected an HTTPRoute attached to this Gateway, found none"}});
    for (const ManifestObject& o : objects_) {
      if (skipped_.count(&o)) continue;
      for (std::string& w : o.leftovers()) warn(o, std::move(w));
    }
    Json scenario = assemble(name);
    // In the order of the files and their documents (the fleet's last), whatever the kind.
    std::stable_sort(warnings_.begin(), warnings_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    ImportedScenario result{scenario.dump(2) + "\n", {}};
    for (auto& [order, text] : warnings_) result.warnings.push_back(std::move(text));
    return result;
  }

 private:
  struct Service {
    std::string name, name_space;
    ManifestObject* object = nullptr;
    Json json;
    bool waypoint = false;
    bool has_traffic_policy = false;
  };

  static bool is_modelled_kind(const std::string& kind) {
    static const std::set<std::string> kKinds{"Namespace",      "GatewayClass",    "Gateway",           "HTTPRoute",
                                              "Service",        "Deployment",      "DestinationRule",   "HealthCheckPolicy",
                                              "GCPBackendPolicy", "ServiceExport"};
    return kKinds.count(kind) != 0;
  }

  void skip(ManifestObject& o, std::string_view pointer, const std::string& message) {
    if (skipped_.insert(&o).second) warn(o, o.note(pointer, message));
  }

  void warn(const ManifestObject& o, std::string text) {
    warnings_.emplace_back(static_cast<std::size_t>(&o - objects_.data()), std::move(text));
  }

  void read_fleet_topology() {
    const Json* regions = fleet_.value.contains("regions") ? &fleet_.value["regions"] : nullptr;
    if (regions == nullptr || !regions->is_array()) return;  // validation of the result reports it
    for (const Json& region : *regions) {
      if (!region.is_object() || !region.contains("name") || !region["name"].is_string()) continue;
      std::vector<std::string>& clusters = clusters_by_region_[region["name"].get<std::string>()];
      if (!region.contains("clusters") || !region["clusters"].is_array()) continue;
      for (const Json& cluster : region["clusters"])
        if (cluster.is_object() && cluster.contains("name") && cluster["name"].is_string()) {
          clusters.push_back(cluster["name"].get<std::string>());
          all_clusters_.push_back(clusters.back());
        }
    }
  }

  // ---- Namespaces, classes, Gateways ----

  void read_namespace(ManifestObject& o) {
    if (const auto waypoint = o.text(kUseWaypoint)) namespace_waypoints_[o.name()] = *waypoint;
    o.take("/metadata/labels/istio.io~1dataplane-mode");  // ambient (or not): the model is all ambient
  }

  void read_gateway_class(ManifestObject& o) {
    o.text("/spec/controllerName");  // the class name alone says which load balancer GKE builds
    o.text("/spec/description");
  }

  void read_gateway(ManifestObject& o) {
    const std::string gateway_class = o.text("/spec/gatewayClassName").value_or("");
    if (gateway_class.empty()) o.fail("/spec/gatewayClassName", "a gatewayClassName");
    if (gateway_class == kWaypointClass) {
      // The waypoint's HBONE listener is what makes it a waypoint; its replicas come from the fleet.
      waypoints_.insert({o.name_space(), o.name()});
      o.take("/spec/listeners");
      if (const auto waypoint_for = o.text("/metadata/labels/istio.io~1waypoint-for");
          waypoint_for && *waypoint_for != "service" && *waypoint_for != "all")
        o.fail("/metadata/labels/istio.io~1waypoint-for", "\"service\" or \"all\" (services' traffic through the waypoint)");
      return;
    }
    if (gateway_class != kGatewayClass) {
      skip(o, "/spec/gatewayClassName", "class " + gateway_class + " is not modelled (only " + std::string(kGatewayClass) +
                                            " and " + std::string(kWaypointClass) + "): the Gateway is left out");
      return;
    }
    if (gateway_object_ != nullptr)
      o.fail("/metadata/name", "one Gateway of class " + detail::quote(kGatewayClass) + " (the scenario has one)",
             detail::quote(o.name()) + " after " + detail::quote(gateway_object_->name()));
    gateway_object_ = &o;
    gateway_["name"] = o.name();
    gateway_["class"] = gateway_class;
  }

  // ---- Deployments and Services ----

  void read_deployment(ManifestObject& o) {
    deployments_.push_back(&o);
    o.string_map("/spec/selector/matchLabels");  // Kubernetes requires it to match the template's labels
    o.string_map("/spec/template/metadata/labels");
  }

  static bool selects(const std::vector<std::pair<std::string, std::string>>& selector, const ManifestObject& deployment) {
    const Json* labels = deployment.find("/spec/template/metadata/labels");
    if (labels == nullptr || !labels->is_object()) return false;
    return std::all_of(selector.begin(), selector.end(), [&](const auto& label) {
      return labels->contains(label.first) && (*labels)[label.first] == label.second;
    });
  }

  void read_service(ManifestObject& o) {
    for (const Service& s : services_)
      if (s.name == o.name())
        o.fail("/metadata/name", "a Service name used once (the scenario has no namespaces)",
               detail::quote(o.name()) + " again (first in " + s.object->where() + ")");
    Service service{o.name(), o.name_space(), &o, Json::object()};
    const auto selector = o.string_map("/spec/selector");
    if (selector.empty()) o.fail("/spec/selector", "a selector that picks the Service's Deployment");
    std::vector<ManifestObject*> matched;
    for (ManifestObject* d : deployments_)
      if (d->name_space() == o.name_space() && selects(selector, *d)) matched.push_back(d);
    if (matched.empty()) o.fail("/spec/selector", "a Deployment whose pod template labels match the selector", "none");
    if (matched.size() > 1)
      o.fail("/spec/selector", "one Deployment whose pod template labels match the selector",
             "Deployments " + detail::quote(matched[0]->name()) + " and " + detail::quote(matched[1]->name()));
    ManifestObject& deployment = *matched.front();
    selected_.insert(&deployment);
    const auto replicas = deployment.integer("/spec/replicas", 0);
    if (!replicas) deployment.fail("/spec/replicas", "the pods per cluster (an integer >= 0; it is required here)");
    service.json["name"] = service.name;
    service.json["replicas_per_cluster"] = *replicas;

    if (const auto type = o.find("/spec/type"); type != nullptr && *type == "ClusterIP") o.take("/spec/type");
    std::optional<std::string> waypoint = o.text(kUseWaypoint);
    std::string waypoint_namespace = o.text(kUseWaypointNamespace).value_or(o.name_space());
    std::string waypoint_pointer(kUseWaypoint);
    if (!waypoint)
      if (const auto it = namespace_waypoints_.find(o.name_space()); it != namespace_waypoints_.end()) {
        waypoint = it->second;
        waypoint_pointer = "";
      }
    if (waypoint && *waypoint != "none") {
      if (!waypoints_.count({waypoint_namespace, *waypoint}))
        o.fail(waypoint_pointer, "a waypoint Gateway (class istio-waypoint) named " + detail::quote(*waypoint) +
                                     " in namespace " + detail::quote(waypoint_namespace),
               "none" + std::string(waypoint_pointer.empty() ? " (the label is the Namespace's)" : ""));
      service.json["waypoint"] = true;
      service.waypoint = true;
    }
    if (const auto distribution = o.text("/spec/trafficDistribution")) {
      if (*distribution != "PreferClose" && *distribution != "PreferSameZone" && *distribution != "PreferSameNode")
        o.fail("/spec/trafficDistribution", "one of \"PreferSameZone\", \"PreferSameNode\", \"PreferClose\"");
      service.json["traffic_distribution"] = *distribution;
    }
    if (const auto policy = o.text("/spec/internalTrafficPolicy")) {
      if (*policy != "Cluster" && *policy != "Local") o.fail("/spec/internalTrafficPolicy", "\"Cluster\" or \"Local\"");
      if (*policy == "Local") service.json["internal_traffic_policy"] = *policy;
    }
    services_.push_back(std::move(service));
  }

  /// The index of the Service `name` refers to, or an error at `pointer` of `o`.
  std::size_t service_index(ManifestObject& o, std::string_view pointer, const std::string& name) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < services_.size(); ++i) {
      if (services_[i].name == name) return i;
      names.push_back(services_[i].name);
    }
    o.fail(pointer, "a Service of the manifests" + (names.empty() ? std::string() : " (" + detail::quoted_list(names) + ")"),
           detail::quote(name) + detail::did_you_mean(name, names));
  }

  /// A backendRef or targetRef: a Service, or the ServiceImport a multi-cluster Gateway routes to.
  std::size_t service_ref(ManifestObject& o, const std::string& pointer) {
    const std::string kind = o.text(pointer + "/kind").value_or("Service");
    if (kind != "Service" && kind != "ServiceImport") o.fail(pointer + "/kind", "\"Service\" or \"ServiceImport\"");
    o.text(pointer + "/group");  // "" or net.gke.io, as the kind says
    const std::string name = o.text(pointer + "/name").value_or("");
    if (name.empty()) o.fail(pointer + "/name", "the name of a Service");
    return service_index(o, pointer + "/name", name);
  }

  // ---- HTTPRoutes ----

  std::string duration(ManifestObject& o, const std::string& pointer) {
    const std::string text = o.text(pointer).value_or("");
    if (!sim::parse_duration(text)) o.fail(pointer, "a duration such as \"10s\" or \"500ms\"");
    return text;
  }

  void read_route(ManifestObject& o) {
    bool attached = false, to_waypoint = false;
    for (std::size_t i = 0; i < o.array_size("/spec/parentRefs"); ++i) {
      const std::string ref = child_pointer("/spec/parentRefs", i);
      const std::string kind = o.text(ref + "/kind").value_or("Gateway");
      o.text(ref + "/group");
      const std::string ns = o.text(ref + "/namespace").value_or(o.name_space());
      const std::string parent = o.text(ref + "/name").value_or("");
      if (kind == "Gateway" && parent == gateway_object_->name() && ns == gateway_object_->name_space()) attached = true;
      if (waypoints_.count({ns, parent}) || kind == "Service") to_waypoint = true;
    }
    if (!attached) {
      skip(o, "/spec/parentRefs",
           to_waypoint ? std::string("routing inside the mesh (a waypoint's or a Service's route) is not modelled: left out")
                       : "not attached to Gateway " + gateway_object_->name() + ": left out");
      return;
    }
    Json& routes = gateway_["routes"];
    for (std::size_t r = 0; r < o.array_size("/spec/rules"); ++r) {
      const std::string rule = child_pointer("/spec/rules", r);
      Json route = Json::object();
      const std::size_t match_count = o.array_size(rule + "/matches");
      if (match_count > 0) route["matches"] = Json::array();
      for (std::size_t m = 0; m < match_count; ++m) {
        const std::string match = child_pointer(rule + "/matches", m);
        Json out = Json::object();
        if (o.find(match + "/path") != nullptr) {
          const std::string type = o.text(match + "/path/type").value_or("PathPrefix");
          if (type != "PathPrefix" && type != "Exact") o.fail(match + "/path/type", "\"PathPrefix\" or \"Exact\" (the path match types modelled)");
          out["path"] = {{"type", type}, {"value", o.text(match + "/path/value").value_or("/")}};
        }
        const std::size_t header_count = o.array_size(match + "/headers");
        for (std::size_t h = 0; h < header_count; ++h) {
          const std::string header = child_pointer(match + "/headers", h);
          if (o.text(header + "/type").value_or("Exact") != "Exact") o.fail(header + "/type", "\"Exact\" (the header match type modelled)");
          Json entry = Json::object();
          entry["name"] = o.text(header + "/name").value_or("");
          entry["value"] = o.text(header + "/value").value_or("");
          out["headers"].push_back(std::move(entry));
        }
        route["matches"].push_back(std::move(out));
      }
      const std::size_t backend_count = o.array_size(rule + "/backendRefs");
      if (backend_count == 0) o.fail(rule + "/backendRefs", "at least one backendRef");
      route["backendRefs"] = Json::array();
      for (std::size_t b = 0; b < backend_count; ++b) {
        const std::string ref = child_pointer(rule + "/backendRefs", b);
        const std::size_t service = service_ref(o, ref);
        o.take(ref + "/port");  // a Service's one port in the model
        Json backend = {{"name", services_[service].name}};
        if (const auto weight = o.integer(ref + "/weight", 0)) backend["weight"] = *weight;
        route["backendRefs"].push_back(std::move(backend));
      }
      for (const char* key : {"request", "backendRequest"}) {
        const std::string pointer = rule + "/timeouts/" + key;
        if (o.find(pointer) != nullptr) route["timeouts"][key] = duration(o, pointer);
      }
      routes.push_back(std::move(route));
    }
  }

  // ---- Istio DestinationRule ----

  /// Copies the value at `from` in `o` (when there) to `to` in `out`, marking it used.
  static void copy(ManifestObject& o, const std::string& from, Json& out, const std::string& to) {
    if (const Json* value = o.take(from)) out[Json::json_pointer(to)] = *value;
  }

  void read_destination_rule(ManifestObject& o) {
    const std::string host = o.text("/spec/host").value_or("");
    if (host.empty()) o.fail("/spec/host", "the host of a Service");
    Service& service = services_[service_index(o, "/spec/host", host_service(host))];
    if (service.has_traffic_policy)
      o.fail("/spec/host", "one DestinationRule per Service", "a second one for " + detail::quote(service.name));
    if (!service.waypoint) {
      skip(o, "/spec/host", "Service " + service.name + " has no waypoint, and in ambient mode only a waypoint applies a "
                            "DestinationRule's trafficPolicy: left out");
      return;
    }
    service.has_traffic_policy = true;
    Json policy = Json::object();
    const std::string tp = "/spec/trafficPolicy";
    copy(o, tp + "/loadBalancer/simple", policy, "/loadBalancer/simple");
    const std::string locality = tp + "/loadBalancer/localityLbSetting";
    copy(o, locality + "/enabled", policy, "/loadBalancer/localityLbSetting/enabled");
    for (std::size_t i = 0; i < o.array_size(locality + "/failover"); ++i) {
      const std::string f = child_pointer(locality + "/failover", i);
      const std::string to = "/loadBalancer/localityLbSetting/failover/" + std::to_string(i);
      copy(o, f + "/from", policy, to + "/from");
      copy(o, f + "/to", policy, to + "/to");
    }
    copy(o, locality + "/failoverPriority", policy, "/loadBalancer/localityLbSetting/failoverPriority");
    for (const char* key : {"consecutive5xxErrors", "consecutiveGatewayErrors", "interval", "baseEjectionTime",
                            "maxEjectionPercent", "minHealthPercent"})
      copy(o, tp + "/outlierDetection/" + key, policy, std::string("/outlierDetection/") + key);
    for (const char* key : {"http1MaxPendingRequests", "http2MaxRequests", "maxRetries"})
      copy(o, tp + "/connectionPool/http/" + key, policy, std::string("/connectionPool/http/") + key);
    if (const Json* od = o.find(tp + "/outlierDetection"); od != nullptr && !policy.contains("outlierDetection")) {
      policy["outlierDetection"] = Json::object();  // present, all defaults: Istio turns it on
      if (od->is_object() && od->empty()) o.take(tp + "/outlierDetection");
    }
    if (!policy.empty()) service.json["traffic_policy"] = std::move(policy);
  }

  // ---- GKE policies ----

  /// The gateway's one health check or backend policy: the first policy sets it; a later one that
  /// says something else is reported, since the scenario has one for every backend.
  void set_once(ManifestObject& o, const std::string& key, Json value, const ManifestObject*& first) {
    if (first == nullptr) {
      first = &o;
      gateway_[key] = std::move(value);
    } else if (gateway_[key] != value) {
      warn(o, o.note("/spec", "differs from " + first->where() + "; the scenario has one " + key +
                                              " for every backend, so the first one is kept and this one is left out"));
    }
  }

  void read_health_check_policy(ManifestObject& o) {
    service_ref(o, "/spec/targetRef");
    Json check = Json::object();
    const std::string d = "/spec/default";
    if (const auto n = o.integer(d + "/checkIntervalSec", 1)) check["interval"] = seconds(*n);
    if (const auto n = o.integer(d + "/timeoutSec", 1)) check["timeout"] = seconds(*n);
    if (const auto n = o.integer(d + "/healthyThreshold", 1)) check["healthy_threshold"] = *n;
    if (const auto n = o.integer(d + "/unhealthyThreshold", 1)) check["unhealthy_threshold"] = *n;
    o.text(d + "/config/type");  // the probe's protocol: a probe passes or fails alike
    for (const char* protocol : {"httpHealthCheck", "httpsHealthCheck", "http2HealthCheck", "grpcHealthCheck", "tcpHealthCheck"}) {
      const std::string p = d + "/config/" + protocol;
      if (o.find(p) == nullptr) continue;
      if (const auto spec = o.text(p + "/portSpecification")) {
        if (*spec == "USE_SERVING_PORT") check["port"] = "traffic";
        else if (*spec == "USE_FIXED_PORT" || *spec == "USE_NAMED_PORT") check["port"] = "separate";
        else o.fail(p + "/portSpecification", "USE_SERVING_PORT, USE_FIXED_PORT or USE_NAMED_PORT");
      }
      if (check.value("port", "") == "separate") {
        o.take(p + "/port");
        o.take(p + "/portName");
      }
      if (const auto path = o.text(p + "/requestPath")) check["path"] = *path;
    }
    set_once(o, "health_check", std::move(check), health_check_policy_);
  }

  void read_backend_policy(ManifestObject& o) {
    service_ref(o, "/spec/targetRef");
    Json policy = Json::object();
    const std::string d = "/spec/default";
    if (const auto mode = o.text(d + "/balancingMode")) policy["balancingMode"] = *mode;
    if (o.number(d + "/maxRatePerEndpoint")) policy["maxRatePerEndpoint"] = *o.find(d + "/maxRatePerEndpoint");  // as written
    if (const auto timeout = o.integer(d + "/timeoutSec", 1)) {
      const std::string t = seconds(*timeout);
      if (gateway_.contains("timeout") && gateway_["timeout"] != t)
        warn(o, o.note(d + "/timeoutSec", "differs from an earlier policy's; the first one is kept"));
      else
        gateway_["timeout"] = t;
    }
    for (std::size_t i = 0; i < o.array_size(d + "/scopes"); ++i) {
      const std::string scope = child_pointer(d + "/scopes", i);
      if (o.find(scope + "/capacityScaler") == nullptr) continue;  // nothing modelled in it: its fields are listed
      const auto selector = o.string_map(scope + "/selector");
      std::vector<std::string> clusters;
      for (const auto& [label, value] : selector) {
        const std::string at = child_pointer(scope + "/selector", label);
        if (label == "gke.io/cluster") {
          if (std::find(all_clusters_.begin(), all_clusters_.end(), value) == all_clusters_.end())
            o.fail(at, "a cluster of the fleet file", detail::quote(value) + detail::did_you_mean(value, all_clusters_));
          clusters.push_back(value);
        } else if (label == "gke.io/region") {
          const auto it = clusters_by_region_.find(value);
          if (it == clusters_by_region_.end()) o.fail(at, "a region of the fleet file");
          clusters.insert(clusters.end(), it->second.begin(), it->second.end());
        } else {
          o.fail(at, "a selector on \"gke.io/cluster\" or \"gke.io/region\" (the labels modelled)", detail::quote(label));
        }
      }
      if (clusters.empty()) o.fail(scope + "/selector", "a selector naming a cluster or region");
      const Json* scaler = o.take(scope + "/capacityScaler");
      for (const std::string& cluster : clusters) policy["capacityScaler"][cluster] = *scaler;
    }
    set_once(o, "backend_policy", std::move(policy), backend_policy_);
  }

  // ---- The scenario ----

  /// `base` (the manifests' object) with the fleet's `overrides` applied as a merge patch; a value
  /// the fleet replaces is reported.
  Json overlay(Json base, const Json& overrides, const std::string& fleet_pointer, const std::string& what) {
    if (!overrides.is_object()) fleet_.fail(fleet_pointer, "expected a mapping, found " + detail::describe_with_type(overrides));
    report_replaced(base, overrides, fleet_pointer, what);
    detail::apply_merge_patch(base, overrides);
    return base;
  }

  void report_replaced(const Json& base, const Json& overrides, const std::string& fleet_pointer, const std::string& what) {
    for (auto it = overrides.begin(); it != overrides.end(); ++it) {
      if (!base.contains(it.key()) || base[it.key()] == *it) continue;
      const std::string pointer = child_pointer(fleet_pointer, it.key());
      if (it.key() == "waypoint" && base[it.key()] == true && it->is_object()) continue;  // refines it
      if (base[it.key()].is_object() && it->is_object()) {
        report_replaced(base[it.key()], *it, pointer, what);
        continue;
      }
      std::string at = fleet_.positions ? fleet_.positions->describe(pointer) : std::string();
      warnings_.emplace_back(objects_.size(), fleet_.file + ": " + pointer + at + ": replaces " + what + "'s " + detail::describe(base[it.key()]) +
                          " from the manifests");
    }
  }

  Json merged_services() {
    std::vector<bool> used(services_.size(), false);
    Json out = Json::array();
    for (Service& s : services_) out.push_back(s.json);
    if (!fleet_.value.contains("services")) return out;
    const Json& fleet_services = fleet_.value["services"];
    if (!fleet_services.is_array())
      fleet_.fail("/services", "expected an array of per-service settings, found " + detail::describe_with_type(fleet_services));
    std::vector<std::string> names;
    for (const Service& s : services_) names.push_back(s.name);
    for (std::size_t i = 0; i < fleet_services.size(); ++i) {
      const std::string pointer = child_pointer("/services", i);
      const Json& entry = fleet_services[i];
      if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string())
        fleet_.fail(pointer, "expected a mapping with the \"name\" of a Service of the manifests, found " + detail::describe(entry));
      const std::string name = entry["name"].get<std::string>();
      const auto at = std::find(names.begin(), names.end(), name);
      if (at == names.end())
        fleet_.fail(child_pointer(pointer, "name"), "expected a Service of the manifests (" + detail::quoted_list(names) +
                                                        "), found " + detail::quote(name) + detail::did_you_mean(name, names));
      const auto index = static_cast<std::size_t>(at - names.begin());
      out[index] = overlay(out[index], entry, pointer, "Service " + name);
    }
    return out;
  }

  Json assemble(const std::optional<std::string>& name) {
    Json gateway = Json::object();  // in the format's order, whatever order the manifests came in
    for (const char* key : {"name", "class", "timeout", "health_check", "backend_policy", "routes"})
      if (gateway_.contains(key)) gateway[key] = gateway_[key];
    if (fleet_.value.contains("gateway")) gateway = overlay(gateway, fleet_.value["gateway"], "/gateway", "the Gateway");
    Json out = Json::object();
    for (const std::string& key : kScenarioKeys) {
      if (key == "faultline") out[key] = fleet_.value.value(key, Json(1));
      else if (key == "name") {
        if (name) out[key] = *name;
        else if (fleet_.value.contains(key)) out[key] = fleet_.value[key];
        else fleet_.fail("", "expected a \"name\" for the scenario (or --name), found none");
      } else if (key == "services") out[key] = merged_services();
      else if (key == "gateway") out[key] = gateway;
      else if (fleet_.value.contains(key)) out[key] = fleet_.value[key];
    }
    for (auto it = fleet_.value.begin(); it != fleet_.value.end(); ++it)
      if (!out.contains(it.key())) out[it.key()] = *it;  // unknown keys: validation names them
    return out;
  }

  std::vector<ManifestObject> objects_;
  Fleet fleet_;
  std::vector<std::pair<std::size_t, std::string>> warnings_;  // (the object's place, text)
  std::set<const ManifestObject*> skipped_;
  std::map<std::string, std::vector<std::string>> clusters_by_region_;
  std::vector<std::string> all_clusters_;
  std::map<std::string, std::string> namespace_waypoints_;
  std::set<std::pair<std::string, std::string>> waypoints_;  // (namespace, name)
  const ManifestObject* gateway_object_ = nullptr;
  Json gateway_ = Json::object();
  std::vector<ManifestObject*> deployments_;
  std::set<const ManifestObject*> selected_;
  std::vector<Service> services_;
  const ManifestObject* health_check_policy_ = nullptr;
  const ManifestObject* backend_policy_ = nullptr;
};

}  // namespace

ImportedScenario import_manifests(const std::vector<ManifestFile>& manifests, const std::string& fleet_text,
                                  const std::string& fleet_file, const std::optional<std::string>& name) {
  Fleet fleet = read_fleet(fleet_text, fleet_file);
  std::vector<ManifestObject> objects;
  for (const ManifestFile& m : manifests) {
    std::vector<ManifestObject> read = detail::read_manifest_objects(m.text, m.file);
    std::move(read.begin(), read.end(), std::back_inserter(objects));
  }
  return Importer(std::move(objects), std::move(fleet)).run(name);
}

}  // namespace models::config
