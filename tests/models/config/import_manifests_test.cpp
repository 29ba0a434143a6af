// import_manifests(): each manifest kind's fields land where the scenario format keeps them; what
// is not modelled comes back as a warning; bad manifests are errors naming file, document and
// pointer.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/config/import_manifests.hpp"
#include "models/config/load_scenario.hpp"

namespace {

using models::config::import_manifests;
using models::config::ManifestFile;
using models::config::ScenarioError;
using Json = nlohmann::ordered_json;

const char* const kFleet = R"(
faultline: 1
name: small
run: { duration: 1m, seed: 3 }
regions:
  - { name: r1, zones: [r1-a], clusters: [ { name: c1, config_cluster: true }, { name: c2 } ] }
  - { name: r2, zones: [r2-a], clusters: [ { name: c3 } ] }
backbone: [ { from: r1, to: r2, latency: 10ms } ]
services:
  - { name: web, service_time: { dist: constant, value: 1ms }, calls: [ { service: api } ] }
  - { name: api, waypoint: { replicas: 3 } }
clients: [ { region: r1, rate: 50/s } ]
)";

const char* const kGateway = R"(apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: prod }
spec:
  gatewayClassName: gke-l7-cross-regional-internal-managed-mc
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: routes, namespace: prod }
spec:
  parentRefs: [ { name: gw } ]
  rules:
    - matches:
        - path: { type: Exact, value: /api/v1 }
          headers: [ { name: x-canary, value: "yes" } ]
      backendRefs:
        - { kind: ServiceImport, group: net.gke.io, name: api, port: 80, weight: 9 }
        - { name: web, port: 80, weight: 1 }
      timeouts: { request: 4s, backendRequest: 2s }
    - backendRefs: [ { name: web } ]
)";

const char* const kWorkloads = R"(apiVersion: apps/v1
kind: Deployment
metadata: { name: web-v1, namespace: prod }
spec:
  replicas: 4
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web, version: v1 } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: prod }
spec:
  selector: { app: web }
  trafficDistribution: PreferClose
  internalTrafficPolicy: Local
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: prod }
spec:
  replicas: 2
  template: { metadata: { labels: { app: api } } }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: prod, labels: { istio.io/use-waypoint: wp } }
spec: { selector: { app: api } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: wp, namespace: prod }
spec: { gatewayClassName: istio-waypoint }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: prod }
spec:
  host: api.prod.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
      localityLbSetting: { enabled: true, failover: [ { from: r1, to: r2 } ] }
    outlierDetection: { consecutive5xxErrors: 3, interval: 5s, baseEjectionTime: 1m, maxEjectionPercent: 50 }
    connectionPool: { http: { http1MaxPendingRequests: 10, maxRetries: 2 } }
---
apiVersion: networking.gke.io/v1
kind: HealthCheckPolicy
metadata: { name: hc, namespace: prod }
spec:
  targetRef: { group: net.gke.io, kind: ServiceImport, name: api }
  default:
    checkIntervalSec: 10
    timeoutSec: 3
    healthyThreshold: 1
    unhealthyThreshold: 4
    config: { type: HTTP, httpHealthCheck: { portSpecification: USE_FIXED_PORT, port: 9000, requestPath: /ready } }
---
apiVersion: networking.gke.io/v1
kind: GCPBackendPolicy
metadata: { name: bp, namespace: prod }
spec:
  targetRef: { group: net.gke.io, kind: ServiceImport, name: web }
  default:
    maxRatePerEndpoint: 40
    timeoutSec: 20
    scopes:
      - { selector: { gke.io/cluster: c2 }, capacityScaler: 0.5 }
      - { selector: { gke.io/region: r2 }, capacityScaler: 0 }
)";

models::config::ImportedScenario run_import(std::vector<ManifestFile> files, const std::string& fleet = kFleet) {
  return import_manifests(files, fleet, "fleet.yaml", std::nullopt);
}

