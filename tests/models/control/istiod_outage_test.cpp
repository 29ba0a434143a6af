// The control plane's part in failover: what an istiod outage does while pods come and go.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;

namespace {

// web (2 pods) calls api (4 pods, no waypoint: ztunnel picks among the pods istiod says are ready).
// Two api pods crash at 20s. Optionally, the cluster's istiod is down from 10s to 80s.
std::string churn(bool istiod_outage) {
  std::string faults = R"({ "id": "api0", "kind": "pod-crash", "target": "c1/api-0", "at": "20s" },
                          { "id": "api1", "kind": "pod-crash", "target": "c1/api-1", "at": "20s" })";
  if (istiod_outage) faults += R"(, { "id": "cp", "kind": "istiod-outage", "target": "c1", "at": "10s", "for": "70s" })";
  return R"({
    "faultline": 1, "name": "churn", "run": { "duration": "100s", "step": "1s", "seed": 6 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 6, "config_cluster": true } ] } ],
    "services": [
      { "name": "web", "replicas_per_cluster": 2, "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "1s" } ] },
      { "name": "api", "replicas_per_cluster": 4, "service_time": { "dist": "constant", "value": "1ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "200/s" } ],
    "faults": [ )" + faults + " ] }";
}


}  // namespace

TEST_CASE("istiod outage: dead endpoints stay in the proxies' views until the control plane returns",
          "[models][control][scenario]") {
  const auto normal = test_support::run_scenario_text(churn(false));
  const auto outage = test_support::run_scenario_text(churn(true));
  // Right after the crash, ztunnel sends half of web's calls to the two dead pods either way.
  CHECK(failed_share(normal, 21s, 30s) == Approx(0.5).margin(0.08));
  CHECK(failed_share(outage, 21s, 30s) == Approx(0.5).margin(0.08));
  // Normally readiness probes (3 failures, 10s apart) mark them NotReady and istiod pushes: by
  // about 52s the calls only go to the live pods.
  CHECK(failed_share(normal, 55s, 80s) == 0.0);
  // With istiod down nothing new reaches ztunnel: the dead pods stay in its view.
  CHECK(failed_share(outage, 55s, 80s) == Approx(0.5).margin(0.08));
  // istiod comes back at 80s and sends every proxy the current state.
  CHECK(failed_share(outage, 82s, 100s) == 0.0);
}
