#include "models/config/scenario_config.hpp"

#include "models/faults/catalogue.hpp"

namespace models::config {

// These are the spellings scenario files use.

const char* to_string(FaultKind kind) { return faults::row(kind).name; }

const char* to_string(ServiceTimeKind kind) {
  switch (kind) {
    case ServiceTimeKind::Constant:
      return "constant";
    case ServiceTimeKind::Exponential:
      return "exponential";
    case ServiceTimeKind::LogNormal:
      return "lognormal";
  }
  return "unknown-service-time-kind";
}

}  // namespace models::config
