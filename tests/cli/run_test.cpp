#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_test_support.hpp"

using nlohmann::json;
using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

namespace {

json run_and_load(const std::string& scenario, const std::string& extra, const ScratchDir& scratch,
                  const std::string& out_name) {
  const auto out_dir = scratch.path() / out_name;
  const auto r = run_faultline("run " + scenario + " --out '" + out_dir.string() + "' " + extra, scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return json::parse(slurp(out_dir / "results.json"));
}

// Success rate of one client group over the steps whose start lies in [from_s, to_s).
double success_rate(const json& series, double from_s, double to_s, const json& t) {
  std::uint64_t ok = 0, all = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double start = t[i].get<double>();
    if (start < from_s || start >= to_s) continue;
    ok += series["succeeded"][i].get<std::uint64_t>();
    all += series["requests"][i].get<std::uint64_t>();
  }
  REQUIRE(all > 0);
  return static_cast<double>(ok) / static_cast<double>(all);
}

double served_share(const json& series, const std::string& region, double from_s, double to_s, const json& t) {
  std::uint64_t here = 0, all = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double start = t[i].get<double>();
    if (start < from_s || start >= to_s) continue;
    here += series["served_by_region"][region][i].get<std::uint64_t>();
    all += series["requests"][i].get<std::uint64_t>();
  }
  REQUIRE(all > 0);
  return static_cast<double>(here) / static_cast<double>(all);
}

}  // namespace

TEST_CASE("faultline run: the same scenario and seed give byte-identical results.json", "[cli][e2e]") {
  ScratchDir scratch("determinism");
  for (const char* name : {"first", "second"}) {
    const auto r = run_faultline(std::string("run scenarios/small-2region.json --quiet --out '") +
                                     (scratch.path() / name).string() + "'",
                                 scratch);
    REQUIRE(r.status == 0);
  }
  const std::string first = slurp(scratch.path() / "first/results.json");
  const std::string second = slurp(scratch.path() / "second/results.json");
  REQUIRE(first.size() > 1000);
  CHECK(first == second);

  const auto r = run_faultline(std::string("run scenarios/small-2region.json --quiet --seed 8 --out '") +
                                   (scratch.path() / "other-seed").string() + "'",
                               scratch);
  REQUIRE(r.status == 0);
  const std::string other = slurp(scratch.path() / "other-seed/results.json");
  CHECK(other != first);
  CHECK(json::parse(other)["seed"] == 8);
}

TEST_CASE("faultline run: a run of more steps than stay in memory (series on disk) is complete and repeatable", "[cli][e2e]") {
  // 30 minutes at a 1 s step: 1,800 steps, beyond the 1,024 rows a series keeps in memory.
  ScratchDir scratch("long-series");
  const json first = run_and_load("scenarios/small-2region.json", "--quiet --duration 30m", scratch, "first");
  const json second = run_and_load("scenarios/small-2region.json", "--quiet --duration 30m", scratch, "second");
  CHECK(slurp(scratch.path() / "first/results.json") == slurp(scratch.path() / "second/results.json"));

  const json& t = first["series"]["t_s"];
  REQUIRE(t.size() == 1800);
  bool steps_in_order = true;
  for (std::size_t k = 0; k < t.size(); ++k) steps_in_order = steps_in_order && t[k].get<double>() == static_cast<double>(k);
  CHECK(steps_in_order);
  // The per-step columns, read back from disk, add up to the totals counted apart from them.
  std::uint64_t requests = 0, failed = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    requests += first["series"]["all"]["requests"][k].get<std::uint64_t>();
    failed += first["series"]["all"]["failed"][k].get<std::uint64_t>();
  }
  CHECK(requests == first["totals"]["requests"].get<std::uint64_t>());
  CHECK(failed == first["totals"]["failed"].get<std::uint64_t>());
  CHECK(requests > 300'000);
  for (const auto& route : first["breakdowns"]["route"]) {
    std::uint64_t sum = 0;
    for (const auto& v : route["series"]["requests"]) sum += v.get<std::uint64_t>();
    CHECK(route["series"]["requests"].size() == 1800);
    CHECK(sum == route["requests"].get<std::uint64_t>());
  }
  for (const auto& service : first["services"])
    for (const auto& [region, counts] : service["requests_by_region"].items()) CHECK(counts.size() >= 1800);
}

TEST_CASE("faultline run: results.json holds no wall-clock figures or host names", "[cli][e2e]") {
  ScratchDir scratch("no-wall-clock");
  const json doc = run_and_load("scenarios/small-2region.json", "--quiet", scratch, "out");
  const std::string text = doc.dump();
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  if (std::string(host).size() > 3) CHECK(text.find(host) == std::string::npos);
  for (const char* word : {"wall", "elapsed", "hostname", "date"}) CHECK(text.find(word) == std::string::npos);
}

