#include "models/gateway/gateway.hpp"

#include <algorithm>

#include "models/proxies/attempt_outcome.hpp"
#include "models/subsystems.hpp"

namespace models::gateway {

using traffic::Failure;

Gateway::Gateway(Subsystems& s, std::vector<GatewayTier> tiers) : s_(s), tiers_(std::move(tiers)) {}

bool Gateway::tier_up(std::uint32_t t) const { return s_.components.is_up(tiers_[t].component); }

// Health checks of every routed service, from every regional proxy tier, each tier starting at its
// own random phase in the interval.
void Gateway::start_health_checks() {
  const Fleet& fleet = s_.fleet;
  std::vector<std::uint32_t> routed;
  for (std::uint32_t s = 0; s < fleet.services.size(); ++s)
    if (fleet.routed_ordinal[s] != kNone) routed.push_back(s);
  const sim::Duration interval = fleet.config.gateway.health_check.interval;
  for (std::uint32_t t = 0; t < tiers_.size(); ++t)
    for (std::uint32_t s : routed) {
      const sim::Duration phase{static_cast<std::int64_t>(s_.rng(tiers_[t].stream).uniform_below(interval.count()))};
      schedule_health_check_round(sim::SimTime::at(phase), t, s);
    }
}

// Every second each tier measures its load; each outlier detector sweeps from its own random phase.
void Gateway::start_load_and_outlier_sweeps() {
  s_.engine.schedule_periodic(sim::SimTime::at(std::chrono::seconds{1}), std::chrono::seconds{1}, GatewayRateTick{});
  for (std::uint32_t t = 0; t < tiers_.size(); ++t)
    for (std::uint32_t routed = 0; routed < tiers_[t].backend_services.size(); ++routed) {
      const auto& outlier = tiers_[t].backend_services[routed].outlier;
      if (!outlier) continue;
      const sim::Duration interval = outlier->config().interval;
      const sim::Duration phase{static_cast<std::int64_t>(s_.rng(tiers_[t].stream).uniform_below(interval.count()))};
      s_.engine.schedule_periodic(sim::SimTime::at(phase), interval, GatewayOutlierSweep{t, routed});
    }
}

void Gateway::forward(const traffic::RequestOrigin& origin, std::uint32_t t, std::uint32_t route, sim::Duration to_proxy,
                      faults::CauseId cause) {
  const sim::SimTime now = s_.engine.now();
  const std::uint32_t client = origin.client, step = origin.step;
  const sim::SimTime answered_at = now + 2 * to_proxy;  // an answer of the proxy's own reaches the client
  const Fleet& fleet = s_.fleet;
  GatewayTier& tier = tiers_[t];
  const Route& rule = fleet.routes[route];
  const auto backend_ref = routing::pick_backend(rule.rule, s_.rng(tier.stream));
  if (!backend_ref) {  // every backendRef has weight 0: the Gateway API says 500
    s_.clients.failed(origin, Failure::NoBackend, cause, metrics::RequestPlace{route}, answered_at);
    return;
  }
  const std::uint32_t service = rule.services[*backend_ref];
  s_.metrics.service_requested(service, step);
  GatewayBackends& gb = tier.backend_services[fleet.routed_ordinal[service]];
  ++gb.arrivals;
  if (gb.shares_dirty) recompute_shares(t, gb);
  const auto picked = gb.picker.pick();
  if (!picked) {
    s_.clients.failed(origin, Failure::NoHealthyUpstream, s_.blame.unite(cause, s_.blame.service_loss(service)),
                      metrics::RequestPlace{route, service}, answered_at);
    return;
  }
  const std::uint32_t chosen = picked->endpoint;
  const Workload& dest = fleet.workloads[chosen];
  // In the step it is sent: the request's own for a first attempt, a later one for a client's re-send.
  s_.metrics.served_by(client, s_.metrics.step_of(now), dest.region);
  s_.metrics.cluster_serves(dest.cluster, step);
  // Placed outside the tier's region: failover, if faults took capacity from the service (the
  // waterfall fills the closest region first), and the link's own faults.
  cause = s_.blame.unite(cause, s_.blame.failover(tier.region, dest.region, service));
  if (!s_.backbone.reachable(tier.region, dest.region)) {  // a backbone partition: the connection attempt goes nowhere
    s_.clients.failed(origin, Failure::ConnectTimeout, s_.blame.unite(cause, s_.blame.backbone()),
                      metrics::RequestPlace{route, service, dest.cluster}, answered_at + fleet.config.gateway.connect_timeout);
    return;
  }

  traffic::CallPool& calls = s_.requests.calls();
  const std::uint32_t i = calls.allocate();
  traffic::Call& call = calls[i];
  call.is_root = true;
  call.tier = static_cast<std::uint16_t>(t);
  call.route = static_cast<std::uint16_t>(route);
  call.client = client;
  call.step = step;
  call.pending = origin.pending;
  call.pending_generation = origin.generation;
  call.service = service;
  call.workload = chosen;
  call.sent_at = now;
  call.deadline = now + rule.timeout;
  call.cause = cause;
  call.one_way = to_proxy + s_.backbone.one_way(tier.region, dest.region, s_.rng(tier.stream)) + fleet.config.mesh.ztunnel_latency;
  s_.engine.schedule_at(now + call.one_way, PodArrival{i, call.generation});
  s_.clients.attempt_sent(origin, call.deadline);
}

void Gateway::learns(const traffic::Call& root, Failure failure, sim::SimTime at) {
  const std::uint32_t t = root.tier;
  const std::uint32_t routed = s_.fleet.routed_ordinal[root.service];
  if (!tiers_[t].backend_services[routed].outlier) return;
  // The gateway's Envoy maps a failure to a status as the waypoints' do.
  const int status = routing::outlier_status(proxies::attempt_outcome(failure)).value_or(503);
  s_.engine.schedule_at(std::min(at, root.deadline),
                        GatewayResult{root.workload, static_cast<std::uint16_t>(t), static_cast<std::uint16_t>(routed),
                                      static_cast<std::uint16_t>(status)});
}

// ---- health checks ----------------------------------------------------------------------------

// Rounds are periodic; with jitter each one is scheduled from the last, a random delay later.
void Gateway::schedule_health_check_round(sim::SimTime at, std::uint32_t tier, std::uint32_t service) {
  const auto& hc = s_.fleet.config.gateway.health_check;
  if (hc.jitter == sim::Duration::zero()) {
    s_.engine.schedule_periodic(at, hc.interval, HealthCheckRound{tier, service});
  } else {
    s_.engine.schedule_at(at, HealthCheckRound{tier, service});
  }
}

void Gateway::on(const HealthCheckRound& e) {
  const Fleet& fleet = s_.fleet;
  const auto& hc = fleet.config.gateway.health_check;
  const sim::SimTime now = s_.engine.now();
  if (hc.jitter > sim::Duration::zero()) {
    const sim::Duration extra{static_cast<std::int64_t>(s_.rng(tiers_[e.tier].stream).uniform_below(hc.jitter.count()))};
    s_.engine.schedule_at(now + hc.interval + extra, HealthCheckRound{e.tier, e.service});
  }
  GatewayTier& tier = tiers_[e.tier];
  if (!s_.components.is_up(tier.component)) return;
  for (std::uint32_t wl_index : fleet.services[e.service].pods) {
    const Workload& wl = fleet.workloads[wl_index];
    const bool routable = s_.backbone.reachable(tier.region, wl.region);
    const sim::Duration path = s_.backbone.base_latency(tier.region, wl.region);
    const sim::Duration rtt = routable ? 2 * (path + fleet.config.mesh.ztunnel_latency) : hc.timeout;
    bool passed = false;
    sim::Duration takes = hc.timeout;
    // On the traffic's port the probe enters the pod through its node's ztunnel, as the traffic
    // does; a separate health port (excluded from capture, or its own listener) does not, so it
    // keeps passing when the traffic's path is broken (kubelet's probes bypass ztunnel too).
    if (routable && s_.components.is_up(wl.component) && (hc.separate_port || s_.ztunnel_up(wl))) {
      passed = rtt < hc.timeout;
      takes = std::min(rtt, hc.timeout);
      // The check's flaws. A flapping health endpoint answers 503 now and then; a probe stuck
      // behind queued requests times out (on the traffic's port); a deep check that finds the
      // request path broken answers 503 at once.
      sim::RngStream& trng = s_.rng(tier.stream);
      if (passed && s_.requests.pod(wl_index).health_fails) {
        passed = false;  // "health_checks": "fail": its health endpoint answers 503, after a round trip
      } else if (passed && hc.false_failure_rate > 0 && trng.bernoulli(hc.false_failure_rate)) {
        passed = false;
      } else if (passed && !hc.separate_port && hc.fails_under_load && s_.requests.pod(wl_index).queue_size > 0) {
        passed = false;
        takes = hc.timeout;
      } else if (passed && hc.deep && !deep_check_passes(wl_index, trng)) {
        passed = false;
      }
    } else if (routable && s_.node_up(wl)) {
      takes = std::min(rtt, hc.timeout);  // refused: fails at once
    }
    // A result that would change nothing is not delivered (issue 14: background work in
    // proportion to change): a pass on a healthy endpoint, a failure on an unhealthy one, when no
    // earlier result is still on its way. Every draw above is made all the same.
    if (tier.results_in_flight[wl_index] == 0 && tier.health[wl_index].settled(passed)) continue;
    ++tier.results_in_flight[wl_index];
    s_.engine.schedule_at(now + takes, HealthCheckResult{e.tier, wl_index, passed});
  }
}

// A deep check runs the request path: the pod must answer without error and every dependency it
// always calls must have a running endpoint its ztunnel knows of, itself not failing every request.
// (A check that includes a shared dependency fails everywhere when that dependency does.)
bool Gateway::deep_check_passes(std::uint32_t workload, sim::RngStream& trng) const {
  const Fleet& fleet = s_.fleet;
  const Workload& wl = fleet.workloads[workload];
  const traffic::PodState& pod = s_.requests.pod(workload);
  if (pod.error_rate > 0 && trng.bernoulli(pod.error_rate)) return false;
  const Service& s = fleet.services[wl.service];
  if (pod.queue_size >= s.queue_limit && pod.busy >= s.concurrency) return false;
  const std::uint32_t ztunnel = fleet.nodes[wl.node].ztunnel_proxy;
  for (const ResolvedCall& rc : s.calls) {
    if (rc.probability < 1.0) continue;
    const auto& pods = fleet.services[rc.callee].pods;
    const bool reachable = std::any_of(pods.begin(), pods.end(), [&](std::uint32_t p) {
      return s_.istiod.knows_ready(ztunnel, p) && s_.components.is_up(fleet.workloads[p].component) &&
             s_.requests.pod(p).error_rate < 1.0;
    });
    if (!reachable) return false;
  }
  return true;
}

void Gateway::on(const HealthCheckResult& e) {
  GatewayTier& tier = tiers_[e.tier];
  const auto& hc = s_.fleet.config.gateway.health_check;
  --tier.results_in_flight[e.workload];
  if (!tier.health[e.workload].record(e.passed, health::HealthCheckThresholds{hc.healthy_threshold, hc.unhealthy_threshold}))
    return;
  if (!e.passed && !s_.kubernetes.deleted(e.workload))  // a pod its Deployment deleted fails on purpose
    s_.metrics.reacted(metrics::Reaction::GatewayHealthCheck, s_.blame.endpoint_trouble(s_.fleet.workloads[e.workload]));
  GatewayBackends& gb = tier.backend_services[s_.fleet.routed_ordinal[s_.fleet.workloads[e.workload].service]];
  refresh_backend(tier, gb, s_.fleet.gateway_backend[e.workload]);
}

// ---- backends, shares and outlier detection ---------------------------------------------------

// A backend's usable endpoints, as this tier sees them: in the NEG, passing its health checks and
// not ejected.
void Gateway::refresh_backend(GatewayTier& tier, GatewayBackends& gb, std::uint32_t backend) {
  std::vector<std::uint32_t> usable;
  std::uint32_t endpoints = 0;  // the pods its Deployment runs: a scaled Deployment's NEG grows and shrinks
  for (std::uint32_t wl : gb.neg_pods[backend]) {
    endpoints += s_.deployments.running(wl) ? 1 : 0;
    if (s_.kubernetes.in_neg(wl) && tier.health[wl].healthy() && !(gb.outlier && gb.outlier->ejected(s_.fleet.gateway_host[wl])))
      usable.push_back(wl);
  }
  gb.backends[backend].endpoints = std::max(endpoints, static_cast<std::uint32_t>(usable.size()));
  gb.backends[backend].healthy_endpoints = static_cast<std::uint32_t>(usable.size());
  gb.picker.set_healthy_endpoints(backend, std::move(usable));
  gb.shares_dirty = true;
}

// WATERFALL_BY_REGION for one tier: fill the closest region's backends up to their capacity left
// over by the other tiers, overflow to the next region (7.3).
void Gateway::recompute_shares(std::uint32_t t, GatewayBackends& gb) {
  std::vector<double> others(gb.backends.size(), 0.0);
  const std::uint32_t routed = s_.fleet.routed_ordinal[gb.service];
  for (std::uint32_t o = 0; o < tiers_.size(); ++o) {
    if (o == t) continue;
    const GatewayBackends& other = tiers_[o].backend_services[routed];
    for (std::size_t b = 0; b < others.size(); ++b) others[b] += other.placed_rps[b];
  }
  const auto& policy = s_.fleet.config.gateway.backend_policy;
  const routing::WaterfallPolicy waterfall{policy.failover_health_threshold, policy.auto_capacity_drain};
  const routing::WaterfallShares shares =
      routing::waterfall_shares(gb.backends, tiers_[t].region_order, gb.offered_rps, others, waterfall);
  gb.picker.set_shares(shares.share);
  gb.placed_rps = shares.placed_rps;
  gb.shares_dirty = false;
}

void Gateway::on(const GatewayRateTick&) {
  for (GatewayTier& tier : tiers_)
    for (GatewayBackends& gb : tier.backend_services) {
      gb.offered_rps = static_cast<double>(gb.arrivals);
      gb.arrivals = 0;
      gb.shares_dirty = true;
    }
}

void Gateway::on(const GatewayResult& e) {
  GatewayTier& tier = tiers_[e.tier];
  GatewayBackends& gb = tier.backend_services[e.routed];
  // A result can eject its host, never bring one back (sweeps do).
  if (!gb.outlier->on_result(s_.fleet.gateway_host[e.workload], e.status, s_.engine.now(), s_.rng(tier.stream))) return;
  s_.metrics.reacted(metrics::Reaction::GatewayOutlierEjection, s_.blame.endpoint_trouble(s_.fleet.workloads[e.workload]));
  refresh_backend(tier, gb, s_.fleet.gateway_backend[e.workload]);
}

void Gateway::on(const GatewayOutlierSweep& e) {
  GatewayTier& tier = tiers_[e.tier];
  GatewayBackends& gb = tier.backend_services[e.routed];
  const health::SweepChanges changes = gb.outlier->on_interval(s_.engine.now(), s_.rng(tier.stream));
  if (changes.empty()) return;
  // A backend's usable endpoints changed if any of its hosts was ejected or unejected.
  faults::CauseId ejected_cause = faults::kNoCause;
  for (std::uint32_t b = 0; b < gb.neg_pods.size(); ++b) {
    bool touched = false;
    for (std::uint32_t wl : gb.neg_pods[b]) {
      const std::size_t host = s_.fleet.gateway_host[wl];
      if (std::binary_search(changes.ejected.begin(), changes.ejected.end(), host)) {
        touched = true;
        ejected_cause = s_.blame.unite(ejected_cause, s_.blame.endpoint_trouble(s_.fleet.workloads[wl]));
      } else if (std::binary_search(changes.unejected.begin(), changes.unejected.end(), host)) {
        touched = true;
      }
    }
    if (touched) refresh_backend(tier, gb, b);
  }
  if (!changes.ejected.empty()) s_.metrics.reacted(metrics::Reaction::GatewayOutlierEjection, ejected_cause);
}

void Gateway::neg_changed(std::uint32_t workload) {
  for (GatewayTier& tier : tiers_) {
    GatewayBackends& gb = tier.backend_services[s_.fleet.routed_ordinal[s_.fleet.workloads[workload].service]];
    refresh_backend(tier, gb, s_.fleet.gateway_backend[workload]);
  }
}

void Gateway::latencies_changed() {
  for (GatewayTier& tier : tiers_) {
    tier.region_order = s_.backbone.latencies().by_distance_from(tier.region);
    for (GatewayBackends& gb : tier.backend_services) gb.shares_dirty = true;
  }
}

}  // namespace models::gateway
