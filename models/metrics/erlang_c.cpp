#include "models/metrics/erlang_c.hpp"

#include <limits>

namespace models::metrics {

MmcPrediction erlang_c(double arrival_rate, double mean_service_s, std::uint32_t servers) {
  MmcPrediction p;
  const double a = arrival_rate * mean_service_s;  // offered load, in servers
  const double c = servers;
  if (servers == 0 || a >= c) {
    p.stable = false;
    p.utilization = 1;
    p.wait_probability = 1;
    p.mean_wait_s = std::numeric_limits<double>::infinity();
    return p;
  }
  p.utilization = a / c;
  // Erlang B by its recurrence B(k) = a B(k-1) / (k + a B(k-1)), B(0) = 1 (stays in [0, 1] for
  // thousands of servers, where a^c / c! would overflow), then C = c B / (c - a (1 - B)).
  double b = 1;
  for (std::uint32_t k = 1; k <= servers; ++k) b = a * b / (k + a * b);
  p.wait_probability = c * b / (c - a * (1 - b));
  p.mean_wait_s = p.wait_probability * mean_service_s / (c - a);
  return p;
}

}  // namespace models::metrics
