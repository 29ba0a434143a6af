#include "reports/slo_target.hpp"

#include <algorithm>
#include <cmath>

namespace reports {

std::optional<double> slo_target_from_budget(std::span<const double> good, std::span<const double> burned) {
  for (std::size_t i = 0; i < std::min(good.size(), burned.size()); ++i)
    if (std::isfinite(good[i]) && std::isfinite(burned[i]) && burned[i] > 0 && good[i] < 1)
      return std::round((1 - (1 - good[i]) / burned[i]) * 1e9) / 1e9;
  return std::nullopt;
}

}  // namespace reports
