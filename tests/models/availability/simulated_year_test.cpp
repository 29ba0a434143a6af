// The simulated availability of a fleet whose failures are exponential and whose routing reacts
// fast agrees with the analytic one; the year's timeline is reproducible from the seed; fault
// processes over the new component classes and their targets.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "models/faults/catalogue.hpp"

#include "models/availability/client_paths.hpp"
#include "models/availability/failing_components.hpp"
#include "models/availability/simulated_year.hpp"
#include "models/availability/steady_state_availability.hpp"
#include "models/config/load_scenario.hpp"
#include "models/faults/build_faults.hpp"
#include "models/world.hpp"
#include "sim/replications.hpp"
#include "sim/statistics.hpp"

namespace {

// tests/data/availability-fast.json: two single-node regions whose gateway checks react within a
// second or two. Regions fail every 2 days for 12 hours on average (q = 0.2), region-a's gateway
// tier every 5 days for 6 hours (q = 6/126). Its clients enter at region-a's VIP: they need its
// tier, and a region with a pod (the backbone link never fails): A = (1 - q_tier)(1 - q_r1 q_r2).
models::config::ValidatedScenario fast_fleet() {
  return models::config::load_and_validate(std::string(FAULTLINE_SOURCE_DIR) + "/tests/data/availability-fast.json");
}

}  // namespace

TEST_CASE("Availability: a fast-routing fleet's simulated year agrees with the analytic availability", "[availability][simulation]") {
  const auto scenario = fast_fleet();
  const auto& config = scenario.config();
  models::World world = models::build_world(scenario, config.run.seed);
  const auto failing = models::availability::failing_components(world, config);
  REQUIRE(failing.ids.size() == 3);  // two regions, one gateway tier (the target's)
  const models::availability::ClientPaths paths(world, failing.ids);
  const auto analytic = models::availability::steady_state_availability(
      failing.rates, [&](std::span<const std::uint32_t> down) { return paths.success(0, down); });
  const double q_region = 12.0 / 60.0, q_tier = 6.0 / 126.0;
  CHECK(analytic.method == models::availability::Method::ExactChain);
  CHECK(std::abs(analytic.availability - (1 - q_tier) * (1 - q_region * q_region)) < 1e-9);

  models::availability::SpanPlan plan;
  plan.span = std::chrono::hours(24 * 365);
  plan.lead = std::chrono::seconds(30);
  plan.settle = models::availability::default_settle(config);
  plan.jobs = 2;
  std::vector<double> by_seed;
  for (std::uint64_t i = 0; i < 4; ++i) {
    const auto span = models::availability::simulate_span(config, sim::replication_seed(config.run.seed, i), plan);
    REQUIRE(span.groups.size() == 1);
    by_seed.push_back(span.groups[0].availability());
  }
  // The cut gaps had converged: a longer settle time (less cut) gives the same year within 1e-3.
  plan.settle = std::chrono::minutes(6);
  const auto longer = models::availability::simulate_span(config, config.run.seed, plan);
  CHECK(std::abs(longer.groups[0].availability() - by_seed[0]) < 1e-3);
  CHECK(longer.simulated > std::chrono::hours(24));  // it did run more

  const auto summary = sim::stats::summarize(by_seed);
  REQUIRE(summary.ci95);
  CAPTURE(by_seed, analytic.availability);
  CHECK(summary.ci95->lo <= analytic.availability);
  CHECK(analytic.availability <= summary.ci95->hi);
}

