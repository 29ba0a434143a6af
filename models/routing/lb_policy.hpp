#pragma once
// Envoy's per-cluster load-balancing policies for the last step of the pipeline (ROUTING.md §1.1
// step 5): choosing one host from the candidate list that priority, panic and locality selection
// left. Unweighted. Pure functions; the owner keeps the state (round-robin cursor, active-request
// counts) and passes its RNG stream.
//
// Hosts are dense indices into the owner's arrays; `hosts` lists the candidates and must not be
// empty. Every function returns one element of `hosts`.

#include <cstdint>
#include <span>

#include "sim/rng.hpp"

namespace models::routing {

enum class LbPolicy : std::uint8_t { RoundRobin, LeastRequest, Random };

/// Envoy's default number of random candidates for LEAST_REQUEST ("power of two choices").
inline constexpr std::uint32_t kDefaultLeastRequestChoiceCount = 2;

/// ROUND_ROBIN: `hosts[cursor % n]`, then the cursor moves past it. The owner may start the
/// cursor anywhere (Envoy starts it at a random offset per worker).
std::uint32_t pick_round_robin(std::span<const std::uint32_t> hosts, std::uint32_t& cursor);

/// LEAST_REQUEST, unweighted: draw `choice_count` candidates uniformly, with replacement (the same
/// host may come up twice), and keep the one with the fewest active requests; on a tie the
/// earlier draw wins. `active_requests_by_host` is indexed by host index, not by position.
std::uint32_t pick_least_request(std::span<const std::uint32_t> hosts,
                                 std::span<const std::uint32_t> active_requests_by_host, sim::RngStream& rng,
                                 std::uint32_t choice_count = kDefaultLeastRequestChoiceCount);

/// RANDOM: one uniform draw.
std::uint32_t pick_random(std::span<const std::uint32_t> hosts, sim::RngStream& rng);

/// Dispatches on `policy`; only the state that policy uses is read or changed.
std::uint32_t pick_host(LbPolicy policy, std::span<const std::uint32_t> hosts,
                        std::span<const std::uint32_t> active_requests_by_host, std::uint32_t& round_robin_cursor,
                        sim::RngStream& rng);

constexpr const char* to_string(LbPolicy policy) {
  switch (policy) {
    case LbPolicy::RoundRobin:
      return "ROUND_ROBIN";
    case LbPolicy::LeastRequest:
      return "LEAST_REQUEST";
    case LbPolicy::Random:
      return "RANDOM";
  }
  return "?";
}

}  // namespace models::routing
