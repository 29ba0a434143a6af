#include "models/simulation.hpp"

#include "models/dns/cloud_dns.hpp"
#include "models/faults/crash_loop_backoff.hpp"
#include "sim/fault_impact.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>

namespace models {

using traffic::Call;
using traffic::Failure;
using Kind = topology::ComponentKind;

namespace {

std::size_t step_count(const config::ScenarioConfig& c) {
  return static_cast<std::size_t>((c.run.duration.count() + c.run.step.count() - 1) / c.run.step.count());
}

// The longest a client request can wait for its answer: steps are closed only after it.
sim::Duration longest_deadline(const World& w) {
  sim::Duration longest = w.config.gateway.timeout;
  for (const Route& r : w.routes) longest = std::max(longest, r.timeout);
  return longest;
}

// How the waypoint's router sees an attempt's end (for retry_on and outlier detection).
routing::Outcome attempt_outcome(Failure failure) {
  switch (failure) {
    case Failure::None: return routing::Outcome::response(200);
    case Failure::ConnectionRefused:
    case Failure::CertificateExpired:  // a failed TLS handshake is a connect failure to Envoy
    case Failure::ConnectTimeout: return routing::Outcome::failure(routing::AttemptResult::ConnectFailure);
    case Failure::Timeout: return routing::Outcome::failure(routing::AttemptResult::PerTryTimeout);
    case Failure::Overloaded:
    case Failure::ErrorResponse:
    case Failure::NoHealthyUpstream:
    case Failure::WaypointUnavailable:
    case Failure::DnsFailure:
    case Failure::GatewayUnreachable: return routing::Outcome::response(503);
    case Failure::DependencyFailed:
    case Failure::NoRoute:
    case Failure::NoBackend: return routing::Outcome::response(500);
  }
  return routing::Outcome::response(500);
}

sim::Duration from_seconds(double s) { return sim::Duration{static_cast<std::int64_t>(std::llround(s * 1e9))}; }

}  // namespace

Simulation::Simulation(World world)
    : w_(std::move(world)),
      metrics_(w_.clients.size(), w_.regions.size(), w_.config.run.step, step_count(w_.config),
               longest_deadline(w_), w_.config.slo.latency) {
  arrivals_end_ = sim::SimTime::at(w_.config.run.duration);
  horizon_ = metrics_.finalize_time(metrics_.steps() - 1);
  service_steps_ = metrics_.step_of(horizon_) + 1;
  ring_ = std::bit_ceil(metrics_.ring_size());
  service_ring_.assign(w_.services.size() * w_.regions.size() * ring_, 0);
  service_series_.resize(w_.services.size() * w_.regions.size());
  const std::size_t groups = w_.routes.size() + w_.services.size() + w_.clusters.size();
  breakdown_ring_requests_.assign(groups * ring_, 0);
  breakdown_ring_good_.assign(groups * ring_, 0);
  breakdown_requests_.resize(groups);
  breakdown_good_.resize(groups);
  breakdown_latency_.resize(groups);
  // One FIFO lane per distinct call timeout: timeouts are scheduled a fixed delay after "now".
  std::map<std::int64_t, sim::LaneId> lanes;
  for (auto& s : w_.services)
    for (auto& rc : s.calls) {
      auto [it, inserted] = lanes.try_emplace(rc.timeout.count(), sim::LaneId{});
      if (inserted) it->second = engine_.add_lane(rc.timeout);
      rc.timeout_lane = it->second;
    }
  engine_.reserve(1 << 16);
}

std::span<std::uint32_t> Simulation::cursors(std::vector<std::uint32_t>& all, std::uint32_t service) {
  return std::span<std::uint32_t>(all).subspan(service * w_.regions.size(), w_.regions.size());
}

void Simulation::schedule_initial_events() {
  const auto& cfg = w_.config;
  for (std::uint32_t c = 0; c < w_.clients.size(); ++c) {
    Client& client = w_.clients[c];
    const sim::Duration first = from_seconds(rng(client.stream).exponential(1.0 / client.rate_per_second));
    if (sim::SimTime::at(first) < arrivals_end_) engine_.schedule_at(sim::SimTime::at(first), ClientArrival{c});
  }
  // Health checks of every routed service, from every regional proxy tier, each tier starting
  // at its own random phase in the interval.
  std::vector<std::uint32_t> routed;
  for (std::uint32_t s = 0; s < w_.services.size(); ++s)
    if (w_.routed_ordinal[s] != kNone) routed.push_back(s);
  const sim::Duration interval = cfg.gateway.health_check.interval;
  for (std::uint32_t t = 0; t < w_.tiers.size(); ++t)
    for (std::uint32_t s : routed) {
      const sim::Duration phase{static_cast<std::int64_t>(rng(w_.tiers[t].stream).uniform_below(interval.count()))};
      schedule_health_check_round(sim::SimTime::at(phase), t, s);
    }
  // Workload certificates: each proxy's was issued at some point of its rotation (every half life)
  // before the run, drawn from a stream of its own.
  const sim::Duration ttl = cfg.mesh.workload_cert_ttl;
  for (std::uint32_t p = 0; p < w_.proxies.size(); ++p) {
    MeshProxy& proxy = w_.proxies[p];
    sim::RngStream stream(cfg.run.seed, 0, "certificate/" + w_.graph.name(proxy.component));
    const sim::Duration age{static_cast<std::int64_t>(stream.uniform_below(static_cast<std::uint64_t>((ttl / 2).count())))};
    proxy.cert_expires = sim::SimTime{} + (ttl - age);
    const sim::SimTime renew = sim::SimTime{} + (ttl / 2 - age);
    if (renew < horizon_) engine_.schedule_at(renew, CertRenewal{p});
  }
  const sim::Duration period = cfg.mesh.readiness_period;
  for (std::uint32_t c = 0; c < w_.clusters.size(); ++c) {
    const sim::Duration phase{static_cast<std::int64_t>(rng(w_.clusters[c].stream).uniform_below(period.count()))};
    engine_.schedule_periodic(sim::SimTime::at(phase), period, ReadinessSweep{c});
  }
  for (std::uint32_t f = 0; f < w_.faults.size(); ++f) {
    engine_.schedule_at(w_.faults[f].start, FaultStart{f});
    if (w_.faults[f].end && *w_.faults[f].end < horizon_) engine_.schedule_at(*w_.faults[f].end, FaultEnd{f});
  }
  // Each waypoint's outlier detector sweeps every `interval`, from its own random phase.
  for (std::uint32_t p = 0; p < w_.proxies.size(); ++p) {
    const MeshProxy& proxy = w_.proxies[p];
    if (!proxy.upstream || !proxy.upstream->settings().outlier_detection) continue;
    const sim::Duration interval = proxy.upstream->settings().outlier_detection->interval;
    const sim::Duration phase{static_cast<std::int64_t>(rng(proxy.stream).uniform_below(interval.count()))};
    engine_.schedule_periodic(sim::SimTime::at(phase), interval, OutlierSweep{p});
  }
  // Waypoints with active health checks probe each host, the first probe at a random phase.
  for (std::uint32_t p = 0; p < w_.proxies.size(); ++p) {
    MeshProxy& proxy = w_.proxies[p];
    if (!proxy.upstream || !proxy.upstream->settings().active_health_check) continue;
    const auto& hc = *proxy.upstream->settings().active_health_check;
    for (std::uint32_t h = 0; h < proxy.upstream->host_count(); ++h) {
      proxy.active_checks.emplace_back(hc);
      const sim::Duration phase{static_cast<std::int64_t>(rng(proxy.stream).uniform_below(hc.interval.count()))};
      engine_.schedule_at(sim::SimTime::at(phase), ActiveCheck{p, h});
    }
  }
  engine_.schedule_periodic(sim::SimTime::at(std::chrono::seconds{1}), std::chrono::seconds{1}, GatewayRateTick{});
  for (std::uint32_t t = 0; t < w_.tiers.size(); ++t)
    for (std::uint32_t routed = 0; routed < w_.tiers[t].backend_services.size(); ++routed) {
      const auto& outlier = w_.tiers[t].backend_services[routed].outlier;
      if (!outlier) continue;
      const sim::Duration interval = outlier->config().interval;
      const sim::Duration phase{static_cast<std::int64_t>(rng(w_.tiers[t].stream).uniform_below(interval.count()))};
      engine_.schedule_periodic(sim::SimTime::at(phase), interval, GatewayOutlierSweep{t, routed});
    }
  engine_.schedule_periodic(metrics_.finalize_time(0), cfg.run.step, StepFinalize{});
}

sim::RunResult Simulation::run(const Progress& progress) {
  schedule_initial_events();
  const auto dispatch_event = [this](Engine&, const Event& e) { dispatch(e); };
  // The progress callback runs every chunk: often enough for a progress bar and for Ctrl-C to
  // stop a 24-hour run within a simulated second. Chunking does not change the order of events.
  constexpr int kChunks = 200;
  constexpr sim::Duration kLongestChunk = std::chrono::seconds(1);
  const sim::Duration chunk = std::clamp(horizon_.since_start() / kChunks, sim::Duration{1}, kLongestChunk);
  for (sim::SimTime t = sim::SimTime{} + chunk; ; t += chunk) {
    const sim::SimTime until = std::min(t, horizon_);
    engine_.run_until(until, dispatch_event);
    if (progress) progress(until, horizon_);
    if (until == horizon_) break;
  }
  while (metrics_.finalize_due(horizon_)) close_breakdown_step(metrics_.next_to_finalize() - 1);
  close_service_steps_before(service_steps_);

  sim::RunResult out;
  const auto& cfg = w_.config;
  out.scenario = cfg.name;
  out.seed = cfg.run.seed;
  out.duration = cfg.run.duration;
  out.step = cfg.run.step;
  out.slo_availability = cfg.slo.availability;
  out.slo_latency = cfg.slo.latency;
  for (const Region& r : w_.regions) out.regions.push_back(r.name);
  for (const char* name : traffic::kFailureNames) out.failure_reasons.emplace_back(name);
  std::vector<std::string> names, regions;
  for (const Client& c : w_.clients) {
    names.push_back(c.name);
    regions.push_back(w_.regions[c.region].name);
  }
  metrics_.move_into(out, names, regions);
  for (const Fault& f : w_.faults) {
    sim::FaultRecord rec;
    rec.id = f.id;
    rec.kind = config::to_string(f.kind);
    rec.target = f.target;
    rec.drawn = f.drawn;
    rec.start = f.start.since_start();
    if (f.end && *f.end < horizon_) rec.end = f.end->since_start();
    std::vector<std::uint64_t> by_kind(topology::kComponentKindCount, 0);
    for (ComponentId c : f.reach) {
      rec.components.push_back(w_.graph.name(c));
      ++by_kind[static_cast<std::size_t>(w_.graph.kind(c))];
    }
    for (int k = 0; k < topology::kComponentKindCount; ++k)
      if (by_kind[k]) rec.components_by_kind.emplace_back(topology::to_string(static_cast<Kind>(k)), by_kind[k]);
    out.faults.push_back(std::move(rec));
  }
  // Requests that reached each service's pods, per region and step (the failover inside the mesh).
  for (std::uint32_t sv = 0; sv < w_.services.size(); ++sv) {
    sim::ServiceLoad load;
    load.service = w_.services[sv].name;
    for (std::uint32_t r = 0; r < w_.regions.size(); ++r)
      load.requests_by_region.push_back(std::move(service_series_[sv * w_.regions.size() + r]));
    out.services.push_back(std::move(load));
  }
  for (Database& db : w_.databases) {
    if (!db.writable) db.result.write_unavailable += horizon_ - db.unavailable_since;  // still down at the end
    db.result.primary_region = w_.regions[db.regions[db.primary]].name;
    out.databases.push_back(db.result);
  }
  // Per route, entry service and serving cluster.
  const auto add_breakdowns = [&](const char* dimension, std::size_t first, const auto& names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      sim::Breakdown b;
      b.dimension = dimension;
      b.name = names[i];
      b.requests = std::move(breakdown_requests_[first + i]);
      b.good = std::move(breakdown_good_[first + i]);
      const auto& h = breakdown_latency_[first + i];
      b.latency = sim::LatencySummary{h.quantile(0.50), h.quantile(0.90), h.quantile(0.99), h.quantile(0.999), h.max()};
      out.breakdowns.push_back(std::move(b));
    }
  };
  std::vector<std::string> route_names, service_names, cluster_names;
  for (std::size_t i = 0; i < w_.routes.size(); ++i) route_names.push_back(w_.routes[i].name);
  for (const Service& s : w_.services) service_names.push_back(s.name);
  for (const Cluster& c : w_.clusters) cluster_names.push_back(c.name);
  add_breakdowns("route", route_group(0), route_names);
  add_breakdowns("service", service_group(0), service_names);
  add_breakdowns("cluster", cluster_group(0), cluster_names);
  out.reactions = std::move(reactions_);
  for (const Region& region : w_.regions) {
    sim::TopologyRegion tr{region.name, region.gateway_tier != kNone, {}};
    for (std::uint32_t c : region.clusters) {
      const Cluster& cluster = w_.clusters[c];
      sim::TopologyCluster tc{cluster.name, static_cast<std::uint32_t>(cluster.nodes.size()), c == w_.config_cluster,
                              cluster.configured_by == c, {}};
      for (const Service& s : w_.services)
        if (std::any_of(s.pods.begin(), s.pods.end(), [&](std::uint32_t p) { return w_.workloads[p].cluster == c; }))
          tc.services.push_back(s.name);
      tr.clusters.push_back(std::move(tc));
    }
    out.topology.regions.push_back(std::move(tr));
  }
  for (const auto& link : cfg.backbone) out.topology.backbone.push_back({link.from, link.to, link.latency});
  sim::measure_fault_impact(out, sim::ImpactOptions{cfg.slo.window, cfg.slo.hold, 0.05});
  out.events = engine_.events_processed();
  return out;
}

