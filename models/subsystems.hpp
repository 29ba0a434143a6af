#pragma once
// The subsystems of one run, side by side: the fixed fleet, the engine and the random streams they
// share, and one object per part of the platform, each owning its state and the events it handles
// (the `Handles` list of each class; simulation.cpp routes every event to its one owner). They
// call each other directly: this struct is how each finds the others.

#include <vector>

#include "models/backbone/backbone.hpp"
#include "models/control/istiod.hpp"
#include "models/data/databases.hpp"
#include "models/dns/dns.hpp"
#include "models/events.hpp"
#include "models/faults/blame.hpp"
#include "models/faults/faults.hpp"
#include "models/fleet/component_states.hpp"
#include "models/gateway/gateway.hpp"
#include "models/kubernetes/deployments.hpp"
#include "models/kubernetes/kubernetes.hpp"
#include "models/metrics/metrics.hpp"
#include "models/traffic/clients.hpp"
#include "models/traffic/requests.hpp"
#include "models/waypoints/waypoints.hpp"
#include "models/world.hpp"
#include "models/ztunnel/ztunnel.hpp"
#include "sim/engine.hpp"
#include "sim/rng.hpp"

namespace models {

struct Subsystems {
  explicit Subsystems(World&& world);
  Subsystems(const Subsystems&) = delete;
  Subsystems& operator=(const Subsystems&) = delete;

  // Shared by all.
  Fleet fleet;
  std::vector<sim::RngStream> streams;  // one per entity that draws (World::add_stream)
  sim::Engine<Event> engine;
  ComponentStates components;
  faults::Blame blame;  // which faults are behind each component's behaviour, for bad requests' causes
  // Each constructed after what it reads in its constructor.
  metrics::Metrics metrics;
  backbone::Backbone backbone;
  gateway::Gateway gateway;
  dns::Dns dns;
  kubernetes::Kubernetes kubernetes;
  kubernetes::Deployments deployments;
  control::Istiod istiod;
  traffic::Requests requests;
  ztunnel::Ztunnels ztunnels;
  waypoints::Waypoints waypoints;
  traffic::Clients clients;
  data::Databases databases;
  faults::Faults faults;

  sim::RngStream& rng(std::uint32_t stream) { return streams[stream]; }
  bool node_up(const Workload& wl) const { return components.is_up(fleet.nodes[wl.node].component); }
  bool ztunnel_up(const Workload& wl) const { return components.is_up(fleet.nodes[wl.node].ztunnel); }

  /// Schedules what every subsystem does from the start (first arrivals, probe rounds, sweeps,
  /// certificate renewals, fault starts), in a fixed order.
  void start();
  /// A component went down or came back: every listener is told, in this fixed order.
  void component_changed(ComponentId c, bool up);
};

}  // namespace models
