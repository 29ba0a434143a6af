#pragma once
// Client groups: Poisson arrivals of requests, each with a path (and so an HTTPRoute rule) drawn
// from the group's request mix, sent to the gateway VIP of their region or, with DNS, the one
// their process resolved.

#include <cstdint>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"

namespace models {
struct Subsystems;
}

namespace models::traffic {

class Clients {
 public:
  using Handles = EventList<ClientArrival>;
  explicit Clients(Subsystems& s);

  void start();
  void on(const ClientArrival& e);

 private:
  Subsystems& s_;
  sim::SimTime arrivals_end_;
};

}  // namespace models::traffic