void Simulation::dispatch(const Event& event) {
  std::visit([this](const auto& e) { on(e); }, event);
}

sim::Duration Simulation::one_way(std::uint32_t from, std::uint32_t to, sim::RngStream& r) {
  sim::Duration base, jitter;
  if (from == to) {
    base = w_.regions[from].intra_latency;
    jitter = w_.regions[from].intra_jitter;
  } else {
    base = w_.latencies.latency[from][to];
    jitter = w_.latencies.jitter[from][to];
  }
  if (jitter > sim::Duration::zero()) base += sim::Duration{static_cast<std::int64_t>(r.uniform_below(jitter.count()))};
  // A lost packet on an established connection is sent again after the retransmission timeout:
  // Linux's minimum RTO of 200 ms, doubling on each further loss.
  if (from != to) {
    const double loss = w_.latencies.loss[from][to];
    sim::Duration rto = std::chrono::milliseconds{200};
    for (int lost = 0; loss > 0 && lost < 8 && r.bernoulli(loss); ++lost, rto *= 2) base += rto;
  }
  return base;
}

sim::Duration Simulation::service_time(const Service& s, sim::RngStream& r) {
  const auto& st = s.service_time;
  switch (st.kind) {
    case config::ServiceTimeKind::Constant: return st.scale;
    case config::ServiceTimeKind::Exponential:
      return from_seconds(r.exponential(sim::to_seconds(st.scale)));
    case config::ServiceTimeKind::LogNormal: {
      const double z = r.standard_normal();
      return from_seconds(sim::to_seconds(st.scale) * std::exp(st.sigma * z));
    }
  }
  return st.scale;
}

// ---- client requests -------------------------------------------------------------------------

void Simulation::on(const ClientArrival& e) {
  const sim::SimTime now = engine_.now();
  Client& client = w_.clients[e.client];
  sim::RngStream& crng = rng(client.stream);
  const double gap = crng.exponential(1.0 / client.rate_per_second);
  const sim::SimTime next = now + std::max(sim::Duration{1}, from_seconds(gap));
  if (next < arrivals_end_) engine_.schedule_at(next, ClientArrival{e.client});

  const auto step = static_cast<std::uint32_t>(metrics_.step_of(now));
  metrics_.arrival(e.client, step);
  const double u = crng.uniform01();
  const auto path = static_cast<std::size_t>(
      std::upper_bound(client.path_cumulative_weight.begin(), client.path_cumulative_weight.end(), u) -
      client.path_cumulative_weight.begin());
  const std::uint32_t route = client.path_route[std::min(path, client.path_route.size() - 1)];
  if (route != kNone) count_request(route_group(route), step);  // the request's path decides its route
  const auto& gw = w_.config.gateway;

  // Which VIP: the client's region's, or with DNS the one this client process resolved (and may
  // still hold in its caches or a pooled connection).
  const std::uint32_t vip_region = w_.config.dns ? resolve_gateway(client, crng) : client.region;
  if (vip_region == kNone) {
    metrics_.failure(e.client, step, Failure::DnsFailure);
    return;
  }
  const std::uint32_t t = w_.regions[vip_region].gateway_tier;
  if (t == kNone || !w_.is_up(w_.tiers[t].component) || !reachable(client.region, vip_region)) {
    metrics_.failure(e.client, step, Failure::GatewayUnreachable);
    return;
  }
  GatewayTier& tier = w_.tiers[t];
  const sim::Duration to_vip =
      client.access_latency + (vip_region == client.region ? sim::Duration::zero() : w_.latencies.latency[client.region][vip_region]);
  const sim::Duration to_proxy = to_vip + gw.proxy_latency;
  if (route == kNone) {
    metrics_.failure(e.client, step, Failure::NoRoute);
    return;
  }
  const Route& rule = w_.routes[route];
  const auto backend_ref = routing::pick_backend(rule.rule, rng(tier.stream));
  if (!backend_ref) {  // every backendRef has weight 0: the Gateway API says 500
    metrics_.failure(e.client, step, Failure::NoBackend);
    return;
  }
  const std::uint32_t service = rule.services[*backend_ref];
  count_request(service_group(service), step);
  GatewayBackends& gb = tier.backend_services[w_.routed_ordinal[service]];
  ++gb.arrivals;
  if (gb.shares_dirty) recompute_gateway_shares(t, gb);
  const auto picked = gb.picker.pick();
  if (!picked) {
    metrics_.failure(e.client, step, Failure::NoHealthyUpstream);
    return;
  }
  const std::optional<std::uint32_t> chosen = picked->endpoint;
  const Workload& dest = w_.workloads[*chosen];
  metrics_.served_by(e.client, step, dest.region);
  count_request(cluster_group(dest.cluster), step);
  if (!reachable(tier.region, dest.region)) {  // a backbone partition: the connection attempt goes nowhere
    metrics_.failure(e.client, step, Failure::ConnectTimeout);
    return;
  }

  const std::uint32_t i = calls_.allocate();
  Call& call = calls_[i];
  call.is_root = true;
  call.tier = static_cast<std::uint16_t>(t);
  call.route = static_cast<std::uint16_t>(route);
  call.client = e.client;
  call.step = step;
  call.service = service;
  call.workload = *chosen;
  call.sent_at = now;
  call.deadline = now + rule.timeout;
  call.one_way = to_proxy + one_way(tier.region, dest.region, rng(tier.stream)) + w_.config.mesh.ztunnel_latency;
  engine_.schedule_at(now + call.one_way, PodArrival{i, call.generation});
}

