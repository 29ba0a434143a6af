// The comparison report (compare.html): the verdict leads with availability against the SLO, wide
// tables scroll inside the page, and latency differences within the histogram's resolution are not
// called significant. The page in a browser: tests/reports/browser (html_report_in_chromium_compare-12).

#include "reports/compare_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/histogram_resolution.hpp"
#include "reports/replications_json.hpp"

namespace {

using reports::ScalarMetric;
using sim::stats::Direction;

// One replication of a strategy: "fragile" answers fast but loses 44 points of availability;
// every other strategy is available. latency_p90_ms differs by exactly one histogram bucket
// (0.131072 ms at 29 ms) in every replication, so its paired interval is ± 0.
std::vector<ScalarMetric> metrics_of(std::uint64_t r, std::size_t s) {
  const double jitter = 0.0001 * static_cast<double>(r % 3);
  const double good = s == 0 ? 0.55 + jitter : 0.9995 - 0.0001 * static_cast<double>(s) + jitter / 10;
  const double target = 0.999;
  return {
      {"availability", good + 0.0001, Direction::HigherIsBetter, "ratio"},
      {"slo_good_ratio", good, Direction::HigherIsBetter, "ratio"},
      {"error_budget_burned", (1 - good) / (1 - target), Direction::LowerIsBetter, "budgets"},
      {"latency_p50_ms", s == 0 ? 20.0 + 0.01 * static_cast<double>(r) : 25.0 + 0.01 * static_cast<double>(r),
       Direction::LowerIsBetter, "ms"},
      {"latency_p90_ms", s == 0 ? 28.966912 : 29.097984, Direction::LowerIsBetter, "ms"},
  };
}

std::string compare_document(std::size_t strategies, std::uint64_t replications) {
  reports::Experiment e;
  e.kind = reports::ExperimentKind::Compare;
  e.faultline_version = "test";
  e.scenario = "study <b>";
  e.scenario_sha256 = std::string(64, '0');
  e.strategies.push_back("fragile");
  for (std::size_t s = 1; s < strategies; ++s) e.strategies.push_back("strategy-" + std::to_string(s));
  e.baseline = "fragile";
  e.seed = 1;
  e.duration_s = 60;
  e.replications = replications;
  reports::ReplicationTable table;
  table.strategies = strategies;
  for (std::uint64_t r = 0; r < replications; ++r) {
    std::vector<std::vector<ScalarMetric>> by_strategy;
    for (std::size_t s = 0; s < strategies; ++s) by_strategy.push_back(metrics_of(r, s));
    reports::append(table, reports::replication_table(r, 100 + r, by_strategy));
  }
  return reports::experiment_to_json(e, table);
}

std::string render(const std::string& doc) {
  return reports::render_compare_report(doc, "compare.json", reports::ReportInputs{"test", false, "", ""});
}

std::string between(const std::string& html, const std::string& from, const std::string& to) {
  const auto a = html.find(from);
  REQUIRE(a != std::string::npos);
  const auto b = html.find(to, a);
  REQUIRE(b != std::string::npos);
  return html.substr(a, b - a);
}

}  // namespace

TEST_CASE("histogram resolution: latency quantiles are known to one bucket of 128 per power of two", "[reports][compare]") {
  CHECK(reports::is_histogram_quantile("latency_p50_ms", "ms"));
  CHECK(reports::is_histogram_quantile("latency_p99.9_ms", "ms"));
  CHECK(reports::is_histogram_quantile("client/web <b>/latency_p99_ms", "ms"));
  CHECK_FALSE(reports::is_histogram_quantile("fault/x/time_to_recover_s", "s"));
  CHECK_FALSE(reports::is_histogram_quantile("availability", "ratio"));
  CHECK_FALSE(reports::is_histogram_quantile("latency_p50_ms", "s"));
  // 29 ms lies in [2^24, 2^25) ns: 2^24 / 128 = 131072 ns a bucket. 40 ms in [2^25, 2^26): twice that.
  CHECK(reports::histogram_resolution_ms(29.0) == Approx(0.131072));
  CHECK(reports::histogram_resolution_ms(40.0) == Approx(0.262144));
  CHECK(reports::histogram_resolution_ms(0.0001) == Approx(0.000001));  // 100 ns: counted exactly
  // One bucket apart with no spread: not resolved. Three buckets: resolved. A wide interval eats it.
  CHECK_FALSE(reports::difference_resolved(0.131072, 0, 28.97, 29.10));
  CHECK(reports::difference_resolved(0.393216, 0, 28.90, 29.29));
  CHECK_FALSE(reports::difference_resolved(0.46, 0.40, 40.44, 40.89));  // 0.46 < 0.40 + 0.26
}

