#pragma once
// The M/M/c queue (Erlang C): Poisson arrivals at rate lambda, c servers each serving at rate mu
// (exponential service times). Offered load a = lambda / mu, utilization rho = a / c; an arrival
// waits with probability C(c, a), and the mean wait is Wq = C(c, a) / (c mu - lambda).

#include <cstdint>

namespace models::metrics {

struct MmcPrediction {
  double utilization = 0;       // rho = lambda / (c mu)
  double wait_probability = 0;  // Erlang C: P(an arrival waits)
  double mean_wait_s = 0;       // Wq, seconds
  bool stable = true;           // rho < 1; else the queue grows without bound (the others are 1, 1, inf)
};

MmcPrediction erlang_c(double arrival_rate, double mean_service_s, std::uint32_t servers);

}  // namespace models::metrics
