// fmea.json's document and shards, and the HTML failure-modes report rendered from it.
#include "reports/fmea_report.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/fmea_json.hpp"
#include "reports/html_escape.hpp"

using reports::FmeaPlan;
using reports::FmeaRunMetrics;
using sim::stats::Direction;

namespace {

const std::string kHostileName = "</script><script>window.__pwned=1</script>";
const std::string kHostileGroup = "<b onmouseover='x()'>a & \"b\"</b>";
const std::string kHostileTarget = "<img src=x onerror=alert(1)>";
const std::string kHostileService = "<b>svc</b>";

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A run of a failure that made `bad` requests bad, all of the first client group's.
FmeaRunMetrics run_metrics(double bad, double budget_per_bad = 0.01) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {{"availability", 1.0 - bad / 10000, Direction::HigherIsBetter, "ratio"},
          {"error_budget_burned", bad * budget_per_bad, Direction::LowerIsBetter, "budgets"},
          {"impact/time_to_detect_s", bad > 0 ? 3.5 : nan, Direction::LowerIsBetter, "s"},
          {"impact/time_to_recover_s", bad > 0 ? 40.0 : nan, Direction::LowerIsBetter, "s"},
          {"impact/bad_requests", bad, Direction::LowerIsBetter, "requests"},
          {"impact/peak_error_rate", bad > 0 ? 0.5 : 0.0, Direction::LowerIsBetter, "ratio"},
          {"impact/error_budget_burned", bad * budget_per_bad, Direction::LowerIsBetter, "budgets"},
          {"impact/clients_affected", bad > 0 ? 1.0 : 0.0, Direction::LowerIsBetter, "client groups"},
          {"impact/clients_affected_share", bad > 0 ? 0.5 : 0.0, Direction::LowerIsBetter, "ratio"},
          {"clients_bad/" + kHostileGroup, bad, Direction::LowerIsBetter, "requests"},
          {"clients_bad_share/" + kHostileGroup, bad / 5000, Direction::LowerIsBetter, "ratio"},
          {"clients_bad/quiet", 0.0, Direction::LowerIsBetter, "requests"},
          {"clients_bad_share/quiet", 0.0, Direction::LowerIsBetter, "ratio"},
          {"services_bad/web", bad, Direction::LowerIsBetter, "requests"}};
}

// Three single failures (a mild one first, the worst second) and a pair, over two seeds.
struct Analysis {
  FmeaPlan plan;
  std::vector<FmeaRunMetrics> runs;
};

Analysis analysis() {
  Analysis a;
  FmeaPlan& p = a.plan;
  p.faultline_version = "0.1.0";
  p.scenario = kHostileName;
  p.scenario_sha256 = std::string(64, 'a');
  p.seed = 7;
  p.seeds = 2;
  p.duration_s = 60;
  p.at_s = 20;
  p.for_s = 20;
  p.depth = 2;
  p.pairs_overlapping = 1;
  p.cases = {{},
             {{{"node-crash", "a1/node-0", {"a1/node-0"}, {}, {}}}, {}},
             {{{"cluster-outage", kHostileTarget, {kHostileTarget, "b1"}, {}, {}}}, {}},
             {{{"gray-failure", "b1", {"b1"}, kHostileService, 0.2}}, {}},
             {{{"node-crash", "a1/node-0", {"a1/node-0"}, {}, {}},
               {"cluster-outage", kHostileTarget, {kHostileTarget, "b1"}, {}, {}}},
              {1, 2}}};
  const double bad[5][2] = {{0, 0}, {100, 120}, {900, 1000}, {0, 0}, {1500, 1700}};
  for (std::size_t c = 0; c < 5; ++c) {
    for (const double b : bad[c]) {
      FmeaRunMetrics metrics = run_metrics(b);
      if (c == 0) metrics.resize(2);  // the baseline: the run's availability and budget only
      a.runs.push_back(std::move(metrics));
    }
  }
  return a;
}

}  // namespace

