#include "models/results/point_series.hpp"

#include <stdexcept>
#include <vector>

#include "models/results/run_result.hpp"

namespace models::results {

namespace {
// A point's row: start, the five counts (retries last), the five latencies, then failures by reason and
// requests by region. Durations keep their bits (two's complement) through the cast.
constexpr std::size_t kFixedWords = 11;
}  // namespace

void PointSeries::push_back(const SeriesPoint& p) {
  if (size() == 0) {
    reasons_ = p.counts.failures_by_reason.size();
    regions_ = p.counts.served_by_region.size();
    log_ = sim::StepLog(kFixedWords + reasons_ + regions_);
  } else if (p.counts.failures_by_reason.size() != reasons_ || p.counts.served_by_region.size() != regions_) {
    throw std::invalid_argument("every point of a series counts the same failure reasons and regions");
  }
  std::vector<std::uint64_t> row{static_cast<std::uint64_t>(p.start.count()),
                                 p.counts.requests,
                                 p.counts.succeeded,
                                 p.counts.failed,
                                 p.counts.slow,
                                 p.counts.retries,
                                 static_cast<std::uint64_t>(p.latency.p50.count()),
                                 static_cast<std::uint64_t>(p.latency.p90.count()),
                                 static_cast<std::uint64_t>(p.latency.p99.count()),
                                 static_cast<std::uint64_t>(p.latency.p999.count()),
                                 static_cast<std::uint64_t>(p.latency.max.count())};
  row.insert(row.end(), p.counts.failures_by_reason.begin(), p.counts.failures_by_reason.end());
  row.insert(row.end(), p.counts.served_by_region.begin(), p.counts.served_by_region.end());
  log_.append(row.data());
}

SeriesPoint PointSeries::operator[](std::size_t k) const {
  std::vector<std::uint64_t> row(log_.width());
  log_.read(k, row.data());
  const auto duration = [](std::uint64_t bits) { return Duration{static_cast<std::int64_t>(bits)}; };
  SeriesPoint p;
  p.start = duration(row[0]);
  p.counts.requests = row[1];
  p.counts.succeeded = row[2];
  p.counts.failed = row[3];
  p.counts.slow = row[4];
  p.counts.retries = row[5];
  p.latency = LatencySummary{duration(row[6]), duration(row[7]), duration(row[8]), duration(row[9]), duration(row[10]), Duration{}};
  const auto reasons = row.begin() + static_cast<std::ptrdiff_t>(kFixedWords);
  p.counts.failures_by_reason.assign(reasons, reasons + static_cast<std::ptrdiff_t>(reasons_));
  p.counts.served_by_region.assign(reasons + static_cast<std::ptrdiff_t>(reasons_), row.end());
  return p;
}

SeriesPoint PointSeries::front() const { return (*this)[0]; }
SeriesPoint PointSeries::back() const { return (*this)[size() - 1]; }

}  // namespace models::results
