#include "models/routing/gclb_waterfall.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace models::routing {
namespace {

constexpr double kUnlimited = std::numeric_limits<double>::infinity();

// Shortest round-trip text of a number, independent of the locale.
std::string number_text(double value) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc{} ? std::string(buffer, end) : std::string("?");
}

std::string field(std::size_t index, const char* name) {
  return "backends[" + std::to_string(index) + "]." + name;
}

// healthy / endpoints < percent / 100, in integers so that 69/70/71 % edges are exact.
bool healthy_below(const WaterfallBackend& b, std::uint32_t percent) {
  return 100ULL * b.healthy_endpoints < static_cast<std::uint64_t>(percent) * b.endpoints;
}

// One usable backend of the region being filled.
struct Member {
  std::size_t index = 0;
  double residual = 0;  // capacity not yet taken by other tiers or by earlier placement
  double weight = 0;    // healthy endpoints x capacityScaler, for regions with an unlimited backend
};

// Places `load` on the members of one region and returns how much it placed. With `capped`, no
// limited backend goes beyond its residual capacity; without it (the zero-load probe) the whole
// load is split by proportion only.
double place_in_region(double load, std::span<const Member> members, bool capped, std::vector<double>& placed) {
  const bool any_unlimited =
      std::any_of(members.begin(), members.end(), [](const Member& m) { return std::isinf(m.residual); });
  if (!any_unlimited) {
    double residual = 0;
    for (const Member& m : members) residual += m.residual;
    if (residual <= 0) return 0;
    // Proportional to residual capacity: every backend reaches capacity at the same moment.
    const double here = capped ? std::min(load, residual) : load;
    for (const Member& m : members) placed[m.index] += here * (m.residual / residual);
    return here;
  }
  // A region with an unlimited backend is never full. Capacities have no common unit here, so the
  // split follows healthy endpoints x capacityScaler; limited backends stop at their residual and
  // the unlimited ones take the rest [our choice].
  double total_weight = 0, unlimited_weight = 0;
  for (const Member& m : members) {
    total_weight += m.weight;
    if (std::isinf(m.residual)) unlimited_weight += m.weight;
  }
  double given = 0;
  for (const Member& m : members) {
    if (std::isinf(m.residual)) continue;
    double part = load * (m.weight / total_weight);
    if (capped) part = std::min(part, m.residual);
    placed[m.index] += part;
    given += part;
  }
  const double left = load - given;
  for (const Member& m : members)
    if (std::isinf(m.residual)) placed[m.index] += left * (m.weight / unlimited_weight);
  return load;
}

}  // namespace

double backend_capacity(const WaterfallBackend& backend) {
  if (backend.capacity_scaler <= 0 || backend.healthy_endpoints == 0) return 0;
  double per_endpoint = kUnlimited;  // no maximum configured: unlimited [our choice, ROUTING.md 7.3 ⚠]
  switch (backend.balancing_mode) {
    case BalancingMode::Rate:
      if (backend.max_rate_per_endpoint) per_endpoint = *backend.max_rate_per_endpoint;
      break;
    case BalancingMode::Utilization:
      if (backend.max_utilization) per_endpoint = *backend.max_utilization * backend.endpoint_service_rate;
      break;
  }
  if (!(per_endpoint > 0)) return 0;
  if (std::isinf(per_endpoint)) return kUnlimited;
  return static_cast<double>(backend.healthy_endpoints) * per_endpoint * backend.capacity_scaler;
}

std::vector<BackendStatus> classify_backends(std::span<const WaterfallBackend> backends,
                                             const WaterfallPolicy& policy) {
  std::vector<BackendStatus> status(backends.size(), BackendStatus::Usable);
  for (std::size_t i = 0; i < backends.size(); ++i) {
    const WaterfallBackend& b = backends[i];
    if (b.capacity_scaler <= 0) {
      status[i] = BackendStatus::Drained;
    } else if (backend_capacity(b) <= 0) {
      status[i] = BackendStatus::NoCapacity;
    } else if (healthy_below(b, policy.failover_health_threshold)) {
      // Strictly below: with T = 70, 69/100 fails over, 70/100 and 71/100 do not.
      status[i] = BackendStatus::FailingOver;
    }
  }
  if (!policy.auto_capacity_drain) return status;

  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < backends.size(); ++i) {
    const WaterfallBackend& b = backends[i];
    if (b.capacity_scaler > 0 && b.endpoints > 0 && healthy_below(b, kAutoCapacityDrainHealthyPercent))
      candidates.push_back(i);
  }
  // Never more than 50% of the NEGs: 4 NEGs -> at most 2, 3 -> 1, 1 -> 0.
  const std::size_t cap = backends.size() * kAutoCapacityDrainMaxPercent / 100;
  if (candidates.size() > cap) {
    // Least healthy first: a.h / a.e < b.h / b.e compared as a.h * b.e < b.h * a.e; then by index.
    std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
      const auto lhs = static_cast<std::uint64_t>(backends[a].healthy_endpoints) * backends[b].endpoints;
      const auto rhs = static_cast<std::uint64_t>(backends[b].healthy_endpoints) * backends[a].endpoints;
      return lhs < rhs;
    });
    candidates.resize(cap);
  }
  for (std::size_t i : candidates) status[i] = BackendStatus::AutoDrained;
  return status;
}