TEST_CASE("fmea.json: ranked worst first, per client group, and a pair's interaction", "[reports][fmea]") {
  const Analysis a = analysis();
  const reports::FmeaDocument d = reports::fmea_document(a.plan, a.runs);
  REQUIRE(d.failures.size() == 4);
  CHECK(d.failures[0].kind == "pair");
  CHECK(d.failures[0].target == "node-crash a1/node-0 + cluster-outage " + kHostileTarget);
  CHECK(d.failures[1].kind == "cluster-outage");
  CHECK(d.failures[2].kind == "node-crash");
  CHECK(d.failures[3].kind == "gray-failure");
  CHECK(d.failures[3].service == kHostileService);
  CHECK(d.failures[3].error_rate == 0.2);
  CHECK(d.singles == 3);
  CHECK(d.pairs_run == 1);
  // (15 + 17) / 2 - (1 + 1.2) / 2 - (9 + 10) / 2 = 5.4: worse together than apart.
  REQUIRE(d.failures[0].interaction);
  CHECK(*d.failures[0].interaction->mean == Approx(5.4));
  CHECK(d.failures[0].interaction->n == 2);
  REQUIRE(d.failures[0].singles_budget.size() == 2);
  CHECK(d.failures[0].singles_budget[0] == Approx(1.1));
  CHECK(d.failures[0].singles_budget[1] == Approx(9.5));
  REQUIRE(d.failures[1].clients_bad.size() == 2);
  CHECK(d.failures[1].clients_bad[0].first == kHostileGroup);
  CHECK(d.failures[1].clients_bad[0].second == 950);
  const auto doc = nlohmann::ordered_json::parse(reports::fmea_to_json(d));
  CHECK(doc["failures"][0]["interaction"]["worse_than_sum"] == true);
  CHECK(doc["failures"][1]["clients_bad"][kHostileGroup] == 950.0);
  CHECK(doc["failures"][1]["clients_bad_share"][kHostileGroup].get<double>() == Approx(0.19));
  CHECK(doc["failures"][1]["services_bad"]["web"] == 950.0);
  CHECK(doc["failures"][3]["impact"]["time_to_recover_s"]["mean"].is_null());
  CHECK(doc["failures"][3]["service"] == kHostileService);
  CHECK(doc["failures"][3]["error_rate"] == 0.2);
  CHECK(doc["failures"][3]["faults"][0]["service"] == kHostileService);
  CHECK(!doc["failures"][1].contains("service"));
  CHECK(doc["pairs"]["run"] == 1);

  // Effects overlap on a shared client group or service.
  const auto mild = reports::fmea_effects(a.plan, a.runs, 1), none = reports::fmea_effects(a.plan, a.runs, 3);
  CHECK(mild.clients == std::vector<std::string>{kHostileGroup});
  CHECK(mild.services == std::vector<std::string>{"web"});
  CHECK(none.clients.empty());
  CHECK(reports::effects_overlap(mild, reports::fmea_effects(a.plan, a.runs, 2)));
  CHECK(!reports::effects_overlap(mild, none));
}

TEST_CASE("fmea shards: the partials of any split merge into the same fmea.json", "[reports][fmea]") {
  const Analysis a = analysis();
  const std::string whole = reports::fmea_to_json(reports::fmea_document(a.plan, a.runs));
  for (std::uint64_t count : {1u, 2u, 3u, 10u, 11u}) {
    CAPTURE(count);
    std::vector<reports::PartialFile> parts;
    for (std::uint64_t k = count; k-- > 0;) {  // in reverse order
      const sim::Shard shard{k, count};
      const sim::ReplicationRange range = sim::replications_of(shard, a.plan.runs());
      const std::vector<FmeaRunMetrics> slice(a.runs.begin() + static_cast<std::ptrdiff_t>(range.begin),
                                              a.runs.begin() + static_cast<std::ptrdiff_t>(range.end));
      parts.push_back({reports::fmea_file_name(shard), reports::fmea_partial_to_json(a.plan, shard, slice)});
      CHECK(reports::is_fmea_document(parts.back().text));
    }
    const reports::FmeaMerged merged = reports::merge_fmea_partials(parts);
    CHECK(merged.plan == a.plan);
    CHECK(reports::fmea_to_json(reports::fmea_document(merged.plan, merged.runs)) == whole);
    if (count >= 2) {
      parts.pop_back();
      CHECK_THROWS_AS(reports::merge_fmea_partials(parts), reports::MergeError);
    }
  }
  // A whole fmea.json is not a partial.
  CHECK_THROWS_WITH(reports::merge_fmea_partials({{"fmea.json", whole}}), Catch::Contains("fmea.json: /shard: expected the partial"));
}