TEST_CASE("faultline run: small scenario, a region outage hurts and then heals", "[cli][e2e]") {
  ScratchDir scratch("small-e2e");
  const json doc = run_and_load("scenarios/small-2region.json", "", scratch, "out");
  CHECK(doc["scenario"] == "small-2region");
  CHECK(doc["seed"] == 7);
  const json& t = doc["series"]["t_s"];
  REQUIRE(t.size() == 60);
  const json& clients = doc["series"]["clients"]["clients-region-a"];
  const std::uint64_t total = doc["totals"]["requests"].get<std::uint64_t>();
  // 200/s for 60 s: Poisson, so about 12000.
  CHECK(total > 11000);
  CHECK(total < 13000);
  CHECK(doc["totals"]["requests"] == doc["totals"]["succeeded"].get<std::uint64_t>() +
                                        doc["totals"]["failed"].get<std::uint64_t>());

  // Before the outage (0-20 s): everything succeeds, served in region-a. (A request sent in the
  // last second before 20 s may still be in flight when the region goes.)
  CHECK(success_rate(clients, 0, 19, t) == 1.0);
  CHECK(served_share(clients, "region-a", 0, 20, t) == 1.0);
  // The outage starts at 20 s; health checks (2 s interval, 1 s timeout, 2 failures) need 2-5 s
  // to take region-a out of rotation, so requests sent right after 20 s fail.
  CHECK(success_rate(clients, 20, 22, t) < 0.5);
  // Then the gateway sends everything to region-b and requests succeed again.
  CHECK(success_rate(clients, 26, 40, t) == 1.0);
  CHECK(served_share(clients, "region-b", 26, 40, t) == 1.0);
  // After the outage (40 s) traffic fails back to region-a once health checks pass again.
  CHECK(served_share(clients, "region-a", 46, 60, t) == 1.0);
  CHECK(success_rate(clients, 46, 60, t) == 1.0);

  // The fault timeline and its structural blast radius.
  REQUIRE(doc["faults"].size() == 1);
  const json& fault = doc["faults"][0];
  CHECK(fault["id"] == "a-down");
  CHECK(fault["start_s"] == 20.0);
  CHECK(fault["end_s"] == 40.0);
  const json& by_kind = fault["structural_blast_radius"]["by_kind"];
  CHECK(by_kind["cluster"] == 1);
  CHECK(by_kind["node"] == 2);
  CHECK(by_kind["pod"] == 4);       // web x2, api x2
  CHECK(by_kind["waypoint"] == 1);  // api's waypoint replica
  CHECK(by_kind["ztunnel"] == 2);
  CHECK(by_kind.contains("gateway-proxy-tier") == false);
}

TEST_CASE("faultline run: the default scenario shows the us-east1 outage and the failover", "[cli][e2e]") {
  ScratchDir scratch("default-e2e");
  // The outage starts at 3m; 4m of arrivals covers the drop and the recovery.
  const json doc = run_and_load("scenarios/gke-ambient-3region.json", "--duration 4m --quiet", scratch, "out");
  const json& t = doc["series"]["t_s"];
  const json& east = doc["series"]["clients"]["clients-us-east1"];
  const json& west = doc["series"]["clients"]["clients-us-west1"];
  CHECK(success_rate(east, 60, 180, t) > 0.999);
  CHECK(served_share(east, "us-east1", 60, 180, t) == 1.0);
  // The drop: requests sent as the outage begins fail until health checks react (10-15 s).
  CHECK(success_rate(east, 180, 190, t) < 0.8);
  // The recovery: us-east1's traffic moves to the next-closest region, us-central1.
  CHECK(success_rate(east, 200, 240, t) > 0.999);
  CHECK(served_share(east, "us-central1", 200, 240, t) > 0.99);
  // Other regions' clients are not hurt.
  CHECK(success_rate(west, 0, 240, t) > 0.999);
}

TEST_CASE("faultline run: adding an entity leaves every other entity's draws unchanged", "[cli][e2e]") {
  // A scenario with one more service (its own pods and random streams) that no one calls: the
  // traffic of the others must come out exactly the same, because each entity draws from its own
  // stream, keyed by its name.
  ScratchDir scratch("stream-independence");
  json scenario = json::parse(slurp(std::filesystem::path(FAULTLINE_SOURCE_DIR) / "scenarios/small-2region.json"),
                              nullptr, true, /*ignore_comments=*/true);
  scenario["services"].push_back(json{{"name", "batch"},
                                      {"replicas_per_cluster", 2},
                                      {"service_time", json{{"dist", "exponential"}, {"mean", "50ms"}}}});
  const auto extended = scratch.path() / "extended.json";
  std::ofstream(extended) << scenario.dump(2);
  const json base = run_and_load("scenarios/small-2region.json", "--quiet", scratch, "base");
  const std::string quoted = std::string("'").append(extended.string()).append("'");  // += : see atomic_file.cpp
  const json more = run_and_load(quoted, "--quiet", scratch, "more");
  CHECK(more["faults"][0]["structural_blast_radius"]["count"].get<int>() ==
        base["faults"][0]["structural_blast_radius"]["count"].get<int>() + 2);  // the two new pods
  CHECK(more["totals"] == base["totals"]);
  CHECK(more["series"] == base["series"]);
}
