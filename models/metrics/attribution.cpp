#include "models/metrics/attribution.hpp"

namespace models::metrics {

void Attribution::bad(faults::CauseId cause, std::uint32_t client, std::size_t step, bool failed, RequestPlace place) {
  if (cause >= buckets_.size()) buckets_.resize(cause + 1);
  Bucket& b = buckets_[cause];
  if (b.clients.empty()) {
    b.first_step = step;
    b.clients.assign(clients_, 0);
    b.routes.assign(routes_, 0);
    b.services.assign(services_, 0);
    b.clusters.assign(clusters_, 0);
  }
  if (step < b.first_step) {  // a late answer for a step before the first one seen
    const std::size_t shift = b.first_step - step;
    b.failed.insert(b.failed.begin(), shift, 0);
    b.slow.insert(b.slow.begin(), shift, 0);
    b.first_step = step;
  }
  const std::size_t k = step - b.first_step;
  if (k >= b.failed.size()) {
    b.failed.resize(k + 1, 0);
    b.slow.resize(k + 1, 0);
  }
  ++(failed ? b.failed : b.slow)[k];
  ++b.clients[client];
  if (place.route != RequestPlace::kNoIndex) ++b.routes[place.route];
  if (place.service != RequestPlace::kNoIndex) ++b.services[place.service];
  if (place.cluster != RequestPlace::kNoIndex) ++b.clusters[place.cluster];
}

std::vector<results::CauseBucket> Attribution::buckets(const faults::CauseSets& sets, const std::vector<std::string>& routes,
                                                       const std::vector<std::string>& services,
                                                       const std::vector<std::string>& clusters) const {
  std::vector<results::CauseBucket> out;
  const auto named = [](const std::vector<std::uint64_t>& counts, const std::vector<std::string>& names) {
    std::vector<std::pair<std::string, std::uint64_t>> v;
    for (std::size_t i = 0; i < counts.size() && i < names.size(); ++i)
      if (counts[i] > 0) v.emplace_back(names[i], counts[i]);
    return v;
  };
  for (std::size_t id = 1; id < buckets_.size(); ++id) {
    const Bucket& b = buckets_[id];
    if (b.clients.empty()) continue;
    results::CauseBucket c;
    const auto faults = sets.faults(static_cast<faults::CauseId>(id));
    c.faults.assign(faults.begin(), faults.end());
    c.first_step = b.first_step;
    c.failed = b.failed;
    c.slow = b.slow;
    c.clients = b.clients;
    c.routes = named(b.routes, routes);
    c.services = named(b.services, services);
    c.clusters = named(b.clusters, clusters);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace models::metrics
