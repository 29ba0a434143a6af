#pragma once
// Waypoint proxies (Envoy, L7): each replica's upstream cluster for its service's pods (Istio's
// locality priorities, panic threshold, load balancer, circuit breakers, outlier detection,
// active health checks), the attempts it makes for each call and the retries of its route.

#include <cstdint>
#include <optional>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"
#include "models/health/envoy_active_health_check.hpp"
#include "models/proxies/envoy_upstream.hpp"
#include "models/traffic/call_pool.hpp"

namespace models {
struct Subsystems;
}

namespace models::waypoints {

class Waypoints {
 public:
  using Handles = EventList<WaypointArrival, RetryAttempt, OutlierSweep, ActiveCheck, ActiveCheckResult>;
  /// `upstreams`: by proxy, the Envoy of each waypoint replica (none for ztunnels).
  Waypoints(Subsystems& s, std::vector<std::optional<proxies::EnvoyUpstream>> upstreams);

  void start();
  void on(const WaypointArrival& e);
  void on(const RetryAttempt& e);
  void on(const OutlierSweep& e);
  void on(const ActiveCheck& e);
  void on(const ActiveCheckResult& e);

  /// An attempt of call `w` came back (or timed out): record it, then retry or answer.
  void attempt_done(std::uint32_t w, traffic::Failure failure, const traffic::AttemptReport& attempt);
  /// An attempt stops counting toward its waypoint's circuit breakers.
  void attempt_closed(const traffic::Call& waypoint_call, const traffic::Call& attempt);
  /// istiod pushed the proxy a change of endpoints.
  void endpoints_changed(std::uint32_t proxy) { upstreams_[proxy]->endpoints_changed(); }
  // Listener: a restarted replica starts afresh.
  void component_changed(const ComponentRef& ref, bool up);

 private:
  void issue_attempt(std::uint32_t waypoint_call, bool is_retry);
  void mark_steady_state_traffic();

  Subsystems& s_;
  std::vector<std::optional<proxies::EnvoyUpstream>> upstreams_;  // by proxy
  std::vector<std::vector<health::EnvoyActiveHealthChecker>> active_checks_;  // by proxy, by host
  // By proxy: its cluster has had an upstream connection, which decides between Envoy's interval
  // and no_traffic_interval (ROUTING.md 4.2). Starts as the fleet's steady state says
  // (mark_steady_state_traffic), turns true at its first forwarded request, false again when the
  // replica restarts (a new Envoy).
  std::vector<std::uint8_t> had_traffic_;
};

}  // namespace models::waypoints
