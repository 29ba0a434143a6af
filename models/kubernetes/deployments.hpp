#pragma once
// Each service's Deployment in each cluster, and its HorizontalPodAutoscaler: which pods exist.
//
// A Deployment's pods are slots of the fixed fleet (Fleet::deployments): a slot is absent (held
// down, not Ready, in no endpoint set), starting (created, Ready `pod_startup` later), running, or
// terminating (deleted: out of the endpoints at once, stopped after the 30 s grace period,
// terminationGracePeriodSeconds' default [K4]). An absent slot is down by a hold of its own, so a
// fault on it and its absence combine as any two causes do (fleet/component_states.hpp).
//
// A rollout (the bad-rollout fault) is a Deployment's rolling update [K5], as its controller runs
// it (pkg/controller/deployment/rolling.go) each time a pod starts, becomes available (Ready for
// minReadySeconds) or stops: the new ReplicaSet grows while all pods stay within replicas +
// maxSurge, and the old one shrinks while the available pods stay at least replicas -
// maxUnavailable, its unavailable pods first. Each pod runs the version it was created with: the
// fault's (error_rate, added_latency, and with "health_checks": "fail" a readiness probe that never
// passes, which stalls the rollout as it would a real one) or the original. A rollback is the same
// rolling update back to the original version. Rollouts also make room: a targeted Deployment has
// 2 x (maxSurge + maxUnavailable) more slots, for the new pods and those still terminating.
//
// The HPA syncs every 15 s from the start (hpa.hpp for its arithmetic); its metric is the busy
// slots of the Deployment's pods averaged over the last sync period, over their concurrency, as
// metrics-server averages CPU over a window. Per cluster, as HPA runs per cluster.

#include <cstdint>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"
#include "models/kubernetes/hpa.hpp"

namespace models {
struct Subsystems;
}

namespace models::kubernetes {

class Deployments {
 public:
  using Handles = EventList<HpaSync, PodStarted, PodStopped, PodAvailable>;
  /// Holds every pod slot absent at the start down (the initial state: nobody is told).
  explicit Deployments(Subsystems& s);

  void start();
  void on(const HpaSync& e);
  void on(const PodStarted& e);
  void on(const PodStopped& e);
  void on(const PodAvailable& e);

  // Faults: bad-rollout's start (roll out its version) and end (roll back).
  static void rollout_started(Subsystems& s, std::uint32_t fault);
  static void rollback_started(Subsystems& s, std::uint32_t fault);

  /// Traffic: the workload's busy slots changed by `delta` (for its autoscaler's metric; traffic
  /// calls this only when some Deployment has an autoscaler).
  void busy(std::uint32_t workload, int delta, sim::SimTime now);

  /// The pod is created and started, not being deleted (every pod of a fixed Deployment is).
  bool running(std::uint32_t workload) const { return phase_[workload] == Phase::Running; }
  /// Its pods now, by version (for tests and the rollout's own checks).
  struct Counts {
    std::uint32_t original = 0;   // starting or running the original version
    std::uint32_t rolled_out = 0; // starting or running another version
    std::uint32_t available = 0;  // Ready for minReadySeconds, any version
  };
  Counts counts(std::uint32_t deployment) const;

 private:
  enum class Phase : std::uint8_t { Absent, Starting, Running, Terminating };
  struct Metric {
    std::int64_t busy = 0;     // busy slots now
    __int128 area = 0;         // busy slots x ns since the last sync
    sim::SimTime since;        // of the last change
    sim::SimTime window_start; // the last sync
  };

  /// Creates or deletes pods until as many are starting or running as spec.replicas says, of the
  /// version the Deployment runs; with pods of another version left, one rolling-update step.
  void reconcile(std::uint32_t deployment);
  void scale(std::uint32_t deployment);
  bool rolling_update(std::uint32_t deployment);
  bool alive(std::uint32_t wi) const { return phase_[wi] == Phase::Starting || phase_[wi] == Phase::Running; }
  /// Ready for minReadySeconds (the rollout's).
  bool available(std::uint32_t deployment, std::uint32_t wi) const;
  void create(std::uint32_t workload, std::uint32_t deployment);
  void remove(std::uint32_t workload);
  hpa::PodMetrics observe(std::uint32_t deployment, sim::SimTime now);
  /// The Deployments a rollout fault targets (its reach: their pod slots, in order).
  std::vector<std::uint32_t> targeted(std::uint32_t fault) const;

  Subsystems& s_;
  std::vector<Phase> phase_;               // by workload (pod slots; others stay Running)
  std::vector<std::uint32_t> generation_;  // by workload: a start or stop still scheduled must match
  std::vector<std::uint32_t> spec_;        // by deployment
  std::vector<Metric> metrics_;            // by deployment
  std::vector<hpa::HpaHistory> history_;   // by deployment
  // Versions: 0 is the original, v > 0 the version fault v - 1 rolls out.
  std::vector<std::uint32_t> version_;       // by workload
  std::vector<sim::SimTime> ready_since_;    // by workload: when it started
  std::vector<std::uint32_t> target_;        // by deployment: the version its template says
  std::vector<std::uint32_t> rollout_;       // by deployment: the fault whose rollout parameters apply; kNone
};

}  // namespace models::kubernetes