TEST_CASE("compare report: the verdict leads with availability against the SLO and the error budget",
          "[reports][compare]") {
  const std::string html = render(compare_document(3, 4));
  const std::string verdict = between(html, "<section id=\"verdict\"", "</section>");
  // The best against the SLO first, with the target read back from the error budget (0.999).
  CHECK(verdict.find("Best against the SLO: <b>strategy-1</b>") != std::string::npos);
  CHECK(verdict.find("against a target of 99.900%") != std::string::npos);
  CHECK(verdict.find("2 of 3 strategies met the SLO") != std::string::npos);
  // The standings table: fragile last, 44 points behind, its budget burned and the SLO missed.
  const auto first = verdict.find("strategy-1"), last = verdict.find("fragile");
  CHECK(first < last);
  CHECK(verdict.find("44.9 points") != std::string::npos);
  CHECK(verdict.find("<strong>missed</strong>") != std::string::npos);
  // What each availability figure counts.
  CHECK(verdict.find("succeeded in time ÷ requests") != std::string::npos);
  CHECK(verdict.find("succeeded ÷ requests, any latency") != std::string::npos);
  // Metric wins come after, and say what they weigh.
  CHECK(verdict.find("Metric by metric") > verdict.find("</table>"));
  CHECK(verdict.find("weighs a latency quantile as much as availability") != std::string::npos);
  CHECK(html.find("class=\"verdict met\"") != std::string::npos);
}

TEST_CASE("compare report: a latency difference within the histogram's resolution is not called significant",
          "[reports][compare]") {
  const std::string doc = compare_document(3, 4);
  // compare.json, computed without regard to the histogram, calls the one-bucket difference significant.
  const auto j = nlohmann::json::parse(doc);
  REQUIRE(j["metrics"][4]["name"] == "latency_p90_ms");
  CHECK(j["metrics"][4]["winner"] == "fragile");
  CHECK(j["metrics"][4]["strategies"][1]["difference"]["verdict"] == "significantly_higher");
  const std::string html = render(doc);
  const std::string row = between(html, "<th scope=\"row\" class=\"sticky\">latency_p90_ms", "</tr>");
  CHECK(row.find("within the histogram's resolution") != std::string::npos);
  CHECK(row.find("✗ worse") == std::string::npos);
  CHECK(row.find("± &lt; 0.131 ms (one histogram bucket)") != std::string::npos);  // not "± 0"
  CHECK(row.find("<td>—</td>") != std::string::npos);                               // no winner
  // latency_p50_ms differs by 5 ms: that stays a win for fragile.
  const std::string p50 = between(html, "<th scope=\"row\" class=\"sticky\">latency_p50_ms", "</tr>");
  CHECK(p50.find("✗ worse") != std::string::npos);
  CHECK(p50.find("<b>fragile</b>") != std::string::npos);
  CHECK(html.find("within the latency histogram's resolution, which is not counted as a win") != std::string::npos);
}

TEST_CASE("compare report: with 12 strategies the table scrolls inside its card and every strategy is charted",
          "[reports][compare]") {
  const std::string html = render(compare_document(12, 2));
  const std::string metrics = between(html, "<section id=\"metrics\">", "</section>");
  CHECK(metrics.find("<div class=\"table-wrap\"><table class=\"wide\">") != std::string::npos);
  const std::string tag = "<script type=\"application/json\" id=\"faultline-data\">";
  const auto j = nlohmann::json::parse(between(html, tag, "</script>").substr(tag.size()));
  REQUIRE(j["metrics"].size() >= 3);  // availability, slo_good_ratio, error_budget_burned
  for (const auto& m : j["metrics"]) CHECK(m["items"].size() == 12);
  // The scenario name stays text.
  CHECK(html.find("study <b>") == std::string::npos);
  CHECK(html.find("study &lt;b&gt;") != std::string::npos);
  // What each availability figure counts: beside its name in the table and under its chart's title.
  CHECK(metrics.find("availability<br><small>succeeded at any latency ÷ requests</small>") != std::string::npos);
  CHECK(metrics.find("slo_good_ratio<br><small>succeeded within the SLO latency ÷ requests</small>") != std::string::npos);
  CHECK(j["metrics"][0]["counts"] == "succeeded at any latency ÷ requests");
}
