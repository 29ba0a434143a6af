#pragma once
// Kubernetes as each cluster's API server knows it: pod readiness from kubelet's probes, nodes
// NotReady after the node monitor's grace period, and the NEG controller putting Ready endpoints
// into the gateway's network endpoint groups. Endpoint changes go to istiod (control/) and to the
// gateway (gateway/).

#include <cstdint>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"

namespace models {
struct Subsystems;
}

namespace models::kubernetes {

class Kubernetes {
 public:
  using Handles = EventList<ReadinessSweep, NegSync>;
  explicit Kubernetes(Subsystems& s);

  void start();
  void on(const ReadinessSweep& e);
  void on(const NegSync& e);

  bool ready(std::uint32_t workload) const { return ready_[workload] != 0; }
  /// The pod's endpoint is in its NEG (Kubernetes says Ready, and the NEG controller synced it).
  bool in_neg(std::uint32_t workload) const { return in_neg_[workload] != 0; }

  // The Deployment controller (deployments.hpp): a created pod is Ready once started (its start-up
  // time includes the readiness probe); a deleted pod leaves its endpoints at once and stays out.
  void pod_started(std::uint32_t workload);
  void pod_terminating(std::uint32_t workload);
  /// Its Deployment deleted the pod (it leaves the endpoints on purpose, not for a fault).
  bool deleted(std::uint32_t workload) const { return terminating_[workload] != 0; }
  /// The pod's version fails its readiness probe (a bad rollout's "health_checks": "fail").
  void set_probe_failing(std::uint32_t workload, bool failing) { probe_fails_[workload] = failing ? 1 : 0; }

  // Faults: config-cluster-outage's apply and revert (its control plane stops; the data plane works on).
  static void config_cluster_outage_started(Subsystems& s, std::uint32_t fault);
  static void config_cluster_outage_ended(Subsystems& s, std::uint32_t fault);
  // Listener: a node going down starts the node monitor's grace period.
  void component_changed(const ComponentRef& ref, bool up);

 private:
  /// The pod's readiness changed: its NEG and istiod follow.
  void readiness_changed(std::uint32_t workload, bool ready);

  Subsystems& s_;
  std::vector<std::uint8_t> ready_;          // by workload
  std::vector<std::uint32_t> failed_probes_;  // by workload: consecutive failed readiness probes
  std::vector<std::uint8_t> in_neg_;         // by workload
  std::vector<std::uint8_t> terminating_;    // by workload: deleted, not Ready whatever its probes say
  std::vector<std::uint8_t> probe_fails_;    // by workload: runs, but its readiness probe fails
  std::vector<sim::SimTime> node_down_since_;  // by node
  std::uint32_t config_cluster_outages_ = 0;
};

}  // namespace models::kubernetes
