#pragma once
// Seeded random streams, one per entity, derived from (scenario seed, replication, stable name), so
// adding a component never shifts the numbers any other component draws (ns-3's stream-per-variable
// idea). The generator (xoshiro256**) and every distribution are written here by hand, because the
// standard library's distributions differ between implementations.
//
// Take one draw per statement: C++ leaves the order of function-argument evaluation unspecified.

#include <cstdint>
#include <string_view>

namespace sim {

/// SplitMix64 finaliser: a bijective 64-bit mix, used to derive seeds.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// FNV-1a over the bytes of a name: stable across platforms and runs.
constexpr std::uint64_t stable_key(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

class RngStream {
 public:
  RngStream() : RngStream(0, 0, "") {}
  RngStream(std::uint64_t scenario_seed, std::uint64_t replication, std::string_view entity);

  /// Next raw 64-bit output of xoshiro256**.
  std::uint64_t next_u64();
  /// Uniform in [0, 1), with 53 random bits (exact).
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, bound), bound > 0, without modulo bias (Lemire's method).
  std::uint64_t uniform_below(std::uint64_t bound);
  /// Exponential with the given mean (same unit as the mean).
  double exponential(double mean);
  /// Standard normal by Box-Muller (one value per call; the pair's second value is discarded
  /// so that the stream position never depends on history).
  double standard_normal();
  bool bernoulli(double p) { return uniform01() < p; }

 private:
  std::uint64_t s_[4];
};

}  // namespace sim