bool WaterfallShares::serves() const {
  return std::any_of(share.begin(), share.end(), [](double s) { return s > 0; });
}

WaterfallShares waterfall_shares(std::span<const WaterfallBackend> backends,
                                 std::span<const std::uint32_t> region_preference, double offered_rps,
                                 std::span<const double> load_from_other_tiers, const WaterfallPolicy& policy) {
  const std::size_t n = backends.size();
  WaterfallShares result;
  result.share.assign(n, 0.0);
  result.placed_rps.assign(n, 0.0);
  result.status = classify_backends(backends, policy);

  const auto reachable = [&](std::size_t i) {
    return std::find(region_preference.begin(), region_preference.end(), backends[i].region) !=
           region_preference.end();
  };
  // The backends this tier may use: the Usable ones it can reach; if there are none, the
  // FailingOver ones ("traffic goes to failover backends if possible").
  std::vector<bool> active(n, false);
  bool any_active = false;
  for (std::size_t i = 0; i < n; ++i) {
    active[i] = result.status[i] == BackendStatus::Usable && reachable(i);
    any_active = any_active || active[i];
  }
  if (!any_active) {
    for (std::size_t i = 0; i < n; ++i) {
      active[i] = result.status[i] == BackendStatus::FailingOver && reachable(i);
      any_active = any_active || active[i];
    }
    result.failover_fallback = any_active;
  }
  if (!any_active) return result;  // nothing can serve: all shares 0, the request gets a 503

  std::vector<double> capacity(n, 0.0), residual(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!active[i]) continue;
    capacity[i] = backend_capacity(backends[i]);
    const double others = i < load_from_other_tiers.size() ? std::max(0.0, load_from_other_tiers[i]) : 0.0;
    residual[i] = std::max(0.0, capacity[i] - others);  // +inf stays +inf
  }

  // With no offered load, place one probe unit uncapped in the first region that has room: the
  // shares an infinitesimal load would get.
  const bool probe = !(offered_rps > 0);
  const double load = probe ? 1.0 : offered_rps;
  std::vector<double> placed(n, 0.0);
  double remaining = load;
  std::vector<Member> members;
  for (const std::uint32_t region : region_preference) {
    members.clear();
    for (std::size_t i = 0; i < n; ++i) {
      if (!active[i] || backends[i].region != region) continue;
      const double room = std::isinf(residual[i]) ? kUnlimited : std::max(0.0, residual[i] - placed[i]);
      if (room <= 0) continue;
      members.push_back({i, room, static_cast<double>(backends[i].healthy_endpoints) * backends[i].capacity_scaler});
    }
    if (members.empty()) continue;
    remaining -= place_in_region(remaining, members, /*capped=*/!probe, placed);
    // A relative tolerance absorbs the rounding of min(load, residual) sums.
    if (probe || remaining <= load * 1e-12) {
      remaining = 0;
      break;
    }
  }
  if (remaining > 0) {
    // Every usable backend is at capacity (or fully taken by other tiers): spread the excess in
    // proportion to capacity rather than reject it [our choice]. Capacities are finite here, since an
    // unlimited backend would have absorbed everything.
    double total_capacity = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (active[i]) total_capacity += capacity[i];
    for (std::size_t i = 0; i < n; ++i)
      if (active[i]) placed[i] += remaining * (capacity[i] / total_capacity);
    if (!probe) result.over_capacity_rps = remaining;
  }
  for (std::size_t i = 0; i < n; ++i) {
    result.share[i] = placed[i] / load;
    result.placed_rps[i] = probe ? 0.0 : placed[i];
  }
  return result;
}

