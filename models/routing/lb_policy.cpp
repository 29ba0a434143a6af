#include "models/routing/lb_policy.hpp"

#include <cassert>

namespace models::routing {

std::uint32_t pick_round_robin(std::span<const std::uint32_t> hosts, std::uint32_t& cursor) {
  assert(!hosts.empty());
  const auto n = static_cast<std::uint32_t>(hosts.size());
  // Keeping the cursor below n gives the same sequence as an ever-growing index while the list is
  // stable, and a valid position when it shrinks.
  const std::uint32_t position = cursor % n;
  cursor = position + 1;
  return hosts[position];
}

std::uint32_t pick_least_request(std::span<const std::uint32_t> hosts,
                                 std::span<const std::uint32_t> active_requests_by_host, sim::RngStream& rng,
                                 std::uint32_t choice_count) {
  assert(!hosts.empty());
  std::uint32_t best = hosts[rng.uniform_below(hosts.size())];
  for (std::uint32_t choice = 1; choice < choice_count; ++choice) {
    const std::uint32_t candidate = hosts[rng.uniform_below(hosts.size())];
    // Strictly fewer: on a tie the earlier draw stays.
    if (active_requests_by_host[candidate] < active_requests_by_host[best]) best = candidate;
  }
  return best;
}

std::uint32_t pick_random(std::span<const std::uint32_t> hosts, sim::RngStream& rng) {
  assert(!hosts.empty());
  return hosts[rng.uniform_below(hosts.size())];
}

std::uint32_t pick_host(LbPolicy policy, std::span<const std::uint32_t> hosts,
                        std::span<const std::uint32_t> active_requests_by_host, std::uint32_t& round_robin_cursor,
                        sim::RngStream& rng) {
  switch (policy) {
    case LbPolicy::RoundRobin:
      return pick_round_robin(hosts, round_robin_cursor);
    case LbPolicy::LeastRequest:
      return pick_least_request(hosts, active_requests_by_host, rng);
    case LbPolicy::Random:
      return pick_random(hosts, rng);
  }
  return hosts[0];
}

}  // namespace models::routing
