// faultline fmea: every single failure run alone, ranked by the error budget it burns.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <algorithm>

#include "tests/cli/cli_test_support.hpp"

using nlohmann::json;
using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

namespace {

json fmea(const std::string& args, const ScratchDir& scratch, const std::string& out_name) {
  const auto out_dir = scratch.path() / out_name;
  const auto r = run_faultline("fmea " + args + " --out '" + out_dir.string() + "'", scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return json::parse(slurp(out_dir / "fmea.json"));
}

}  // namespace

TEST_CASE("faultline fmea: every failure ranked worst first, and the top one as a run of it alone", "[cli][fmea]") {
  ScratchDir scratch("fmea");
  const json doc = fmea("scenarios/small-2region.json --at 20s --for 20s -q", scratch, "fmea");
  CHECK(doc["faultline_fmea"] == 1);
  CHECK(doc["at_s"] == 20.0);
  CHECK(doc["for_s"] == 20.0);
  const json& failures = doc["failures"];
  REQUIRE(failures.size() >= 10);
  double previous = 1e300;
  std::set<std::string> kinds;
  for (std::size_t i = 0; i < failures.size(); ++i) {
    const json& f = failures[i];
    CHECK(f["rank"] == i + 1);
    CHECK(f["represents"][0] == f["target"]);
    kinds.insert(f["kind"].get<std::string>());
    const json& budget = f["impact"]["error_budget_burned"]["mean"];
    REQUIRE(budget.is_number());
    CHECK(budget.get<double>() <= previous);
    previous = budget.get<double>();
  }
  for (const char* kind : {"region-outage", "zone-outage", "cluster-outage", "gateway-tier-outage", "istiod-outage",
                           "backbone-partition", "node-crash", "waypoint-crash", "gray-failure"})
    CHECK(kinds.count(kind) == 1);
  // A gray failure of each service in each cluster: web and api in a1 and in b1 (different regions,
  // so no two alike), failing 20% of their requests by default.
  std::set<std::string> grays;
  for (const json& f : failures) {
    CHECK(f.contains("service") == (f["kind"] == "gray-failure"));
    if (f["kind"] != "gray-failure") continue;
    grays.insert(f["target"].get<std::string>() + "/" + f["service"].get<std::string>());
    CHECK(f["error_rate"] == 0.2);
    CHECK(f["represents"] == json::array({f["target"]}));
  }
  CHECK(grays == std::set<std::string>{"a1/web", "a1/api", "b1/web", "b1/api"});
  // The baseline, with no failure, burns (almost) nothing; the worst failure burns a lot.
  CHECK(doc["baseline"]["error_budget_burned"]["mean"].get<double>() < 0.5);
  CHECK(failures[0]["impact"]["error_budget_burned"]["mean"].get<double>() > 1.0);

  // The top row, as the scenario with only that failure: `faultline run` gives the same numbers.
  std::ifstream in(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/small-2region.json");
  json scenario = json::parse(in, nullptr, true, /*ignore_comments=*/true);
  const json& top = failures[0];
  json fault = {{"id", "failure"}, {"kind", top["kind"]}, {"at", "20s"}, {"for", "20s"}};
  if (!top["target"].get<std::string>().empty()) fault["target"] = top["target"];
  if (top.contains("service")) {
    fault["service"] = top["service"];
    fault["error_rate"] = top["error_rate"];
  }
  scenario["faults"] = json::array({fault});
  scenario.erase("fault_processes");
  const auto alone = scratch.path() / "alone.json";
  std::ofstream(alone) << scenario.dump(2);
  const auto r = run_faultline("run '" + alone.string() + "' -q --out '" + (scratch.path() / "alone").string() + "'", scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json results = json::parse(slurp(scratch.path() / "alone" / "results.json"));
  REQUIRE(results["faults"].size() == 1);
  const json& impact = results["faults"][0];
  CHECK(impact["observed_blast_radius"]["bad"].get<double>() == top["impact"]["bad_requests"]["mean"].get<double>());
  CHECK(impact["error_budget_burned"].get<double>() == top["impact"]["error_budget_burned"]["mean"].get<double>());
}

TEST_CASE("faultline fmea: the same file whatever the number of jobs; intervals with several seeds", "[cli][fmea]") {
  ScratchDir scratch("fmea-jobs");
  const std::string args = "scenarios/small-2region.json --seeds 3 -q --jobs ";
  fmea(args + "1", scratch, "one");
  const json doc = fmea(args + "2", scratch, "two");
  CHECK(slurp(scratch.path() / "one" / "fmea.json") == slurp(scratch.path() / "two" / "fmea.json"));
  CHECK(doc["seeds"] == 3);
  const json& top = doc["failures"][0]["impact"]["error_budget_burned"];
  CHECK(top["n"] == 3);
  CHECK(top["ci95"].is_object());
}

TEST_CASE("faultline fmea: --gray-error-rate sets the share of requests each gray failure fails", "[cli][fmea]") {
  ScratchDir scratch("fmea-gray");
  const json low = fmea("scenarios/small-2region.json -q --gray-error-rate 0.05", scratch, "low");
  const json high = fmea("scenarios/small-2region.json -q --gray-error-rate 1", scratch, "high");
  // The same failure (web's pods in a1, where the clients' requests go) at both rates.
  const auto web_in_a1 = [](const json& doc) {
    for (const json& f : doc["failures"])
      if (f["kind"] == "gray-failure" && f["target"] == "a1" && f["service"] == "web") return f;
    FAIL("no gray failure of web in a1");
    return json();
  };
  const json a = web_in_a1(low), b = web_in_a1(high);
  CHECK(a["error_rate"] == 0.05);
  CHECK(b["error_rate"] == 1.0);
  CHECK(a["impact"]["bad_requests"]["mean"].get<double>() < b["impact"]["bad_requests"]["mean"].get<double>());
  CHECK(b["impact"]["bad_requests"]["mean"].get<double>() > 0);
}

TEST_CASE("faultline fmea: an existing fmea.json is kept without --force", "[cli][fmea]") {
  ScratchDir scratch("fmea-force");
  fmea("scenarios/small-2region.json -q", scratch, "out");
  const auto r = run_faultline("fmea scenarios/small-2region.json -q --out '" + (scratch.path() / "out").string() + "'", scratch);
  CHECK(r.status == 2);
  CHECK(r.err.find("fmea.json") != std::string::npos);
}

TEST_CASE("faultline fmea: Ctrl-C stops it and writes nothing", "[cli][fmea]") {
  ScratchDir scratch("fmea-interrupt");
  const auto out = scratch.path() / "out";
  const auto r = run_faultline("fmea scenarios/small-2region.json -q --jobs 1 --out '" + out.string() + "'", scratch,
                               "FAULTLINE_TEST_INTERRUPT_AT=30s");
  CHECK(r.status == 130);
  CHECK(r.err.find("nothing was written") != std::string::npos);
  CHECK(!std::filesystem::exists(out / "fmea.json"));
}

namespace {

// "kind target", and a gray failure's service: "gray-failure e1 (shop)".
std::string name_of(const json& fault) {
  const std::string target = fault["target"].get<std::string>();
  std::string name = target.empty() ? fault["kind"].get<std::string>() : fault["kind"].get<std::string>() + " " + target;
  if (fault.contains("service")) name += " (" + fault["service"].get<std::string>() + ")";
  return name;
}

// The client groups and services a row's failure made bad requests for.
std::set<std::string> hurt(const json& row) {
  std::set<std::string> out;
  for (const auto& [group, bad] : row["clients_bad"].items())
    if (bad.is_number() && bad.get<double>() > 0) out.insert("client " + group);
  for (const auto& [service, bad] : row["services_bad"].items())
    if (bad.is_number() && bad.get<double>() > 0) out.insert("service " + service);
  return out;
}

bool share_any(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const std::string& x : a)
    if (b.count(x) > 0) return true;
  return false;
}

}  // namespace

TEST_CASE("faultline fmea: each client group's bad requests add up to the failure's", "[cli][fmea]") {
  ScratchDir scratch("fmea-clients");
  const json doc = fmea("tests/data/fmea-two-shops.json --at 20s --for 20s -q", scratch, "out");
  std::size_t hurting = 0;
  for (const json& f : doc["failures"]) {
    INFO(name_of(f));
    REQUIRE(f["clients_bad"].size() == 2);  // every client group
    double sum = 0;
    for (const auto& [group, bad] : f["clients_bad"].items()) sum += bad.get<double>();
    CHECK(sum == f["impact"]["bad_requests"]["mean"].get<double>());
    REQUIRE(f["services_bad"].contains("shop"));
    REQUIRE(f["services_bad"].contains("blog"));
    for (const auto& [group, share] : f["clients_bad_share"].items()) {
      CHECK(share.get<double>() >= 0.0);
      CHECK(share.get<double>() <= 1.0);
      CHECK((share.get<double>() > 0) == (f["clients_bad"][group].get<double>() > 0));
    }
    hurting += sum > 0 ? 1 : 0;
  }
  CHECK(hurting >= 6);
  // An east failure hurts the east's shoppers and the shop only.
  for (const json& f : doc["failures"]) {
    if (f["kind"] == "cluster-outage" && f["target"] == "e1") {
      CHECK(f["clients_bad"]["shoppers"].get<double>() > 0);
      CHECK(f["clients_bad"]["readers"].get<double>() == 0);
      CHECK(f["services_bad"]["shop"].get<double>() > 0);
      CHECK(f["services_bad"]["blog"].get<double>() == 0);
    }
  }
}

TEST_CASE("faultline fmea --depth 2: a pair only of failures whose single effects overlap, ranked with the singles",
          "[cli][fmea]") {
  ScratchDir scratch("fmea-depth");
  const json doc = fmea("tests/data/fmea-two-shops.json --at 20s --for 20s --depth 2 -q", scratch, "out");
  CHECK(doc["depth"] == 2);
  std::map<std::string, const json*> singles;
  std::vector<const json*> pairs;
  double previous = 1e300;
  for (const json& f : doc["failures"]) {
    const double budget = f["impact"]["error_budget_burned"]["mean"].get<double>();
    CHECK(budget <= previous);  // singles and pairs in one ranking
    previous = budget;
    if (f["kind"] == "pair") {
      pairs.push_back(&f);
    } else {
      REQUIRE(f["faults"].size() == 1);
      singles[name_of(f)] = &f;
    }
  }
  REQUIRE(!pairs.empty());
  CHECK(doc["singles"] == singles.size());
  CHECK(doc["pairs"]["run"] == pairs.size());
  CHECK(doc["pairs"]["run"].get<std::uint64_t>() ==
        doc["pairs"]["overlapping"].get<std::uint64_t>() - doc["pairs"]["contained"].get<std::uint64_t>() +
            doc["pairs"]["same_class"].get<std::uint64_t>());

  std::set<std::pair<std::string, std::string>> paired;
  std::size_t same_class = 0;
  for (const json* p : pairs) {
    const json& pair = *p;
    REQUIRE(pair["faults"].size() == 2);
    const std::string a = name_of(pair["faults"][0]), b = name_of(pair["faults"][1]);
    INFO(a + " + " + b);
    CHECK(pair["target"] == a + " + " + b);
    const json& interaction = pair["interaction"];
    const bool twin = singles.count(b) == 0;  // the second target of a's class, not run alone
    if (twin) {
      // Two targets of one class: the second is one that a stands for.
      ++same_class;
      CHECK(pair["faults"][0]["kind"] == pair["faults"][1]["kind"]);
      const json& represents = pair["faults"][0]["represents"];
      CHECK(std::find(represents.begin(), represents.end(), pair["faults"][1]["target"]) != represents.end());
      REQUIRE(singles.count(a) == 1);
      CHECK(interaction["error_budget_burned"]["mean"].get<double>() ==
            Approx(pair["impact"]["error_budget_burned"]["mean"].get<double>() -
                   2 * singles[a]->at("impact")["error_budget_burned"]["mean"].get<double>()));
      continue;
    }
    REQUIRE(singles.count(a) == 1);
    REQUIRE(singles.count(b) == 1);
    CHECK(share_any(hurt(*singles[a]), hurt(*singles[b])));  // the overlap that made it a pair
    paired.insert({a, b});
    paired.insert({b, a});
    // Worse than the sum of its parts: the pair's budget minus the two singles'.
    const double pa = singles[a]->at("impact")["error_budget_burned"]["mean"].get<double>();
    const double pb = singles[b]->at("impact")["error_budget_burned"]["mean"].get<double>();
    CHECK(interaction["error_budget_burned"]["mean"].get<double>() ==
          Approx(pair["impact"]["error_budget_burned"]["mean"].get<double>() - pa - pb));
    CHECK(interaction["singles_error_budget_burned"][0].get<double>() == pa);
    CHECK(interaction["worse_than_sum"] == (interaction["error_budget_burned"]["mean"].get<double>() > 0));
  }
  CHECK(same_class == doc["pairs"]["same_class"].get<std::size_t>());
  // Failures on different sides of the fleet hurt different clients and services: never a pair.
  std::size_t apart = 0;
  for (const auto& [a, fa] : singles)
    for (const auto& [b, fb] : singles) {
      if (a >= b || share_any(hurt(*fa), hurt(*fb))) continue;
      CHECK(paired.count({a, b}) == 0);
      ++apart;
    }
  CHECK(apart > 10);
  CHECK(paired.count({"cluster-outage e1", "cluster-outage w1"}) == 0);
  CHECK(paired.count({"gateway-tier-outage east", "cluster-outage e1"}) == 1);
}

TEST_CASE("faultline fmea --report: fmea.html beside fmea.json, the same page as faultline report of it", "[cli][fmea]") {
  ScratchDir scratch("fmea-report");
  const auto out = scratch.path() / "out";
  const auto r = run_faultline("fmea scenarios/small-2region.json --at 20s --for 20s -q --report --out '" + out.string() + "'",
                               scratch);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("fmea.html") != std::string::npos);
  const std::string html = slurp(out / "fmea.html");
  REQUIRE(!html.empty());
  CHECK(html.find("faultline fmea report") != std::string::npos);
  CHECK(html.find("chart-fmea-budget") != std::string::npos);
  CHECK(html.find("chart-fmea-heatmap") != std::string::npos);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
  const auto again = run_faultline("report '" + (out / "fmea.json").string() +
                                       "' --scenario scenarios/small-2region.json --out '" + (out / "again.html").string() + "'",
                                   scratch);
  INFO(again.err);
  REQUIRE(again.status == 0);
  CHECK(slurp(out / "again.html") == html);
}

TEST_CASE("faultline fmea --shard K/N and merge: byte for byte the unsharded fmea.json", "[cli][fmea][shard]") {
  ScratchDir scratch("fmea-shard");
  for (const std::string depth : {"1", "2"}) {
    INFO("--depth " + depth);
    const std::string args = "tests/data/fmea-two-shops.json --at 20s --for 20s --seeds 2 -q --depth " + depth;
    const auto whole = scratch.path() / ("whole-" + depth);
    fmea(args + " --jobs 2", scratch, "whole-" + depth);
    const auto parts = scratch.path() / ("parts-" + depth);
    for (const char* shard : {"1/3", "2/3", "3/3"}) {
      const auto r = run_faultline("fmea " + args + " --jobs 1 --shard " + shard + " --out '" + parts.string() + "'", scratch);
      INFO(r.err);
      REQUIRE(r.status == 0);
      CHECK(r.out.find("Shard " + std::string(shard) + ": runs ") != std::string::npos);
    }
    CHECK(!std::filesystem::exists(parts / "fmea.json"));
    // In any order.
    const auto merged = scratch.path() / ("merged-" + depth);
    const auto r = run_faultline("merge '" + (parts / "fmea.shard-3-of-3.json").string() + "' '" +
                                     (parts / "fmea.shard-1-of-3.json").string() + "' '" +
                                     (parts / "fmea.shard-2-of-3.json").string() + "' --out '" + merged.string() + "'",
                                 scratch);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("merged from 3 parts") != std::string::npos);
    CHECK(r.out.find("Failure modes of fmea-two-shops") != std::string::npos);
    CHECK(slurp(merged / "fmea.json") == slurp(whole / "fmea.json"));
  }

