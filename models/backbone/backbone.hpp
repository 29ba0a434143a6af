#pragma once
// The backbone between regions as the data path sees it now: one-way latency with jitter and
// loss, and which regions can reach each other. Links that are down and degraded links change it.

#include <cstdint>
#include <utility>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"
#include "sim/rng.hpp"

namespace models {
struct Subsystems;
}

namespace models::backbone {

class Backbone {
 public:
  using Handles = EventList<>;
  explicit Backbone(Subsystems& s);

  bool reachable(std::uint32_t from_region, std::uint32_t to_region) const {
    return latencies_.reachable(from_region, to_region);
  }
  /// One way from a region to a region (the same region: its intra-region latency), with jitter and
  /// retransmissions of lost packets drawn from `rng`.
  sim::Duration one_way(std::uint32_t from_region, std::uint32_t to_region, sim::RngStream& rng) const;
  /// The latency without jitter or loss: what a health check's round trip is made of.
  sim::Duration base_latency(std::uint32_t from_region, std::uint32_t to_region) const;
  const topology::RegionLatencies& latencies() const { return latencies_; }

  // Faults: backbone-degradation's apply and revert.
  static void degradation_started(Subsystems& s, std::uint32_t fault);
  static void degradation_ended(Subsystems& s, std::uint32_t fault);
  // Listener: a link down or up.
  void component_changed(const ComponentRef& ref);

 private:
  void recompute();

  Subsystems& s_;
  topology::RegionLatencies latencies_;
  std::vector<std::uint32_t> degradations_;  // active backbone-degradation faults, by fault index
};

}  // namespace models::backbone
