#include "reports/histogram_resolution.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "sim/histogram.hpp"

namespace reports {

bool is_histogram_quantile(std::string_view metric, std::string_view unit) {
  if (unit != "ms" || !metric.ends_with("_ms")) return false;
  const std::size_t slash = metric.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? metric : metric.substr(slash + 1);
  return last.starts_with("latency_p");
}

double histogram_resolution_ms(double ms) {
  if (!(ms > 0) || !std::isfinite(ms)) return 1e-6;  // below 128 ns the histogram counts every nanosecond
  const double ns = std::min(ms * 1e6, 9.0e18);
  const auto bucket = sim::LatencyHistogram::bucket_of(static_cast<std::int64_t>(ns));
  return static_cast<double>(sim::LatencyHistogram::bucket_width(bucket)) / 1e6;
}

bool difference_resolved(double difference_ms, double half_width_ms, double mean_a_ms, double mean_b_ms) {
  const double resolution = histogram_resolution_ms(std::max(mean_a_ms, mean_b_ms));
  return std::fabs(difference_ms) > std::max(0.0, half_width_ms) + resolution;
}

}  // namespace reports
