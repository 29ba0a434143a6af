#include "models/traffic/requests.hpp"

#include <algorithm>
#include <cmath>

#include "models/subsystems.hpp"

namespace models::traffic {

Requests::Requests(Subsystems& s) : s_(s), pods_(s.fleet.workloads.size()) {
  for (const Deployment& d : s.fleet.deployments) autoscaled_ = autoscaled_ || d.autoscaling.has_value();
  for (std::size_t wi = 0; wi < pods_.size(); ++wi) {
    const Workload& wl = s.fleet.workloads[wi];
    // Fuzz finding (fuzz_regressions/scenario/queue-limit-4e9.json): the whole queue_limit up front (4
    // bytes a slot) made "queue_limit": 4e9 allocate 16 GB per pod. The ring buffer starts small and
    // grows as calls wait (admit()).
    if (wl.kind == WorkloadKind::Pod) pods_[wi].queue.assign(std::clamp<std::uint32_t>(s.fleet.services[wl.service].queue_limit, 1, 16), kNone);
  }
}

sim::Duration Requests::service_time(const Service& s, sim::RngStream& r) const {
  const auto& st = s.service_time;
  switch (st.kind) {
    case config::ServiceTimeKind::Constant: return st.scale;
    case config::ServiceTimeKind::Exponential: return sim::from_seconds(r.exponential(sim::to_seconds(st.scale)));
    case config::ServiceTimeKind::LogNormal: {
      const double z = r.standard_normal();
      return sim::from_seconds(sim::to_seconds(st.scale) * std::exp(st.sigma * z));
    }
  }
  return st.scale;
}

void Requests::blame(std::uint32_t call, faults::CauseId cause) {
  if (cause != faults::kNoCause) calls_[call].cause = s_.blame.unite(calls_[call].cause, cause);
}

// A call that has to wait for a slot: the faults that took capacity from its service (traffic
// failed over to this pod) and those degrading the pod itself.
faults::CauseId Requests::queue_cause(const Workload& wl) const {
  return s_.blame.unite(s_.blame.service_loss(wl.service), s_.blame.workload(wl));
}

// A mesh call that reaches a pod that is gone was sent on a stale view: the faults that keep the
// caller's istiod from pushing the removal (an istiod outage) share the blame with the pod's.
faults::CauseId Requests::gone_cause(const Call& call, const Workload& wl) {
  faults::CauseId cause = s_.blame.workload(wl);
  if (call.is_root || call.parent == kNoCall || !calls_.current(call.parent, call.parent_generation)) return cause;
  const Workload& caller = s_.fleet.workloads[calls_[call.parent].workload];
  return s_.blame.unite(cause, s_.blame.component(s_.fleet.clusters[caller.cluster].istiod));
}

void Requests::record_root(const Call& call, Failure failure, sim::SimTime done_at) {
  const metrics::RequestPlace place{call.route, call.service, s_.fleet.workloads[call.workload].cluster};
  // After the deadline the gateway has already answered 504; the step's finalisation counts it.
  const RequestOrigin origin{call.client, call.step, call.pending, call.pending_generation};
  if (done_at >= call.deadline) return s_.clients.unanswered(origin, call.cause, place);
  // The answer travels back through the regional proxies; if they are gone, so is the answer.
  if (!s_.gateway.tier_up(call.tier)) {
    const faults::CauseId tier = s_.blame.component(s_.gateway.tier_component(call.tier));
    return s_.clients.unanswered(origin, s_.blame.unite(call.cause, tier), place);
  }
  if (failure == Failure::None) {
    s_.clients.succeeded(origin, call.sent_at, done_at, call.route, call.service, place.cluster, call.cause);
  } else {
    s_.clients.failed(origin, failure, call.cause, place, done_at);
  }
}

// ---- at the pod ------------------------------------------------------------------------------

void Requests::on(const PodArrival& e) {
  if (!calls_.current(e.call, e.generation)) return;
  const Call& call = calls_[e.call];
  const Workload& wl = s_.fleet.workloads[call.workload];
  if (!s_.node_up(wl)) {
    // Nothing answers on a dead node: the connection attempt times out.
    const auto& cfg = s_.fleet.config;
    const sim::Duration connect = call.is_root ? cfg.gateway.connect_timeout : cfg.mesh.connect_timeout;
    lose(e.call, Failure::ConnectTimeout, call.sent_at + connect, gone_cause(call, wl));
  } else if (!s_.components.is_up(wl.component) || !s_.ztunnel_up(wl)) {
    answer(e.call, Failure::ConnectionRefused, gone_cause(call, wl));  // the pod is gone, or its node's ztunnel is
  } else if (!call.is_root && !s_.istiod.cert_valid(s_.fleet.nodes[wl.node].ztunnel_proxy, s_.engine.now())) {
    answer(e.call, Failure::CertificateExpired, s_.blame.control_plane());  // mesh traffic arrives over mTLS; the gateway's does not
  } else {
    admit(e.call);
  }
}

void Requests::admit(std::uint32_t i) {
  const std::uint32_t workload = calls_[i].workload;
  const Workload& wl = s_.fleet.workloads[workload];
  PodState& pod = pods_[workload];
  const Service& s = s_.fleet.services[wl.service];
  s_.metrics.pod_reached(wl.service, wl.region, s_.engine.now());
  if (pod.busy < s.concurrency) {
    start_service(i);
  } else if (pod.queue_size < s.queue_limit) {
    blame(i, queue_cause(wl));
    if (pod.queue_size == pod.queue.size()) grow_queue(pod, s.queue_limit);
    pod.queue[(pod.queue_head + pod.queue_size) % pod.queue.size()] = i;
    ++pod.queue_size;
    s_.metrics.saturation().queued(wl, +1, s_.engine.now());
  } else {
    answer(i, Failure::Overloaded, queue_cause(wl));
  }
}

void Requests::start_service(std::uint32_t i) {
  Call& call = calls_[i];
  const Workload& wl = s_.fleet.workloads[call.workload];
  PodState& pod = pods_[call.workload];
  ++pod.busy;
  s_.metrics.saturation().busy(wl, +1, s_.engine.now());
  if (autoscaled_) s_.deployments.busy(call.workload, +1, s_.engine.now());
  call.holds_slot = true;
  call.prev_active = kNone;
  call.next_active = pod.active_head;
  if (pod.active_head != kNone) calls_[pod.active_head].prev_active = i;
  pod.active_head = i;
  if (pod.added_latency > sim::Duration::zero()) blame(i, degradation_cause(wl, call.workload));  // a slowed pod
  const sim::Duration st = service_time(s_.fleet.services[wl.service], s_.rng(wl.stream)) + pod.added_latency;
  s_.engine.schedule_at(s_.engine.now() + st, ServiceDone{i, call.generation});
}

void Requests::unlink_active(std::uint32_t i) {
  Call& call = calls_[i];
  PodState& pod = pods_[call.workload];
  if (call.prev_active != kNone) calls_[call.prev_active].next_active = call.next_active;
  else pod.active_head = call.next_active;
  if (call.next_active != kNone) calls_[call.next_active].prev_active = call.prev_active;
  call.prev_active = call.next_active = kNone;
  call.holds_slot = false;
}

void Requests::on(const ServiceDone& e) {
  if (!calls_.current(e.call, e.generation) || calls_[e.call].callee_done) return;
  // A gray failure: the pod did the work, then fails the request (a dependency error, say).
  const std::uint32_t workload = calls_[e.call].workload;
  const Workload& wl = s_.fleet.workloads[workload];
  const double error_rate = pods_[workload].error_rate;
  if (error_rate > 0 && s_.rng(wl.stream).bernoulli(error_rate))
    return finish(e.call, Failure::ErrorResponse, degradation_cause(wl, workload));
  // A service with a database writes to its primary before its calls.
  const std::uint32_t d = s_.fleet.service_database[wl.service];
  const double write_probability = s_.fleet.config.services[wl.service].write_probability;
  if (d != kNone && (write_probability >= 1.0 || s_.rng(wl.stream).bernoulli(write_probability)))
    return s_.databases.write(d, e.call, e.generation, wl);
  advance(e.call);
}

void Requests::advance(std::uint32_t i) {
  const std::uint32_t workload = calls_[i].workload;
  const Service& s = s_.fleet.services[s_.fleet.workloads[workload].service];
  while (calls_[i].next_call < s.calls.size()) {
    const ResolvedCall& rc = s.calls[calls_[i].next_call++];
    if (rc.probability >= 1.0 || s_.rng(s_.fleet.workloads[workload].stream).bernoulli(rc.probability)) {
      calls_[i].call_retries = 0;
      s_.ztunnels.issue_call(i, rc);
      return;
    }
  }
  finish(i, Failure::None);
}

// A pod's queue is a ring buffer that starts small and doubles, up to the service's queue_limit,
// when a call finds it full: memory follows the calls actually waiting, not the limit.
void Requests::grow_queue(PodState& pod, std::uint32_t limit) {
  const std::size_t capacity = std::min<std::size_t>(limit, std::max<std::size_t>(1, 2 * pod.queue.size()));
  std::vector<std::uint32_t> grown(capacity, kNone);
  for (std::uint32_t k = 0; k < pod.queue_size; ++k) grown[k] = pod.queue[(pod.queue_head + k) % pod.queue.size()];
  pod.queue = std::move(grown);
  pod.queue_head = 0;
}

void Requests::finish(std::uint32_t i, Failure failure, faults::CauseId cause) {
  const std::uint32_t workload = calls_[i].workload;
  unlink_active(i);
  PodState& pod = pods_[workload];
  --pod.busy;
  const Workload& wl = s_.fleet.workloads[workload];
  s_.metrics.saturation().busy(wl, -1, s_.engine.now());
  if (autoscaled_) s_.deployments.busy(workload, -1, s_.engine.now());
  answer(i, failure, cause);
  const Service& s = s_.fleet.services[wl.service];
  while (pod.queue_size > 0 && pod.busy < s.concurrency) {
    const std::uint32_t next = pod.queue[pod.queue_head];
    pod.queue_head = (pod.queue_head + 1) % static_cast<std::uint32_t>(pod.queue.size());
    --pod.queue_size;
    s_.metrics.saturation().queued(wl, -1, s_.engine.now());
    start_service(next);
  }
}

void Requests::answer(std::uint32_t i, Failure failure, faults::CauseId cause) {
  blame(i, cause);
  Call& call = calls_[i];
  call.callee_done = true;
  const sim::SimTime now = s_.engine.now();
  const sim::SimTime arrives = now + call.one_way;
  if (call.is_root) {
    // The answer reaches the gateway proxy on the way back: the path minus the client's leg.
    s_.gateway.learns(call, failure,
                      now + (call.one_way - s_.fleet.clients[call.client].access_latency - s_.fleet.config.gateway.proxy_latency));
    record_root(call, failure, arrives);
    release(i);
  } else if (call.caller_done) {
    release(i);
  } else {
    call.response_pending = true;
    s_.engine.schedule_at(arrives, CallReturned{i, call.generation, failure});
  }
}

void Requests::lose(std::uint32_t i, Failure failure, sim::SimTime caller_learns_at, faults::CauseId cause) {
  blame(i, cause);
  Call& call = calls_[i];
  call.callee_done = true;
  caller_learns_at = std::max(caller_learns_at, s_.engine.now());
  if (call.is_root) {
    s_.gateway.learns(call, failure, caller_learns_at);
    record_root(call, failure, caller_learns_at);
    release(i);
  } else if (call.caller_done) {
    release(i);
  } else if (caller_learns_at < call.deadline || !call.has_timeout) {
    // An attempt has no timeout event of its own unless it has a per-try timeout: its waypoint
    // learns at the latest at the deadline (just after the waypoint's own caller gave up).
    call.response_pending = true;
    s_.engine.schedule_at(std::min(caller_learns_at, call.deadline), CallReturned{i, call.generation, failure});
  }
  // else: the call's timeout event tells the caller, and releases the call.
}

void Requests::on(const CallReturned& e) {
  if (!calls_.current(e.call, e.generation)) return;
  Call& call = calls_[e.call];
  call.response_pending = false;
  if (call.caller_done) {
    release(e.call);
    return;
  }
  const std::uint32_t parent = call.parent;
  const std::uint32_t parent_generation = call.parent_generation;
  const faults::CauseId cause = call.cause;
  const AttemptReport report{call.upstream_host, call.is_retry};
  release(e.call);
  resume(parent, parent_generation, e.failure, cause, report);
}

void Requests::on(const CallTimeout& e) {
  if (!calls_.current(e.call, e.generation)) return;
  Call& call = calls_[e.call];
  if (call.caller_done) return;
  call.caller_done = true;
  close_attempt(e.call);  // a timed-out attempt no longer counts as in flight
  const std::uint32_t parent = call.parent;
  const std::uint32_t parent_generation = call.parent_generation;
  const faults::CauseId cause = call.cause;
  const AttemptReport report{call.upstream_host, call.is_retry};
  if (call.callee_done && !call.response_pending) release(e.call);
  resume(parent, parent_generation, Failure::Timeout, cause, report);
}

void Requests::release(std::uint32_t i) {
  close_attempt(i);
  calls_.release(i);
}

// An attempt stops counting toward its waypoint's circuit breakers once, whichever way it ends.
void Requests::close_attempt(std::uint32_t i) {
  Call& attempt = calls_[i];
  if (!attempt.in_flight) return;
  attempt.in_flight = false;
  s_.waypoints.attempt_closed(calls_[attempt.parent], attempt);
}

// A call made by `parent` came back (or timed out): carry on with the parent's work.
void Requests::resume(std::uint32_t parent, std::uint32_t parent_generation, Failure failure, faults::CauseId cause,
                      const AttemptReport& attempt) {
  if (!calls_.current(parent, parent_generation) || calls_[parent].callee_done) return;  // caller is gone
  blame(parent, cause);  // what its call met, it met
  Call& caller = calls_[parent];
  if (caller.kind == CallKind::ToWaypoint) return s_.waypoints.attempt_done(parent, failure, attempt);
  if (failure == Failure::None) return advance(parent);
  // The application's own retries: call the same service again at once.
  const Service& s = s_.fleet.services[s_.fleet.workloads[caller.workload].service];
  const ResolvedCall& rc = s.calls[caller.next_call - 1];
  if (caller.call_retries < rc.retries) {
    ++caller.call_retries;
    return s_.ztunnels.issue_call(parent, rc);
  }
  finish(parent, Failure::DependencyFailed);
}

// ---- components going down -------------------------------------------------------------------

void Requests::component_changed(const ComponentRef& ref, bool up) {
  if (ref.kind == topology::ComponentKind::Pod)  // a pod, not a waypoint replica (ComponentKind::WaypointReplica)
    s_.metrics.saturation().running(s_.fleet.workloads[ref.index], up ? +1 : -1, s_.engine.now());
  if (up) return;
  if (ref.kind == topology::ComponentKind::Pod) crash_pod(ref.index);
  if (ref.kind == topology::ComponentKind::Ztunnel) drop_calls_on_node(ref.index);
}

// A crashed ztunnel resets every connection through it: the requests its pods were serving fail.
void Requests::drop_calls_on_node(std::uint32_t node) {
  const Fleet& fleet = s_.fleet;
  for (std::uint32_t wi : fleet.clusters[fleet.nodes[node].cluster].workloads)
    if (fleet.workloads[wi].node == node && fleet.workloads[wi].kind == WorkloadKind::Pod) crash_pod(wi);
}

// Every call the pod holds or queues is lost (it crashed, or its connections were reset). On a live
// node the peer sees a reset at once; on a dead node nothing answers and callers wait for their deadline.
void Requests::crash_pod(std::uint32_t workload) {
  PodState& pod = pods_[workload];
  const bool blackhole = !s_.node_up(s_.fleet.workloads[workload]);
  std::vector<std::uint32_t> lost;
  for (std::uint32_t i = pod.active_head; i != kNone; i = calls_[i].next_active) lost.push_back(i);
  for (std::uint32_t k = 0; k < pod.queue_size; ++k) lost.push_back(pod.queue[(pod.queue_head + k) % pod.queue.size()]);
  const faults::CauseId cause = s_.blame.workload(s_.fleet.workloads[workload]);
  for (std::uint32_t i : lost) {
    Call& call = calls_[i];
    call.holds_slot = false;
    call.prev_active = call.next_active = kNone;
    if (blackhole) {
      lose(i, Failure::ConnectTimeout, call.deadline, cause);
    } else {
      answer(i, Failure::ConnectionRefused, cause);
    }
  }
  const Workload& wl = s_.fleet.workloads[workload];
  s_.metrics.saturation().busy(wl, -static_cast<int>(pod.busy), s_.engine.now());
  if (autoscaled_) s_.deployments.busy(workload, -static_cast<int>(pod.busy), s_.engine.now());
  s_.metrics.saturation().queued(wl, -static_cast<int>(pod.queue_size), s_.engine.now());
  pod.busy = 0;
  pod.queue_head = pod.queue_size = 0;
  pod.active_head = kNone;
}

// Gray failures and overloads change no up/down state: their pods keep running, answer a share of
// requests with 503 or answer late, and pass their probes unless "health_checks": "fail". Overlapping ones combine as
// independent draws; added latencies add up (in fault order).
void Requests::degradation_changed(Subsystems& s, std::uint32_t fault) {
  Requests& self = s.requests;
  const faults::Fault& changed = s.faults.fault(fault);
  auto& active = self.degradations_;
  if (changed.active) {
    active.insert(std::upper_bound(active.begin(), active.end(), fault), fault);
  } else {
    active.erase(std::find(active.begin(), active.end(), fault));
  }
  for (ComponentId c : changed.reach) {
    const ComponentRef& ref = s.fleet.refs[c.index()];
    if (ref.kind == topology::ComponentKind::Pod || ref.kind == topology::ComponentKind::WaypointReplica)
      self.recompute_degradation(ref.index);
  }
}

void Requests::recompute_degradation(std::uint32_t workload) {
  const ComponentId c = s_.fleet.workloads[workload].component;
  double survive = 1.0;
  sim::Duration added{};
  bool health_fails = false;
  for (std::uint32_t a : degradations_) {
    const faults::Fault& f = s_.faults.fault(a);
    if (std::find(f.reach.begin(), f.reach.end(), c) == f.reach.end()) continue;
    survive *= 1.0 - f.error_rate;
    added += f.added.latency;
    health_fails = health_fails || f.health_checks_fail;
  }
  if (!versions_.empty()) {
    survive *= 1.0 - versions_[workload].error_rate;
    added += versions_[workload].added_latency;
    health_fails = health_fails || versions_[workload].health_fails;
  }
  pods_[workload].error_rate = 1.0 - survive;
  pods_[workload].added_latency = added;
  if (health_fails != pods_[workload].health_fails) {
    pods_[workload].health_fails = health_fails;
    s_.kubernetes.set_probe_failing(workload, health_fails);  // kubelet's readiness probe fails too
  }
}

faults::CauseId Requests::degradation_cause(const Workload& wl, std::uint32_t workload) {
  const faults::CauseId on_pod = s_.blame.workload(wl);
  return versions_.empty() ? on_pod : s_.blame.unite(on_pod, versions_[workload].cause);
}

void Requests::set_version(std::uint32_t workload, double error_rate, sim::Duration added_latency, faults::CauseId cause,
                           bool health_fails) {
  if (versions_.empty()) {
    if (error_rate == 0 && added_latency == sim::Duration::zero() && !health_fails) return;
    versions_.resize(pods_.size());
  }
  versions_[workload] = Version{error_rate, added_latency, cause, health_fails};
  recompute_degradation(workload);
}

}  // namespace models::traffic
