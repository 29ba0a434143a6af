#include "models/kubernetes/deployments.hpp"

#include "models/subsystems.hpp"

namespace models::kubernetes {

namespace {
// terminationGracePeriodSeconds' default [K4]: a deleted pod finishes what it holds, then stops.
constexpr sim::Duration kTerminationGracePeriod = std::chrono::seconds(30);
}  // namespace

Deployments::Deployments(Subsystems& s)
    : s_(s),
      phase_(s.fleet.workloads.size(), Phase::Running),
      generation_(s.fleet.workloads.size(), 0),
      metrics_(s.fleet.deployments.size()),
      history_(s.fleet.deployments.size()),
      version_(s.fleet.workloads.size(), 0),
      ready_since_(s.fleet.workloads.size()),
      target_(s.fleet.deployments.size(), 0),
      rollout_(s.fleet.deployments.size(), kNone) {
  for (const Deployment& d : s.fleet.deployments) spec_.push_back(d.replicas);
  for (std::uint32_t wi = 0; wi < s.fleet.workloads.size(); ++wi) {
    if (s.fleet.starts_absent[wi] == 0) continue;
    phase_[wi] = Phase::Absent;
    s.components.hold(s.fleet.workloads[wi].component);
  }
}

// kube-controller-manager syncs every HPA each period; the run starts with a sync period's worth
// of history already behind it, and (as a restarted controller does) a scale-down window that
// remembers the replicas at the start, so nothing scales down in the first window.
void Deployments::start() {
  for (std::uint32_t d = 0; d < s_.fleet.deployments.size(); ++d) {
    if (!s_.fleet.deployments[d].autoscaling) continue;
    if (s_.fleet.deployments[d].autoscaling->scale_down.stabilization_window_seconds > 0)
      history_[d].recommendations.push_back({sim::SimTime{}, spec_[d]});
    s_.engine.schedule_periodic(sim::SimTime{} + hpa::kSyncPeriod, hpa::kSyncPeriod, HpaSync{d});
  }
}

void Deployments::busy(std::uint32_t workload, int delta, sim::SimTime now) {
  const std::uint32_t d = s_.fleet.deployment_of[workload];
  if (d == kNone || !s_.fleet.deployments[d].autoscaling) return;
  Metric& m = metrics_[d];
  m.area += static_cast<__int128>(m.busy) * (now - m.since).count();
  m.since = now;
  m.busy += delta;
}

hpa::PodMetrics Deployments::observe(std::uint32_t d, sim::SimTime now) {
  const Deployment& deployment = s_.fleet.deployments[d];
  Metric& m = metrics_[d];
  m.area += static_cast<__int128>(m.busy) * (now - m.since).count();
  m.since = now;
  const std::int64_t window = (now - m.window_start).count();
  const double concurrency = s_.fleet.services[deployment.service].concurrency;
  hpa::PodMetrics out;
  out.current_replicas = spec_[d];
  out.usage = window > 0 ? static_cast<double>(m.area) / static_cast<double>(window) / concurrency : 0.0;
  m.area = 0;
  m.window_start = now;
  for (std::uint32_t wi : deployment.pods) {
    if (phase_[wi] == Phase::Starting) ++out.unready;
    if (phase_[wi] != Phase::Running) continue;
    if (s_.kubernetes.ready(wi)) {
      ++out.ready;
    } else {
      ++out.unready;
    }
  }
  return out;
}

void Deployments::on(const HpaSync& e) {
  const Deployment& deployment = s_.fleet.deployments[e.deployment];
  const sim::SimTime now = s_.engine.now();
  const hpa::PodMetrics metrics = observe(e.deployment, now);
  // The HPA and the Deployment controller are the cluster's control plane: down with it.
  if (!s_.components.is_up(s_.fleet.clusters[deployment.cluster].component)) return;
  const std::uint32_t replicas = hpa::sync(metrics, now, *deployment.autoscaling, history_[e.deployment]);
  if (replicas == spec_[e.deployment]) return;
  spec_[e.deployment] = replicas;
  reconcile(e.deployment);
}

void Deployments::reconcile(std::uint32_t d) {
  const auto rolling = [&] {
    for (std::uint32_t wi : s_.fleet.deployments[d].pods)
      if (alive(wi) && version_[wi] != target_[d]) return true;
    return false;
  };
  if (!rolling()) return scale(d);
  // The controller syncs again on every change to its ReplicaSets: old pods deleted make room for
  // new ones at once (with maxSurge 0, say). Each step only moves forward, so this ends.
  while (rolling() && rolling_update(d)) {
  }
}

// The ReplicaSet controller: create in the lowest absent slots; delete the pods that matter least
// first (starting before not Ready before Ready, the newest first), as its ranking does.
void Deployments::scale(std::uint32_t d) {
  const Deployment& deployment = s_.fleet.deployments[d];
  std::uint32_t count = 0;
  for (std::uint32_t wi : deployment.pods) count += alive(wi) ? 1 : 0;
  for (std::uint32_t wi : deployment.pods) {
    if (count >= spec_[d]) break;
    if (phase_[wi] != Phase::Absent) continue;  // a terminating slot is free once it has stopped
    create(wi, d);
    ++count;
  }
  const auto remove_where = [&](auto&& matches) {
    for (auto it = deployment.pods.rbegin(); it != deployment.pods.rend() && count > spec_[d]; ++it) {
      if (!matches(*it)) continue;
      remove(*it);
      --count;
    }
  };
  remove_where([&](std::uint32_t wi) { return phase_[wi] == Phase::Starting; });
  remove_where([&](std::uint32_t wi) { return phase_[wi] == Phase::Running && !s_.kubernetes.ready(wi); });
  remove_where([&](std::uint32_t wi) { return phase_[wi] == Phase::Running; });
}

Deployments::Counts Deployments::counts(std::uint32_t d) const {
  Counts out;
  for (std::uint32_t wi : s_.fleet.deployments[d].pods) {
    if (!alive(wi)) continue;
    (version_[wi] == 0 ? out.original : out.rolled_out) += 1;
    out.available += available(d, wi) ? 1 : 0;
  }
  return out;
}

bool Deployments::available(std::uint32_t d, std::uint32_t wi) const {
  if (phase_[wi] != Phase::Running || !s_.kubernetes.ready(wi)) return false;
  const std::uint32_t min_ready = rollout_[d] == kNone ? 0 : s_.faults.fault(rollout_[d]).min_ready_seconds;
  return s_.engine.now() - ready_since_[wi] >= std::chrono::seconds(min_ready);
}

// One step of a rolling update (rolling.go: reconcileNewReplicaSet, then reconcileOldReplicaSets).
// Returns whether it deleted a pod (which lets the next step create one).
bool Deployments::rolling_update(std::uint32_t d) {
  const Deployment& deployment = s_.fleet.deployments[d];
  const faults::Fault& rollout = s_.faults.fault(rollout_[d]);
  const std::uint32_t desired = spec_[d];
  // deployment/util.ResolveFenceposts: surge rounds up, unavailability down; never both 0.
  const std::int64_t surge = rollout.max_surge.resolve(desired, /*round_up=*/true);
  std::int64_t unavailable = rollout.max_unavailable.resolve(desired, /*round_up=*/false);
  if (surge == 0 && unavailable == 0) unavailable = 1;
  std::int64_t fresh = 0, old = 0;
  for (std::uint32_t wi : deployment.pods) {
    if (!alive(wi)) continue;
    (version_[wi] == target_[d] ? fresh : old) += 1;
  }
  // The new ReplicaSet grows while every pod stays within replicas + maxSurge.
  std::int64_t scale_up = std::min(std::int64_t{desired} + surge - (fresh + old), std::int64_t{desired} - fresh);
  for (std::uint32_t wi : deployment.pods) {
    if (scale_up <= 0) break;
    if (phase_[wi] != Phase::Absent) continue;
    create(wi, d);
    ++fresh;
    --scale_up;
  }
  // The old ones shrink while the available pods stay at least replicas - maxUnavailable: first
  // their unavailable pods (cleanupUnhealthyReplicas), then available ones.
  std::int64_t available_pods = 0, fresh_unavailable = fresh;
  for (std::uint32_t wi : deployment.pods) {
    if (!available(d, wi)) continue;
    ++available_pods;
    if (version_[wi] == target_[d]) --fresh_unavailable;
  }
  const std::int64_t min_available = std::int64_t{desired} - unavailable;
  std::int64_t max_scaled_down = fresh + old - min_available - fresh_unavailable;
  if (max_scaled_down <= 0) return false;
  bool removed = false;
  for (auto it = deployment.pods.rbegin(); it != deployment.pods.rend() && max_scaled_down > 0; ++it) {
    const std::uint32_t wi = *it;
    if (!alive(wi) || version_[wi] == target_[d] || available(d, wi)) continue;
    remove(wi);
    removed = true;
    --max_scaled_down;
  }
  std::int64_t scale_down = available_pods - min_available;
  for (auto it = deployment.pods.rbegin(); it != deployment.pods.rend() && scale_down > 0; ++it) {
    const std::uint32_t wi = *it;
    if (!alive(wi) || version_[wi] == target_[d]) continue;
    remove(wi);
    removed = true;
    --scale_down;
  }
  return removed;
}

void Deployments::create(std::uint32_t wi, std::uint32_t d) {
  phase_[wi] = Phase::Starting;
  // The pod runs the version of the Deployment's template now.
  if (version_[wi] != target_[d]) {
    version_[wi] = target_[d];
    const faults::Fault* bad = target_[d] == 0 ? nullptr : &s_.faults.fault(target_[d] - 1);
    s_.requests.set_version(wi, bad ? bad->error_rate : 0.0, bad ? bad->added.latency : sim::Duration{},
                            bad ? s_.blame.sets().with(faults::kNoCause, target_[d] - 1) : faults::kNoCause,
                            bad != nullptr && bad->health_checks_fail);
  }
  const Service& service = s_.fleet.services[s_.fleet.workloads[wi].service];
  s_.engine.schedule_at(s_.engine.now() + service.pod_startup, PodStarted{wi, ++generation_[wi]});
}

void Deployments::remove(std::uint32_t wi) {
  if (phase_[wi] == Phase::Starting) {
    phase_[wi] = Phase::Absent;
    ++generation_[wi];  // its start will not come
    return;
  }
  phase_[wi] = Phase::Terminating;
  s_.kubernetes.pod_terminating(wi);
  s_.engine.schedule_at(s_.engine.now() + kTerminationGracePeriod, PodStopped{wi, ++generation_[wi]});
}

void Deployments::on(const PodStarted& e) {
  if (e.generation != generation_[e.workload] || phase_[e.workload] != Phase::Starting) return;
  phase_[e.workload] = Phase::Running;
  ready_since_[e.workload] = s_.engine.now();
  const ComponentId c = s_.fleet.workloads[e.workload].component;
  if (s_.components.release(c)) s_.component_changed(c, /*up=*/true);
  s_.kubernetes.pod_started(e.workload);
  // A rolling update goes on when the pod is available: now, or after minReadySeconds.
  const std::uint32_t d = s_.fleet.deployment_of[e.workload];
  if (rollout_[d] == kNone) return;
  const std::uint32_t min_ready = s_.faults.fault(rollout_[d]).min_ready_seconds;
  if (min_ready == 0) return reconcile(d);
  s_.engine.schedule_at(s_.engine.now() + std::chrono::seconds(min_ready), PodAvailable{e.workload, e.generation});
}

void Deployments::on(const PodAvailable& e) {
  if (e.generation != generation_[e.workload] || phase_[e.workload] != Phase::Running) return;
  reconcile(s_.fleet.deployment_of[e.workload]);
}

// The fault's version becomes the template of each Deployment it targets.
void Deployments::rollout_started(Subsystems& s, std::uint32_t fault) {
  Deployments& self = s.deployments;
  for (std::uint32_t d : self.targeted(fault)) {
    self.target_[d] = fault + 1;
    self.rollout_[d] = fault;
    self.reconcile(d);
  }
}

// Back to the original version, with the same rolling update, unless a later rollout replaced it.
void Deployments::rollback_started(Subsystems& s, std::uint32_t fault) {
  Deployments& self = s.deployments;
  for (std::uint32_t d : self.targeted(fault)) {
    if (self.target_[d] != fault + 1) continue;
    self.target_[d] = 0;
    self.reconcile(d);
  }
}

std::vector<std::uint32_t> Deployments::targeted(std::uint32_t fault) const {
  std::vector<std::uint32_t> out;
  for (ComponentId c : s_.faults.fault(fault).reach) {
    const ComponentRef& ref = s_.fleet.refs[c.index()];
    if (ref.kind != topology::ComponentKind::Pod) continue;
    const std::uint32_t d = s_.fleet.deployment_of[ref.index];
    if (out.empty() || out.back() != d) out.push_back(d);
  }
  return out;
}

void Deployments::on(const PodStopped& e) {
  if (e.generation != generation_[e.workload] || phase_[e.workload] != Phase::Terminating) return;
  phase_[e.workload] = Phase::Absent;
  const ComponentId c = s_.fleet.workloads[e.workload].component;
  if (s_.components.hold(c)) s_.component_changed(c, /*up=*/false);
  reconcile(s_.fleet.deployment_of[e.workload]);
}

}  // namespace models::kubernetes
