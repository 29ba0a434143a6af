#pragma once
// Envoy's locality-weighted load balancing (ROUTING.md 1.6): after the priority is chosen and when
// it is not in panic, a locality inside it is picked in proportion to its effective weight, the
// configured weight scaled down by how much of the locality is available (with the same
// overprovisioning factor as priorities). Then a host is picked inside that locality.
// https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/locality_weight

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace models::routing {

/// weight * min(1, overprovisioning/100 * eligible / (hosts - excluded)), in doubles as Envoy
/// computes it; 0 when the locality has no non-excluded host. `eligible` is the healthy count
/// (or the degraded count when picking among degraded hosts).
[[nodiscard]] double effective_locality_weight(double weight, std::uint32_t eligible, std::uint32_t hosts,
                                               std::uint32_t excluded, std::uint32_t overprovisioning_percent = 140);

/// One locality of a priority level, as the locality picker sees it.
struct LocalityHosts {
  double weight = 1.0;  ///< `load_balancing_weight` from the control plane
  std::uint32_t eligible = 0;
  std::uint32_t hosts = 0;
  std::uint32_t excluded = 0;
};

/// Effective weights of `localities` (same order), per `effective_locality_weight`.
[[nodiscard]] std::vector<double> effective_locality_weights(std::span<const LocalityHosts> localities,
                                                             std::uint32_t overprovisioning_percent = 140);

/// Long-run share of picks each locality gets: effective_L / sum of effective. All zeros when no
/// locality has an effective weight (Envoy then picks no locality).
[[nodiscard]] std::vector<double> locality_pick_probabilities(std::span<const LocalityHosts> localities,
                                                              std::uint32_t overprovisioning_percent = 140);

/// Deterministic earliest-deadline-first schedule over locality weights, the scheme Envoy uses
/// for localities: entry i is due every 1/w_i units of virtual time, each pick takes the entry with
/// the earliest deadline (ties to the lower index) and moves its deadline 1/w_i later. Over any
/// prefix of n picks, entry i's count stays within about one pick of n * w_i / sum(w).
/// Entries of weight <= 0 are never picked. Weights are fixed; when they change (health or
/// membership), build a new picker, as Envoy rebuilds its schedule. O(localities) per pick.
class LocalityEdfPicker {
 public:
  explicit LocalityEdfPicker(std::span<const double> weights);

  /// Index of the next locality, or nothing when every weight is <= 0.
  std::optional<std::size_t> pick();

  /// Skips `count` picks. A fresh schedule always starts with the heaviest entry; many proxies
  /// rebuilt at the same instant would all start alike, so a caller may skip a number of picks
  /// drawn from the proxy's own RNG stream.
  void skip(std::uint64_t count);

 private:
  std::vector<double> weights_;
  std::vector<double> deadlines_;
};

}  // namespace models::routing
