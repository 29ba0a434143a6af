// Stochastic failure processes: timelines drawn once, per component, from named streams.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/world.hpp"

using namespace std::chrono_literals;

namespace {

std::string fleet(const std::string& processes, int nodes = 20) {
  return R"({
    "faultline": 1, "name": "mttf", "run": { "duration": "100h", "step": "1m", "seed": 21 },
    "regions": [ { "name": "r1", "zones": ["r1-a", "r1-b"], "clusters": [ { "name": "c1", "nodes": )" +
         std::to_string(nodes) + R"(, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2 } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "1/s" } ],
    "fault_processes": )" + processes + " }";
}

models::World world_of(const std::string& text) {
  auto scenario = models::config::validate(models::config::parse_scenario(text, "inline.json"));
  return models::build_world(scenario, scenario.config().run.seed);
}

// Share of component-time spent down, over the run, for faults whose id starts with `prefix`.
double downtime_share(const models::World& w, const std::string& prefix, int components) {
  double down = 0;
  const double run = sim::to_seconds(w.config.run.duration);
  for (const auto& f : w.faults) {
    if (f.id.rfind(prefix, 0) != 0) continue;
    const double start = sim::to_seconds(f.start.since_start());
    const double end = std::min(run, sim::to_seconds(f.end->since_start()));
    down += end - start;
  }
  return down / (run * components);
}

}  // namespace

TEST_CASE("Fault processes: down time converges to MTTR / (MTTF + MTTR)", "[models][faults]") {
  // 20 nodes x 100 h, MTTF 1h, MTTR 15m: down 0.25 / 1.25 = 20% of the time, about 1600 failures.
  const auto exp = world_of(fleet(R"([ { "id": "nodes", "components": "nodes", "mttf": "1h", "mttr": "15m" } ])"));
  CHECK(downtime_share(exp, "nodes/", 20) == Approx(0.20).margin(0.015));
  CHECK(exp.faults.size() > 1400);
  CHECK(exp.faults.size() < 1800);
  CHECK(exp.faults.front().kind == models::config::FaultKind::NodeCrash);
  // Weibull with shape 2 and the same means: the same long-run share.
  const auto weibull = world_of(fleet(
      R"([ { "id": "nodes", "components": "nodes", "distribution": "weibull", "shape": 2, "mttf": "1h", "mttr": "15m" } ])"));
  CHECK(downtime_share(weibull, "nodes/", 20) == Approx(0.20).margin(0.015));
}

TEST_CASE("Fault processes: each component draws from its own stream", "[models][faults]") {
  const std::string nodes = R"({ "id": "nodes", "components": "nodes", "mttf": "1h", "mttr": "15m" })";
  const auto alone = world_of(fleet("[" + nodes + "]", 20));
  // Another process, and more nodes: node-3's failures stay exactly where they were.
  const auto more = world_of(fleet("[" + nodes + R"(, { "id": "pods", "components": "pods", "mttf": "2h", "mttr": "1m" } ])", 25));
  auto times_of = [](const models::World& w, const std::string& target) {
    std::vector<std::int64_t> out;
    for (const auto& f : w.faults)
      if (f.target == target && f.id.rfind("nodes/", 0) == 0) out.push_back(f.start.ns());
    return out;
  };
  const auto a = times_of(alone, "c1/node-3");
  CHECK(a.size() > 50);
  CHECK(a == times_of(more, "c1/node-3"));
}

// Fuzz findings: a fault's end beyond the int64 nanoseconds overflowed (UB), a tiny Weibull shape
// made every lifetime 1 ns (a hang), and a lifetime beyond the clock became 1 ns.
TEST_CASE("Fault processes: lifetimes beyond the nanosecond clock end after the run", "[models][faults]") {
  const auto w = world_of(fleet(R"([ { "id": "never", "components": "nodes", "mttf": "106751d", "mttr": "106751d" } ])"));
  CHECK(w.faults.empty());
}

TEST_CASE("Fault processes: drawing more than a million failures is a scenario error", "[models][faults]") {
  // Shape 0.001: Gamma(1 + 1/k) overflows, every lifetime is 1 ns although the mean is an hour.
  const std::string text =
      fleet(R"([ { "id": "flaky", "components": "nodes", "distribution": "weibull", "shape": 0.001, "mttf": "1h", "mttr": "1h" } ])", 1);
  try {
    world_of(text);
    FAIL("no ScenarioError");
  } catch (const models::config::ScenarioError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].pointer == "/fault_processes/0");
    CHECK(error.issues()[0].message ==
          "expected at most 1000000 failures drawn by all fault processes, found more with seed 21: lengthen mttf or "
          "mttr, raise the Weibull shape, or shorten the run");
  }
}

TEST_CASE("Faults: an end beyond the nanosecond clock is held at its maximum", "[models][faults]") {
  const std::string text = R"({
    "faultline": 1, "name": "long", "run": { "duration": "106751d", "step": "1d" },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "config_cluster": true } ] } ],
    "services": [ { "name": "web" } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "1/s" } ],
    "faults": [ { "id": "f", "kind": "region-outage", "target": "r1", "at": "106750d", "for": "106751d" } ] })";
  const auto w = world_of(text);
  REQUIRE(w.faults.size() == 1);
  CHECK(w.faults[0].start.since_start() == std::chrono::duration_cast<sim::Duration>(106750 * 24h));
  CHECK(w.faults[0].end == sim::SimTime::max());
}
