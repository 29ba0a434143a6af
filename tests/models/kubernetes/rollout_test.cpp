// Rolling deploys (the bad-rollout fault, models/kubernetes/deployments): a Deployment of 8 pods
// replaced in the batches maxSurge and maxUnavailable allow (Kubernetes' defaults, 25% each: 2 and
// 2), each pod running the version it was created with; a version failing its readiness probe
// stalls the rollout; rollback_after rolls it back the same way.
#include <catch2/catch.hpp>

#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "models/world.hpp"
#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;

namespace {

std::string scenario(const std::string& fault_keys) {
  return R"({
    "faultline": 1, "name": "rollout",
    "run": { "duration": "400s", "step": "5s", "seed": 3 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 4, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 8, "concurrency": 10,
                    "service_time": { "dist": "constant", "value": "10ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "200/s" } ],
    "faults": [ { "id": "v2", "kind": "bad-rollout", "target": "c1/web", "at": "60s", "error_rate": 0.5)" + fault_keys + R"( } ] })";
}

models::Simulation simulation_of(const std::string& text) {
  auto validated = models::config::validate(models::config::parse_scenario(text, "inline.json"));
  return models::Simulation(models::build_world(validated, validated.config().run.seed));
}

using Counts = models::kubernetes::Deployments::Counts;

}  // namespace

TEST_CASE("bad-rollout: pods are replaced in the batches maxSurge and maxUnavailable allow", "[kubernetes][rollout][simulation]") {
  models::Simulation sim = simulation_of(scenario(""));
  const auto& deployments = sim.subsystems().deployments;
  REQUIRE(sim.fleet().deployments.size() == 1);
  // 8 pods and room for the rollout: 2 x (2 + 2) slots more.
  CHECK(sim.fleet().deployments[0].pods.size() == 16);
  sim.run_until(sim::SimTime::at(60s));
  // The first batch, at once: 2 new pods (maxSurge) and 2 old ones deleted (maxUnavailable), and
  // the controller's next sync fills the room the deleted ones left: 4 new pods starting, 6 old
  // running (the docs' "at most 125%, at least 75%").
  Counts c = deployments.counts(0);
  CHECK(c.original == 6);
  CHECK(c.rolled_out == 4);
  CHECK(c.available == 6);
  // Never more than replicas + maxSurge pods, never fewer than replicas - maxUnavailable available.
  bool done = false;
  for (int t = 61; t <= 300; ++t) {
    sim.run_until(sim::SimTime::at(std::chrono::seconds(t)));
    c = deployments.counts(0);
    INFO("t = " << t << " s: " << c.original << " original, " << c.rolled_out << " new, " << c.available << " available");
    CHECK(c.original + c.rolled_out <= 10);
    CHECK(c.available >= 6);
    if (c.original == 0 && c.available == 8 && !done) {
      done = true;
      // Two batches of 4 new pods, each starting in 30 s.
      CHECK(t == 60 + 2 * 30);
    }
  }
  CHECK(done);
  CHECK(c.rolled_out == 8);
}

TEST_CASE("bad-rollout: the new version fails error_rate of its requests, blamed on the rollout", "[kubernetes][rollout][simulation]") {
  const auto r = test_support::run_scenario_text(scenario(""));
  // Every pod runs the bad version from about 150 s to the end: half the requests fail.
  REQUIRE(r.faults.size() == 1);
  CHECK(r.faults[0].id == "v2");
  CHECK(r.all.totals.failed > 0);
  // Steps are 5 s: 200-300 s, all pods new: 50% of requests fail.
  std::uint64_t requests = 0, failed = 0;
  for (std::size_t k = 40; k < 60; ++k) {
    requests += r.all.series[k].counts.requests;
    failed += r.all.series[k].counts.failed;
  }
  CHECK(static_cast<double>(failed) / static_cast<double>(requests) == Approx(0.5).epsilon(0.05));
  // Before the rollout nothing fails.
  for (std::size_t k = 0; k < 12; ++k) CHECK(r.all.series[k].counts.failed == 0);
}

TEST_CASE("bad-rollout: a version failing its readiness probe stalls the rollout at maxSurge + maxUnavailable", "[kubernetes][rollout][simulation]") {
  models::Simulation sim = simulation_of(scenario(R"(, "health_checks": "fail")"));
  sim.run_until(sim::SimTime::at(300s));
  // The first batch's 4 new pods are never available, so the old ReplicaSet stops at replicas -
  // maxUnavailable and no pod more is created (replicas + maxSurge are alive).
  const Counts c = sim.subsystems().deployments.counts(0);
  CHECK(c.original == 6);
  CHECK(c.rolled_out == 4);
  CHECK(c.available == 6);
}

TEST_CASE("bad-rollout: rollback_after rolls back the same way", "[kubernetes][rollout][simulation]") {
  models::Simulation sim = simulation_of(scenario(R"(, "rollback_after": "150s")"));
  sim.run_until(sim::SimTime::at(209s));
  Counts c = sim.subsystems().deployments.counts(0);
  CHECK(c.original == 0);
  CHECK(c.rolled_out == 8);
  sim.run_until(sim::SimTime::at(210s));  // the rollback starts: the same first batch, backwards
  c = sim.subsystems().deployments.counts(0);
  CHECK(c.original == 4);
  CHECK(c.rolled_out == 6);
  sim.run_until(sim::SimTime::at(400s));
  c = sim.subsystems().deployments.counts(0);
  CHECK(c.original == 8);
  CHECK(c.rolled_out == 0);
  CHECK(c.available == 8);
}

TEST_CASE("bad-rollout: maxSurge and maxUnavailable take integers and percentages", "[kubernetes][rollout][simulation]") {
  // maxSurge 0, maxUnavailable 1: one pod at a time, never more than 8.
  models::Simulation sim = simulation_of(scenario(R"(, "maxSurge": 0, "maxUnavailable": 1)"));
  sim.run_until(sim::SimTime::at(60s));
  Counts c = sim.subsystems().deployments.counts(0);
  CHECK(c.original == 7);
  CHECK(c.rolled_out == 1);
  // maxSurge "50%": 4 new pods at once; maxUnavailable "0%": no old pod goes before a new one is available.
  models::Simulation surge = simulation_of(scenario(R"(, "maxSurge": "50%", "maxUnavailable": "0%")"));
  surge.run_until(sim::SimTime::at(60s));
  c = surge.subsystems().deployments.counts(0);
  CHECK(c.original == 8);
  CHECK(c.rolled_out == 4);
  CHECK(c.available == 8);
}
