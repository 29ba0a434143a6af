#pragma once
// One run of a scenario: the subsystems (subsystems.hpp), wired together, and the run loop that
// hands each event to the subsystem that owns it.

#include <functional>
#include <memory>

#include "models/subsystems.hpp"
#include "models/world.hpp"
#include "models/results/run_result.hpp"

namespace models {

class Simulation {
 public:
  explicit Simulation(World world);
  ~Simulation();

  /// Called at least every simulated second during run() with the simulated time reached and the
  /// end time. It may throw to abandon the run (faultline does on Ctrl-C).
  using Progress = std::function<void(sim::SimTime now, sim::SimTime end)>;

  /// Runs arrivals over [0, duration), then until every request has an outcome.
  models::results::RunResult run(const Progress& progress = {});

  /// For tests: handles the events up to `until` (starting the run first), then stops, so that
  /// subsystems() can be looked at in between. run() cannot follow.
  void run_until(sim::SimTime until);
  const Subsystems& subsystems() const { return *parts_; }

  const Fleet& fleet() const { return parts_->fleet; }
  std::uint64_t events_processed() const { return parts_->engine.events_processed(); }

 private:
  void dispatch(const Event& event);

  // Subsystems hold references to each other: they stay where they are built.
  std::unique_ptr<Subsystems> parts_;
  bool started_ = false;
};

}  // namespace models