void Simulation::record_root(const Call& call, Failure failure, sim::SimTime done_at) {
  // After the deadline the gateway has already answered 504; the step's finalisation counts it.
  if (done_at >= call.deadline) return;
  // The answer travels back through the regional proxies; if they are gone, so is the answer.
  const std::uint32_t t = call.tier;
  if (!w_.is_up(w_.tiers[t].component)) return;
  if (failure == Failure::None) {
    const sim::Duration latency = done_at - call.sent_at;
    metrics_.success(call.client, call.step, latency);
    for (const std::size_t g : {route_group(call.route), service_group(call.service),
                                cluster_group(w_.workloads[call.workload].cluster)}) {
      if (latency <= w_.config.slo.latency) ++breakdown_ring_good_[ring_slot(g, call.step)];
      breakdown_latency_[g].record(latency);
    }
  } else {
    metrics_.failure(call.client, call.step, failure);
  }
}

// ---- at the pod ------------------------------------------------------------------------------

void Simulation::on(const PodArrival& e) {
  if (!calls_.current(e.call, e.generation)) return;
  const Call& call = calls_[e.call];
  const Workload& wl = w_.workloads[call.workload];
  if (!node_up(wl)) {
    // Nothing answers on a dead node: the connection attempt times out.
    const sim::Duration connect = call.is_root ? w_.config.gateway.connect_timeout : w_.config.mesh.connect_timeout;
    lose(e.call, Failure::ConnectTimeout, call.sent_at + connect);
  } else if (!w_.is_up(wl.component) || !ztunnel_up(wl)) {
    answer(e.call, Failure::ConnectionRefused);  // the pod is gone, or its node's ztunnel is
  } else if (!call.is_root && !ztunnel_of(wl).cert_valid(engine_.now())) {
    answer(e.call, Failure::CertificateExpired);  // mesh traffic arrives over mTLS; the gateway's does not
  } else {
    admit(e.call);
  }
}

void Simulation::admit(std::uint32_t i) {
  Workload& wl = w_.workloads[calls_[i].workload];
  const Service& s = w_.services[wl.service];
  ++service_ring_[ring_slot(wl.service * w_.regions.size() + wl.region, metrics_.step_of(engine_.now()))];
  if (wl.busy < s.concurrency) {
    start_service(i);
  } else if (wl.queue_size < s.queue_limit) {
    if (wl.queue_size == wl.queue.size()) grow_queue(wl, s.queue_limit);
    wl.queue[(wl.queue_head + wl.queue_size) % wl.queue.size()] = i;
    ++wl.queue_size;
  } else {
    answer(i, Failure::Overloaded);
  }
}

void Simulation::start_service(std::uint32_t i) {
  Call& call = calls_[i];
  Workload& wl = w_.workloads[call.workload];
  ++wl.busy;
  call.holds_slot = true;
  call.prev_active = kNone;
  call.next_active = wl.active_head;
  if (wl.active_head != kNone) calls_[wl.active_head].prev_active = i;
  wl.active_head = i;
  const sim::Duration st = service_time(w_.services[wl.service], rng(wl.stream)) + wl.added_latency;
  engine_.schedule_at(engine_.now() + st, ServiceDone{i, call.generation});
}

void Simulation::unlink_active(std::uint32_t i) {
  Call& call = calls_[i];
  Workload& wl = w_.workloads[call.workload];
  if (call.prev_active != kNone) calls_[call.prev_active].next_active = call.next_active;
  else wl.active_head = call.next_active;
  if (call.next_active != kNone) calls_[call.next_active].prev_active = call.prev_active;
  call.prev_active = call.next_active = kNone;
  call.holds_slot = false;
}

void Simulation::on(const ServiceDone& e) {
  if (!calls_.current(e.call, e.generation) || calls_[e.call].callee_done) return;
  // A gray failure: the pod did the work, then fails the request (a dependency error, say).
  const Workload& wl = w_.workloads[calls_[e.call].workload];
  if (wl.error_rate > 0 && rng(wl.stream).bernoulli(wl.error_rate)) return finish(e.call, Failure::ErrorResponse);
  // A service with a database writes to its primary before its calls.
  const std::uint32_t d = w_.service_database[wl.service];
  const double write_probability = w_.config.services[wl.service].write_probability;
  if (d != kNone && (write_probability >= 1.0 || rng(wl.stream).bernoulli(write_probability))) {
    Database& db = w_.databases[d];
    if (!db.writable || !w_.is_up(db.instances[db.primary])) {
      ++db.result.failed_writes;
      return finish(e.call, Failure::DependencyFailed);
    }
    // A round trip to the primary's region and the commit; synchronous replication waits for the
    // nearest replica's acknowledgement too.
    const std::uint32_t primary_region = db.regions[db.primary];
    if (!reachable(wl.region, primary_region)) {
      ++db.result.failed_writes;
      return finish(e.call, Failure::DependencyFailed);
    }
    sim::Duration takes = 2 * one_way(wl.region, primary_region, rng(wl.stream)) + db.config.write_latency;
    if (db.config.synchronous) {
      sim::Duration nearest = sim::Duration::max();
      for (std::size_t i = 0; i < db.instances.size(); ++i)
        if (i != db.primary && w_.is_up(db.instances[i]) && reachable(primary_region, db.regions[i]))
          nearest = std::min(nearest, 2 * one_way(primary_region, db.regions[i], rng(db.stream)));
      if (nearest == sim::Duration::max()) {  // no replica to acknowledge: the commit cannot complete
        ++db.result.failed_writes;
        return finish(e.call, Failure::DependencyFailed);
      }
      takes += nearest;
    }
    engine_.schedule_at(engine_.now() + takes, WriteDone{e.call, e.generation});
    return;
  }
  advance(e.call);
}

// The commit is done (if the primary is still there): asynchronous replication finishes a lag later.
void Simulation::on(const WriteDone& e) {
  if (!calls_.current(e.call, e.generation) || calls_[e.call].callee_done) return;
  const Workload& wl = w_.workloads[calls_[e.call].workload];
  Database& db = w_.databases[w_.service_database[wl.service]];
  if (!db.writable || !w_.is_up(db.instances[db.primary])) {
    ++db.result.failed_writes;
    return finish(e.call, Failure::DependencyFailed);
  }
  ++db.result.writes;
  if (!db.config.synchronous) {
    const double lag_s = rng(db.stream).exponential(sim::to_seconds(db.config.replication_lag));
    db.replicating.push_back((engine_.now() + from_seconds(lag_s)).ns());
    std::push_heap(db.replicating.begin(), db.replicating.end(), std::greater<>{});
  }
  advance(e.call);
}

// The primary failed: writes not yet replicated are lost (RPO), and writes fail until a replica
// is promoted after detection and promotion (RTO).
void Simulation::database_instance_down(Database& db, ComponentId instance) {
  if (instance != db.instances[db.primary] || !db.writable) return;
  const std::int64_t now = engine_.now().ns();
  while (!db.replicating.empty() && db.replicating.front() <= now) {
    std::pop_heap(db.replicating.begin(), db.replicating.end(), std::greater<>{});
    db.replicating.pop_back();
  }
  db.result.lost_writes += db.replicating.size();
  db.result.failures.push_back(sim::DatabaseFailure{engine_.now().since_start(), db.replicating.size(), std::nullopt});
  db.replicating.clear();
  db.writable = false;
  db.unavailable_since = engine_.now();
  const std::uint32_t d = static_cast<std::uint32_t>(&db - w_.databases.data());
  engine_.schedule_after(db.config.failover_detection + db.config.promotion_delay, DatabasePromotion{d});
}