  // A missing shard, a shard of another analysis: status 2, naming what is wrong.
  const auto parts = scratch.path() / "parts-1";
  const auto missing = run_faultline("merge '" + (parts / "fmea.shard-1-of-3.json").string() + "' '" +
                                         (parts / "fmea.shard-3-of-3.json").string() + "' --out '" +
                                         (scratch.path() / "bad").string() + "'",
                                     scratch);
  CHECK(missing.status == 2);
  CHECK(missing.err.find("once") != std::string::npos);
  const auto other = scratch.path() / "other";
  const auto r = run_faultline("fmea tests/data/fmea-two-shops.json --at 25s --for 20s --seeds 2 -q --shard 2/3 --out '" +
                                   other.string() + "'",
                               scratch);
  REQUIRE(r.status == 0);
  const auto mixed = run_faultline("merge '" + (parts / "fmea.shard-1-of-3.json").string() + "' '" +
                                       (other / "fmea.shard-2-of-3.json").string() + "' '" +
                                       (parts / "fmea.shard-3-of-3.json").string() + "' --out '" +
                                       (scratch.path() / "bad").string() + "'",
                                   scratch);
  CHECK(mixed.status == 2);
  CHECK(mixed.err.find("/at_s: expected 20") != std::string::npos);
  CHECK(!std::filesystem::exists(scratch.path() / "bad" / "fmea.json"));
}
