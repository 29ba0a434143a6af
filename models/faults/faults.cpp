#include "models/faults/faults.hpp"

#include <algorithm>

#include "models/faults/catalogue.hpp"
#include "models/faults/crash_loop_backoff.hpp"
#include "models/subsystems.hpp"

namespace models::faults {

Faults::Faults(Subsystems& s, std::vector<Fault> faults) : s_(s), faults_(std::move(faults)) {}

void Faults::start() {
  const sim::SimTime horizon = s_.metrics.horizon();
  for (std::uint32_t f = 0; f < faults_.size(); ++f) {
    s_.engine.schedule_at(faults_[f].start, FaultStart{f});
    if (faults_[f].end && *faults_[f].end < horizon) s_.engine.schedule_at(*faults_[f].end, FaultEnd{f});
  }
}

void Faults::on(const FaultStart& e) {
  faults_[e.fault].active = true;
  s_.blame.fault_started(e.fault);
  row(faults_[e.fault].kind).start(s_, e.fault);
}

void Faults::on(const FaultEnd& e) {
  faults_[e.fault].active = false;
  row(faults_[e.fault].kind).end(s_, e.fault);
  s_.blame.fault_ended(e.fault);
}

void Faults::take_down(Subsystems& s, std::uint32_t fault) { s.faults.hold(s.faults.faults_[fault]); }
void Faults::bring_back(Subsystems& s, std::uint32_t fault) { s.faults.release(s.faults.faults_[fault]); }

void Faults::crash_loop_started(Subsystems& s, std::uint32_t f) {
  Fault& fault = s.faults.faults_[f];
  s.faults.hold(fault);
  fault.crashes = 1;
  s.engine.schedule_after(crash_loop_backoff(1), FaultPhase{f});
}

// A crash loop: the kubelet restarts the container after CrashLoopBackOff's delay, it runs for
// `up_for`, crashes again, and waits twice as long (up to 5 minutes) before the next restart.
void Faults::on(const FaultPhase& e) {
  Fault& fault = faults_[e.fault];
  if (!fault.active) return;
  if (fault.holding) {
    release(fault);
    s_.engine.schedule_after(fault.up_for, FaultPhase{e.fault});
  } else {
    hold(fault);
    // The kubelet forgets the back-off of a container that ran 10 minutes without trouble.
    fault.crashes = fault.up_for >= kCrashLoopBackoffReset ? 1 : fault.crashes + 1;
    s_.engine.schedule_after(crash_loop_backoff(fault.crashes), FaultPhase{e.fault});
  }
}

// Each component the fault holds goes down with its first cause and comes back with its last;
// the change is announced to every listener (Subsystems::component_changed).
void Faults::hold(Fault& fault) {
  if (fault.holding) return;
  fault.holding = true;
  for (ComponentId c : fault.holds)
    if (s_.components.hold(c)) s_.component_changed(c, /*up=*/false);
}

void Faults::release(Fault& fault) {
  if (!fault.holding) return;
  fault.holding = false;
  for (ComponentId c : fault.holds)
    if (s_.components.release(c)) s_.component_changed(c, /*up=*/true);
}

void Faults::add_records(models::results::RunResult& out, sim::SimTime horizon) const {
  const topology::FleetGraph& graph = s_.fleet.graph;
  for (const Fault& f : faults_) {
    models::results::FaultRecord rec;
    rec.id = f.id;
    rec.kind = row(f.kind).name;
    rec.target = f.target;
    rec.service = f.service;
    rec.drawn = f.drawn;
    rec.process = f.process;
    rec.start = f.start.since_start();
    if (f.end && *f.end < horizon) rec.end = f.end->since_start();
    std::vector<std::uint64_t> by_kind(topology::kComponentKindCount, 0);
    for (ComponentId c : f.reach) {
      rec.reach_components.push_back(static_cast<std::uint32_t>(c.index()));
      rec.components.push_back(graph.name(c));
      ++by_kind[static_cast<std::size_t>(graph.kind(c))];
    }
    for (int k = 0; k < topology::kComponentKindCount; ++k)
      if (by_kind[k]) rec.components_by_kind.emplace_back(topology::to_string(static_cast<topology::ComponentKind>(k)), by_kind[k]);
    std::sort(rec.reach_components.begin(), rec.reach_components.end());
    out.faults.push_back(std::move(rec));
  }
}

}  // namespace models::faults
