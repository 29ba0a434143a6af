#include "models/kubernetes/kubernetes.hpp"

#include "models/subsystems.hpp"

namespace models::kubernetes {

Kubernetes::Kubernetes(Subsystems& s)
    : s_(s),
      ready_(s.fleet.workloads.size(), 1),
      failed_probes_(s.fleet.workloads.size(), 0),
      in_neg_(s.fleet.workloads.size(), 1),
      terminating_(s.fleet.workloads.size(), 0),
      probe_fails_(s.fleet.workloads.size(), 0),
      node_down_since_(s.fleet.nodes.size()) {
  // A pod slot not yet created is in no endpoint set (kubernetes/deployments.hpp).
  for (std::size_t wi = 0; wi < ready_.size(); ++wi)
    if (s.fleet.starts_absent[wi] != 0) ready_[wi] = in_neg_[wi] = 0;
}

// Each cluster sweeps its pods' readiness every period, from its own random phase.
void Kubernetes::start() {
  const sim::Duration period = s_.fleet.config.mesh.readiness_period;
  for (std::uint32_t c = 0; c < s_.fleet.clusters.size(); ++c) {
    const sim::Duration phase{static_cast<std::int64_t>(s_.rng(s_.fleet.clusters[c].stream).uniform_below(period.count()))};
    s_.engine.schedule_periodic(sim::SimTime::at(phase), period, ReadinessSweep{c});
  }
}

void Kubernetes::config_cluster_outage_started(Subsystems& s, std::uint32_t) { ++s.kubernetes.config_cluster_outages_; }
void Kubernetes::config_cluster_outage_ended(Subsystems& s, std::uint32_t) { --s.kubernetes.config_cluster_outages_; }

void Kubernetes::component_changed(const ComponentRef& ref, bool up) {
  if (ref.kind == topology::ComponentKind::Node && !up) node_down_since_[ref.index] = s_.engine.now();
}

void Kubernetes::on(const ReadinessSweep& e) {
  const Fleet& fleet = s_.fleet;
  const Cluster& cluster = fleet.clusters[e.cluster];
  // With the cluster down its API server is gone too: its endpoint state stays as it was.
  if (!s_.components.is_up(cluster.component)) return;
  if (e.cluster == fleet.config_cluster && config_cluster_outages_ > 0) return;  // its control plane is down
  const sim::SimTime now = s_.engine.now();
  const auto& mesh = fleet.config.mesh;
  for (std::uint32_t wi : cluster.workloads) {
    const Workload& wl = fleet.workloads[wi];
    const Node& node = fleet.nodes[wl.node];
    bool ready = ready_[wi] != 0;
    if (terminating_[wi] != 0) {
      ready = false;
    } else if (!s_.components.is_up(node.component)) {
      if (now - node_down_since_[wl.node] >= mesh.node_monitor_grace_period) ready = false;  // node NotReady
    } else if (s_.components.is_up(wl.component) && probe_fails_[wi] == 0) {
      failed_probes_[wi] = 0;
      ready = true;
    } else if (++failed_probes_[wi] >= mesh.readiness_failure_threshold) {
      ready = false;
    }
    if (ready != (ready_[wi] != 0)) readiness_changed(wi, ready);
  }
}

void Kubernetes::readiness_changed(std::uint32_t wi, bool ready) {
  const Fleet& fleet = s_.fleet;
  const Workload& wl = fleet.workloads[wi];
  ready_[wi] = ready ? 1 : 0;
  if (wl.kind == WorkloadKind::Pod) s_.metrics.saturation().ready(wl, ready ? +1 : -1, s_.engine.now());
  // Service pods the gateway routes to are in a NEG, which follows readiness.
  if (wl.kind == WorkloadKind::Pod && fleet.routed_ordinal[wl.service] != kNone)
    s_.engine.schedule_at(s_.engine.now() + fleet.config.gateway.neg_sync_delay, NegSync{wi, ready});
  s_.istiod.endpoint_changed(wi, ready);
}

void Kubernetes::pod_started(std::uint32_t wi) {
  terminating_[wi] = 0;
  failed_probes_[wi] = 0;
  // On a node or in a pod held down by a fault it is not Ready; the sweeps take it from there.
  if (!ready_[wi] && s_.components.is_up(s_.fleet.workloads[wi].component) && probe_fails_[wi] == 0) readiness_changed(wi, true);
}

void Kubernetes::pod_terminating(std::uint32_t wi) {
  terminating_[wi] = 1;
  if (ready_[wi]) readiness_changed(wi, false);
}

// A pod's endpoint joins or leaves its NEG: every regional tier's backend changes.
void Kubernetes::on(const NegSync& e) {
  in_neg_[e.workload] = e.ready ? 1 : 0;
  if (!e.ready && !deleted(e.workload)) s_.metrics.reacted(metrics::Reaction::NegEndpointRemoved, s_.blame.workload(s_.fleet.workloads[e.workload]));
  s_.gateway.neg_changed(e.workload);
}

}  // namespace models::kubernetes
