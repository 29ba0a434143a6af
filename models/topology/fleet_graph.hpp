#pragma once
// The fleet as a Boost.Graph graph: components are vertices, relations are edges. Failure
// propagation (the structural blast radius) and region-to-region latency are computed on it.
// Boost and Eigen stay inside fleet_graph.cpp; this header exposes plain types.

#include <memory>
#include <string>
#include <vector>

#include "models/topology/component.hpp"
#include "sim/time.hpp"

namespace models::topology {

struct LinkLatency {
  sim::Duration latency{};
  sim::Duration jitter{};
  double loss = 0;  // share of packets lost crossing it
};

/// Shortest one-way latency between every pair of regions over the backbone, and the jitter
/// summed along that path. Indexed [from][to] by region ordinal (the order regions were added).
struct RegionLatencies {
  std::vector<std::vector<sim::Duration>> latency;
  std::vector<std::vector<sim::Duration>> jitter;
  std::vector<std::vector<double>> loss;  // along the shortest path: 1 - product of (1 - link loss)
  bool reachable(std::size_t a, std::size_t b) const { return latency[a][b] != sim::Duration::max(); }
  /// The regions reachable from `from`, closest first (ties in region order), `from` itself first.
  std::vector<std::uint32_t> by_distance_from(std::uint32_t from) const;
};

class FleetGraph {
 public:
  FleetGraph();
  ~FleetGraph();
  FleetGraph(FleetGraph&&) noexcept;
  FleetGraph& operator=(FleetGraph&&) noexcept;

  ComponentId add_component(ComponentKind kind, std::string name);
  void add_edge(ComponentId from, ComponentId to, EdgeKind kind);
  /// A backbone link between two Region components: adds the link vertex and Link edges both
  /// ways (region -> link -> region) carrying the latency.
  ComponentId add_backbone_link(ComponentId region_a, ComponentId region_b, LinkLatency latency);

  std::size_t size() const;
  std::size_t edge_count() const;
  ComponentKind kind(ComponentId id) const;
  const std::string& name(ComponentId id) const;
  /// Outgoing edges of one kind, in insertion order.
  std::vector<ComponentId> targets(ComponentId from, EdgeKind kind) const;

  /// Every component that fails when `root` fails, `root` first, then in breadth-first order
  /// along failure-propagating edges (each component once). This is the structural blast radius.
  std::vector<ComponentId> failure_reach(ComponentId root) const;

  /// Shortest paths between the given Region components over Link edges whose backbone link
  /// vertex is not listed in `down_links` (Floyd-Warshall on an Eigen matrix).
  /// `added` adds latency and jitter to links (a degraded link).
  RegionLatencies region_latencies(const std::vector<ComponentId>& regions,
                                   const std::vector<ComponentId>& down_links = {},
                                   const std::vector<std::pair<ComponentId, LinkLatency>>& added = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace models::topology
