// Throughput benchmark, run by hand (never as a test):
//   ./build/faultline_bench [SCENARIO] [REPEATS]
// Runs the scenario (default: scenarios/gke-ambient-3region.json) REPEATS times on one thread and
// reports simulated requests and events per wall-second, best and median.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "scenarios/gke-ambient-3region.json";
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  try {
    const auto scenario = models::config::load_and_validate(path);
    std::vector<double> req_rates, event_rates;
    for (int i = 0; i < repeats; ++i) {
      const auto start = std::chrono::steady_clock::now();
      models::Simulation sim(models::build_world(scenario, scenario.config().run.seed));
      const models::results::RunResult r = sim.run();
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      req_rates.push_back(static_cast<double>(r.all.totals.requests) / wall);
      event_rates.push_back(static_cast<double>(r.events) / wall);
      std::printf("run %d: %llu requests, %llu events, %.3f s wall: %.0f requests/s, %.0f events/s\n", i + 1,
                  static_cast<unsigned long long>(r.all.totals.requests), static_cast<unsigned long long>(r.events),
                  wall, req_rates.back(), event_rates.back());
    }
    std::sort(req_rates.begin(), req_rates.end());
    std::sort(event_rates.begin(), event_rates.end());
    std::printf("best: %.0f requests/s, %.0f events/s; median: %.0f requests/s, %.0f events/s\n", req_rates.back(),
                event_rates.back(), req_rates[req_rates.size() / 2], event_rates[event_rates.size() / 2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "faultline_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}