void Simulation::on(const DatabasePromotion& e) {
  Database& db = w_.databases[e.database];
  for (std::uint32_t i = 0; i < db.instances.size(); ++i) {
    if (i == db.primary || !w_.is_up(db.instances[i])) continue;
    db.primary = i;
    db.writable = true;
    db.result.failures.back().writable_again_at = engine_.now().since_start();
    ++db.result.failovers;
    db.result.write_unavailable += engine_.now() - db.unavailable_since;
    return;
  }
  // No replica to promote: the old primary may come back; try again later.
  if (w_.is_up(db.instances[db.primary])) {
    db.writable = true;
    db.result.failures.back().writable_again_at = engine_.now().since_start();
    db.result.write_unavailable += engine_.now() - db.unavailable_since;
    return;
  }
  engine_.schedule_after(db.config.promotion_delay, DatabasePromotion{e.database});
}

// Makes the service's next call (each taken with its probability), or answers when none is left.
void Simulation::advance(std::uint32_t i) {
  const std::uint32_t workload = calls_[i].workload;
  const Service& s = w_.services[w_.workloads[workload].service];
  while (calls_[i].next_call < s.calls.size()) {
    const ResolvedCall& rc = s.calls[calls_[i].next_call++];
    if (rc.probability >= 1.0 || rng(w_.workloads[workload].stream).bernoulli(rc.probability)) {
      calls_[i].call_retries = 0;
      issue_call(i, rc);
      return;
    }
  }
  finish(i, Failure::None);
}

// The pod is done with call i: free its slot, answer, and take the next waiting call.
// A pod's queue is a ring buffer that starts small (build_world) and doubles, up to the service's
// queue_limit, when a call finds it full: memory follows the calls actually waiting, not the limit.
void Simulation::grow_queue(Workload& wl, std::uint32_t limit) {
  const std::size_t capacity = std::min<std::size_t>(limit, std::max<std::size_t>(1, 2 * wl.queue.size()));
  std::vector<std::uint32_t> grown(capacity, kNone);
  for (std::uint32_t k = 0; k < wl.queue_size; ++k) grown[k] = wl.queue[(wl.queue_head + k) % wl.queue.size()];
  wl.queue = std::move(grown);
  wl.queue_head = 0;
}

void Simulation::finish(std::uint32_t i, Failure failure) {
  const std::uint32_t workload = calls_[i].workload;
  unlink_active(i);
  Workload& wl = w_.workloads[workload];
  --wl.busy;
  answer(i, failure);
  const Service& s = w_.services[wl.service];
  while (wl.queue_size > 0 && wl.busy < s.concurrency) {
    const std::uint32_t next = wl.queue[wl.queue_head];
    wl.queue_head = (wl.queue_head + 1) % static_cast<std::uint32_t>(wl.queue.size());
    --wl.queue_size;
    start_service(next);
  }
}

// The callee answers call i; the answer reaches the caller one network path later.
void Simulation::answer(std::uint32_t i, Failure failure) {
  Call& call = calls_[i];
  call.callee_done = true;
  const sim::SimTime arrives = engine_.now() + call.one_way;
  if (call.is_root) {
    // The answer reaches the gateway proxy on the way back: the path minus the client's leg.
    gateway_learns(call, failure,
                   engine_.now() + (call.one_way - w_.clients[call.client].access_latency - w_.config.gateway.proxy_latency));
    record_root(call, failure, arrives);
    release(i);
  } else if (call.caller_done) {
    release(i);
  } else {
    call.response_pending = true;
    engine_.schedule_at(arrives, CallReturned{i, call.generation, failure});
  }
}

// The callee will never answer call i; the caller finds out at `caller_learns_at` (a connect
// timeout), or at its own deadline if that comes first.
void Simulation::lose(std::uint32_t i, Failure failure, sim::SimTime caller_learns_at) {
  Call& call = calls_[i];
  call.callee_done = true;
  caller_learns_at = std::max(caller_learns_at, engine_.now());
  if (call.is_root) {
    gateway_learns(call, failure, caller_learns_at);
    record_root(call, failure, caller_learns_at);
    release(i);
  } else if (call.caller_done) {
    release(i);
  } else if (caller_learns_at < call.deadline || !call.has_timeout) {
    // An attempt has no timeout event of its own unless it has a per-try timeout: its waypoint
    // learns at the latest at the deadline (just after the waypoint's own caller gave up).
    call.response_pending = true;
    engine_.schedule_at(std::min(caller_learns_at, call.deadline), CallReturned{i, call.generation, failure});
  }
  // else: the call's timeout event tells the caller, and releases the call.
}

void Simulation::on(const CallReturned& e) {
  if (!calls_.current(e.call, e.generation)) return;
  Call& call = calls_[e.call];
  call.response_pending = false;
  if (call.caller_done) {
    release(e.call);
    return;
  }
  const std::uint32_t parent = call.parent;
  const std::uint32_t parent_generation = call.parent_generation;
  const AttemptReport report{call.upstream_host, call.is_retry};
  release(e.call);
  resume(parent, parent_generation, e.failure, report);
}

void Simulation::on(const CallTimeout& e) {
  if (!calls_.current(e.call, e.generation)) return;
  Call& call = calls_[e.call];
  if (call.caller_done) return;
  call.caller_done = true;
  close_attempt(e.call);  // a timed-out attempt no longer counts as in flight
  const std::uint32_t parent = call.parent;
  const std::uint32_t parent_generation = call.parent_generation;
  const AttemptReport report{call.upstream_host, call.is_retry};
  if (call.callee_done && !call.response_pending) release(e.call);
  resume(parent, parent_generation, Failure::Timeout, report);
}

void Simulation::release(std::uint32_t i) {
  close_attempt(i);
  calls_.release(i);
}

// An attempt stops counting toward its waypoint's circuit breakers once, whichever way it ends.
void Simulation::close_attempt(std::uint32_t i) {
  Call& attempt = calls_[i];
  if (!attempt.in_flight) return;
  attempt.in_flight = false;
  const Call& waypoint_call = calls_[attempt.parent];
  MeshProxy& envoy = w_.proxies[w_.workloads[waypoint_call.workload].proxy];
  envoy.upstream->attempt_finished(attempt.upstream_host, attempt.is_retry);
}

// A call made by `parent` came back (or timed out): carry on with the parent's work.
void Simulation::resume(std::uint32_t parent, std::uint32_t parent_generation, Failure failure,
                        const AttemptReport& attempt) {
  if (!calls_.current(parent, parent_generation) || calls_[parent].callee_done) return;  // caller is gone
  Call& caller = calls_[parent];
  if (caller.kind == traffic::CallKind::ToWaypoint) return attempt_done(parent, failure, attempt);
  if (failure == Failure::None) return advance(parent);
  // The application's own retries: call the same service again at once.
  const Service& s = w_.services[w_.workloads[caller.workload].service];
  const ResolvedCall& rc = s.calls[caller.next_call - 1];
  if (caller.call_retries < rc.retries) {
    ++caller.call_retries;
    return issue_call(parent, rc);
  }
  finish(parent, Failure::DependencyFailed);
}

// ---- calls through the mesh ------------------------------------------------------------------

// From the calling pod: its node's ztunnel, then the callee's waypoint if it has one (which makes
// the attempts to pods), else straight to the destination node's ztunnel and the pod. Each proxy
// chooses with its own view of the endpoints.
void Simulation::issue_call(std::uint32_t parent, const ResolvedCall& rc) {
  const sim::SimTime now = engine_.now();
  const auto& mesh = w_.config.mesh;
  const std::uint32_t j = calls_.allocate();  // may move calls_: take references after this
  const Call& caller = calls_[parent];
  const Workload& src = w_.workloads[caller.workload];
  sim::RngStream& srng = rng(src.stream);
  Call& call = calls_[j];
  call.parent = parent;
  call.parent_generation = caller.generation;
  call.service = rc.callee;
  call.workload = caller.workload;  // until a destination is chosen
  call.sent_at = now;
  call.deadline = now + rc.timeout;
  call.has_timeout = true;
  engine_.schedule_in_lane(rc.timeout_lane, CallTimeout{j, call.generation});

  const Node& node = w_.nodes[src.node];
  MeshProxy& ztunnel = w_.proxies[node.ztunnel_proxy];
  const Service& callee = w_.services[rc.callee];
  sim::Duration forward = mesh.ztunnel_latency;
  // The pod's outbound traffic is redirected to its node's ztunnel, which needs a valid certificate.
  if (!w_.is_up(node.ztunnel)) return lose(j, Failure::ConnectionRefused, now);
  if (!ztunnel.cert_valid(now)) return lose(j, Failure::CertificateExpired, now + forward);
  if (callee.has_waypoint) {
    const auto waypoint = routing::pick_closest_region_round_robin(
        std::span<const routing::EndpointGroup>(w_.waypoint_groups[src.region][rc.callee]),
        cursors(ztunnel.cursors, rc.callee), [&](std::uint32_t wl) { return ztunnel.ready[wl] != 0; });
    if (!waypoint) return lose(j, Failure::WaypointUnavailable, now + forward);
    if (!reachable(src.region, w_.workloads[*waypoint].region))
      return lose(j, Failure::ConnectTimeout, now + mesh.connect_timeout);
    forward += one_way(src.region, w_.workloads[*waypoint].region, srng);
    calls_[j].kind = traffic::CallKind::ToWaypoint;
    calls_[j].workload = *waypoint;
    calls_[j].one_way = forward;
    // A saturated waypoint takes longer before it forwards anything.
    engine_.schedule_at(now + forward + w_.workloads[*waypoint].added_latency, WaypointArrival{j, calls_[j].generation});
    return;
  }
  // ztunnel's own choice (5.4): only endpoints istiod says are ready; random over all of them, or
  // only the best-ranked locality, or only this node, as the Service asks. No retries.
  const auto& endpoints = callee.ztunnel_endpoints;
  const auto dest = routing::ztunnel_pick_ranked(
      w_.ztunnel_ranked[src.node * w_.services.size() + rc.callee], endpoints,
      [&](std::uint32_t i) { return ztunnel.ready[endpoints[i].id] != 0; }, rng(src.stream));
  if (!dest) return lose(j, Failure::NoHealthyUpstream, now + forward);
  if (!reachable(src.region, w_.workloads[*dest].region)) return lose(j, Failure::ConnectTimeout, now + mesh.connect_timeout);
  forward += one_way(src.region, w_.workloads[*dest].region, srng) + mesh.ztunnel_latency;
  calls_[j].workload = *dest;
  calls_[j].one_way = forward;
  engine_.schedule_at(now + forward, PodArrival{j, calls_[j].generation});
}

