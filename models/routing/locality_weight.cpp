#include "models/routing/locality_weight.hpp"

#include <algorithm>

namespace models::routing {

double effective_locality_weight(double weight, std::uint32_t eligible, std::uint32_t hosts, std::uint32_t excluded,
                                 std::uint32_t overprovisioning_percent) {
  if (hosts <= excluded) return 0.0;
  const double available_ratio = static_cast<double>(eligible) / (hosts - excluded);
  // 70% healthy * 1.4 = 0.98 of the weight; 72% or more saturates at the full weight.
  return weight * std::min(1.0, (overprovisioning_percent / 100.0) * available_ratio);
}

std::vector<double> effective_locality_weights(std::span<const LocalityHosts> localities,
                                               std::uint32_t overprovisioning_percent) {
  std::vector<double> effective;
  effective.reserve(localities.size());
  for (const auto& l : localities) {
    effective.push_back(effective_locality_weight(l.weight, l.eligible, l.hosts, l.excluded, overprovisioning_percent));
  }
  return effective;
}

std::vector<double> locality_pick_probabilities(std::span<const LocalityHosts> localities,
                                                std::uint32_t overprovisioning_percent) {
  std::vector<double> shares = effective_locality_weights(localities, overprovisioning_percent);
  double sum = 0.0;
  for (double w : shares) sum += w;
  for (double& w : shares) w = sum > 0.0 ? w / sum : 0.0;
  return shares;
}

LocalityEdfPicker::LocalityEdfPicker(std::span<const double> weights)
    : weights_(weights.begin(), weights.end()), deadlines_(weights.size()) {
  // Everyone starts at virtual time 0, so each first deadline is one period away: the heaviest
  // entry goes first.
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    deadlines_[i] = weights_[i] > 0.0 ? 1.0 / weights_[i] : 0.0;
  }
}

std::optional<std::size_t> LocalityEdfPicker::pick() {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    if (weights_[i] <= 0.0) continue;
    // Strict < keeps the lower index on equal deadlines, which makes the schedule deterministic.
    if (!best || deadlines_[i] < deadlines_[*best]) best = i;
  }
  if (best) deadlines_[*best] += 1.0 / weights_[*best];
  return best;
}

void LocalityEdfPicker::skip(std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!pick()) return;
  }
}

}  // namespace models::routing