TEST_CASE("fmea report: names are escaped, the ranking is there, the page is the run report's frame", "[reports][fmea]") {
  const Analysis a = analysis();
  const std::string text = reports::fmea_to_json(reports::fmea_document(a.plan, a.runs));
  const reports::ReportInputs inputs{"0.1.0", true, "scenarios/<x>.json", std::string(64, 'b')};
  const std::string html = reports::render_fmea_report(text, "fmea.json", inputs);

  // No name from the scenario reaches the page as markup: only the three scripts faultline embeds.
  CHECK(occurrences(html, "<script") == 3);
  CHECK(html.find("window.__pwned=1</script>") == std::string::npos);
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("<b onmouseover") == std::string::npos);
  CHECK(html.find("<h1 id=\"scenario-name\">" + reports::html_escape(kHostileName) + "</h1>") != std::string::npos);
  CHECK(html.find("<title>" + reports::html_escape(kHostileName) + " — faultline fmea report</title>") != std::string::npos);
  CHECK(html.find(reports::html_escape(kHostileTarget)) != std::string::npos);
  CHECK(html.find("scenarios/&lt;x&gt;.json") != std::string::npos);
  // The data block holds the names as JSON with no markup characters.
  CHECK(html.find("\\u003cimg src=x onerror=alert(1)\\u003e") != std::string::npos);

  // The same frame and policy as the other reports.
  CHECK(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-") !=
        std::string::npos);
  CHECK(html.find("id=\"chart-fmea-budget\"") != std::string::npos);
  CHECK(html.find("id=\"chart-fmea-heatmap\"") != std::string::npos);

  // The ranking, worst first: the pair, the cluster outage, the node crash, the gray failure (its
  // service named, escaped).
  const std::size_t table = html.find("<section id=\"ranking\">");
  REQUIRE(table != std::string::npos);
  const std::size_t pair = html.find("<span class=\"why\">pair</span>", table);
  const std::size_t cluster = html.find("<b>cluster-outage</b> " + reports::html_escape(kHostileTarget), table);
  const std::size_t node = html.find("<b>node-crash</b> a1/node-0</td>", table);
  const std::size_t gray = html.find("<b>gray-failure</b> b1 (" + reports::html_escape(kHostileService) + ")", table);
  REQUIRE(pair != std::string::npos);
  REQUIRE(cluster != std::string::npos);
  REQUIRE(node != std::string::npos);
  REQUIRE(gray != std::string::npos);
  CHECK(pair < cluster);
  CHECK(cluster < node);
  CHECK(node < gray);
  CHECK(html.find("<details><summary>2 targets</summary>", table) != std::string::npos);  // the cluster stands for 2
  CHECK(html.find(">16.00 <span class=\"why\">± ", table) != std::string::npos);  // the pair's budget: 15 and 17
  CHECK(html.find(">9.50 <span class=\"why\">± ", table) != std::string::npos);   // the cluster's: 9 and 10
  CHECK(html.find("worse than the sum") != std::string::npos);

  // The same document, the same bytes.
  CHECK(reports::render_fmea_report(text, "fmea.json", inputs) == html);
}

TEST_CASE("fmea report: bad documents are rejected with the file and the JSON pointer", "[reports][fmea]") {
  const reports::ReportInputs inputs{"0.1.0", false, "", ""};
  CHECK_THROWS_WITH(reports::render_fmea_report("{", "f.json", inputs), Catch::Contains("f.json: /: expected a faultline fmea document"));
  CHECK_THROWS_WITH(reports::render_fmea_report(R"({"faultline_fmea": 1, "scenario": 3})", "f.json", inputs),
                    Catch::Contains("f.json: /scenario: expected a string, found number"));
  const Analysis a = analysis();
  auto doc = nlohmann::ordered_json::parse(reports::fmea_to_json(reports::fmea_document(a.plan, a.runs)));
  doc["failures"][1]["impact"]["bad_requests"]["mean"] = "many";
  CHECK_THROWS_WITH(reports::render_fmea_report(doc.dump(), "f.json", inputs),
                    Catch::Contains("f.json: /failures/1/impact/bad_requests/mean: expected a number or null"));
}