void Simulation::on(const WaypointArrival& e) {
  if (!calls_.current(e.call, e.generation)) return;
  const Call& call = calls_[e.call];
  const Workload& wp = w_.workloads[call.workload];
  if (!node_up(wp)) {
    lose(e.call, Failure::ConnectTimeout, call.sent_at + w_.config.mesh.connect_timeout);
  } else if (!w_.is_up(wp.component)) {
    answer(e.call, Failure::ConnectionRefused);
  } else if (!w_.proxies[wp.proxy].cert_valid(engine_.now())) {
    answer(e.call, Failure::CertificateExpired);
  } else {
    issue_attempt(e.call, /*is_retry=*/false);
  }
}

// The waypoint (an Envoy) chooses a host with its own view, priorities, outlier state and load
// balancer, and sends one attempt to it.
void Simulation::issue_attempt(std::uint32_t w, bool is_retry) {
  const sim::SimTime now = engine_.now();
  const auto& mesh = w_.config.mesh;
  const Workload& wp = w_.workloads[calls_[w].workload];
  MeshProxy& envoy = w_.proxies[wp.proxy];
  proxies::EnvoyUpstream& upstream = *envoy.upstream;
  if (!upstream.request_admitted()) return answer(w, Failure::Overloaded);  // circuit breaker: 503
  const Call& waypoint_call = calls_[w];
  const std::size_t remembered = std::min<std::size_t>(waypoint_call.remembered, traffic::kRememberedHosts);
  const auto host = upstream.pick(envoy.ready, std::span<const std::uint32_t>(waypoint_call.tried_hosts.data(), remembered),
                                  rng(envoy.stream));
  if (!host) return answer(w, Failure::NoHealthyUpstream);
  const std::uint32_t dest = upstream.workload(*host);
  const std::uint32_t a = calls_.allocate();  // may move calls_
  Call& wc = calls_[w];
  Call& attempt = calls_[a];
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
    engine_.schedule_at(attempt.deadline, CallTimeout{a, attempt.generation});
  }
  ++wc.attempts;
  wc.tried_hosts[wc.remembered % traffic::kRememberedHosts] = *host;
  ++wc.remembered;
  if (!reachable(wp.region, w_.workloads[dest].region)) return lose(a, Failure::ConnectTimeout, now + mesh.connect_timeout);
  attempt.one_way = mesh.waypoint_latency + one_way(wp.region, w_.workloads[dest].region, rng(wp.stream)) +
                    mesh.ztunnel_latency;
  engine_.schedule_at(now + attempt.one_way, PodArrival{a, attempt.generation});
}


// An attempt came back to the waypoint: record it for outlier detection, then retry or answer.
void Simulation::attempt_done(std::uint32_t w, Failure failure, const AttemptReport& attempt) {
  const Workload& wp = w_.workloads[calls_[w].workload];
  // If the waypoint replica died meanwhile, nobody is left to answer: the caller times out.
  if (!w_.is_up(wp.component)) return lose(w, failure, calls_[w].deadline);
  MeshProxy& envoy = w_.proxies[wp.proxy];
  proxies::EnvoyUpstream& upstream = *envoy.upstream;
  const routing::Outcome outcome = attempt_outcome(failure);
  if (const auto status = routing::outlier_status(outcome)) {
    const std::uint64_t ejections = upstream.ejections();
    upstream.record_result(attempt.host, *status, engine_.now(), rng(envoy.stream));
    if (upstream.ejections() != ejections) reacted("waypoint_outlier_ejection");
  }
  const Call& wc = calls_[w];
  const routing::RetryPolicy& policy = upstream.settings().retry;
  if (failure != Failure::None && !wc.caller_done && wc.attempts <= policy.num_retries &&
      routing::should_retry(policy, outcome) && upstream.retry_admitted()) {
    const sim::Duration backoff = routing::draw_backoff(policy, wc.attempts, rng(envoy.stream));
    engine_.schedule_at(engine_.now() + backoff, RetryAttempt{w, wc.generation});
    return;
  }
  answer(w, failure);
}

void Simulation::on(const RetryAttempt& e) {
  if (!calls_.current(e.call, e.generation)) return;
  const Call& wc = calls_[e.call];
  if (wc.caller_done) return answer(e.call, Failure::Timeout);  // nobody waits any more
  if (!w_.is_up(w_.workloads[wc.workload].component)) return lose(e.call, Failure::Timeout, wc.deadline);
  issue_attempt(e.call, /*is_retry=*/true);
}

void Simulation::on(const OutlierSweep& e) {
  MeshProxy& envoy = w_.proxies[e.proxy];
  if (!w_.is_up(envoy.component)) return;
  const std::uint64_t ejections = envoy.upstream->ejections();
  envoy.upstream->sweep(engine_.now(), rng(envoy.stream));
  if (envoy.upstream->ejections() != ejections) reacted("waypoint_outlier_ejection");
}

// ---- gateway health checks -------------------------------------------------------------------

// Rounds are periodic; with jitter each one is scheduled from the last, a random delay later.
void Simulation::schedule_health_check_round(sim::SimTime at, std::uint32_t tier, std::uint32_t service) {
  const auto& hc = w_.config.gateway.health_check;
  if (hc.jitter == sim::Duration::zero()) {
    engine_.schedule_periodic(at, hc.interval, HealthCheckRound{tier, service});
  } else {
    engine_.schedule_at(at, HealthCheckRound{tier, service});
  }
}

void Simulation::on(const HealthCheckRound& e) {
  const auto& hc = w_.config.gateway.health_check;
  const sim::SimTime now = engine_.now();
  if (hc.jitter > sim::Duration::zero()) {
    const sim::Duration extra{static_cast<std::int64_t>(rng(w_.tiers[e.tier].stream).uniform_below(hc.jitter.count()))};
    engine_.schedule_at(now + hc.interval + extra, HealthCheckRound{e.tier, e.service});
  }
  const GatewayTier& tier = w_.tiers[e.tier];
  if (!w_.is_up(tier.component)) return;
  for (std::uint32_t wl_index : w_.services[e.service].pods) {
    const Workload& wl = w_.workloads[wl_index];
    const bool routable = w_.latencies.reachable(tier.region, wl.region);
    const sim::Duration path = tier.region == wl.region ? w_.regions[wl.region].intra_latency
                                                        : w_.latencies.latency[tier.region][wl.region];
    const sim::Duration rtt = routable ? 2 * (path + w_.config.mesh.ztunnel_latency) : hc.timeout;
    bool passed = false;
    sim::Duration takes = hc.timeout;
    // On the traffic's port the probe enters the pod through its node's ztunnel, as the traffic
    // does; a separate health port (excluded from capture, or its own listener) does not, so it
    // keeps passing when the traffic's path is broken (kubelet's probes bypass ztunnel too).
    if (routable && w_.is_up(wl.component) && (hc.separate_port || ztunnel_up(wl))) {
      passed = rtt < hc.timeout;
      takes = std::min(rtt, hc.timeout);
      // The check's flaws. A flapping health endpoint answers 503 now and then; a probe stuck
      // behind queued requests times out (on the traffic's port); a deep check that finds the
      // request path broken answers 503 at once.
      sim::RngStream& trng = rng(tier.stream);
      if (passed && hc.false_failure_rate > 0 && trng.bernoulli(hc.false_failure_rate)) {
        passed = false;
      } else if (passed && !hc.separate_port && hc.fails_under_load && wl.queue_size > 0) {
        passed = false;
        takes = hc.timeout;
      } else if (passed && hc.deep && !deep_check_passes(wl, trng)) {
        passed = false;
      }
    } else if (routable && node_up(wl)) {
      takes = std::min(rtt, hc.timeout);  // refused: fails at once
    }
    engine_.schedule_at(now + takes, HealthCheckResult{e.tier, wl_index, passed});
  }
}

