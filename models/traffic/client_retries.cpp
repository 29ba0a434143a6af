#include "models/traffic/client_retries.hpp"

namespace models::traffic {

RetryBudget::Bucket& RetryBudget::bucket(sim::SimTime now) {
  const std::int64_t second = now.since_start() / std::chrono::seconds(1);
  Bucket& b = buckets_[static_cast<std::size_t>(second) % kBuckets];
  if (b.second != second) b = Bucket{second, 0, 0};
  return b;
}

bool RetryBudget::allows(sim::SimTime now, double fraction) {
  const std::int64_t second = now.since_start() / std::chrono::seconds(1);
  std::uint64_t requests = 0, retries = 0;
  for (const Bucket& b : buckets_) {
    if (b.second < 0 || b.second <= second - static_cast<std::int64_t>(kBuckets)) continue;
    requests += b.requests;
    retries += b.retries;
  }
  return static_cast<double>(retries + 1) <= fraction * static_cast<double>(requests);
}

}  // namespace models::traffic
