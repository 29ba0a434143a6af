#include "models/metrics/metrics.hpp"

#include <algorithm>
#include <bit>

#include "models/subsystems.hpp"
#include "models/metrics/fault_impact.hpp"
#include "models/metrics/warnings.hpp"
#include "models/routing/retry_backoff.hpp"

namespace models::metrics {

namespace {

std::size_t step_count(const config::ScenarioConfig& c) {
  return static_cast<std::size_t>((c.run.duration.count() + c.run.step.count() - 1) / c.run.step.count());
}

// The longest a client request can wait for its answer: steps are closed only after it. A
// retrying client's request lasts up to its attempts, each at most a deadline plus the slowest way
// the client can learn of a failure (its connection to a dead VIP, the gateway's to a partitioned
// region), with the longest back-offs between them.
sim::Duration longest_deadline(const Fleet& fleet) {
  sim::Duration longest = fleet.config.gateway.timeout;
  for (const Route& r : fleet.routes) longest = std::max(longest, r.timeout);
  sim::Duration farthest{};
  for (const auto& row : fleet.latencies.latency)
    for (const sim::Duration d : row)
      if (d != sim::Duration::max()) farthest = std::max(farthest, d);
  sim::Duration request = longest;
  for (const Client& c : fleet.clients) {
    if (!c.retries) continue;
    const sim::Duration to_proxy = c.access_latency + farthest + fleet.config.gateway.proxy_latency;
    const sim::Duration attempt = longest + fleet.config.gateway.connect_timeout + 2 * to_proxy;
    const sim::Duration backoff = c.retries->max_backoff.value_or(routing::kDefaultRetryBackoffMaxFactor * c.retries->backoff);
    const auto retries = static_cast<std::int64_t>(c.retries->attempts) - 1;
    request = std::max(request, attempt * (retries + 1) + backoff * retries);
  }
  return request;
}

// As results.json names them.
const char* to_string(Reaction reaction) {
  switch (reaction) {
    case Reaction::GatewayHealthCheck: return "gateway_health_check";
    case Reaction::GatewayOutlierEjection: return "gateway_outlier_ejection";
    case Reaction::WaypointOutlierEjection: return "waypoint_outlier_ejection";
    case Reaction::WaypointHealthCheck: return "waypoint_health_check";
    case Reaction::EndpointRemoved: return "endpoint_removed";
    case Reaction::NegEndpointRemoved: return "neg_endpoint_removed";
    case Reaction::DnsAnswerChanged: return "dns_answer_changed";
  }
  return "unknown";
}

}  // namespace

Metrics::Metrics(Subsystems& s)
    : s_(s),
      routes_(s.fleet.routes.size()),
      services_(s.fleet.services.size()),
      regions_(s.fleet.regions.size()),
      requests_(s.fleet.clients.size(), s.fleet.regions.size(), s.fleet.config.run.step, step_count(s.fleet.config),
                longest_deadline(s.fleet), s.fleet.config.slo.latency),
      horizon_(requests_.finalize_time(requests_.steps() - 1)),
      saturation_(s.fleet, s.fleet.config.run.step, requests_.step_of(horizon_) + 1, std::bit_ceil(requests_.ring_size())),
      attribution_(s.fleet.clients.size(), s.fleet.routes.size(), s.fleet.services.size(), s.fleet.clusters.size()) {
  service_steps_ = requests_.step_of(horizon_) + 1;
  ring_ = std::bit_ceil(requests_.ring_size());
  service_ring_.assign(services_ * regions_ * ring_, 0);
  service_series_.resize(services_ * regions_);
  const std::size_t groups = routes_ + services_ + s.fleet.clusters.size();
  breakdown_ring_requests_.assign(groups * ring_, 0);
  breakdown_ring_good_.assign(groups * ring_, 0);
  breakdown_requests_.resize(groups);
  breakdown_good_.resize(groups);
  breakdown_latency_.resize(groups);
}

void Metrics::start() { s_.engine.schedule_periodic(requests_.finalize_time(0), s_.fleet.config.run.step, StepFinalize{}); }

void Metrics::success(std::uint32_t client, std::size_t step, sim::Duration latency, std::uint32_t route,
                      std::uint32_t service, std::uint32_t cluster, faults::CauseId cause) {
  requests_.success(client, step, latency);
  if (cause != faults::kNoCause && latency > s_.fleet.config.slo.latency)
    attribution_.bad(cause, client, step, /*failed=*/false, RequestPlace{route, service, cluster});
  for (const std::size_t g : {std::size_t{route}, service_group(service), cluster_group(cluster)}) {
    if (latency <= s_.fleet.config.slo.latency) ++breakdown_ring_good_[ring_slot(g, step)];
    breakdown_latency_[g].record(latency);
  }
}

void Metrics::reacted(Reaction reaction, faults::CauseId cause) {
  reactions_.push_back({s_.engine.now().since_start(), to_string(reaction), {}});
  reaction_causes_.push_back(cause);
}

void Metrics::on(const StepFinalize&) {
  while (requests_.finalize_due(s_.engine.now())) close_breakdown_step(requests_.next_to_finalize() - 1);
  // Pods count requests in the step they arrive: earlier steps are complete.
  close_service_steps_before(requests_.step_of(s_.engine.now()));
  saturation_.close_steps_before(requests_.step_of(s_.engine.now()));
}

void Metrics::close_breakdown_step(std::size_t step) {
  for (std::size_t g = 0; g < breakdown_requests_.size(); ++g) {
    std::uint64_t& requests = breakdown_ring_requests_[ring_slot(g, step)];
    std::uint64_t& good = breakdown_ring_good_[ring_slot(g, step)];
    breakdown_requests_[g].push_back(requests);
    breakdown_good_[g].push_back(good);
    requests = good = 0;
  }
}

void Metrics::close_service_steps_before(std::size_t step) {
  for (step = std::min(step, service_steps_); service_closed_ < step; ++service_closed_) {
    for (std::size_t i = 0; i < service_series_.size(); ++i) {
      std::uint64_t& count = service_ring_[ring_slot(i, service_closed_)];
      service_series_[i].push_back(count);
      count = 0;
    }
  }
}

models::results::RunResult Metrics::results(std::uint64_t events) {
  while (requests_.finalize_due(horizon_)) close_breakdown_step(requests_.next_to_finalize() - 1);
  close_service_steps_before(service_steps_);
  saturation_.close_steps_before(service_steps_);

  const Fleet& fleet = s_.fleet;
  const auto& cfg = fleet.config;
  models::results::RunResult out;
  out.scenario = cfg.name;
  out.seed = cfg.run.seed;
  out.duration = cfg.run.duration;
  out.step = cfg.run.step;
  out.slo_availability = cfg.slo.availability;
  out.slo_latency = cfg.slo.latency;
  for (const Region& r : fleet.regions) out.regions.push_back(r.name);
  for (const char* name : traffic::kFailureNames) out.failure_reasons.emplace_back(name);
  for (const Client& c : s_.fleet.clients) out.client_retries = out.client_retries || c.retries.has_value();
  std::vector<std::string> names, regions;
  for (const Client& c : fleet.clients) {
    names.push_back(c.name);
    regions.push_back(fleet.regions[c.region].name);
  }
  requests_.move_into(out, names, regions);
  s_.faults.add_records(out, horizon_);
  // Requests that reached each service's pods, per region and step (the failover inside the mesh).
  for (std::uint32_t sv = 0; sv < services_; ++sv) {
    models::results::ServiceLoad load;
    load.service = fleet.services[sv].name;
    for (std::uint32_t r = 0; r < regions_; ++r) load.requests_by_region.push_back(std::move(service_series_[sv * regions_ + r]));
    out.services.push_back(std::move(load));
  }
  saturation_.move_into(out.services);
  s_.databases.add_results(out, horizon_);
  add_breakdowns(out);
  const faults::CauseSets& sets = s_.blame.sets();
  for (std::size_t i = 0; i < reactions_.size(); ++i) {
    const auto faults = sets.faults(reaction_causes_[i]);
    reactions_[i].faults.assign(faults.begin(), faults.end());
  }
  out.reactions = std::move(reactions_);
  {
    std::vector<std::string> routes, services, clusters;
    for (const Route& r : fleet.routes) routes.push_back(r.name);
    for (const Service& s : fleet.services) services.push_back(s.name);
    for (const Cluster& c : fleet.clusters) clusters.push_back(c.name);
    out.causes = attribution_.buckets(sets, routes, services, clusters);
  }
  add_topology(out);
  models::metrics::measure_fault_impact(out, models::metrics::ImpactOptions{cfg.slo.window, cfg.slo.hold, 0.05});
  out.warnings = run_warnings(out, estimate_capacity(fleet));
  out.events = events;
  return out;
}

// Per route, entry service and serving cluster.
void Metrics::add_breakdowns(models::results::RunResult& out) {
  const Fleet& fleet = s_.fleet;
  const auto add = [&](const char* dimension, std::size_t first, const auto& names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      models::results::Breakdown b;
      b.dimension = dimension;
      b.name = names[i];
      b.requests = std::move(breakdown_requests_[first + i]);
      b.good = std::move(breakdown_good_[first + i]);
      const auto& h = breakdown_latency_[first + i];
      b.latency = models::results::LatencySummary{h.quantile(0.50), h.quantile(0.90), h.quantile(0.99), h.quantile(0.999), h.max(), h.mean()};
      out.breakdowns.push_back(std::move(b));
    }
  };
  std::vector<std::string> route_names, service_names, cluster_names;
  for (const Route& r : fleet.routes) route_names.push_back(r.name);
  for (const Service& s : fleet.services) service_names.push_back(s.name);
  for (const Cluster& c : fleet.clusters) cluster_names.push_back(c.name);
  add("route", 0, route_names);
  add("service", service_group(0), service_names);
  add("cluster", cluster_group(0), cluster_names);
}

// The fleet's topology (regions, their clusters and services, the backbone), for drawing it.
void Metrics::add_topology(models::results::RunResult& out) const {
  const Fleet& fleet = s_.fleet;
  for (const Region& region : fleet.regions) {
    models::results::TopologyRegion tr{region.name, region.gateway_tier != kNone, {}};
    for (std::uint32_t c : region.clusters) {
      const Cluster& cluster = fleet.clusters[c];
      models::results::TopologyCluster tc{cluster.name, static_cast<std::uint32_t>(cluster.nodes.size()), c == fleet.config_cluster,
                              cluster.configured_by == c, {}};
      for (const Service& s : fleet.services)
        if (std::any_of(s.pods.begin(), s.pods.end(), [&](std::uint32_t p) { return fleet.workloads[p].cluster == c; }))
          tc.services.push_back(s.name);
      tr.clusters.push_back(std::move(tc));
    }
    out.topology.regions.push_back(std::move(tr));
  }
  for (const auto& link : fleet.config.backbone) out.topology.backbone.push_back({link.from, link.to, link.latency});
}

}  // namespace models::metrics
