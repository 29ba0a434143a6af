#include "models/routing/istio_locality_priority.hpp"

#include <algorithm>
#include <optional>

namespace models::routing {
namespace {

/// A failoverPriority entry: `key`, or `key=value` to compare with a literal instead of the proxy.
struct PriorityLabel {
  std::string_view key;
  std::optional<std::string_view> literal;
};

PriorityLabel parse_priority_label(std::string_view entry) {
  const auto eq = entry.find('=');
  if (eq == std::string_view::npos) return {entry, std::nullopt};
  return {entry.substr(0, eq), entry.substr(eq + 1)};
}

/// Index of the first entry at or after `from` whose endpoint value differs from the wanted one.
std::optional<std::size_t> first_mismatch(const LocalityAndLabels& proxy, const LocalityAndLabels& endpoint,
                                          std::span<const std::string> entries, std::size_t from) {
  for (std::size_t j = from; j < entries.size(); ++j) {
    const PriorityLabel label = parse_priority_label(entries[j]);
    const std::string_view wanted = label.literal ? *label.literal : label_value(proxy, label.key);
    if (label_value(endpoint, label.key) != wanted) return j;
  }
  return std::nullopt;
}

// The lists Istio forces for Service trafficDistribution (ROUTING.md 5.1).
const std::vector<std::string>& forced_failover_priority(TrafficDistribution td) {
  static const std::vector<std::string> same_zone{std::string(kNetworkLabel), std::string(kRegionLabel),
                                                  std::string(kZoneLabel)};
  static const std::vector<std::string> same_node{std::string(kNetworkLabel), std::string(kRegionLabel),
                                                  std::string(kZoneLabel), std::string(kSubzoneLabel),
                                                  std::string(kHostnameLabel)};
  return td == TrafficDistribution::PreferSameNode ? same_node : same_zone;
}

}  // namespace

std::string_view label_value(const LocalityAndLabels& who, std::string_view key) {
  for (const auto& [k, v] : who.labels) {
    if (k == key) return v;
  }
  if (key == kRegionLabel) return who.locality.region;
  if (key == kZoneLabel) return who.locality.zone;
  if (key == kSubzoneLabel) return who.locality.subzone;
  return {};
}

std::uint32_t locality_failover_tier(const Locality& proxy, const Locality& endpoint,
                                     std::span<const FailoverRule> failover) {
  if (proxy.region == endpoint.region) {
    if (proxy.zone != endpoint.zone) return 2;
    return proxy.subzone == endpoint.subzone ? 0 : 1;
  }
  // Only the first rule for the proxy's region counts: a second `from` of the same region is
  // never consulted.
  for (const auto& rule : failover) {
    if (rule.from == proxy.region) return endpoint.region == rule.to ? 3 : 4;
  }
  return 3;
}

std::uint32_t failover_priority_tier(const LocalityAndLabels& proxy, const LocalityAndLabels& endpoint,
                                     std::span<const std::string> failover_priority) {
  const auto n = static_cast<std::uint32_t>(failover_priority.size());
  const auto j = first_mismatch(proxy, endpoint, failover_priority, 0);
  if (!j) return 0;
  if (*j == 0 && parse_priority_label(failover_priority[0]).key == kNetworkLabel) {
    // Other network: rank it by the remaining labels, then below all same-network tiers (0..N-1).
    // E.g. [network, region, zone]: other network + same region + other zone = 3 + (3 - 2) = 4.
    const auto rest = first_mismatch(proxy, endpoint, failover_priority, 1);
    return n + (rest ? n - static_cast<std::uint32_t>(*rest) : 0);
  }
  return n - static_cast<std::uint32_t>(*j);
}

std::vector<std::uint32_t> compact_priorities(std::span<const std::uint32_t> raw) {
  std::vector<std::uint32_t> levels(raw.begin(), raw.end());
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  std::vector<std::uint32_t> compacted;
  compacted.reserve(raw.size());
  for (std::uint32_t p : raw) {
    compacted.push_back(static_cast<std::uint32_t>(std::lower_bound(levels.begin(), levels.end(), p) - levels.begin()));
  }
  return compacted;
}

std::vector<std::uint32_t> assign_istio_priorities(const LocalityAndLabels& proxy,
                                                   std::span<const LocalityAndLabels> endpoints,
                                                   const LocalityFailoverSettings& settings) {
  const bool forced = settings.traffic_distribution != TrafficDistribution::Any;
  // Without outlier detection Envoy would never see a priority lose health, so Istio does not
  // split priorities at all ("traffic will never failover"); forcing is the exception.
  if (!settings.failover_enabled && !forced) return std::vector<std::uint32_t>(endpoints.size(), 0);

  const std::span<const std::string> labels =
      forced ? std::span<const std::string>(forced_failover_priority(settings.traffic_distribution))
             : std::span<const std::string>(settings.failover_priority);
  const std::span<const FailoverRule> rules =
      forced ? std::span<const FailoverRule>() : std::span<const FailoverRule>(settings.failover);

  std::vector<std::uint32_t> raw;
  raw.reserve(endpoints.size());
  for (const auto& endpoint : endpoints) {
    if (labels.empty()) {
      raw.push_back(locality_failover_tier(proxy.locality, endpoint.locality, rules));
    } else if (rules.empty()) {
      raw.push_back(failover_priority_tier(proxy, endpoint, labels));
    } else {
      // Locality tiers are 0..4, so *5 keeps every label tier's endpoints together and ordered.
      raw.push_back(failover_priority_tier(proxy, endpoint, labels) * 5 +
                    locality_failover_tier(proxy.locality, endpoint.locality, rules));
    }
  }
  return compact_priorities(raw);
}

}  // namespace models::routing
