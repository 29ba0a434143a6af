#pragma once
// A number as text with a fixed number of decimals and a unit ("131%", "21.0 ms", "1500/s"), for
// messages: printf's rounding, the same on every platform this builds on.

#include <cstdio>
#include <string>
#include <string_view>

namespace sim {

inline std::string fixed_text(double value, int decimals, std::string_view unit = "") {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return std::string(buf) + std::string(unit);
}

}  // namespace sim
