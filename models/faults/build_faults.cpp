// Faults at build time: each scripted fault's target resolved to components of the fleet graph
// with what fails with them (its structural blast radius), and the timelines of fault processes
// drawn once, as ordinary faults.
#include "models/faults/build_faults.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/faults/catalogue.hpp"

namespace models::faults {

namespace {

/// a + b for durations >= 0, held at Duration::max() (about 292 years, later than any run ends)
/// instead of overflowing.
sim::Duration saturating_sum(sim::Duration a, sim::Duration b) {
  return b > sim::Duration::max() - a ? sim::Duration::max() : a + b;
}

/// Failures all fault processes together may draw: each is a Fault with its own blast radius.
/// The validator keeps the expected number far below (kMaxExpectedDrawnFailures per process);
/// a heavy-tailed Weibull (a small shape) can still draw many more, and then the scenario is
/// rejected rather than building for minutes or running out of memory.
constexpr std::size_t kMaxDrawnFailures = 1'000'000;

class FaultBuilder {
 public:
  FaultBuilder(World& w, const config::ScenarioConfig& cfg, std::uint64_t seed) : w_(w), cfg_(cfg), seed_(seed) {}

  void add_faults() {
    for (const auto& fc : cfg_.faults) {
      Fault f;
      f.id = fc.id;
      f.kind = fc.kind;
      f.target = fc.target;
      f.service = fc.service;
      f.start = sim::SimTime::at(fc.at);
      // Fuzz finding (fuzz_regressions/scenario/fault-end-beyond-int64.json): "at": "106750d", "for":
      // "106751d" overflowed the nanoseconds (UB). An end past the range ends after the run, as an end at
      // the maximum does.
      if (fc.duration) f.end = sim::SimTime::at(saturating_sum(fc.at, *fc.duration));
      const FaultKindRow& kind = row(fc.kind);
      // Only a kind that reads error_rate fails requests (config's default is 1).
      f.error_rate = (kind.parameters & kErrorRate) ? fc.error_rate : 0.0;
      f.added = topology::LinkLatency{fc.added_latency, fc.added_jitter, fc.loss};
      f.up_for = fc.up_for;
      f.max_surge = fc.max_surge;
      f.max_unavailable = fc.max_unavailable;
      f.min_ready_seconds = fc.min_ready_seconds;
      f.health_checks_fail = fc.health_checks_fail;
      if (kind.target == Target::CloudDns) {  // Cloud DNS is not part of the fleet graph
        w_.faults.push_back(std::move(f));
        continue;
      }
      // Each component the target names (a waypoint names all its replicas), and what fails with it.
      const std::vector<ComponentId> roots = resolve_targets(fc);
      f.root = roots.front();
      for (ComponentId root : roots)
        for (ComponentId c : w_.graph.failure_reach(root))
          if (std::find(f.reach.begin(), f.reach.end(), c) == f.reach.end()) f.reach.push_back(c);
      f.holds = kind.holds == Holds::Reach ? f.reach : kind.holds == Holds::Target ? roots : std::vector<ComponentId>{};
      w_.faults.push_back(std::move(f));
    }
    for (std::size_t p = 0; p < cfg_.fault_processes.size(); ++p) add_fault_process(p);
  }