std::string error_of(std::vector<ManifestFile> files, const std::string& fleet = kFleet) {
  try {
    run_import(std::move(files), fleet);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("import maps each manifest kind's fields onto the scenario", "[import]") {
  const auto imported = run_import({{"gw.yaml", kGateway}, {"apps.yaml", kWorkloads}});
  CHECK(imported.warnings.empty());
  const Json s = Json::parse(imported.scenario_json);
  CHECK(s["name"] == "small");
  REQUIRE(s["services"].size() == 2);
  const Json& web = s["services"][0];
  CHECK(web["name"] == "web");
  CHECK(web["replicas_per_cluster"] == 4);  // the Deployment whose template labels match the selector
  CHECK(web["traffic_distribution"] == "PreferClose");
  CHECK(web["internal_traffic_policy"] == "Local");
  CHECK(web["service_time"]["value"] == "1ms");  // from the fleet
  const Json& api = s["services"][1];
  CHECK(api["replicas_per_cluster"] == 2);
  CHECK(api["waypoint"] == Json::parse(R"({"replicas": 3})"));  // the label says which, the fleet how many
  CHECK(api["traffic_policy"] == Json::parse(R"({
    "loadBalancer": { "simple": "ROUND_ROBIN", "localityLbSetting": { "enabled": true, "failover": [ { "from": "r1", "to": "r2" } ] } },
    "outlierDetection": { "consecutive5xxErrors": 3, "interval": "5s", "baseEjectionTime": "1m", "maxEjectionPercent": 50 },
    "connectionPool": { "http": { "http1MaxPendingRequests": 10, "maxRetries": 2 } } })"));
  const Json& gateway = s["gateway"];
  CHECK(gateway["name"] == "gw");
  CHECK(gateway["class"] == "gke-l7-cross-regional-internal-managed-mc");
  CHECK(gateway["timeout"] == "20s");
  CHECK(gateway["health_check"] == Json::parse(R"({ "interval": "10s", "timeout": "3s", "healthy_threshold": 1,
    "unhealthy_threshold": 4, "port": "separate", "path": "/ready" })"));
  CHECK(gateway["backend_policy"] == Json::parse(R"({ "maxRatePerEndpoint": 40, "capacityScaler": { "c2": 0.5, "c3": 0 } })"));
  CHECK(gateway["routes"] == Json::parse(R"([
    { "matches": [ { "path": { "type": "Exact", "value": "/api/v1" }, "headers": [ { "name": "x-canary", "value": "yes" } ] } ],
      "backendRefs": [ { "name": "api", "weight": 9 }, { "name": "web", "weight": 1 } ],
      "timeouts": { "request": "4s", "backendRequest": "2s" } },
    { "backendRefs": [ { "name": "web" } ] } ])"));
  // What is written is a valid scenario.
  CHECK_NOTHROW(models::config::validate(models::config::parse_scenario(imported.scenario_json, "imported.json")));
  // Deterministic: the same input gives the same bytes.
  CHECK(run_import({{"gw.yaml", kGateway}, {"apps.yaml", kWorkloads}}).scenario_json == imported.scenario_json);
}

TEST_CASE("import lists every kind and field it does not model", "[import]") {
  const std::string extra = std::string(kWorkloads) + R"(---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: prod }
data: { a: b }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: prod }
spec: { minAvailable: 1 }
)";
  std::string gateway = kGateway;
  gateway.replace(gateway.find("  gatewayClassName"), 0, "  listeners: [ { name: http, port: 80, protocol: HTTP } ]\n");
  const auto imported = run_import({{"gw.yaml", gateway}, {"apps.yaml", extra}});
  // In the order of the files and documents; lines count from the top of the file.
  const std::vector<std::string> expected{
      "gw.yaml: document 1 (Gateway/gw): /spec/listeners (line 5, column 3): not modelled, left out",
      "apps.yaml: document 9 (ConfigMap/settings): /kind (line 72, column 1): kind ConfigMap is not modelled: the whole "
      "object is left out",
      "apps.yaml: document 10 (PodDisruptionBudget/web): /kind (line 77, column 1): kind PodDisruptionBudget is not "
      "modelled: the whole object is left out"};
  CHECK(imported.warnings == expected);
}

TEST_CASE("import warns of a fleet value that replaces the manifests'", "[import]") {
  const std::string fleet = std::string(kFleet) + "gateway: { timeout: 9s }\n";
  const auto imported = run_import({{"gw.yaml", kGateway}, {"apps.yaml", kWorkloads}}, fleet);
  REQUIRE(imported.warnings.size() == 1);
  CHECK(imported.warnings[0] == "fleet.yaml: /gateway/timeout (line 13, column 12): replaces the Gateway's \"20s\" from the manifests");
  CHECK(Json::parse(imported.scenario_json)["gateway"]["timeout"] == "9s");
}