TEST_CASE("Availability: the year's failure timeline is reproducible from the seed, and episodes group overlapping failures", "[availability]") {
  const auto scenario = fast_fleet();
  auto config = scenario.config();
  config.run.duration = std::chrono::hours(24 * 365);
  config.run.step = config.run.duration;
  const auto year = models::config::validate(config);
  const auto a = models::build_world(year, 9).faults;
  const auto b = models::build_world(year, 9).faults;
  const auto c = models::build_world(year, 10).faults;
  REQUIRE(a.size() > 100);  // about 365 / 2.5 x 2 region failures and 365 / 5.25 tier failures
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].id == b[i].id);
    CHECK(a[i].start == b[i].start);
    CHECK(a[i].end == b[i].end);
    // Drawn times are whole milliseconds: they read as clock times.
    CHECK(a[i].start.since_start().count() % 1'000'000 == 0);
  }
  CHECK((a.size() != c.size() || a[0].start != c[0].start));
  for (const auto& f : a) CHECK((f.process == "regions" || f.process == "vip"));
  CHECK(std::all_of(a.begin(), a.end(), [](const auto& f) { return f.process != "vip" || f.target == "region-a"; }));

  const auto episodes = models::availability::episodes_of(a, std::chrono::minutes(2), config.run.duration);
  std::size_t grouped = 0;
  for (std::size_t e = 0; e < episodes.size(); ++e) {
    grouped += episodes[e].faults.size();
    if (e > 0) CHECK(episodes[e].start >= episodes[e - 1].end);  // disjoint
    for (std::uint32_t fi : episodes[e].faults) {
      CHECK(a[fi].start.since_start() >= episodes[e].start);
      CHECK(std::min(a[fi].end->since_start(), config.run.duration) + std::chrono::minutes(2) <= episodes[e].end);
    }
  }
  CHECK(grouped == a.size());
  CHECK(episodes.size() < a.size());  // some failures overlap
}

TEST_CASE("Fault processes: every new component class draws failures of its kind, restricted to its targets", "[availability][faults]") {
  const std::string text = R"({
    "faultline": 1, "name": "classes",
    "run": { "duration": "365d", "step": "1h", "seed": 3 },
    "regions": [
      { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 1, "config_cluster": true } ] },
      { "name": "r2", "zones": ["r2-a"], "clusters": [ { "name": "c2", "nodes": 1 } ] } ],
    "backbone": [ { "from": "r1", "to": "r2", "latency": "10ms" } ],
    "services": [ { "name": "web", "replicas_per_cluster": 1, "waypoint": { "replicas": 2 }, "database": "db" } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "5/s" } ],
    "databases": [ { "name": "db", "primary_region": "r1", "replica_regions": ["r2"] } ],
    "dns": { "policy": "geolocation" },
    "fault_processes": [
      { "id": "tiers", "components": "gateway_tiers", "mttf": "30d", "mttr": "1h" },
      { "id": "istiods", "components": "istiods", "targets": ["c2"], "mttf": "30d", "mttr": "1h" },
      { "id": "links", "components": "backbone_links", "mttf": "30d", "mttr": "1h" },
      { "id": "waypoints", "components": "waypoints", "targets": ["c1/web-waypoint"], "mttf": "30d", "mttr": "1h" },
      { "id": "dbs", "components": "databases", "mttf": "30d", "mttr": "1h" },
      { "id": "dns", "components": "dns", "mttf": "30d", "mttr": "1h" }
    ]
  })";
  const auto scenario = models::config::validate(models::config::parse_scenario(text, "classes.json"));
  const auto world = models::build_world(scenario, 3);
  std::map<std::string, std::set<std::string>> targets;
  std::map<std::string, std::set<std::string>> kinds;
  for (const auto& f : world.faults) {
    targets[f.process].insert(f.target);
    kinds[f.process].insert(std::string(models::faults::row(f.kind).name));
  }
  CHECK(targets["tiers"] == std::set<std::string>{"r1", "r2"});
  CHECK(kinds["tiers"] == std::set<std::string>{"gateway-tier-outage"});
  CHECK(targets["istiods"] == std::set<std::string>{"c2"});
  CHECK(kinds["istiods"] == std::set<std::string>{"istiod-outage"});
  CHECK(targets["links"] == std::set<std::string>{"r1/r2"});
  CHECK(kinds["links"] == std::set<std::string>{"backbone-partition"});
  CHECK(targets["waypoints"] == std::set<std::string>{"c1/web-waypoint-0", "c1/web-waypoint-1"});
  CHECK(kinds["waypoints"] == std::set<std::string>{"waypoint-crash"});
  CHECK(targets["dbs"] == std::set<std::string>{"db"});
  CHECK(kinds["dbs"] == std::set<std::string>{"database-primary-failure"});
  CHECK(targets["dns"] == std::set<std::string>{""});
  CHECK(kinds["dns"] == std::set<std::string>{"dns-outage"});
}
