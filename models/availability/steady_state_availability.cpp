#include "models/availability/steady_state_availability.hpp"

#include <algorithm>

namespace models::availability {

const char* to_string(Method method) {
  switch (method) {
    case Method::ExactChain: return "exact-markov-chain";
    case Method::RareEventPairs: return "rare-event-pairs";
    case Method::RareEventSingles: return "rare-event-singles";
  }
  return "";
}

AnalyticAvailability steady_state_availability(std::span<const RepairableComponent> components,
                                               const StructureFunction& success) {
  const std::size_t n = components.size();
  AnalyticAvailability out;
  out.components = n;
  std::vector<std::uint32_t> down;
  if (n <= kMaxExactComponents) {
    const std::vector<double> pi = steady_state(components);
    double availability = 0;
    for (std::size_t s = 0; s < pi.size(); ++s) {
      down.clear();
      for (std::uint32_t i = 0; i < n; ++i)
        if ((s >> i) & 1) down.push_back(i);
      availability += pi[s] * success(down);
    }
    out.availability = availability;
    out.states = pi.size();
    return out;
  }
  // g(S) = 1 - success(S down); E[g] ~ g(0) + sum_i m_i q_i + sum_{i<j} m_ij q_i q_j.
  const double g0 = 1.0 - success(down);
  std::vector<double> g1(n), q(n);
  double unavailability = g0;
  for (std::uint32_t i = 0; i < n; ++i) {
    q[i] = components[i].unavailability();
    down.assign({i});
    g1[i] = 1.0 - success(down);
    unavailability += (g1[i] - g0) * q[i];
  }
  std::vector<double> sorted_q = q;
  std::sort(sorted_q.begin(), sorted_q.end(), std::greater<>());
  if (n <= kMaxPairwiseComponents) {
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = i + 1; j < n; ++j) {
        down.assign({i, j});
        const double mobius = (1.0 - success(down)) - g1[i] - g1[j] + g0;
        unavailability += mobius * q[i] * q[j];
      }
    out.method = Method::RareEventPairs;
    out.largest_neglected = sorted_q[0] * sorted_q[1] * sorted_q[2];
  } else {
    out.method = Method::RareEventSingles;
    out.largest_neglected = sorted_q[0] * sorted_q[1];
  }
  out.availability = std::clamp(1.0 - unavailability, 0.0, 1.0);
  return out;
}

}  // namespace models::availability
