#include "models/waypoints/waypoints.hpp"

#include <algorithm>

#include "models/fleet/capacity_estimate.hpp"
#include "models/proxies/attempt_outcome.hpp"
#include "models/subsystems.hpp"

namespace models::waypoints {

using traffic::Failure;

Waypoints::Waypoints(Subsystems& s, std::vector<std::optional<proxies::EnvoyUpstream>> upstreams)
    : s_(s), upstreams_(std::move(upstreams)), active_checks_(upstreams_.size()) {}

void Waypoints::start() {
  // Each waypoint's outlier detector sweeps every `interval`, from its own random phase.
  for (std::uint32_t p = 0; p < upstreams_.size(); ++p) {
    if (!upstreams_[p] || !upstreams_[p]->settings().outlier_detection) continue;
    const sim::Duration interval = upstreams_[p]->settings().outlier_detection->interval;
    const sim::Duration phase{static_cast<std::int64_t>(s_.rng(s_.fleet.proxies[p].stream).uniform_below(interval.count()))};
    s_.engine.schedule_periodic(sim::SimTime::at(phase), interval, OutlierSweep{p});
  }
  // Waypoints with active health checks probe each host, the first probe at a random phase.
  had_traffic_.assign(upstreams_.size(), 0);
  const bool any_active_checks = std::any_of(upstreams_.begin(), upstreams_.end(), [](const auto& u) {
    return u && u->settings().active_health_check;
  });
  if (any_active_checks) mark_steady_state_traffic();
  for (std::uint32_t p = 0; p < upstreams_.size(); ++p) {
    if (!upstreams_[p] || !upstreams_[p]->settings().active_health_check) continue;
    const auto& hc = *upstreams_[p]->settings().active_health_check;
    for (std::uint32_t h = 0; h < upstreams_[p]->host_count(); ++h) {
      active_checks_[p].emplace_back(hc);
      const sim::Duration phase{static_cast<std::int64_t>(s_.rng(s_.fleet.proxies[p].stream).uniform_below(hc.interval.count()))};
      s_.engine.schedule_at(sim::SimTime::at(phase), ActiveCheck{p, h});
    }
  }
}

// In steady state a waypoint replica has carried traffic when a caller of its service gets load
// (the static capacity estimate) in a region whose calls go to the replica's region: the caller's
// ztunnel picks the closest region with a replica. The gateway sends to pods directly, not
// through waypoints.
void Waypoints::mark_steady_state_traffic() {
  const Fleet& fleet = s_.fleet;
  const CapacityEstimate estimate = estimate_capacity(fleet);
  std::vector<std::uint8_t> served(fleet.services.size() * fleet.regions.size(), 0);  // [service * regions + region]
  for (const ServiceRegionLoad& load : estimate.loads) {
    if (load.offered_per_second <= 0) continue;
    for (const ResolvedCall& call : fleet.services[load.service].calls) {
      const Service& callee = fleet.services[call.callee];
      if (!callee.has_waypoint || callee.waypoint_replicas.empty()) continue;
      std::uint32_t closest = kNone;
      for (std::uint32_t wi : callee.waypoint_replicas) {
        const std::uint32_t r = fleet.workloads[wi].region;
        if (closest == kNone || s_.backbone.base_latency(load.region, r) < s_.backbone.base_latency(load.region, closest))
          closest = r;
      }
      served[call.callee * fleet.regions.size() + closest] = 1;
    }
  }
  for (std::uint32_t p = 0; p < upstreams_.size(); ++p) {
    if (!upstreams_[p]) continue;
    const Workload& replica = fleet.workloads[fleet.proxies[p].workload];
    had_traffic_[p] = served[replica.service * fleet.regions.size() + replica.region];
  }
}

void Waypoints::on(const WaypointArrival& e) {
  traffic::CallPool& calls = s_.requests.calls();
  if (!calls.current(e.call, e.generation)) return;
  const traffic::Call& call = calls[e.call];
  const Workload& wp = s_.fleet.workloads[call.workload];
  if (!s_.node_up(wp)) {
    s_.requests.lose(e.call, Failure::ConnectTimeout, call.sent_at + s_.fleet.config.mesh.connect_timeout, s_.blame.workload(wp));
  } else if (!s_.components.is_up(wp.component)) {
    s_.requests.answer(e.call, Failure::ConnectionRefused, s_.blame.workload(wp));
  } else if (!s_.istiod.cert_valid(wp.proxy, s_.engine.now())) {
    s_.requests.answer(e.call, Failure::CertificateExpired, s_.blame.control_plane());
  } else {
    issue_attempt(e.call, /*is_retry=*/false);
  }
}

// The waypoint (an Envoy) chooses a host with its own view, priorities, outlier state and load
// balancer, and sends one attempt to it.
void Waypoints::issue_attempt(std::uint32_t w, bool is_retry) {
  const sim::SimTime now = s_.engine.now();
  const Fleet& fleet = s_.fleet;
  const auto& mesh = fleet.config.mesh;
  traffic::CallPool& calls = s_.requests.calls();
  const Workload& wp = fleet.workloads[calls[w].workload];
  proxies::EnvoyUpstream& upstream = *upstreams_[wp.proxy];
  faults::Blame& blame = s_.blame;
  if (!upstream.request_admitted())  // circuit breaker: 503
    return s_.requests.answer(w, Failure::Overloaded, blame.unite(blame.service_loss(wp.service), blame.workload(wp)));
  const traffic::Call& waypoint_call = calls[w];
  const std::size_t remembered = std::min<std::size_t>(waypoint_call.remembered, traffic::kRememberedHosts);
  const auto host = upstream.pick(s_.istiod.view(wp.proxy),
                                  std::span<const std::uint32_t>(waypoint_call.tried_hosts.data(), remembered),
                                  s_.rng(fleet.proxies[wp.proxy].stream));
  if (!host) return s_.requests.answer(w, Failure::NoHealthyUpstream, blame.service_loss(wp.service));
  had_traffic_[wp.proxy] = 1;
  const std::uint32_t dest = upstream.workload(*host);
  const std::uint32_t a = calls.allocate();  // may move the pool
  traffic::Call& wc = calls[w];
  traffic::Call& attempt = calls[a];
  attempt.parent = w;
  attempt.parent_generation = wc.generation;
  attempt.service = wc.service;
  attempt.workload = dest;
  attempt.sent_at = now;
  attempt.deadline = wc.deadline;
  attempt.upstream_host = *host;
  attempt.is_retry = is_retry;
  attempt.in_flight = true;
  upstream.attempt_started(*host, is_retry);
  if (const auto& per_try = upstream.settings().retry.per_try_timeout; per_try && now + *per_try < wc.deadline) {
    attempt.deadline = now + *per_try;
    attempt.has_timeout = true;
    s_.engine.schedule_at(attempt.deadline, CallTimeout{a, attempt.generation});
  }
  ++wc.attempts;
  wc.tried_hosts[wc.remembered % traffic::kRememberedHosts] = *host;
  ++wc.remembered;
  if (!s_.backbone.reachable(wp.region, fleet.workloads[dest].region))
    return s_.requests.lose(a, Failure::ConnectTimeout, now + mesh.connect_timeout, blame.backbone());
  s_.requests.blame(a, blame.failover(wp.region, fleet.workloads[dest].region, wp.service));
  attempt.one_way = mesh.waypoint_latency + s_.backbone.one_way(wp.region, fleet.workloads[dest].region, s_.rng(wp.stream)) +
                    mesh.ztunnel_latency;
  s_.engine.schedule_at(now + attempt.one_way, PodArrival{a, attempt.generation});
}

void Waypoints::attempt_closed(const traffic::Call& waypoint_call, const traffic::Call& attempt) {
  upstreams_[s_.fleet.workloads[waypoint_call.workload].proxy]->attempt_finished(attempt.upstream_host, attempt.is_retry);
}

// An attempt came back to the waypoint: record it for outlier detection, then retry or answer.
void Waypoints::attempt_done(std::uint32_t w, Failure failure, const traffic::AttemptReport& attempt) {
  traffic::CallPool& calls = s_.requests.calls();
  const Workload& wp = s_.fleet.workloads[calls[w].workload];
  // If the waypoint replica died meanwhile, nobody is left to answer: the caller times out.
  if (!s_.components.is_up(wp.component)) return s_.requests.lose(w, failure, calls[w].deadline, s_.blame.workload(wp));
  proxies::EnvoyUpstream& upstream = *upstreams_[wp.proxy];
  sim::RngStream& rng = s_.rng(s_.fleet.proxies[wp.proxy].stream);
  const routing::Outcome outcome = proxies::attempt_outcome(failure);
  if (const auto status = routing::outlier_status(outcome)) {
    if (upstream.record_result(attempt.host, *status, s_.engine.now(), rng))
      s_.metrics.reacted(metrics::Reaction::WaypointOutlierEjection,
                         s_.blame.endpoint_trouble(s_.fleet.workloads[upstream.workload(attempt.host)]));
  }
  const traffic::Call& wc = calls[w];
  const routing::RetryPolicy& policy = upstream.settings().retry;
  if (failure != Failure::None && !wc.caller_done && wc.attempts <= policy.num_retries &&
      routing::should_retry(policy, outcome) && upstream.retry_admitted()) {
    const sim::Duration backoff = routing::draw_backoff(policy, wc.attempts, rng);
    s_.engine.schedule_at(s_.engine.now() + backoff, RetryAttempt{w, wc.generation});
    return;
  }
  s_.requests.answer(w, failure);
}

void Waypoints::on(const RetryAttempt& e) {
  traffic::CallPool& calls = s_.requests.calls();
  if (!calls.current(e.call, e.generation)) return;
  const traffic::Call& wc = calls[e.call];
  if (wc.caller_done) return s_.requests.answer(e.call, Failure::Timeout);  // nobody waits any more
  const Workload& wp = s_.fleet.workloads[wc.workload];
  if (!s_.components.is_up(wp.component)) return s_.requests.lose(e.call, Failure::Timeout, wc.deadline, s_.blame.workload(wp));
  issue_attempt(e.call, /*is_retry=*/true);
}

void Waypoints::on(const OutlierSweep& e) {
  if (!s_.components.is_up(s_.fleet.proxies[e.proxy].component)) return;
  proxies::EnvoyUpstream& upstream = *upstreams_[e.proxy];
  const std::vector<std::uint32_t> ejected = upstream.sweep(s_.engine.now(), s_.rng(s_.fleet.proxies[e.proxy].stream));
  if (ejected.empty()) return;
  faults::CauseId cause = faults::kNoCause;
  for (std::uint32_t host : ejected) cause = s_.blame.unite(cause, s_.blame.endpoint_trouble(s_.fleet.workloads[upstream.workload(host)]));
  s_.metrics.reacted(metrics::Reaction::WaypointOutlierEjection, cause);
}

// A waypoint's active health check of one host (ROUTING.md 4.2): an HTTP probe over the mesh. It
// passes if the pod answers in time; a dead node or a cut link times out; a refused connection (pod
// or ztunnel gone, certificate expired) fails after a round trip. Like a shallow check it does not
// see gray failures, unless their "health_checks" fail: a 503 then, which Envoy counts as a
// non-retriable status (unhealthy at once, whatever unhealthy_threshold says).
void Waypoints::on(const ActiveCheck& e) {
  const Fleet& fleet = s_.fleet;
  const MeshProxy& proxy = fleet.proxies[e.proxy];
  const proxies::EnvoyUpstream& upstream = *upstreams_[e.proxy];
  const auto& hc = *upstream.settings().active_health_check;
  const Workload& wp = fleet.workloads[proxy.workload];
  const Workload& pod = fleet.workloads[upstream.workload(e.host)];
  health::ProbeResult result = health::ProbeResult::Success;
  sim::Duration takes = hc.timeout;
  if (!s_.components.is_up(proxy.component)) {
    s_.engine.schedule_after(hc.interval, ActiveCheck{e.proxy, e.host});  // a dead proxy probes nothing
    return;
  }
  if (!s_.backbone.reachable(wp.region, pod.region) || !s_.node_up(pod)) {
    result = health::ProbeResult::NetworkFailure;
  } else {
    const sim::Duration rtt = 2 * (s_.backbone.base_latency(wp.region, pod.region) + fleet.config.mesh.ztunnel_latency);
    const sim::SimTime now = s_.engine.now();
    const bool refused = !s_.components.is_up(pod.component) || !s_.ztunnel_up(pod) ||
                         !s_.istiod.cert_valid(fleet.nodes[pod.node].ztunnel_proxy, now) || !s_.istiod.cert_valid(e.proxy, now);
    if (refused || rtt >= hc.timeout) {
      result = health::ProbeResult::NetworkFailure;
    } else if (s_.requests.pod(upstream.workload(e.host)).health_fails) {
      result = health::ProbeResult::NonRetriableStatus;
    }
    if (rtt < hc.timeout) takes = rtt;
  }
  s_.engine.schedule_after(takes, ActiveCheckResult{e.proxy, e.host, result});
}

void Waypoints::on(const ActiveCheckResult& e) {
  health::EnvoyActiveHealthChecker& checker = active_checks_[e.proxy][e.host];
  if (checker.record(e.result) == health::HealthChange::BecameUnhealthy)
    s_.metrics.reacted(metrics::Reaction::WaypointHealthCheck,
                       s_.blame.endpoint_trouble(s_.fleet.workloads[upstreams_[e.proxy]->workload(e.host)]));
  upstreams_[e.proxy]->on_active_check(e.host, e.result == health::ProbeResult::Success, checker.healthy(), s_.engine.now());
  s_.engine.schedule_after(checker.next_interval(had_traffic_[e.proxy] != 0, s_.rng(s_.fleet.proxies[e.proxy].stream)),
                           ActiveCheck{e.proxy, e.host});
}

// A restarted Envoy starts afresh: no outlier history, no counters; istiod sends it the endpoints.
void Waypoints::component_changed(const ComponentRef& ref, bool up) {
  if (!up || ref.kind != topology::ComponentKind::WaypointReplica) return;
  const std::uint32_t p = s_.fleet.workloads[ref.index].proxy;
  upstreams_[p]->reset();
  had_traffic_[p] = 0;
  for (auto& checker : active_checks_[p]) checker = health::EnvoyActiveHealthChecker(checker.config());
}

}  // namespace models::waypoints
