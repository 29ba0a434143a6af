#pragma once
// Shared by the routing scenario tests (tests/models/waypoints, ztunnel, gateway): the two-region
// mesh that the waypoint and ztunnel tests run, and reading where a service's requests went.

#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <string>

#include "tests/models/simulation_test_support.hpp"

namespace test_support {

// Two regions, one zone and one cluster each, ten nodes per cluster. `web` runs in region a only
// and calls `api`, which has a waypoint replica and ten pods in each cluster. Clients in region a.
inline std::string two_region_mesh(const std::string& api_extra, const std::string& faults, const std::string& web_call_extra = "",
                                   const std::string& api_time = R"({ "dist": "constant", "value": "2ms" })",
                                   bool api_waypoint = true) {
  return R"({
    "faultline": 1, "name": "mesh", "run": { "duration": "60s", "step": "1s", "seed": 3 },
    "regions": [
      { "name": "a", "zones": ["a-1"], "clusters": [ { "name": "ca", "nodes": 10, "config_cluster": true } ] },
      { "name": "b", "zones": ["b-1"], "clusters": [ { "name": "cb", "nodes": 10 } ] } ],
    "backbone": [ { "from": "a", "to": "b", "latency": "10ms" } ],
    "services": [
      { "name": "web", "clusters": ["ca"], "replicas_per_cluster": 4, "concurrency": 64,
        "service_time": { "dist": "constant", "value": "1ms" },
        "calls": [ { "service": "api", "timeout": "5s")" + web_call_extra + R"( } ] },
      { "name": "api", "replicas_per_cluster": 10, "concurrency": 64, "service_time": )" + api_time + R"(,
        "waypoint": )" + std::string(api_waypoint ? R"({ "replicas": 1 })" : "false") + api_extra + R"( } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "a", "rate": "500/s" } ],
    "faults": [ )" + faults + R"( ] })";
}

inline const models::results::ServiceLoad& load_of(const models::results::RunResult& r, const std::string& service) {
  for (const auto& load : r.services)
    if (load.service == service) return load;
  FAIL("no service " << service);
  return r.services.front();
}

// Share of `service`'s requests that reached region index `region` in steps [from_s, to_s).
inline double region_share(const models::results::RunResult& r, const std::string& service, std::size_t region, int from_s, int to_s) {
  const auto& load = load_of(r, service);
  double here = 0, all = 0;
  for (std::size_t reg = 0; reg < load.requests_by_region.size(); ++reg)
    for (int s = from_s; s < to_s; ++s) {
      const auto n = static_cast<double>(load.requests_by_region[reg][static_cast<std::size_t>(s)]);
      all += n;
      if (reg == region) here += n;
    }
  REQUIRE(all > 0);
  return here / all;
}

inline std::uint64_t total_requests(const models::results::ServiceLoad& load) {
  std::uint64_t n = 0;
  for (const auto& region : load.requests_by_region) n = std::accumulate(region.begin(), region.end(), n);
  return n;
}

}  // namespace test_support
