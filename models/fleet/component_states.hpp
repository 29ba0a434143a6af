#pragma once
// Whether each component of the fleet graph is up: the count of active causes (faults) holding it
// down. Whoever holds or releases a component announces a change through
// Subsystems::component_down / component_up, which tells every listener in a fixed order.

#include <cstdint>
#include <vector>

#include "models/topology/component.hpp"

namespace models {

class ComponentStates {
 public:
  explicit ComponentStates(std::size_t components) : down_causes_(components, 0) {}

  bool is_up(topology::ComponentId c) const { return down_causes_[c.index()] == 0; }
  /// One more cause holds `c` down: true when it just went down.
  bool hold(topology::ComponentId c) { return down_causes_[c.index()]++ == 0; }
  /// One cause less: true when it just came back.
  bool release(topology::ComponentId c) { return --down_causes_[c.index()] == 0; }

 private:
  std::vector<std::uint16_t> down_causes_;  // by component id
};

}  // namespace models
