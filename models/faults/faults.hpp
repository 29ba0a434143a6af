#pragma once
// The faults of a run, scripted and drawn: each starts and ends at its time, and its kind's
// catalogue row (catalogue.hpp) says what it takes down and which subsystem applies it.

#include <cstdint>
#include <vector>

#include "models/events.hpp"
#include "models/faults/fault.hpp"
#include "models/results/run_result.hpp"

namespace models {
struct Subsystems;
}

namespace models::faults {

class Faults {
 public:
  using Handles = EventList<FaultStart, FaultEnd, FaultPhase>;
  Faults(Subsystems& s, std::vector<Fault> faults);

  void start();
  void on(const FaultStart& e);
  void on(const FaultEnd& e);
  void on(const FaultPhase& e);

  const Fault& fault(std::uint32_t f) const { return faults_[f]; }
  /// Adds each fault, with its structural blast radius, to the run's results.
  void add_records(models::results::RunResult& out, sim::SimTime horizon) const;

  // Catalogue actions of this subsystem: take down what the fault holds, and bring it back; a
  // crash loop's first crash.
  static void take_down(Subsystems& s, std::uint32_t fault);
  static void bring_back(Subsystems& s, std::uint32_t fault);
  static void crash_loop_started(Subsystems& s, std::uint32_t fault);

 private:
  void hold(Fault& fault);
  void release(Fault& fault);

  Subsystems& s_;
  std::vector<Fault> faults_;
};

}  // namespace models::faults
