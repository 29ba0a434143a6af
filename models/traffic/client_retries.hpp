#pragma once
// A retrying client group's requests still in progress, and its retry budget.
//
// A request keeps a slot from its first attempt until its outcome is final; each attempt has a
// generation, so an answer or a deadline of an attempt the client already gave up on is stale.
// The budget allows a retry while the group's retries over the last 10 s stay within a fraction
// of its requests over the same 10 s (Finagle's RetryBudget and the SRE book's per-client retry
// budget work this way; the 10 s window is Finagle's default TTL), counted in one-second buckets.

#include <array>
#include <cstdint>

#include "models/faults/cause_sets.hpp"
#include "models/metrics/attribution.hpp"
#include "sim/generational_pool.hpp"
#include "sim/time.hpp"

namespace models::traffic {

struct PendingRequest {
  std::uint32_t client = 0;
  std::uint32_t step = 0;        // when the request was first sent (its outcome counts there)
  std::uint32_t route = 0;
  std::uint32_t generation = 0;  // of the current attempt
  sim::SimTime first_sent{};     // the request's latency runs from here
  std::uint32_t attempt = 1;     // 1 = the first try
  bool timed_out = false;        // the last attempt passed its deadline: its late answer names the cause
  bool lost = false;             // the attempt's answer is lost (its gateway tier went down): the deadline decides
  faults::CauseId lost_cause = faults::kNoCause;
  metrics::RequestPlace lost_place;
};

/// A retrying group's requests by slot (sim/generational_pool.hpp).
using PendingRequests = sim::GenerationalPool<PendingRequest>;

class RetryBudget {
 public:
  static constexpr sim::Duration kWindow = std::chrono::seconds(10);
  static constexpr std::size_t kBuckets = kWindow / std::chrono::seconds(1);  // one per second
  void request(sim::SimTime now) { bucket(now).requests += 1; }
  void retry(sim::SimTime now) { bucket(now).retries += 1; }
  /// Whether one more retry keeps retries within `fraction` of requests over the window.
  bool allows(sim::SimTime now, double fraction);

 private:
  struct Bucket {
    std::int64_t second = -1;
    std::uint64_t requests = 0, retries = 0;
  };
  Bucket& bucket(sim::SimTime now);
  std::array<Bucket, kBuckets> buckets_{};
};

}  // namespace models::traffic
