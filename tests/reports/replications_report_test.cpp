// The replications report (`faultline report replications.json`): the SLO availability over the
// seeds against the target, bars per replication, every metric; bad documents named by pointer.

#include "reports/replications_report.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/replications_json.hpp"

namespace {

using reports::ScalarMetric;
using sim::stats::Direction;

// Replication r: good ratio 0.9985 + 0.001 r against a 99.9% target, so replication 0 misses it.
std::string replications_document(std::uint64_t replications, std::optional<sim::Shard> shard = std::nullopt) {
  reports::Experiment e;
  e.kind = reports::ExperimentKind::Replications;
  e.faultline_version = "test";
  e.scenario = "<i>fleet</i>";
  e.scenario_sha256 = std::string(64, '0');
  e.strategies = {"base"};
  e.seed = 7;
  e.duration_s = 60;
  e.replications = replications;
  const auto range = shard ? sim::replications_of(*shard, replications) : sim::ReplicationRange{0, replications};
  reports::ReplicationTable table;
  for (std::uint64_t r = range.begin; r < range.end; ++r) {
    const double good = 0.9985 + 0.001 * static_cast<double>(r);
    const std::vector<ScalarMetric> metrics{
        {"availability", good + 0.0002, Direction::HigherIsBetter, "ratio"},
        {"slo_good_ratio", good, Direction::HigherIsBetter, "ratio"},
        {"error_budget_burned", (1 - good) / 0.001, Direction::LowerIsBetter, "budgets"},
        {"latency_p50_ms", 28.966912, Direction::LowerIsBetter, "ms"},
    };
    reports::append(table, reports::replication_table(r, sim::replication_seed(7, r), {metrics}));
  }
  return reports::experiment_to_json(e, table, shard);
}

std::string render(const std::string& text) {
  return reports::render_replications_report(text, "replications.json", reports::ReportInputs{"test", false, "", ""});
}

std::string rejection(const std::string& text) {
  try {
    (void)render(text);
  } catch (const reports::ResultsDocumentError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("replications report: SLO availability over the seeds against the target, then each replication",
          "[reports][replications]") {
  const std::string doc = replications_document(3);
  CHECK(reports::is_replications_document(doc));
  const std::string html = render(doc);
  // Mean 0.9995 of 0.9985, 0.9995 and 1.0005 (made-up values), the target read back as 0.999.
  CHECK(html.find("SLO availability 99.950% ± ") != std::string::npos);
  CHECK(html.find("(requests that succeeded within the SLO's latency ÷ all requests; mean and 95% interval over 3 "
                  "replications) against a target of 99.900%: the SLO was <strong>met</strong> on average, and in 2 of 3 "
                  "replications") != std::string::npos);
  CHECK(html.find("Counting every success whatever its latency, 99.970%") != std::string::npos);
  CHECK(html.find("class=\"verdict met\"") != std::string::npos);
  // A quantile in the same bucket every time: its interval is the bucket, not "± 0".
  CHECK(html.find("± &lt; 0.131 ms (one histogram bucket)") != std::string::npos);
  // Bars: the mean, then one per seed; the name stays text.
  const std::string tag = "<script type=\"application/json\" id=\"faultline-data\">";
  const auto at = html.find(tag) + tag.size();
  const auto data = nlohmann::json::parse(html.substr(at, html.find("</script>", at) - at));
  CHECK(data["kind"] == "replications");
  REQUIRE(!data["metrics"].empty());
  CHECK(data["metrics"][0]["items"].size() == 4);
  CHECK(data["metrics"][0]["items"][1]["strategy"] == "seed 7");
  CHECK(html.find("<i>fleet</i>") == std::string::npos);
  CHECK(html.find("&lt;i&gt;fleet&lt;/i&gt;") != std::string::npos);
}

TEST_CASE("replications report: a shard's part and malformed documents are refused with the pointer",
          "[reports][replications]") {
  CHECK(rejection(replications_document(4, sim::Shard{0, 2})).find("replications.json: /shard: expected a whole experiment") == 0);
  auto doc = nlohmann::ordered_json::parse(replications_document(3));
  doc["metrics"][1]["values"].erase(0);
  CHECK(rejection(doc.dump()) == "replications.json: /metrics/1/values: expected one value per seed (3), found 2");
  doc = nlohmann::ordered_json::parse(replications_document(3));
  doc["metrics"][0]["values"][2] = "x";
  CHECK(rejection(doc.dump()) == "replications.json: /metrics/0/values/2: expected a number or null, found string");
  CHECK(rejection("{\"faultline_replications\": 1") == "replications.json: /: expected a faultline replications document (JSON), found a syntax error");
}