// A deep check runs the request path: the pod must answer without error and every dependency it
// always calls must have a running endpoint its ztunnel knows of, itself not failing every request.
// (A check that includes a shared dependency fails everywhere when that dependency does.)
bool Simulation::deep_check_passes(const Workload& wl, sim::RngStream& trng) const {
  if (wl.error_rate > 0 && trng.bernoulli(wl.error_rate)) return false;
  const Service& s = w_.services[wl.service];
  if (wl.queue_size >= s.queue_limit && wl.busy >= s.concurrency) return false;
  const MeshProxy& ztunnel = w_.proxies[w_.nodes[wl.node].ztunnel_proxy];
  for (const ResolvedCall& rc : s.calls) {
    if (rc.probability < 1.0) continue;
    const auto& pods = w_.services[rc.callee].pods;
    const bool reachable = std::any_of(pods.begin(), pods.end(), [&](std::uint32_t p) {
      const Workload& dep = w_.workloads[p];
      return ztunnel.ready[p] != 0 && w_.is_up(dep.component) && dep.error_rate < 1.0;
    });
    if (!reachable) return false;
  }
  return true;
}

// Cloud DNS sees a VIP's health `health_delay` late.
bool Simulation::vip_healthy_as_dns_sees_it(std::uint32_t region) const {
  const std::uint32_t t = w_.regions[region].gateway_tier;
  if (t == kNone) return false;
  const sim::SimTime seen_at = engine_.now() - std::min(engine_.now().since_start(), w_.config.dns->health_delay);
  bool up = true;
  for (const auto& [at, state] : w_.tiers[t].up_history) {
    if (at > seen_at) break;
    up = state;
  }
  return up;
}

// One request's client process finds the gateway: through its pooled connection while it lasts
// and its VIP answers, else its own cache, else the shared resolver (which honours the TTL), else
// Cloud DNS.
std::uint32_t Simulation::resolve_gateway(Client& client, sim::RngStream& crng) {
  const sim::SimTime now = engine_.now();
  const auto& cdns = w_.config.clients[&client - w_.clients.data()].dns;
  DnsInstance& inst = client.instances[crng.uniform_below(client.instances.size())];
  auto tier_up = [&](std::uint32_t region) {
    const std::uint32_t t = w_.regions[region].gateway_tier;
    return t != kNone && w_.is_up(w_.tiers[t].component);
  };
  if (inst.connected_vip != kNone && now < inst.connected_until) {
    if (tier_up(inst.connected_vip)) return inst.connected_vip;
    inst.connected_vip = kNone;  // the connection broke: connect again, through the caches
  }
  if (inst.cached_vip == kNone || (!cdns.cache_forever && now >= inst.cached_until)) {
    if (client.resolver_vip == kNone || now >= client.resolver_until) {
      // Cloud DNS is down: the resolver answers SERVFAIL (no serve-stale, RFC 8767 is opt-in).
      if (w_.dns_outages > 0) return kNone;
      const auto& dns = *w_.config.dns;
      std::vector<dns::VipState> vips;
      for (std::uint32_t r = 0; r < w_.regions.size(); ++r) {
        if (w_.regions[r].gateway_tier == kNone) continue;
        dns::VipState vip;
        vip.region = r;
        vip.healthy = vip_healthy_as_dns_sees_it(r);
        vip.primary = std::find(dns.primary.begin(), dns.primary.end(), w_.regions[r].name) != dns.primary.end();
        vip.backup = std::find(dns.backup.begin(), dns.backup.end(), w_.regions[r].name) != dns.backup.end();
        for (const auto& [name, weight] : dns.weights)
          if (name == w_.regions[r].name) vip.weight = weight;
        vips.push_back(vip);
      }
      const dns::Policy policy = dns.policy == config::DnsPolicy::Geolocation ? dns::Policy::Geolocation
                                 : dns.policy == config::DnsPolicy::Failover  ? dns::Policy::Failover
                                                                             : dns::Policy::WeightedRoundRobin;
      const double draw = crng.uniform01();
      const std::uint32_t answer =
          dns::cloud_dns_answer(policy, client.region_order, vips, dns.trickle_ratio, draw).value_or(client.region);
      if (client.resolver_vip != kNone && answer != client.resolver_vip) reacted("dns_answer_changed");
      client.resolver_vip = answer;
      client.resolver_until = now + dns.ttl;
    }
    inst.cached_vip = client.resolver_vip;
    // A client cache that ignores the TTL keeps the answer its own time; otherwise the TTL's rest.
    inst.cached_until = cdns.cache ? now + *cdns.cache : client.resolver_until;
  }
  if (cdns.connection_lifetime) {
    inst.connected_vip = inst.cached_vip;
    inst.connected_until = now + *cdns.connection_lifetime;
  }
  return inst.cached_vip;
}

void Simulation::on(const HealthCheckResult& e) {
  GatewayTier& tier = w_.tiers[e.tier];
  const auto& hc = w_.config.gateway.health_check;
  if (!tier.health[e.workload].record(e.passed, health::HealthCheckThresholds{hc.healthy_threshold, hc.unhealthy_threshold}))
    return;
  if (!e.passed) reacted("gateway_health_check");
  GatewayBackends& gb = tier.backend_services[w_.routed_ordinal[w_.workloads[e.workload].service]];
  refresh_gateway_backend(tier, gb, w_.gateway_backend[e.workload]);
}

// A backend's usable endpoints, as this tier sees them: in the NEG, passing its health checks and
// not ejected.
void Simulation::refresh_gateway_backend(GatewayTier& tier, GatewayBackends& gb, std::uint32_t backend) {
  std::vector<std::uint32_t> usable;
  for (std::uint32_t wl : gb.neg_pods[backend])
    if (w_.in_neg[wl] && tier.health[wl].healthy() && !(gb.outlier && gb.outlier->ejected(w_.gateway_host[wl])))
      usable.push_back(wl);
  gb.backends[backend].healthy_endpoints = static_cast<std::uint32_t>(usable.size());
  gb.picker.set_healthy_endpoints(backend, std::move(usable));
  gb.shares_dirty = true;
}

// WATERFALL_BY_REGION for one tier: fill the closest region's backends up to their capacity left
// over by the other tiers, overflow to the next region (7.3).
void Simulation::recompute_gateway_shares(std::uint32_t t, GatewayBackends& gb) {
  std::vector<double> others(gb.backends.size(), 0.0);
  const std::uint32_t routed = w_.routed_ordinal[gb.service];
  for (std::uint32_t o = 0; o < w_.tiers.size(); ++o) {
    if (o == t) continue;
    const GatewayBackends& other = w_.tiers[o].backend_services[routed];
    for (std::size_t b = 0; b < others.size(); ++b) others[b] += other.placed_rps[b];
  }
  const auto& policy = w_.config.gateway.backend_policy;
  const routing::WaterfallPolicy waterfall{policy.failover_health_threshold, policy.auto_capacity_drain};
  const routing::WaterfallShares shares =
      routing::waterfall_shares(gb.backends, w_.tiers[t].region_order, gb.offered_rps, others, waterfall);
  gb.picker.set_shares(shares.share);
  gb.placed_rps = shares.placed_rps;
  gb.shares_dirty = false;
}

// Every second each tier measures the load it offers each backend service; shares follow it.
void Simulation::on(const GatewayRateTick&) {
  for (GatewayTier& tier : w_.tiers)
    for (GatewayBackends& gb : tier.backend_services) {
      gb.offered_rps = static_cast<double>(gb.arrivals);
      gb.arrivals = 0;
      gb.shares_dirty = true;
    }
}

// The gateway sees how a request to a backend ended: its outlier detection counts it.
void Simulation::gateway_learns(const Call& root, Failure failure, sim::SimTime at) {
  const std::uint32_t t = root.tier;
  const std::uint32_t routed = w_.routed_ordinal[root.service];
  if (!w_.tiers[t].backend_services[routed].outlier) return;
  // The gateway's Envoy maps a failure to a status as the waypoints' do.
  const int status = routing::outlier_status(attempt_outcome(failure)).value_or(503);
  engine_.schedule_at(std::min(at, root.deadline),
                      GatewayResult{root.workload, static_cast<std::uint16_t>(t), static_cast<std::uint16_t>(routed),
                                    static_cast<std::uint16_t>(status)});
}

void Simulation::on(const GatewayResult& e) {
  GatewayTier& tier = w_.tiers[e.tier];
  GatewayBackends& gb = tier.backend_services[e.routed];
  const std::uint32_t host = w_.gateway_host[e.workload];
  const bool was = gb.outlier->ejected(host);
  gb.outlier->on_result(host, e.status, engine_.now(), rng(tier.stream));
  if (gb.outlier->ejected(host) == was) return;
  if (!was) reacted("gateway_outlier_ejection");
  refresh_gateway_backend(tier, gb, w_.gateway_backend[e.workload]);
}