TEST_CASE("import rejects manifests it cannot map, saying where and why", "[import]") {
  std::string no_replicas = kWorkloads;
  no_replicas.erase(no_replicas.find("  replicas: 2\n"), 14);
  CHECK(error_of({{"gw.yaml", kGateway}, {"apps.yaml", no_replicas}}) ==
        "apps.yaml: document 3 (Deployment/api): /spec/replicas: expected the pods per cluster (an integer >= 0; it "
        "is required here), found none (line 21, column 1)");

  std::string unknown_backend = kGateway;
  unknown_backend.replace(unknown_backend.find("name: web, port"), 9, "name: wbe");
  CHECK(error_of({{"gw.yaml", unknown_backend}, {"apps.yaml", kWorkloads}}) ==
        "gw.yaml: document 2 (HTTPRoute/routes): /spec/rules/0/backendRefs/1/name: expected a Service of the "
        "manifests (\"web\", \"api\"), found \"wbe\"; did you mean \"web\"? (line 18, column 13)");

  CHECK(error_of({{"list.yaml", "- a\n- b\n"}}) ==
        "list.yaml: document 1 (?/?): /: expected a Kubernetes object (a mapping with apiVersion, kind and metadata), "
        "found [\"a\",\"b\"] (array) (line 1, column 1)");

  CHECK(error_of({{"apps.yaml", kWorkloads}}).find("expected a Gateway of class") != std::string::npos);

  std::string bad_fleet = kFleet;
  bad_fleet.replace(bad_fleet.find("{ name: api,"), 12, "{ name: apo,");
  CHECK(error_of({{"gw.yaml", kGateway}, {"apps.yaml", kWorkloads}}, bad_fleet) ==
        "fleet.yaml: /services/1/name: expected a Service of the manifests (\"web\", \"api\"), found \"apo\"; did you "
        "mean \"api\"? (line 11, column 7)");
}

TEST_CASE("import: a Namespace's use-waypoint label covers its Services; a DestinationRule needs a waypoint", "[import]") {
  std::string workloads = kWorkloads;
  workloads.replace(workloads.find(", labels: { istio.io/use-waypoint: wp }"), 39, "");
  const std::string with_namespace = std::string(R"(apiVersion: v1
kind: Namespace
metadata: { name: prod, labels: { istio.io/use-waypoint: wp, istio.io/dataplane-mode: ambient } }
---
)") + workloads;
  const Json s = Json::parse(run_import({{"gw.yaml", kGateway}, {"apps.yaml", with_namespace}}).scenario_json);
  CHECK(s["services"][0]["waypoint"] == true);
  CHECK(s["services"][1]["waypoint"] == Json::parse(R"({"replicas": 3})"));

  // Without any waypoint label, the DestinationRule is left out, and says why.
  const auto imported = run_import({{"gw.yaml", kGateway}, {"apps.yaml", workloads}});
  CHECK_FALSE(Json::parse(imported.scenario_json)["services"][1].contains("traffic_policy"));
  REQUIRE(imported.warnings.size() == 1);
  CHECK(imported.warnings[0].find("apps.yaml: document 6 (DestinationRule/api): /spec/host") == 0);
  CHECK(imported.warnings[0].find("Service api has no waypoint") != std::string::npos);
}

TEST_CASE("import: a selector that matches no Deployment, and a waypoint that is not there, are errors", "[import]") {
  std::string no_match = kWorkloads;
  no_match.replace(no_match.find("selector: { app: web }"), 22, "selector: { app: wob }");
  CHECK(error_of({{"gw.yaml", kGateway}, {"apps.yaml", no_match}}).find(
            "apps.yaml: document 2 (Service/web): /spec/selector: expected a Deployment whose pod template labels match "
            "the selector, found none") == 0);
  std::string no_waypoint = kWorkloads;
  no_waypoint.replace(no_waypoint.find("istio.io/use-waypoint: wp"), 25, "istio.io/use-waypoint: wq");
  CHECK(error_of({{"gw.yaml", kGateway}, {"apps.yaml", no_waypoint}}).find(
            "apps.yaml: document 4 (Service/api): /metadata/labels/istio.io~1use-waypoint: expected a waypoint Gateway "
            "(class istio-waypoint) named \"wq\" in namespace \"prod\", found none") == 0);
}
