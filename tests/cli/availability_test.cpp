// faultline availability: analytic beside simulated availability, availability.json and .html;
// and generated faults in `run`: grouped per process, with clock times.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_test_support.hpp"

using nlohmann::json;
using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

TEST_CASE("faultline availability: analytic and simulated per client group, downtime per year, the same file on any number of jobs", "[cli][availability]") {
  ScratchDir scratch("availability");
  const auto one = scratch.path() / "one";
  const auto two = scratch.path() / "two";
  const auto r = run_faultline("availability tests/data/availability-fast.json --years 0.5 --seeds 3 --jobs 1 --report --out '" +
                                   one.string() + "'",
                               scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Client group: analytic | simulated (95% CI) | downtime per year") != std::string::npos);
  CHECK(r.out.find("clients-region-a: 91.4286% (exact-markov-chain)") != std::string::npos);
  CHECK(r.out.find("web in region-a") != std::string::npos);  // Erlang C beside the queue
  const json doc = json::parse(slurp(one / "availability.json"));
  CHECK(doc["faultline_availability"] == 1);
  CHECK(doc["years"] == 0.5);
  CHECK(doc["seeds"] == 3);
  REQUIRE(doc["clients"].size() == 1);
  const json& g = doc["clients"][0];
  const double analytic = g["analytic"]["availability"].get<double>();
  CHECK(std::abs(analytic - (1 - 6.0 / 126) * (1 - 0.04)) < 1e-9);
  CHECK(g["analytic"]["method"] == "exact-markov-chain");
  CHECK(g["analytic"]["states"] == 8);
  CHECK(g["simulated"]["by_seed"].size() == 3);
  REQUIRE(g["simulated"]["ci95"].is_array());
  const double simulated = g["simulated"]["availability"].get<double>();
  CHECK(std::abs(g["downtime_min_per_year"]["analytic"].get<double>() - (1 - analytic) * 525600) < 1e-6);
  CHECK(std::abs(g["downtime_min_per_year"]["difference"].get<double>() - (analytic - simulated) * 525600) < 1e-6);
  REQUIRE(doc["fault_processes"].size() == 2);
  CHECK(doc["fault_processes"][1]["kind"] == "gateway-tier-outage");
  CHECK(doc["fault_processes"][1]["components"] == 1);
  // About 365 / 2.5 x 2 = 292 region failures a year.
  CHECK(doc["fault_processes"][0]["failures_per_year"].get<double>() > 200);
  CHECK(doc["fault_processes"][0]["failures_per_year"].get<double>() < 400);
  REQUIRE(doc["capacity"].size() == 2);
  CHECK(doc["capacity"][0]["erlang_c_applies"] == true);
  const std::string html = slurp(one / "availability.html");
  CHECK(html.find("Availability by client group") != std::string::npos);
  CHECK(html.find("clients-region-a") != std::string::npos);
  // Self-contained: nothing is fetched when it is opened.
  CHECK(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);

  const auto again = run_faultline("availability tests/data/availability-fast.json --years 0.5 --seeds 3 --jobs 2 -q --out '" +
                                       two.string() + "'",
                                   scratch);
  REQUIRE(again.status == 0);
  CHECK(slurp(two / "availability.json") == slurp(one / "availability.json"));
  // An existing file is kept without --force.
  const auto kept = run_faultline("availability tests/data/availability-fast.json --years 0.1 -q --out '" + two.string() + "'", scratch);
  CHECK(kept.status == 2);
}

TEST_CASE("faultline availability: bad input exits 2 and says what", "[cli][availability]") {
  ScratchDir scratch("availability-bad");
  const auto none = run_faultline("availability scenarios/small-2region.json -q --out '" + scratch.path().string() + "'", scratch);
  CHECK(none.status == 2);
  CHECK(none.err.find("has no \"fault_processes\"") != std::string::npos);
  const auto years = run_faultline("availability tests/data/availability-fast.json --years 0 -q --out '" + scratch.path().string() + "'", scratch);
  CHECK(years.status == 2);
  CHECK(years.err.find("--years: expected a number of years above 0") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "availability.json"));
}

TEST_CASE("faultline run: generated faults grouped per process, with clock times and their metrics", "[cli][availability]") {
  ScratchDir scratch("generated-faults");
  const auto out = scratch.path() / "run";
  const auto r = run_faultline("run tests/data/availability-fast.json --duration 10d --report --out '" + out.string() + "'", scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("  process regions (region-outage): ") != std::string::npos);
  CHECK(r.out.find("  process vip (gateway-tier-outage): ") != std::string::npos);
  CHECK(r.out.find("d ") != std::string::npos);
  const json doc = json::parse(slurp(out / "results.json"));
  REQUIRE(doc["fault_processes"].size() == 2);
  std::uint64_t failures = 0;
  for (const json& p : doc["fault_processes"]) failures += p["failures"].get<std::uint64_t>();
  CHECK(failures == doc["faults"].size());
  for (const json& f : doc["faults"]) {
    CHECK(f.contains("process"));
    CHECK(f["start"].get<std::string>().find(':') != std::string::npos);  // "3d 04:12:31.882"
    CHECK(f.contains("observed_blast_radius"));                            // per-fault metrics
  }
  // The clients depend on region-a's tier: its outages cost requests.
  for (const json& p : doc["fault_processes"])
    if (p["id"] == "vip") CHECK(p["bad"].get<std::uint64_t>() > 0);
  const std::string html = slurp(out / "report.html");
  CHECK(html.find("Fault processes") != std::string::npos);
  CHECK(html.find("d 0") + html.find("d 1") + html.find("d 2") != 3 * std::string::npos);
}

TEST_CASE("faultline availability: Ctrl-C stops it and writes nothing", "[cli][availability]") {
  ScratchDir scratch("availability-interrupt");
  const auto r = run_faultline("availability tests/data/availability-fast.json --years 0.2 --seeds 1 --jobs 1 -q --out '" +
                                   scratch.path().string() + "'",
                               scratch, "FAULTLINE_TEST_INTERRUPT_AT=5m");
  CHECK(r.status == 130);
  CHECK(r.err.find("interrupted by SIGINT") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(scratch.path() / "availability.json"));
}
