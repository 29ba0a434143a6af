#pragma once
// In-flight calls (one hop of a request tree: client -> entry pod, or pod -> pod) in a pool
// addressed by index. Slots are reused through a free list, so steady-state traffic allocates
// nothing; a generation number per slot tells stale events (for a call already finished) apart.

#include <array>
#include <cstdint>
#include <vector>

#include "models/faults/cause_sets.hpp"
#include "models/traffic/outcome.hpp"
#include "models/traffic/request_origin.hpp"
#include "sim/generational_pool.hpp"
#include "sim/time.hpp"

namespace models::traffic {

inline constexpr std::uint32_t kNoCall = 0xffffffffu;
inline constexpr std::size_t kRememberedHosts = 4;

/// Who serves a call: a pod does the work; a waypoint forwards it as attempts (calls of its own,
/// served by pods) and sees each attempt's result, which is where retries and outlier detection
/// happen.
enum class CallKind : std::uint8_t { ToPod, ToWaypoint };

struct Call {
  std::uint32_t generation = 0;
  std::uint32_t parent = kNoCall;       // the caller's call; kNoCall for a client request
  std::uint32_t parent_generation = 0;
  std::uint32_t workload = 0;           // the pod (or waypoint replica) serving it
  std::uint32_t service = 0;
  std::uint32_t next_call = 0;          // progress through the service's call list
  std::uint32_t prev_active = kNoCall;  // intrusive list of calls holding a slot of the pod
  std::uint32_t next_active = kNoCall;
  sim::SimTime sent_at{};
  sim::SimTime deadline{};
  sim::Duration one_way{};              // network path caller -> pod; responses take it back
  faults::CauseId cause = faults::kNoCause;  // the faults whose effects it met so far (faults/blame.hpp)
  // Client requests only.
  std::uint32_t client = 0;
  std::uint32_t step = 0;
  std::uint32_t pending = RequestOrigin::kNotPending;  // a retrying client's request
  std::uint32_t pending_generation = 0;
  std::uint16_t tier = 0;   // the gateway proxy tier it came through
  std::uint16_t route = 0;  // the HTTPRoute rule that matched
  bool is_root = false;
  bool caller_done = false;      // the caller has its answer (response or timeout)
  bool callee_done = false;      // the pod is finished with it (answered or lost it)
  bool response_pending = false; // a CallReturned event is on its way
  bool holds_slot = false;       // in service (or waiting on its own calls) at the pod
  bool has_timeout = false;      // a CallTimeout event will tell the caller when the deadline passes
  CallKind kind = CallKind::ToPod;
  // Attempts made by a waypoint: which host of its Envoy upstream, whether it is a retry, and
  // whether it still counts as in flight for the circuit breakers.
  std::uint32_t upstream_host = 0;
  bool is_retry = false;
  bool in_flight = false;
  // Calls made by a pod: how many times the caller has retried the current call itself.
  std::uint8_t call_retries = 0;
  // Calls to a waypoint: the attempts made so far and the hosts they went to (most recent last).
  std::uint8_t attempts = 0;
  std::uint8_t remembered = 0;
  std::array<std::uint32_t, kRememberedHosts> tried_hosts{};
};

/// What a waypoint learns of one attempt when its result comes back.
struct AttemptReport {
  std::uint32_t host = 0;
  bool is_retry = false;
};

/// In-flight calls by index (sim/generational_pool.hpp).
using CallPool = sim::GenerationalPool<Call>;

}  // namespace models::traffic