std::vector<std::string> validate_waterfall_config(std::span<const WaterfallBackend> backends,
                                                   const WaterfallPolicy& policy) {
  std::vector<std::string> issues;
  for (std::size_t i = 0; i < backends.size(); ++i) {
    const WaterfallBackend& b = backends[i];
    const double s = b.capacity_scaler;
    if (!(s == 0.0 || (s >= 0.1 && s <= 1.0))) {
      issues.push_back(field(i, "capacity_scaler") + ": expected 0 or a value in [0.1, 1.0], got " + number_text(s));
    } else if (s == 0.0 && backends.size() == 1) {
      issues.push_back(field(i, "capacity_scaler") + ": cannot be 0 when it is the only backend");
    }
    if (b.healthy_endpoints > b.endpoints) {
      issues.push_back(field(i, "healthy_endpoints") + ": expected at most endpoints (" + std::to_string(b.endpoints) +
                       "), got " + std::to_string(b.healthy_endpoints));
    }
    if (b.max_rate_per_endpoint && !(*b.max_rate_per_endpoint >= 0 && std::isfinite(*b.max_rate_per_endpoint))) {
      issues.push_back(field(i, "max_rate_per_endpoint") + ": expected a rate >= 0, got " +
                       number_text(*b.max_rate_per_endpoint));
    }
    if (b.max_utilization && !(*b.max_utilization >= 0 && *b.max_utilization <= 1)) {
      issues.push_back(field(i, "max_utilization") + ": expected a value in [0, 1], got " +
                       number_text(*b.max_utilization));
    }
    if (!(b.endpoint_service_rate >= 0 && std::isfinite(b.endpoint_service_rate))) {
      issues.push_back(field(i, "endpoint_service_rate") + ": expected a rate >= 0, got " +
                       number_text(b.endpoint_service_rate));
    } else if (b.balancing_mode == BalancingMode::Utilization && b.max_utilization && b.endpoint_service_rate == 0) {
      issues.push_back(field(i, "endpoint_service_rate") +
                       ": expected a rate > 0 in UTILIZATION mode with max_utilization, got 0");
    }
  }
  if (policy.failover_health_threshold < 1 || policy.failover_health_threshold > 99) {
    issues.push_back("failover_health_threshold: expected an integer in 1..99, got " +
                     std::to_string(policy.failover_health_threshold));
  }
  return issues;
}

std::vector<std::string> validate_waterfall_load(std::size_t backend_count, double offered_rps,
                                                 std::span<const double> load_from_other_tiers) {
  std::vector<std::string> issues;
  if (!(offered_rps >= 0 && std::isfinite(offered_rps)))
    issues.push_back("offered_rps: expected a rate >= 0, got " + number_text(offered_rps));
  if (!load_from_other_tiers.empty() && load_from_other_tiers.size() != backend_count) {
    issues.push_back("load_from_other_tiers: expected " + std::to_string(backend_count) +
                     " values (one per backend) or none, got " + std::to_string(load_from_other_tiers.size()));
  }
  for (std::size_t i = 0; i < load_from_other_tiers.size(); ++i) {
    const double v = load_from_other_tiers[i];
    if (!(v >= 0 && std::isfinite(v)))
      issues.push_back("load_from_other_tiers[" + std::to_string(i) + "]: expected a rate >= 0, got " + number_text(v));
  }
  return issues;
}

WaterfallPicker::WaterfallPicker(std::size_t backend_count)
    : share_(backend_count, 0.0), credit_(backend_count, 0.0), endpoints_(backend_count), cursor_(backend_count, 0) {}

void WaterfallPicker::set_shares(std::span<const double> shares) {
  for (std::size_t i = 0; i < share_.size(); ++i) share_[i] = i < shares.size() ? std::max(0.0, shares[i]) : 0.0;
  std::fill(credit_.begin(), credit_.end(), 0.0);
}

void WaterfallPicker::set_healthy_endpoints(std::size_t backend, std::vector<std::uint32_t> endpoints) {
  endpoints_[backend] = std::move(endpoints);
}

std::optional<WaterfallPick> WaterfallPicker::pick() {
  // Smooth weighted round robin (as in nginx): with shares 0.75/0.25 the sequence is A A B A ...
  double total = 0;
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < share_.size(); ++i) {
    if (share_[i] <= 0 || endpoints_[i].empty()) continue;
    credit_[i] += share_[i];
    total += share_[i];
    if (!best || credit_[i] > credit_[*best]) best = i;
  }
  if (!best) return std::nullopt;
  credit_[*best] -= total;
  const std::size_t b = *best;
  const auto& eps = endpoints_[b];
  const auto size = static_cast<std::uint32_t>(eps.size());
  const std::uint32_t at = cursor_[b] % size;
  cursor_[b] = (at + 1) % size;
  return WaterfallPick{b, eps[at]};
}

}  // namespace models::routing
