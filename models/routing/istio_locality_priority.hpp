#pragma once
// Istio's assignment of endpoints to Envoy priority levels for one proxy (ROUTING.md 5.1, 2.6):
// region/zone/subzone tiers with optional `failover` rules, or the ordered `failoverPriority` label
// list, or both, compacted to 0..N without gaps. istiod does this at configuration time, once per
// (proxy, cluster), so strings are fine here. Envoy then spills load across these priorities with
// `compute_priority_loads`.
// https://istio.io/latest/docs/reference/config/networking/destination-rule/#LocalityLoadBalancerSetting

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace models::routing {

struct Locality {
  std::string region;
  std::string zone;
  std::string subzone;
};

/// Kubernetes-style labels, key -> value. The first entry with a key wins.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// Where a proxy or an endpoint is, and its labels.
struct LocalityAndLabels {
  Locality locality;
  Labels labels;
};

/// Well-known label keys. Istio adds the topology labels to both proxies and endpoints from
/// their locality, so `label_value` falls back to the Locality for region, zone and subzone when
/// the labels do not carry them; network and hostname must be given as labels.
inline constexpr std::string_view kNetworkLabel = "topology.istio.io/network";
inline constexpr std::string_view kRegionLabel = "topology.kubernetes.io/region";
inline constexpr std::string_view kZoneLabel = "topology.kubernetes.io/zone";
inline constexpr std::string_view kSubzoneLabel = "topology.istio.io/subzone";
inline constexpr std::string_view kHostnameLabel = "kubernetes.io/hostname";

/// `localityLbSetting.failover` entry: traffic from `from` region fails over to `to` region.
struct FailoverRule {
  std::string from;
  std::string to;
};

/// `trafficDistribution` of the Kubernetes Service.
enum class TrafficDistribution : std::uint8_t { Any, PreferSameZone, PreferSameNode };

/// What decides the priorities of one destination cluster.
struct LocalityFailoverSettings {
  /// Failover is applied at all: the DestinationRule has `outlierDetection` and locality LB is
  /// enabled (mesh default). Without it every endpoint stays at priority 0.
  bool failover_enabled = false;
  std::vector<FailoverRule> failover;
  /// Ordered label keys, or `key=value` entries that compare the endpoint with the literal value.
  std::vector<std::string> failover_priority;
  /// PreferSameZone / PreferSameNode force failover on with the labels [network, region, zone] /
  /// [network, region, zone, subzone, hostname] and no `failover` rules, replacing the two lists
  /// above. Istio only consults it when the DestinationRule has no localityLbSetting of its own,
  /// so a caller with such a DestinationRule passes Any.
  TrafficDistribution traffic_distribution = TrafficDistribution::Any;
};

/// Value of `key` for a proxy or endpoint: its label, else (for the region/zone/subzone keys) its
/// locality, else "". Istio compares missing labels as "", so two missing values match.
[[nodiscard]] std::string_view label_value(const LocalityAndLabels& who, std::string_view key);

/// Raw locality tier 0..4: 0 same region/zone/subzone, 1 same region and zone, 2 same region,
/// 3 other region, 4 other region when the first rule whose `from` is the proxy's region names a
/// different `to` region (that `to` region stays at 3).
[[nodiscard]] std::uint32_t locality_failover_tier(const Locality& proxy, const Locality& endpoint,
                                                   std::span<const FailoverRule> failover);

/// Raw failoverPriority tier for N entries: 0 when all match, else N - j with j the first entry
/// that differs. If entry 0 is the network label and it differs, the remaining entries are
/// evaluated the same way and N is added, so every other-network endpoint ranks below every
/// same-network one while keeping its region/zone order (range 0..2N-1).
[[nodiscard]] std::uint32_t failover_priority_tier(const LocalityAndLabels& proxy, const LocalityAndLabels& endpoint,
                                                   std::span<const std::string> failover_priority);

/// Renumbers priorities to 0..M in the same order, removing the gaps of empty tiers:
/// {0, 2, 4, 2} -> {0, 1, 2, 1}.
[[nodiscard]] std::vector<std::uint32_t> compact_priorities(std::span<const std::uint32_t> raw);

/// Final Envoy priority of each of `endpoints` (same order) for `proxy`, compacted. With
/// failoverPriority and `failover` rules both set, the raw key is label_tier * 5 + locality_tier;
/// with only failoverPriority, the region tiers are not applied at all.
[[nodiscard]] std::vector<std::uint32_t> assign_istio_priorities(const LocalityAndLabels& proxy,
                                                                 std::span<const LocalityAndLabels> endpoints,
                                                                 const LocalityFailoverSettings& settings);

}  // namespace models::routing
