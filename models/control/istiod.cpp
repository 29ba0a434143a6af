#include "models/control/istiod.hpp"

#include <algorithm>

#include "models/subsystems.hpp"

namespace models::control {

// Steady state at the start: every endpoint is known, and ready unless its pod is not yet created.
Istiod::Istiod(Subsystems& s)
    : s_(s), views_(s.fleet.proxies.size(), initial_readiness(s.fleet)), certs_(s.fleet.proxies.size()) {}

std::vector<std::uint8_t> Istiod::initial_readiness(const Fleet& fleet) {
  std::vector<std::uint8_t> ready(fleet.workloads.size());
  for (std::size_t wi = 0; wi < ready.size(); ++wi) ready[wi] = fleet.starts_absent[wi] != 0 ? 0 : 1;
  return ready;
}

// Workload certificates: each proxy's was issued at some point of its rotation (every half life)
// before the run, drawn from a stream of its own.
void Istiod::start() {
  const auto& cfg = s_.fleet.config;
  const sim::Duration ttl = cfg.mesh.workload_cert_ttl;
  for (std::uint32_t p = 0; p < s_.fleet.proxies.size(); ++p) {
    sim::RngStream stream(cfg.run.seed, 0, "certificate/" + s_.fleet.graph.name(s_.fleet.proxies[p].component));
    const sim::Duration age{static_cast<std::int64_t>(stream.uniform_below(static_cast<std::uint64_t>((ttl / 2).count())))};
    certs_[p].expires = sim::SimTime{} + (ttl - age);
    const sim::SimTime renew = sim::SimTime{} + (ttl / 2 - age);
    if (renew < s_.metrics.horizon()) s_.engine.schedule_at(renew, CertRenewal{p});
  }
}

void Istiod::endpoint_changed(std::uint32_t workload, bool ready) {
  const sim::SimTime now = s_.engine.now();
  for (std::uint32_t c : s_.fleet.istiod_clusters)
    if (s_.components.is_up(s_.fleet.clusters[c].istiod))
      s_.engine.schedule_at(now + s_.fleet.config.mesh.push_delay, EndpointPush{c, workload, ready});
}

void Istiod::endpoints_changed(std::uint32_t proxy) {
  if (s_.fleet.proxies[proxy].kind == ProxyKind::Waypoint) s_.waypoints.endpoints_changed(proxy);
}

void Istiod::on(const EndpointPush& e) {
  const Cluster& cluster = s_.fleet.clusters[e.from_cluster];
  if (!s_.components.is_up(cluster.istiod)) return;
  // A pod its Deployment deleted leaves on purpose: no reaction to a fault.
  if (!e.ready && !s_.kubernetes.deleted(e.workload))
    s_.metrics.reacted(metrics::Reaction::EndpointRemoved, s_.blame.workload(s_.fleet.workloads[e.workload]));
  reached_.clear();
  for (std::uint32_t p : cluster.proxies) {
    const MeshProxy& proxy = s_.fleet.proxies[p];
    // A remote cluster's proxies get nothing while the backbone cuts them off from their primary.
    if (!s_.components.is_up(proxy.component) || !s_.backbone.reachable(cluster.region, proxy.region)) continue;
    reached_.push_back(p);
  }
  views_.set(reached_, e.workload, e.ready);
  for (std::uint32_t p : reached_) endpoints_changed(p);
}

void Istiod::on(const ProxyResync& e) {
  const MeshProxy& proxy = s_.fleet.proxies[e.proxy];
  const Cluster& primary = s_.fleet.clusters[s_.fleet.clusters[proxy.cluster].configured_by];
  if (!s_.components.is_up(proxy.component) || !s_.components.is_up(primary.istiod) ||
      !s_.backbone.reachable(primary.region, proxy.region))
    return;
  std::vector<std::uint8_t> ready(s_.fleet.workloads.size());
  for (std::size_t wi = 0; wi < ready.size(); ++wi) ready[wi] = s_.kubernetes.ready(static_cast<std::uint32_t>(wi)) ? 1 : 0;
  views_.assign(e.proxy, ready);
  endpoints_changed(e.proxy);
}

// A proxy renews its workload certificate from the istiod that configures it, at half life; while
// istiod is away it keeps the certificate it has and retries with a growing back-off.
void Istiod::on(const CertRenewal& e) {
  const MeshProxy& proxy = s_.fleet.proxies[e.proxy];
  const Cluster& primary = s_.fleet.clusters[s_.fleet.clusters[proxy.cluster].configured_by];
  const auto& mesh = s_.fleet.config.mesh;
  Certificate& cert = certs_[e.proxy];
  if (s_.components.is_up(primary.istiod) && s_.backbone.reachable(primary.region, proxy.region)) {
    cert.expires = s_.engine.now() + mesh.workload_cert_ttl;
    cert.retry = sim::Duration::zero();
    s_.engine.schedule_after(mesh.workload_cert_ttl / 2, CertRenewal{e.proxy});
    return;
  }
  cert.retry = std::min(mesh.cert_retry_max, std::max<sim::Duration>(std::chrono::seconds{1}, 2 * cert.retry));
  s_.engine.schedule_after(cert.retry, CertRenewal{e.proxy});
}

void Istiod::resync_later(std::uint32_t proxy) { s_.engine.schedule_after(s_.fleet.config.mesh.push_delay, ProxyResync{proxy}); }

void Istiod::component_changed(const ComponentRef& ref, bool up) {
  if (!up) return;
  const Fleet& fleet = s_.fleet;
  switch (ref.kind) {
    case topology::ComponentKind::Ztunnel: resync_later(fleet.nodes[ref.index].ztunnel_proxy); break;
    case topology::ComponentKind::WaypointReplica: resync_later(fleet.workloads[ref.index].proxy); break;
    case topology::ComponentKind::Istiod:
      // A returning istiod sends each of its proxies the full, current state.
      for (std::uint32_t p : fleet.clusters[ref.index].proxies) resync_later(p);
      break;
    case topology::ComponentKind::BackboneLink:
      // Proxies cut off from their primary's istiod catch up once they can reach it again.
      for (std::uint32_t p = 0; p < fleet.proxies.size(); ++p)
        if (fleet.clusters[fleet.clusters[fleet.proxies[p].cluster].configured_by].region != fleet.proxies[p].region)
          resync_later(p);
      break;
    default: break;
  }
}

}  // namespace models::control
