#pragma once
// Client groups: Poisson arrivals of requests at the group's rate over time (arrival_rate.hpp),
// each with a path (and so an HTTPRoute rule) drawn from the group's request mix, sent to the
// gateway VIP of their region or, with DNS, the one their process resolved. Every client request's
// outcome comes back here (request_origin.hpp) and goes to the metrics; a group with `retries`
// re-sends failed requests first (client_retries.hpp).

#include <cstdint>
#include <vector>

#include "models/events.hpp"
#include "models/fleet/fleet.hpp"
#include "models/metrics/attribution.hpp"
#include "models/traffic/client_retries.hpp"
#include "models/traffic/request_origin.hpp"

namespace models {
struct Subsystems;
}

namespace models::traffic {

class Clients {
 public:
  using Handles = EventList<ClientArrival, ClientRetry, ClientDeadline>;
  explicit Clients(Subsystems& s);

  void start();
  void on(const ClientArrival& e);
  void on(const ClientRetry& e);
  void on(const ClientDeadline& e);

  // What became of an attempt, from wherever on the path it ended. `learns_at`: when the answer
  // reaches the client (a retry is sent a back-off after it).
  void succeeded(const RequestOrigin& o, sim::SimTime sent_at, sim::SimTime done_at, std::uint32_t route,
                 std::uint32_t service, std::uint32_t cluster, faults::CauseId cause);
  void failed(const RequestOrigin& o, Failure reason, faults::CauseId cause, metrics::RequestPlace place,
              sim::SimTime learns_at);
  /// The attempt's answer came after its deadline, or never reached the client: a timeout.
  void unanswered(const RequestOrigin& o, faults::CauseId cause, metrics::RequestPlace place);
  /// The gateway sent the attempt on with this deadline (a retrying client's timer starts).
  void attempt_sent(const RequestOrigin& o, sim::SimTime deadline);

 private:
  void send(const RequestOrigin& o, std::uint32_t route, sim::RngStream& rng);
  /// Whether a retrying group re-sends after `reason`; if so the retry is scheduled.
  bool retry(PendingRequest& p, std::uint32_t slot, Failure reason, sim::SimTime learns_at);

  Subsystems& s_;
  sim::SimTime arrivals_end_;
  PendingRequests pending_;
  std::vector<RetryBudget> budgets_;  // by client group (groups without retries keep an unused one)
};

}  // namespace models::traffic
