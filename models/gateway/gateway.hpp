#pragma once
// The multi-cluster Gateway's regional proxy tiers (Google-managed Envoys behind each VIP): the
// backend pick for each client request (HTTPRoute backendRef weights, then WATERFALL_BY_REGION
// over the NEGs, ROUTING.md 7.3), their health checks, their outlier detection, and the load they
// measure every second.

#include <cstdint>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"
#include "models/gateway/gateway_tier.hpp"
#include "models/traffic/call_pool.hpp"
#include "models/traffic/request_origin.hpp"

namespace models {
struct Subsystems;
}

namespace models::gateway {

class Gateway {
 public:
  using Handles = EventList<HealthCheckRound, HealthCheckResult, GatewayRateTick, GatewayResult, GatewayOutlierSweep>;
  Gateway(Subsystems& s, std::vector<GatewayTier> tiers);

  void start_health_checks();
  void start_load_and_outlier_sweeps();
  void on(const HealthCheckRound& e);
  void on(const HealthCheckResult& e);
  void on(const GatewayRateTick& e);
  void on(const GatewayResult& e);
  void on(const GatewayOutlierSweep& e);

  std::size_t tier_count() const { return tiers_.size(); }
  std::uint32_t tier_region(std::uint32_t t) const { return tiers_[t].region; }
  bool tier_up(std::uint32_t t) const;
  ComponentId tier_component(std::uint32_t t) const { return tiers_[t].component; }

  /// A client request reached tier `t` on `route`, `to_proxy` after it was sent: pick a backend
  /// and send it on. `cause`: the faults it met on the way (a VIP in another region because its
  /// own region's is down).
  void forward(const traffic::RequestOrigin& origin, std::uint32_t t, std::uint32_t route, sim::Duration to_proxy,
               faults::CauseId cause);
  /// The gateway sees how a request to a backend ended: its outlier detection counts it.
  void learns(const traffic::Call& root, traffic::Failure failure, sim::SimTime at);
  /// A pod's endpoint joined or left its NEG (kubernetes/): every tier's backend changes.
  void neg_changed(std::uint32_t workload);
  void latencies_changed();

 private:
  void schedule_health_check_round(sim::SimTime at, std::uint32_t tier, std::uint32_t service);
  bool deep_check_passes(std::uint32_t workload, sim::RngStream& rng) const;
  void refresh_backend(GatewayTier& tier, GatewayBackends& gb, std::uint32_t backend);
  void recompute_shares(std::uint32_t tier, GatewayBackends& gb);

  Subsystems& s_;
  std::vector<GatewayTier> tiers_;
};

}  // namespace models::gateway
