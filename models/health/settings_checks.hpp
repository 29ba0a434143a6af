#pragma once
// Checks of Envoy health settings that Envoy itself would reject, as messages ("interval must be
// positive, got 0s"); shared by the outlier detector and the active health checker.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.hpp"

namespace models::health {

inline void check_positive(std::vector<std::string>& issues, std::string_view name, sim::Duration value) {
  if (value <= sim::Duration::zero())
    issues.push_back(std::string(name) + " must be positive, got " + sim::format_duration(value));
}

inline void check_not_negative(std::vector<std::string>& issues, std::string_view name, sim::Duration value) {
  if (value < sim::Duration::zero())
    issues.push_back(std::string(name) + " must not be negative, got " + sim::format_duration(value));
}

inline void check_percent(std::vector<std::string>& issues, std::string_view name, std::uint32_t value) {
  if (value > 100)
    issues.push_back(std::string(name) + " must be a percentage between 0 and 100, got " + std::to_string(value));
}

}  // namespace models::health
