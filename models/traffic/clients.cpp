#include "models/traffic/clients.hpp"

#include <algorithm>

#include "models/routing/retry_backoff.hpp"
#include "models/subsystems.hpp"

namespace models::traffic {

Clients::Clients(Subsystems& s)
    : s_(s), arrivals_end_(sim::SimTime::at(s.fleet.config.run.duration)), budgets_(s.fleet.clients.size()) {}

void Clients::start() {
  for (std::uint32_t c = 0; c < s_.fleet.clients.size(); ++c) {
    const Client& client = s_.fleet.clients[c];
    const sim::SimTime first = client.rate.next(sim::SimTime{}, /*first=*/true, arrivals_end_, s_.rng(client.stream));
    if (first < arrivals_end_) s_.engine.schedule_at(first, ClientArrival{c});
  }
}

void Clients::on(const ClientArrival& e) {
  const sim::SimTime now = s_.engine.now();
  const Client& client = s_.fleet.clients[e.client];
  sim::RngStream& crng = s_.rng(client.stream);
  const sim::SimTime next = client.rate.next(now, /*first=*/false, arrivals_end_, crng);
  if (next < arrivals_end_) s_.engine.schedule_at(next, ClientArrival{e.client});

  const auto step = static_cast<std::uint32_t>(s_.metrics.step_of(now));
  s_.metrics.arrival(e.client, step);
  const double u = crng.uniform01();
  const auto path = static_cast<std::size_t>(
      std::upper_bound(client.path_cumulative_weight.begin(), client.path_cumulative_weight.end(), u) -
      client.path_cumulative_weight.begin());
  const std::uint32_t route = client.path_route[std::min(path, client.path_route.size() - 1)];
  RequestOrigin origin{e.client, step};
  if (client.retries && route != kNone) {
    origin.pending = pending_.allocate();
    PendingRequest& p = pending_[origin.pending];
    p.client = e.client;
    p.step = step;
    p.route = route;
    p.first_sent = now;
    origin.generation = p.generation;
    budgets_[e.client].request(now);
  }
  send(origin, route, crng);
}

void Clients::on(const ClientRetry& e) {
  if (!pending_.current(e.pending, e.generation)) return;
  const PendingRequest& p = pending_[e.pending];
  const Client& client = s_.fleet.clients[p.client];
  s_.metrics.client_retry(p.client, s_.metrics.step_of(s_.engine.now()));
  send(RequestOrigin{p.client, p.step, e.pending, e.generation}, p.route, s_.rng(client.retries->stream));
}

void Clients::on(const ClientDeadline& e) {
  if (!pending_.current(e.pending, e.generation)) return;  // answered before its deadline
  PendingRequest& p = pending_[e.pending];
  // The gateway answered 504; unless the client retries, the step's close counts it as a timeout.
  if (retry(p, e.pending, Failure::Timeout, s_.engine.now())) return;
  p.timed_out = true;
  if (p.lost) unanswered(RequestOrigin{p.client, p.step, e.pending, e.generation}, p.lost_cause, p.lost_place);
}

// One attempt, from the client to the gateway proxy that forwards it.
void Clients::send(const RequestOrigin& o, std::uint32_t route, sim::RngStream& rng) {
  const sim::SimTime now = s_.engine.now();
  const Fleet& fleet = s_.fleet;
  const Client& client = fleet.clients[o.client];
  if (route != kNone) s_.metrics.route_requested(route, o.step);  // the request's path decides its route

  // Which VIP: the client's region's, or with DNS the one this client process resolved (and may
  // still hold in its caches or a pooled connection).
  const std::uint32_t vip_region = fleet.config.dns ? s_.dns.resolve_gateway(o.client, rng) : client.region;
  if (vip_region == kNone) return failed(o, Failure::DnsFailure, s_.blame.dns(), metrics::RequestPlace{route}, now);
  const std::uint32_t t = fleet.regions[vip_region].gateway_tier;
  if (t == kNone || !s_.gateway.tier_up(t) || !s_.backbone.reachable(client.region, vip_region)) {
    faults::CauseId cause = t == kNone ? faults::kNoCause : s_.blame.component(s_.gateway.tier_component(t));
    if (!s_.backbone.reachable(client.region, vip_region)) cause = s_.blame.unite(cause, s_.blame.backbone());
    // Nothing answers: the client's connection attempt times out (as the gateway's own would).
    return failed(o, Failure::GatewayUnreachable, cause, metrics::RequestPlace{route}, now + fleet.config.gateway.connect_timeout);
  }
  // A VIP in another region: DNS answered away from the client's own, because of what took it down.
  faults::CauseId cause = faults::kNoCause;
  if (vip_region != client.region) {
    const std::uint32_t own = fleet.regions[client.region].gateway_tier;
    if (own != kNone) cause = s_.blame.component(s_.gateway.tier_component(own));
    cause = s_.blame.unite(cause, s_.blame.link(client.region, vip_region));
  }
  const sim::Duration to_vip = client.access_latency +
                               (vip_region == client.region ? sim::Duration::zero() : s_.backbone.latencies().latency[client.region][vip_region]);
  const sim::Duration to_proxy = to_vip + fleet.config.gateway.proxy_latency;
  if (route == kNone) return failed(o, Failure::NoRoute, faults::kNoCause, {}, now + 2 * to_proxy);
  s_.gateway.forward(o, t, route, to_proxy, cause);
}

bool Clients::retry(PendingRequest& p, std::uint32_t slot, Failure reason, sim::SimTime learns_at) {
  const ClientRetries& policy = *s_.fleet.clients[p.client].retries;
  if (p.attempt >= policy.attempts || (policy.on & (1u << static_cast<unsigned>(reason))) == 0) return false;
  RetryBudget& budget = budgets_[p.client];
  const sim::SimTime now = s_.engine.now();
  if (policy.budget >= 0 && !budget.allows(now, policy.budget)) return false;
  budget.retry(now);
  ++p.attempt;
  ++p.generation;  // what is still on its way for the attempt given up on is stale
  p.timed_out = false;
  p.lost = false;
  const sim::Duration backoff = routing::draw_backoff(static_cast<int>(p.attempt - 1), policy.backoff, policy.max_backoff,
                                                      routing::BackoffFormula::Code, s_.rng(policy.stream));
  s_.engine.schedule_at(std::max(learns_at, now) + backoff, ClientRetry{slot, p.generation});
  return true;
}

void Clients::succeeded(const RequestOrigin& o, sim::SimTime sent_at, sim::SimTime done_at, std::uint32_t route,
                        std::uint32_t service, std::uint32_t cluster, faults::CauseId cause) {
  // Without retries the request was sent when its one attempt was: the attempt's latency is its.
  if (o.pending == RequestOrigin::kNotPending)
    return s_.metrics.success(o.client, o.step, done_at - sent_at, route, service, cluster, cause);
  if (!pending_.current(o.pending, o.generation)) return;  // the client gave up on this attempt
  const PendingRequest& p = pending_[o.pending];
  s_.metrics.success(o.client, o.step, done_at - p.first_sent, route, service, cluster, cause);  // from the first try
  pending_.release(o.pending);
}

void Clients::failed(const RequestOrigin& o, Failure reason, faults::CauseId cause, metrics::RequestPlace place,
                     sim::SimTime learns_at) {
  if (o.pending == RequestOrigin::kNotPending) return s_.metrics.failure(o.client, o.step, reason, cause, place);
  if (!pending_.current(o.pending, o.generation)) return;
  PendingRequest& p = pending_[o.pending];
  if (p.timed_out) return unanswered(o, cause, place);  // the 504 came first
  if (retry(p, o.pending, reason, learns_at)) return;
  s_.metrics.failure(o.client, o.step, reason, cause, place);
  pending_.release(o.pending);
}

void Clients::unanswered(const RequestOrigin& o, faults::CauseId cause, metrics::RequestPlace place) {
  if (o.pending == RequestOrigin::kNotPending) return s_.metrics.unanswered(o.client, o.step, cause, place);
  if (!pending_.current(o.pending, o.generation)) return;
  PendingRequest& p = pending_[o.pending];
  if (!p.timed_out) {  // before the deadline (an answer lost with its gateway tier): the deadline decides
    p.lost = true;
    p.lost_cause = cause;
    p.lost_place = place;
    return;
  }
  s_.metrics.unanswered(o.client, o.step, cause, place);  // the last attempt's timeout, with what caused it
  pending_.release(o.pending);
}

void Clients::attempt_sent(const RequestOrigin& o, sim::SimTime deadline) {
  if (o.pending != RequestOrigin::kNotPending) s_.engine.schedule_at(deadline, ClientDeadline{o.pending, o.generation});
}

}  // namespace models::traffic