  // A failure process becomes an ordinary fault timeline, drawn once here: each component of the
  // class (or of its targets) alternates up (time to failure) and down (time to repair) from the
  // start of the run, drawing from a stream named after the process and the component, so adding
  // a component changes no other component's failures.
  void add_fault_process(std::size_t p) {
    const config::FaultProcessConfig& process = cfg_.fault_processes[p];
    const config::FaultKind kind = process_fault_kind(process.components);
    const FaultKindRow& kind_row = row(kind);
    const sim::Duration end = cfg_.run.duration;
    for (const ComponentId component : process_components(process)) {
      // Named as a fault's target names it (a gateway tier by its region, an istiod by its cluster,
      // a link "<region>/<region>"); Cloud DNS, no component of the fleet graph, "cloud-dns".
      const bool dns = kind_row.target == Target::CloudDns;
      const std::string target = target_name(kind_row.target, component, dns ? std::string() : w_.graph.name(component));
      const std::string name = dns ? std::string("cloud-dns") : target;
      sim::RngStream stream(seed_, 0, "fault-process/" + process.id + "/" + name);
      // The same for every failure of the component.
      const std::vector<ComponentId> reach = dns ? std::vector<ComponentId>{} : w_.graph.failure_reach(component);
      sim::Duration t{};
      for (int n = 0;; ++n) {
        // Held at the maximum, like a fault's end: lifetimes near the limit of the nanoseconds would
        // overflow these sums.
        t = saturating_sum(t, lifetime(process, process.mean_time_to_failure, stream));
        if (t >= end) break;
        if (++drawn_failures_ > kMaxDrawnFailures) {
          throw config::ScenarioError(
              cfg_.file, {{"/fault_processes/" + std::to_string(p),
                           "expected at most " + std::to_string(kMaxDrawnFailures) +
                               " failures drawn by all fault processes, found more with seed " + std::to_string(seed_) +
                               ": lengthen mttf or mttr, raise the Weibull shape, or shorten the run"}});
        }
        const sim::Duration repair = lifetime(process, process.mean_time_to_repair, stream);
        Fault f;
        f.id = process.id + "/" + name + "#" + std::to_string(n);
        f.process = process.id;
        f.kind = kind;
        f.target = target;
        f.root = component;
        f.reach = reach;
        f.holds = kind_row.holds == Holds::Reach ? reach : kind_row.holds == Holds::Target ? std::vector<ComponentId>{component}
                                                                                             : std::vector<ComponentId>{};
        f.drawn = true;
        f.start = sim::SimTime::at(t);
        f.end = sim::SimTime::at(saturating_sum(t, repair));
        w_.faults.push_back(std::move(f));
        t = saturating_sum(t, repair);
      }
    }
  }

  // The components a process fails: its targets' (in their order, each once), or every component
  // of its class. Pod slots a Deployment has not created (autoscaling room) are left out: there is
  // nothing to fail until the autoscaler creates them.
  std::vector<ComponentId> process_components(const config::FaultProcessConfig& process) const {
    const config::FaultKind kind = process_fault_kind(process.components);
    std::vector<ComponentId> out;
    if (!process.targets.empty()) {
      for (const std::string& target : process.targets) {
        config::FaultConfig fc;
        fc.kind = kind;
        fc.target = target;
        for (ComponentId c : resolve_targets(fc))
          if (std::find(out.begin(), out.end(), c) == out.end() && !absent_pod(c)) out.push_back(c);
      }
      return out;
    }
    switch (process.components) {
      case config::ComponentClass::Pods:
        for (std::uint32_t wi = 0; wi < w_.workloads.size(); ++wi)
          if (w_.workloads[wi].kind == WorkloadKind::Pod && w_.starts_absent[wi] == 0) out.push_back(w_.workloads[wi].component);
        break;
      case config::ComponentClass::Waypoints:
        for (const Workload& wl : w_.workloads)
          if (wl.kind == WorkloadKind::WaypointReplica) out.push_back(wl.component);
        break;
      case config::ComponentClass::Nodes:
        for (const Node& n : w_.nodes) out.push_back(n.component);
        break;
      case config::ComponentClass::Clusters:
        for (const Cluster& c : w_.clusters) out.push_back(c.component);
        break;
      case config::ComponentClass::Istiods:
        for (std::uint32_t c = 0; c < w_.clusters.size(); ++c)
          if (w_.clusters[c].configured_by == c) out.push_back(w_.clusters[c].istiod);
        break;
      case config::ComponentClass::Zones:
        for (const Zone& z : w_.zones) out.push_back(z.component);
        break;
      case config::ComponentClass::Regions:
        for (const Region& r : w_.regions) out.push_back(r.component);
        break;
      case config::ComponentClass::GatewayTiers:
        for (const Region& r : w_.regions)
          if (r.gateway_tier != kNone) out.push_back(w_.tiers[r.gateway_tier].component);
        break;
      case config::ComponentClass::BackboneLinks: out = w_.backbone_links; break;
      case config::ComponentClass::Databases:
        for (const auto& db : w_.databases) out.push_back(db.instances.front());
        break;
      case config::ComponentClass::Dns: out.push_back(ComponentId{}); break;
    }
    return out;
  }

