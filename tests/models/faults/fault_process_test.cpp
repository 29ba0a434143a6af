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