void Simulation::on(const GatewayOutlierSweep& e) {
  GatewayTier& tier = w_.tiers[e.tier];
  GatewayBackends& gb = tier.backend_services[e.routed];
  const health::SweepChanges changes = gb.outlier->on_interval(engine_.now(), rng(tier.stream));
  if (changes.empty()) return;
  if (!changes.ejected.empty()) reacted("gateway_outlier_ejection");
  // A backend's usable endpoints changed if any of its hosts was ejected or unejected.
  for (std::uint32_t b = 0; b < gb.neg_pods.size(); ++b) {
    const bool touched = std::any_of(gb.neg_pods[b].begin(), gb.neg_pods[b].end(), [&](std::uint32_t wl) {
      const std::size_t host = w_.gateway_host[wl];
      return std::binary_search(changes.ejected.begin(), changes.ejected.end(), host) ||
             std::binary_search(changes.unejected.begin(), changes.unejected.end(), host);
    });
    if (touched) refresh_gateway_backend(tier, gb, b);
  }
}

// ---- Kubernetes readiness and istiod pushes --------------------------------------------------

void Simulation::on(const ReadinessSweep& e) {
  const Cluster& cluster = w_.clusters[e.cluster];
  // With the cluster down its API server is gone too: its endpoint state stays as it was.
  if (!w_.is_up(cluster.component)) return;
  if (e.cluster == w_.config_cluster && w_.config_cluster_outages > 0) return;  // its control plane is down
  const sim::SimTime now = engine_.now();
  const auto& mesh = w_.config.mesh;
  for (std::uint32_t wi : cluster.workloads) {
    Workload& wl = w_.workloads[wi];
    const Node& node = w_.nodes[wl.node];
    bool ready = wl.ready;
    if (!w_.is_up(node.component)) {
      if (now - node.down_since >= mesh.node_monitor_grace_period) ready = false;  // node NotReady
    } else if (w_.is_up(wl.component)) {
      wl.failed_probes = 0;
      ready = true;
    } else if (++wl.failed_probes >= mesh.readiness_failure_threshold) {
      ready = false;
    }
    if (ready == wl.ready) continue;
    wl.ready = ready;
    // Service pods the gateway routes to are in a NEG, which follows readiness.
    if (wl.kind == WorkloadKind::Pod && w_.routed_ordinal[wl.service] != kNone)
      engine_.schedule_at(now + w_.config.gateway.neg_sync_delay, NegSync{wi, ready});
    // Every istiod watches every cluster's endpoints and pushes to the proxies it configures.
    for (std::uint32_t c : w_.istiod_clusters)
      if (w_.is_up(w_.clusters[c].istiod)) engine_.schedule_at(now + mesh.push_delay, EndpointPush{c, wi, ready});
  }
}

void Simulation::on(const EndpointPush& e) {
  const Cluster& cluster = w_.clusters[e.from_cluster];
  if (!w_.is_up(cluster.istiod)) return;
  if (!e.ready) reacted("endpoint_removed");
  for (std::uint32_t p : cluster.proxies) {
    MeshProxy& proxy = w_.proxies[p];
    // A remote cluster's proxies get nothing while the backbone cuts them off from their primary.
    if (!w_.is_up(proxy.component) || !reachable(cluster.region, proxy.region)) continue;
    proxy.ready[e.workload] = e.ready ? 1 : 0;
    if (proxy.upstream) proxy.upstream->endpoints_changed();
  }
}

// A waypoint's active health check of one host (ROUTING.md 4.2): an HTTP probe over the mesh. It
// passes if the pod answers in time; a dead node or a cut link times out; a refused connection (pod
// or ztunnel gone, certificate expired) fails after a round trip. Like a shallow check it does not
// see gray failures.
void Simulation::on(const ActiveCheck& e) {
  const MeshProxy& proxy = w_.proxies[e.proxy];
  const auto& hc = *proxy.upstream->settings().active_health_check;
  const Workload& wp = w_.workloads[w_.refs[proxy.component.index()].index];
  const Workload& pod = w_.workloads[proxy.upstream->workload(e.host)];
  health::ProbeResult result = health::ProbeResult::Success;
  sim::Duration takes = hc.timeout;
  if (!w_.is_up(proxy.component)) {
    engine_.schedule_after(hc.interval, ActiveCheck{e.proxy, e.host});  // a dead proxy probes nothing
    return;
  }
  if (!reachable(wp.region, pod.region) || !node_up(pod)) {
    result = health::ProbeResult::NetworkFailure;
  } else {
    const sim::Duration path = wp.region == pod.region ? w_.regions[pod.region].intra_latency
                                                       : w_.latencies.latency[wp.region][pod.region];
    const sim::Duration rtt = 2 * (path + w_.config.mesh.ztunnel_latency);
    const bool refused = !w_.is_up(pod.component) || !ztunnel_up(pod) || !ztunnel_of(pod).cert_valid(engine_.now()) ||
                         !proxy.cert_valid(engine_.now());
    if (refused || rtt >= hc.timeout) result = health::ProbeResult::NetworkFailure;
    if (rtt < hc.timeout) takes = rtt;
  }
  engine_.schedule_after(takes, ActiveCheckResult{e.proxy, static_cast<std::uint16_t>(e.host), result});
}

void Simulation::on(const ActiveCheckResult& e) {
  MeshProxy& proxy = w_.proxies[e.proxy];
  health::EnvoyActiveHealthChecker& checker = proxy.active_checks[e.host];
  if (checker.record(e.result) == health::HealthChange::BecameUnhealthy) reacted("waypoint_health_check");
  proxy.upstream->on_active_check(e.host, e.result == health::ProbeResult::Success, checker.healthy(), engine_.now());
  // Waypoints carry traffic, so the no-traffic intervals never apply.
  engine_.schedule_after(checker.next_interval(/*had_traffic=*/true, rng(proxy.stream)), ActiveCheck{e.proxy, e.host});
}

// A pod's endpoint joins or leaves its NEG: every regional tier's backend changes.
void Simulation::on(const NegSync& e) {
  w_.in_neg[e.workload] = e.ready ? 1 : 0;
  if (!e.ready) reacted("neg_endpoint_removed");
  for (GatewayTier& tier : w_.tiers) {
    GatewayBackends& gb = tier.backend_services[w_.routed_ordinal[w_.workloads[e.workload].service]];
    refresh_gateway_backend(tier, gb, w_.gateway_backend[e.workload]);
  }
}

void Simulation::on(const ProxyResync& e) {
  MeshProxy& proxy = w_.proxies[e.proxy];
  const Cluster& primary = w_.clusters[w_.clusters[proxy.cluster].configured_by];
  if (!w_.is_up(proxy.component) || !w_.is_up(primary.istiod) || !reachable(primary.region, proxy.region)) return;
  for (std::size_t wi = 0; wi < w_.workloads.size(); ++wi) proxy.ready[wi] = w_.workloads[wi].ready ? 1 : 0;
  if (proxy.upstream) proxy.upstream->endpoints_changed();
}

// ---- faults ----------------------------------------------------------------------------------

void Simulation::on(const FaultStart& e) {
  Fault& fault = w_.faults[e.fault];
  fault.active = true;
  switch (fault.kind) {
    case config::FaultKind::GrayFailure:
    case config::FaultKind::WaypointOverload: return update_workload_effects(fault);
    case config::FaultKind::BackboneDegradation: return recompute_latencies();
    case config::FaultKind::DnsOutage: ++w_.dns_outages; return;
    case config::FaultKind::ConfigClusterOutage: ++w_.config_cluster_outages; return;
    case config::FaultKind::CrashLoop:
      hold(fault);
      fault.crashes = 1;
      engine_.schedule_after(faults::crash_loop_backoff(1), FaultPhase{e.fault});
      return;
    default: return hold(fault);
  }
}

void Simulation::on(const FaultEnd& e) {
  Fault& fault = w_.faults[e.fault];
  fault.active = false;
  switch (fault.kind) {
    case config::FaultKind::GrayFailure:
    case config::FaultKind::WaypointOverload: return update_workload_effects(fault);
    case config::FaultKind::BackboneDegradation: return recompute_latencies();
    case config::FaultKind::DnsOutage: --w_.dns_outages; return;
    case config::FaultKind::ConfigClusterOutage: --w_.config_cluster_outages; return;
    default: return release_hold(fault);
  }
}

// A crash loop: the kubelet restarts the container after CrashLoopBackOff's delay, it runs for
// `up_for`, crashes again, and waits twice as long (up to 5 minutes) before the next restart.
void Simulation::on(const FaultPhase& e) {
  Fault& fault = w_.faults[e.fault];
  if (!fault.active) return;
  if (fault.holding) {
    release_hold(fault);
    engine_.schedule_after(fault.up_for, FaultPhase{e.fault});
  } else {
    hold(fault);
    // The kubelet forgets the back-off of a container that ran 10 minutes without trouble.
    fault.crashes = fault.up_for >= faults::kCrashLoopBackoffReset ? 1 : fault.crashes + 1;
    engine_.schedule_after(faults::crash_loop_backoff(fault.crashes), FaultPhase{e.fault});
  }
}