  bool absent_pod(ComponentId c) const {
    for (std::uint32_t wi = 0; wi < w_.workloads.size(); ++wi)
      if (w_.workloads[wi].component == c) return w_.starts_absent[wi] != 0;
    return false;
  }

  // A generated fault's target, named as a scripted fault of its kind names it.
  std::string target_name(Target target, ComponentId component, const std::string& graph_name) const {
    switch (target) {
      case Target::CloudDns: return "";
      case Target::GatewayTier:
        for (const Region& r : w_.regions)
          if (r.gateway_tier != kNone && w_.tiers[r.gateway_tier].component == component) return r.name;
        break;
      case Target::Istiod:
        for (const Cluster& c : w_.clusters)
          if (c.istiod == component) return c.name;
        break;
      case Target::BackboneLink:
        for (std::size_t l = 0; l < w_.backbone_links.size(); ++l)
          if (w_.backbone_links[l] == component) return w_.backbone_names[l];
        break;
      case Target::DatabasePrimary:
        for (std::size_t d = 0; d < w_.databases.size(); ++d)
          if (w_.databases[d].instances.front() == component) return cfg_.databases[d].name;
        break;
      default: break;
    }
    return graph_name;
  }

  // Exponential with the given mean, or Weibull with shape k scaled to that mean:
  // scale = mean / Gamma(1 + 1/k), and X = scale * (-ln(1 - U))^(1/k). Rounded to whole
  // milliseconds (at least 1 ms), so that generated faults' times read as clock times.
  static sim::Duration lifetime(const config::FaultProcessConfig& process, sim::Duration mean, sim::RngStream& rng) {
    const double mean_s = sim::to_seconds(mean);
    double seconds = 0;
    if (process.distribution == config::LifetimeDistribution::Exponential) {
      seconds = rng.exponential(mean_s);
    } else {
      const double k = process.shape;
      const double scale = mean_s / std::tgamma(1.0 + 1.0 / k);
      const double u = rng.uniform01();
      seconds = scale * std::pow(-std::log1p(-u), 1.0 / k);
    }
    // Seen in review while fuzzing: a lifetime beyond the int64 nanoseconds (a huge mean, or a tiny Weibull
    // shape's long tail) made llround's result unspecified, in practice the most negative value,
    // which became 1 ns. Clamped to [1 ms, Duration::max()] instead; NaN (0 x inf) is 1 ms.
    const double ms = seconds * 1e3;
    if (!(ms >= 1)) return sim::Duration{1'000'000};
    if (ms >= 9.2e12) return sim::Duration::max();
    return sim::Duration{static_cast<std::int64_t>(std::llround(ms)) * 1'000'000};
  }

