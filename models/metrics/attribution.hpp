#pragma once
// Bad client requests by cause: for each set of faults behind bad requests (faults/blame.hpp),
// how many failed and how many broke the latency SLO, per step (the step the client sent them
// in), per client group, and per route, entry service and serving cluster. Only requests with a
// cause are counted here; the rest of the bad requests are the "no fault" bucket.
//
// Memory follows the faults, not the run: a set's step counts start at the first step it was
// seen in, and sets exist only while faults overlap.

#include <cstdint>
#include <string>
#include <vector>

#include "models/faults/cause_sets.hpp"
#include "models/results/run_result.hpp"

namespace models::metrics {

/// Where a bad request was: kNoIndex where it never got that far (no route matched, the gateway
/// had no backend, ...).
struct RequestPlace {
  static constexpr std::uint32_t kNoIndex = 0xffffffffu;
  std::uint32_t route = kNoIndex, service = kNoIndex, cluster = kNoIndex;
};

class Attribution {
 public:
  Attribution(std::size_t clients, std::size_t routes, std::size_t services, std::size_t clusters)
      : clients_(clients), routes_(routes), services_(services), clusters_(clusters) {}

  /// A bad request of `client` sent in `step` whose cause is `cause` (not kNoCause).
  void bad(faults::CauseId cause, std::uint32_t client, std::size_t step, bool failed, RequestPlace place);

  /// One bucket per cause set seen, with the sets' fault indices and the names of the routes,
  /// services and clusters.
  std::vector<results::CauseBucket> buckets(const faults::CauseSets& sets, const std::vector<std::string>& routes,
                                            const std::vector<std::string>& services,
                                            const std::vector<std::string>& clusters) const;

 private:
  struct Bucket {
    std::size_t first_step = 0;
    std::vector<std::uint32_t> failed, slow;  // [step - first_step]
    std::vector<std::uint64_t> clients, routes, services, clusters;
  };
  std::size_t clients_, routes_, services_, clusters_;
  std::vector<Bucket> buckets_;  // by cause id; empty ones were never seen
};

}  // namespace models::metrics