void Simulation::hold(Fault& fault) {
  if (fault.holding) return;
  fault.holding = true;
  for (ComponentId c : fault.holds)
    if (w_.down_causes[c.index()]++ == 0) component_down(c);
}

void Simulation::release_hold(Fault& fault) {
  if (!fault.holding) return;
  fault.holding = false;
  for (ComponentId c : fault.holds)
    if (--w_.down_causes[c.index()] == 0) component_up(c);
}

// A proxy renews its workload certificate from the istiod that configures it, at half life; while
// istiod is away it keeps the certificate it has and retries with a growing back-off.
void Simulation::on(const CertRenewal& e) {
  MeshProxy& proxy = w_.proxies[e.proxy];
  const Cluster& primary = w_.clusters[w_.clusters[proxy.cluster].configured_by];
  const auto& mesh = w_.config.mesh;
  if (w_.is_up(primary.istiod) && reachable(primary.region, proxy.region)) {
    proxy.cert_expires = engine_.now() + mesh.workload_cert_ttl;
    proxy.cert_retry = sim::Duration::zero();
    engine_.schedule_after(mesh.workload_cert_ttl / 2, CertRenewal{e.proxy});
    return;
  }
  proxy.cert_retry = std::min(mesh.cert_retry_max, std::max<sim::Duration>(std::chrono::seconds{1}, 2 * proxy.cert_retry));
  engine_.schedule_after(proxy.cert_retry, CertRenewal{e.proxy});
}

// Region-to-region latencies over the links that are up, with the active degradations added.
void Simulation::recompute_latencies() {
  std::vector<ComponentId> down, regions;
  for (ComponentId link : w_.backbone_links)
    if (!w_.is_up(link)) down.push_back(link);
  std::vector<std::pair<ComponentId, topology::LinkLatency>> added;
  for (const Fault& f : w_.faults)
    if (f.active && f.kind == config::FaultKind::BackboneDegradation) added.emplace_back(f.root, f.added);
  for (const Region& r : w_.regions) regions.push_back(r.component);
  w_.latencies = w_.graph.region_latencies(regions, down, added);
  // The gateway's proxies fill the closest region first, and Cloud DNS answers the nearest VIP, by
  // the latencies as they are now.
  for (GatewayTier& tier : w_.tiers) {
    tier.region_order = w_.latencies.by_distance_from(tier.region);
    for (GatewayBackends& gb : tier.backend_services) gb.shares_dirty = true;
  }
  for (Client& client : w_.clients)
    if (!client.region_order.empty()) client.region_order = w_.latencies.by_distance_from(client.region);
}

// Gray failures and overloads change no up/down state: their pods keep running and passing their
// probes, and answer a share of requests with 503 or answer late. Overlapping gray failures
// combine as independent draws; added latencies add up.
void Simulation::update_workload_effects(const Fault& changed) {
  for (ComponentId c : changed.reach) {
    const ComponentRef& ref = w_.refs[c.index()];
    if (ref.kind != Kind::Pod && ref.kind != Kind::WaypointReplica) continue;
    double survive = 1.0;
    sim::Duration added{};
    for (const Fault& f : w_.faults) {
      if (!f.active || (f.kind != config::FaultKind::GrayFailure && f.kind != config::FaultKind::WaypointOverload)) continue;
      if (std::find(f.reach.begin(), f.reach.end(), c) == f.reach.end()) continue;
      if (f.kind == config::FaultKind::GrayFailure) survive *= 1.0 - f.error_rate;
      added += f.added.latency;
    }
    w_.workloads[ref.index].error_rate = 1.0 - survive;
    w_.workloads[ref.index].added_latency = added;
  }
}

// A crashed ztunnel resets every connection through it: the requests its pods were serving fail.
void Simulation::drop_calls_on_node(std::uint32_t node) {
  for (std::uint32_t wi : w_.clusters[w_.nodes[node].cluster].workloads)
    if (w_.workloads[wi].node == node && w_.workloads[wi].kind == WorkloadKind::Pod) crash_pod(wi);
}

void Simulation::component_down(ComponentId c) {
  const ComponentRef& ref = w_.refs[c.index()];
  switch (ref.kind) {
    case Kind::Node: w_.nodes[ref.index].down_since = engine_.now(); break;
    case Kind::Pod: crash_pod(ref.index); break;
    case Kind::GatewayProxyTier: w_.tiers[ref.index].up_history.emplace_back(engine_.now(), false); break;
    case Kind::DatabaseInstance: database_instance_down(w_.databases[ref.index], c); break;
    case Kind::BackboneLink: recompute_latencies(); break;
    case Kind::Ztunnel: drop_calls_on_node(ref.index); break;
    case Kind::Region: case Kind::Zone: case Kind::Cluster: case Kind::Istiod:
    case Kind::WaypointReplica: case Kind::Gateway:
      break;  // the data path checks these when it uses them
  }
}

void Simulation::component_up(ComponentId c) {
  const ComponentRef& ref = w_.refs[c.index()];
  const sim::Duration delay = w_.config.mesh.push_delay;
  switch (ref.kind) {
    case Kind::Ztunnel: engine_.schedule_after(delay, ProxyResync{w_.nodes[ref.index].ztunnel_proxy}); break;
    case Kind::WaypointReplica: {
      // A restarted Envoy starts afresh: no outlier history, no counters; it gets the endpoints
      // from istiod.
      MeshProxy& envoy = w_.proxies[w_.workloads[ref.index].proxy];
      envoy.upstream->reset();
      for (auto& checker : envoy.active_checks) checker = health::EnvoyActiveHealthChecker(checker.config());
      engine_.schedule_after(delay, ProxyResync{w_.workloads[ref.index].proxy});
      break;
    }
    case Kind::Istiod:
      // A returning istiod sends each of its proxies the full, current state.
      for (std::uint32_t p : w_.clusters[ref.index].proxies) engine_.schedule_after(delay, ProxyResync{p});
      break;
    case Kind::GatewayProxyTier: w_.tiers[ref.index].up_history.emplace_back(engine_.now(), true); break;
    case Kind::BackboneLink:
      recompute_latencies();
      // Proxies cut off from their primary's istiod catch up once they can reach it again.
      for (std::uint32_t p = 0; p < w_.proxies.size(); ++p)
        if (w_.clusters[w_.clusters[w_.proxies[p].cluster].configured_by].region != w_.proxies[p].region)
          engine_.schedule_after(delay, ProxyResync{p});
      break;
    case Kind::Region: case Kind::Zone: case Kind::Cluster: case Kind::Node: case Kind::Pod: case Kind::Gateway:
    case Kind::DatabaseInstance:
      break;  // a returning database instance rejoins as a replica
  }
}

// Every call the pod holds or queues is lost (it crashed, or its connections were reset). On a live
// node the peer sees a reset at once; on a dead node nothing answers and callers wait for their deadline.
void Simulation::crash_pod(std::uint32_t workload) {
  Workload& wl = w_.workloads[workload];
  const bool blackhole = !node_up(wl);
  std::vector<std::uint32_t> lost;
  for (std::uint32_t i = wl.active_head; i != kNone; i = calls_[i].next_active) lost.push_back(i);
  for (std::uint32_t k = 0; k < wl.queue_size; ++k) lost.push_back(wl.queue[(wl.queue_head + k) % wl.queue.size()]);
  for (std::uint32_t i : lost) {
    Call& call = calls_[i];
    call.holds_slot = false;
    call.prev_active = call.next_active = kNone;
    if (blackhole) {
      lose(i, Failure::ConnectTimeout, call.deadline);
    } else {
      answer(i, Failure::ConnectionRefused);
    }
  }
  wl.busy = 0;
  wl.queue_head = wl.queue_size = 0;
  wl.active_head = kNone;
}

void Simulation::on(const StepFinalize&) {
  while (metrics_.finalize_due(engine_.now())) close_breakdown_step(metrics_.next_to_finalize() - 1);
  // Pods count requests in the step they arrive: earlier steps are complete.
  close_service_steps_before(metrics_.step_of(engine_.now()));
}

void Simulation::close_breakdown_step(std::size_t step) {
  for (std::size_t g = 0; g < breakdown_requests_.size(); ++g) {
    std::uint64_t& requests = breakdown_ring_requests_[ring_slot(g, step)];
    std::uint64_t& good = breakdown_ring_good_[ring_slot(g, step)];
    breakdown_requests_[g].push_back(requests);
    breakdown_good_[g].push_back(good);
    requests = good = 0;
  }
}

void Simulation::close_service_steps_before(std::size_t step) {
  for (step = std::min(step, service_steps_); service_closed_ < step; ++service_closed_) {
    for (std::size_t i = 0; i < service_series_.size(); ++i) {
      std::uint64_t& count = service_ring_[ring_slot(i, service_closed_)];
      service_series_[i].push_back(count);
      count = 0;
    }
  }
}

}  // namespace models