  // The components a fault's target names: every replica of a waypoint; for a gray failure of one
  // service, that service's pods in the target (validate made sure there is one); else one.
  std::vector<ComponentId> resolve_targets(const config::FaultConfig& fc) const {
    // "<cluster>/<service>" (pod-crash, gray-failure): every pod of the service in the cluster.
    const Target target = row(fc.kind).target;
    if ((target == Target::Pod || target == Target::PodNodeOrCluster) && index_of(w_.workloads, fc.target) == kNone) {
      std::vector<ComponentId> pods;
      for (const Workload& wl : w_.workloads)
        if (wl.kind == WorkloadKind::Pod && w_.clusters[wl.cluster].name + "/" + w_.services[wl.service].name == fc.target &&
            (fc.service.empty() || w_.services[wl.service].name == fc.service))
          pods.push_back(wl.component);
      if (!pods.empty()) return pods;
    }
    if (row(fc.kind).target == Target::PodNodeOrCluster && !fc.service.empty()) {
      const std::uint32_t service = index_of(w_.services, fc.service);
      std::vector<ComponentId> pods;
      for (const Workload& wl : w_.workloads)
        if (wl.kind == WorkloadKind::Pod && wl.service == service &&
            (wl.name == fc.target || w_.nodes[wl.node].name == fc.target || w_.clusters[wl.cluster].name == fc.target))
          pods.push_back(wl.component);
      if (pods.empty()) throw std::logic_error("gray failure of service " + fc.service + " without a pod in " + fc.target);
      return pods;
    }
    if (row(fc.kind).target == Target::Deployment) {
      // Every pod slot of the service's Deployments in the cluster, or in every cluster of the region.
      std::vector<ComponentId> pods;
      for (const Deployment& d : w_.deployments) {
        const Cluster& cluster = w_.clusters[d.cluster];
        const std::string& service = w_.services[d.service].name;
        if (cluster.name + "/" + service != fc.target && w_.regions[cluster.region].name + "/" + service != fc.target) continue;
        for (std::uint32_t wi : d.pods) pods.push_back(w_.workloads[wi].component);
      }
      if (pods.empty()) throw std::logic_error("rollout target " + fc.target + " without a Deployment");
      return pods;
    }
    if (row(fc.kind).target == Target::Waypoint) {
      std::vector<ComponentId> replicas;
      for (const Workload& wl : w_.workloads)
        if (wl.kind == WorkloadKind::WaypointReplica &&
            (wl.name == fc.target ||
             w_.clusters[wl.cluster].name + "/" + w_.services[wl.service].name + "-waypoint" == fc.target))
          replicas.push_back(wl.component);
      return replicas;
    }
    return {resolve_target(fc)};
  }

  ComponentId resolve_target(const config::FaultConfig& fc) const {
    switch (row(fc.kind).target) {
      case Target::CloudDns:
      case Target::Waypoint:
      case Target::Deployment: return ComponentId{};  // handled by add_faults / resolve_targets
      case Target::Region: return w_.regions[index_of(w_.regions, fc.target)].component;
      case Target::GatewayTier: return w_.tiers[w_.regions[index_of(w_.regions, fc.target)].gateway_tier].component;
      case Target::Zone: return w_.zones[index_of(w_.zones, fc.target)].component;
      case Target::Cluster:
      case Target::ConfigCluster: return w_.clusters[index_of(w_.clusters, fc.target)].component;
      case Target::Istiod: return w_.clusters[index_of(w_.clusters, fc.target)].istiod;
      case Target::Node: return w_.nodes[index_of(w_.nodes, fc.target)].component;
      case Target::Ztunnel: return w_.nodes[index_of(w_.nodes, fc.target)].ztunnel;
      case Target::Pod:
      case Target::PodOrWaypoint: return w_.workloads[index_of(w_.workloads, fc.target)].component;
      case Target::PodNodeOrCluster:
        if (const std::uint32_t wl = index_of(w_.workloads, fc.target); wl != kNone) return w_.workloads[wl].component;
        if (const std::uint32_t n = index_of(w_.nodes, fc.target); n != kNone) return w_.nodes[n].component;
        return w_.clusters[index_of(w_.clusters, fc.target)].component;
      case Target::BackboneLink:
        for (std::size_t l = 0; l < cfg_.backbone.size(); ++l) {
          const auto& link = cfg_.backbone[l];
          if (link.from + "/" + link.to == fc.target || link.to + "/" + link.from == fc.target) return w_.backbone_links[l];
        }
        return ComponentId{};
      case Target::DatabasePrimary: return w_.databases[index_of(w_.databases, fc.target)].instances.front();
    }
    return ComponentId{};
  }

  World& w_;
  const config::ScenarioConfig& cfg_;
  std::uint64_t seed_;
  std::size_t drawn_failures_ = 0;
};

}  // namespace

void add_faults(World& world, const config::ScenarioConfig& cfg, std::uint64_t seed) { FaultBuilder(world, cfg, seed).add_faults(); }

std::vector<ProcessComponent> process_components(World& world, const config::ScenarioConfig& cfg) {
  const FaultBuilder builder(world, cfg, 0);
  std::vector<ProcessComponent> out;
  for (std::size_t p = 0; p < cfg.fault_processes.size(); ++p)
    for (const ComponentId c : builder.process_components(cfg.fault_processes[p])) out.push_back({p, c});
  return out;
}

}  // namespace models::faults
