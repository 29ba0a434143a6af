#pragma once
// The request path: calls in flight (client -> entry pod, pod -> pod, waypoint -> pod attempts),
// the pods that serve them with their concurrency slots and queues, and what happens when a
// callee answers, is lost, or the caller's deadline passes.

#include <cstdint>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"
#include "models/traffic/call_pool.hpp"

namespace models {
struct Subsystems;
}

namespace models::traffic {

/// A pod (or waypoint replica) at run time.
struct PodState {
  std::uint32_t busy = 0;            // requests being worked on
  std::vector<std::uint32_t> queue;  // waiting calls, a ring buffer grown on demand up to queue_limit
  std::uint32_t queue_head = 0;
  std::uint32_t queue_size = 0;
  std::uint32_t active_head = kNone;  // intrusive list of calls holding a slot
  double error_rate = 0;  // share of requests answered 503 while up (active gray failures)
  sim::Duration added_latency{};  // per request: a slow pod (gray failure) or a saturated waypoint
  // Its health endpoint answers 503 too ("health_checks": "fail" on a gray failure or on the
  // version it runs): every checker's probe of it fails, each counting as its real one does.
  bool health_fails = false;
};

class Requests {
 public:
  using Handles = EventList<PodArrival, ServiceDone, CallReturned, CallTimeout>;
  explicit Requests(Subsystems& s);

  void on(const PodArrival& e);
  void on(const ServiceDone& e);
  void on(const CallReturned& e);
  void on(const CallTimeout& e);

  CallPool& calls() { return calls_; }
  const PodState& pod(std::uint32_t workload) const { return pods_[workload]; }

  /// The callee answers call i; the answer reaches the caller one network path later. `cause`:
  /// the faults behind a failure (faults/blame.hpp), added to what the call met before.
  void answer(std::uint32_t call, Failure failure, faults::CauseId cause = faults::kNoCause);
  /// The callee will never answer call i; the caller finds out at `caller_learns_at` (a connect
  /// timeout), or at its own deadline if that comes first.
  void lose(std::uint32_t call, Failure failure, sim::SimTime caller_learns_at, faults::CauseId cause = faults::kNoCause);
  /// The pod is done with call i: free its slot, answer, and take the next waiting call.
  void finish(std::uint32_t call, Failure failure, faults::CauseId cause = faults::kNoCause);
  /// Call i met the effects of these faults (a queue that failover filled, a slowed pod, ...).
  void blame(std::uint32_t call, faults::CauseId cause);
  /// Makes the service's next call (each taken with its probability), or answers when none is left.
  void advance(std::uint32_t call);

  // Faults: gray-failure's and waypoint-overload's apply and revert.
  static void degradation_changed(Subsystems& s, std::uint32_t fault);
  /// The pod runs a version that answers `error_rate` of its requests with 503 and adds
  /// `added_latency` to each (a bad rollout's, blamed on `cause` for as long as the pod runs it,
  /// rollback included; zeros and kNoCause for a good version); `health_fails`: its health
  /// endpoint answers 503 as well.
  void set_version(std::uint32_t workload, double error_rate, sim::Duration added_latency, faults::CauseId cause,
                   bool health_fails);
  // Listener: a pod that goes down, or a ztunnel that resets its connections.
  void component_changed(const ComponentRef& ref, bool up);

 private:
  /// The pod's error rate and added latency from the degrading faults on it and its version.
  void recompute_degradation(std::uint32_t workload);
  void admit(std::uint32_t call);
  static void grow_queue(PodState& pod, std::uint32_t limit);
  void start_service(std::uint32_t call);
  void release(std::uint32_t call);
  void close_attempt(std::uint32_t attempt);
  void unlink_active(std::uint32_t call);
  void resume(std::uint32_t parent, std::uint32_t parent_generation, Failure failure, faults::CauseId cause,
              const AttemptReport& attempt);
  void record_root(const Call& call, Failure failure, sim::SimTime done_at);
  faults::CauseId queue_cause(const Workload& wl) const;
  faults::CauseId gone_cause(const Call& call, const Workload& wl);
  sim::Duration service_time(const Service& s, sim::RngStream& rng) const;
  void crash_pod(std::uint32_t workload);
  void drop_calls_on_node(std::uint32_t node);

  Subsystems& s_;
  CallPool calls_;
  std::vector<PodState> pods_;  // by workload
  // Busy slots feed an autoscaler's metric only when some Deployment has one: otherwise a slot
  // change costs one predictable branch more than saturation's count.
  bool autoscaled_ = false;
  std::vector<std::uint32_t> degradations_;  // active workload-degrading faults, by fault index
  struct Version {
    double error_rate = 0;
    sim::Duration added_latency{};
    faults::CauseId cause = faults::kNoCause;
    bool health_fails = false;
  };
  /// Why the pod fails or is slow: the faults on it, and the rollout of its version.
  faults::CauseId degradation_cause(const Workload& wl, std::uint32_t workload);
  std::vector<Version> versions_;  // by workload; empty until a rollout sets one
};

}  // namespace models::traffic
