#include "models/kubernetes/deployments.hpp"

#include "models/subsystems.hpp"

namespace models::kubernetes {

namespace {
// terminationGracePeriodSeconds' default [K4]: a deleted pod finishes what it holds, then stops.
constexpr sim::Duration kTerminationGracePeriod = std::chrono::seconds(30);
}  // namespace

Deployments::Deployments(Subsystems& s)
    : s_(s),
      s_fleet_deployment_of_(s.fleet.deployment_of),
      phase_(s.fleet.workloads.size(), Phase::Running),
      generation_(s.fleet.workloads.size(), 0),
      autoscaled_(s.fleet.deployments.size(), 0),
      metrics_(s.fleet.deployments.size()),
      history_(s.fleet.deployments.size()) {
  for (const Deployment& d : s.fleet.deployments) {
    spec_.push_back(d.replicas);
    autoscaled_[spec_.size() - 1] = d.autoscaling ? 1 : 0;
  }
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
    if (!autoscaled_[d]) continue;
    if (s_.fleet.deployments[d].autoscaling->scale_down.stabilization_window_seconds > 0)
      history_[d].recommendations.push_back({sim::SimTime{}, spec_[d]});
    s_.engine.schedule_periodic(sim::SimTime{} + hpa::kSyncPeriod, hpa::kSyncPeriod, HpaSync{d});
  }
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

// The ReplicaSet controller: create in the lowest absent slots; delete the pods that matter least
// first (starting before not Ready before Ready, the newest first), as its ranking does.
void Deployments::reconcile(std::uint32_t d) {
  const Deployment& deployment = s_.fleet.deployments[d];
  std::uint32_t alive = 0;
  for (std::uint32_t wi : deployment.pods) alive += (phase_[wi] == Phase::Starting || phase_[wi] == Phase::Running) ? 1 : 0;
  for (std::uint32_t wi : deployment.pods) {
    if (alive >= spec_[d]) break;
    if (phase_[wi] != Phase::Absent) continue;  // a terminating slot is free once it has stopped
    create(wi);
    ++alive;
  }
  const auto remove_where = [&](auto&& matches) {
    for (auto it = deployment.pods.rbegin(); it != deployment.pods.rend() && alive > spec_[d]; ++it) {
      if (!matches(*it)) continue;
      remove(*it);
      --alive;
    }
  };
  remove_where([&](std::uint32_t wi) { return phase_[wi] == Phase::Starting; });
  remove_where([&](std::uint32_t wi) { return phase_[wi] == Phase::Running && !s_.kubernetes.ready(wi); });
  remove_where([&](std::uint32_t wi) { return phase_[wi] == Phase::Running; });
}

void Deployments::create(std::uint32_t wi) {
  phase_[wi] = Phase::Starting;
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
  const ComponentId c = s_.fleet.workloads[e.workload].component;
  if (s_.components.release(c)) s_.component_changed(c, /*up=*/true);
  s_.kubernetes.pod_started(e.workload);
}

void Deployments::on(const PodStopped& e) {
  if (e.generation != generation_[e.workload] || phase_[e.workload] != Phase::Terminating) return;
  phase_[e.workload] = Phase::Absent;
  const ComponentId c = s_.fleet.workloads[e.workload].component;
  if (s_.components.hold(c)) s_.component_changed(c, /*up=*/false);
  reconcile(s_.fleet.deployment_of[e.workload]);
}

}  // namespace models::kubernetes
