#pragma once
// DNS for the gateway's name: Cloud DNS (its routing policy over the VIPs, which sees their health
// late), each client group's recursive resolver (which honours the TTL) and its client processes
// (their caches and pooled connections).

#include <cstdint>
#include <utility>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"
#include "sim/rng.hpp"

namespace models {
struct Subsystems;
}

namespace models::dns {

class Dns {
 public:
  using Handles = EventList<>;
  explicit Dns(Subsystems& s);

  /// Which region's VIP one request of `client` goes to: kNone when the name does not resolve.
  std::uint32_t resolve_gateway(std::uint32_t client, sim::RngStream& rng);

  // Faults: dns-outage's apply and revert.
  static void outage_started(Subsystems& s, std::uint32_t fault);
  static void outage_ended(Subsystems& s, std::uint32_t fault);
  // Listeners.
  void component_changed(const ComponentRef& ref, bool up);
  void latencies_changed();

 private:
  /// One client process's view of the gateway's name: its cached answer and its pooled connection.
  struct Instance {
    std::uint32_t cached_vip = kNone;  // region whose VIP the process's cache holds
    sim::SimTime cached_until{};
    std::uint32_t connected_vip = kNone;  // region of its pooled connection, if any
    sim::SimTime connected_until{};
  };
  /// A client group's processes and the recursive resolver they share.
  struct ClientDns {
    std::vector<Instance> instances;
    std::uint32_t resolver_vip = kNone;
    sim::SimTime resolver_until{};
    std::vector<std::uint32_t> region_order;  // regions by backbone latency from the client's
  };
  bool vip_healthy_as_dns_sees_it(std::uint32_t region) const;
  bool tier_up(std::uint32_t region) const;

  Subsystems& s_;
  std::vector<ClientDns> clients_;
  std::uint32_t outages_ = 0;  // active DNS outages
  std::vector<std::vector<std::pair<sim::SimTime, bool>>> tier_history_;  // by tier: up/down changes, for DNS health, which lags
};

}  // namespace models::dns
