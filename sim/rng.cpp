#include "sim/rng.hpp"

#include <cmath>

namespace sim {
namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

RngStream::RngStream(std::uint64_t scenario_seed, std::uint64_t replication, std::string_view entity) {
  // Seed derivation: the entity name and the seed are mixed first, then the replication, so that
  // replications of one entity are independent streams. The state is filled by successive
  // SplitMix64 outputs, as xoshiro's authors recommend (never all zero).
  std::uint64_t x = splitmix64(splitmix64(scenario_seed ^ stable_key(entity)) + replication);
  for (auto& word : s_) {
    x += 0x9e3779b97f4a7c15ULL;
    word = splitmix64(x);
  }
}

std::uint64_t RngStream::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t RngStream::uniform_below(std::uint64_t bound) {
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double RngStream::exponential(double mean) { return -std::log1p(-uniform01()) * mean; }

double RngStream::standard_normal() {
  // 1 - u is in (0, 1], so the logarithm is finite.
  const double u1 = 1.0 - uniform01();
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

}  // namespace sim
