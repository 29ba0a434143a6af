// The table `faultline compare` prints: a latency quantile's difference within the histogram's
// resolution is not called significant, and its "± 0" reads as the bucket it is.

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "reports/replications_json.hpp"
#include "sim/cli/experiments.hpp"

namespace {

using reports::ScalarMetric;
using sim::stats::Direction;

std::string printed(const std::vector<double>& p90_by_strategy) {
  reports::Experiment e;
  e.kind = reports::ExperimentKind::Compare;
  e.strategies = {"base", "other"};
  e.baseline = "base";
  e.replications = 3;
  reports::ReplicationTable table;
  table.strategies = 2;
  for (std::uint64_t r = 0; r < 3; ++r) {
    std::vector<std::vector<ScalarMetric>> by_strategy;
    for (std::size_t s = 0; s < 2; ++s)
      by_strategy.push_back({{"latency_p90_ms", p90_by_strategy[s], Direction::LowerIsBetter, "ms"}});
    reports::append(table, reports::replication_table(r, r, by_strategy));
  }
  std::ostringstream out;
  cli::print_experiment(out, e, table);
  return out.str();
}

}  // namespace

TEST_CASE("print_experiment: latency quantiles one histogram bucket apart are not significantly different",
          "[cli][replications]") {
  // 28.966912 and 29.097984 ms: adjacent buckets of 0.131072 ms, the same in every replication.
  const std::string one_bucket = printed({28.966912, 29.097984});
  CHECK(one_bucket.find("latency_p90_ms (ms, lower is better): no significant best") != std::string::npos);
  CHECK(one_bucket.find("28.97 ± <0.13 (bucket)") != std::string::npos);
  CHECK(one_bucket.find("+0.131072 ± 0 ~") != std::string::npos);
  CHECK(one_bucket.find("± 0 !") == std::string::npos);
  // Three buckets apart: resolved, and base is best.
  const std::string three = printed({28.966912, 29.360128});
  CHECK(three.find("latency_p90_ms (ms, lower is better): best base") != std::string::npos);
  CHECK(three.find("+0.393216 ± 0 !") != std::string::npos);
}
