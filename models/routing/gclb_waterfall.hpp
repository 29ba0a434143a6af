#pragma once
// Google Cloud's default backend selection for the cross-region internal Application Load Balancer,
// WATERFALL_BY_REGION (ROUTING.md 7.3): the proxies of a region fill the backends (one NEG per GKE
// cluster) of the nearest region in proportion to target capacity x capacityScaler, and only when
// every backend there is at capacity does the rest overflow to the next-closest region.
//
// Two layers, as elsewhere in models/routing:
//  - waterfall_shares(): a pure function from backends, health, policy and offered load to the
//    split a steady-state waterfall produces (a share per backend). The owner recomputes it
//    periodically from measured rates and on every health change.
//  - WaterfallPicker: realises those shares request by request without randomness (smooth weighted
//    round robin over backends, then round robin over the chosen NEG's healthy endpoints).
//
// Health rules implemented (ROUTING.md 7.3, serviceLbPolicy):
//  - Only healthy endpoints (per the LB's own health checks) carry capacity.
//  - failoverHealthThreshold T (default 70, 1..99): a NEG with endpoints whose healthy percentage is
//    strictly below T (100 * healthy < T * endpoints) is "failing over": it gets no traffic as long
//    as any backend reachable from the calling tier is not failing over and has capacity. Only when
//    none is left are the failing-over NEGs used (with their remaining healthy capacity), because
//    the documentation sends traffic to failover backends "if possible"; this last-resort rule is
//    our reading.
//  - autoCapacityDrain: a NEG with endpoints, a non-zero capacityScaler and strictly fewer than 25%
//    healthy endpoints is drained (capacity 0, never used, not even as a last resort), but at most
//    floor(50% x number of backends) NEGs are auto-drained; when more qualify, the least healthy are
//    drained first (healthy fraction ascending, then backend index). NEGs drained by hand
//    (capacityScaler 0) do not count against the 50% cap. [our choice]
//  - A NEG with no endpoints at all has no capacity and is neither failing over nor auto-drained.
//  - If no backend can take traffic, every share is 0 and the picker returns nothing: the request
//    fails with 503 ("no healthy upstream"). ROUTING.md documents no fail-open for this LB.
//
// Choices where ROUTING.md is silent or marks the fact unverified (flagged "[our choice]" below):
//  - No balancing-mode maximum configured (e.g. RATE without maxRatePerEndpoint): the backend's
//    capacity is unlimited (ROUTING.md 7.3: GKE's default per-endpoint capacity is UNVERIFIED).
//  - Offered load above the residual capacity of every reachable backend: capacity is a target, not
//    a limit, so nothing is rejected; the excess is spread over all usable backends in proportion to
//    their capacity.
//  - Inside a region the load is split in proportion to residual capacity (capacity minus the load
//    other tiers already place there), which is proportion to capacity when there is none. In a
//    region holding an unlimited backend each usable backend gets a share proportional to
//    healthy endpoints x capacityScaler, limited backends capped at their residual capacity, and the
//    unlimited backends take what the capped ones could not.
//  - Backends in regions missing from the caller's preference order are unreachable from that tier.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace models::routing {

/// serviceLbPolicy failoverConfig.failoverHealthThreshold default (percent; 50 for classic ALBs).
constexpr std::uint32_t kDefaultFailoverHealthThreshold = 70;
/// autoCapacityDrain drains a NEG with strictly fewer healthy endpoints than this percentage ...
constexpr std::uint32_t kAutoCapacityDrainHealthyPercent = 25;
/// ... but never more than this percentage of the backend service's NEGs.
constexpr std::uint32_t kAutoCapacityDrainMaxPercent = 50;

/// Backend.balancingMode. CONNECTION is not modelled (L7 requests only).
enum class BalancingMode : std::uint8_t { Rate, Utilization };

/// One backend of the backend service: a NEG, one per GKE cluster.
struct WaterfallBackend {
  std::uint32_t region = 0;             ///< dense region id
  std::uint32_t endpoints = 0;          ///< endpoints in the NEG
  std::uint32_t healthy_endpoints = 0;  ///< healthy per the LB's own health checks; <= endpoints
  BalancingMode balancing_mode = BalancingMode::Rate;
  /// RATE: maxRatePerEndpoint in requests/s. Absent: no maximum, capacity unlimited [our choice].
  std::optional<double> max_rate_per_endpoint;
  /// UTILIZATION: maxUtilization in [0, 1]. Absent: no maximum, capacity unlimited [our choice].
  std::optional<double> max_utilization;
  /// UTILIZATION only: requests/s one endpoint serves at 100% utilization. The simulator knows the
  /// pods' service rate; the LB's utilization target becomes a rate through it.
  double endpoint_service_rate = 0;
  /// Multiplier on the target capacity: 0 (drained) or [0.1, 1.0]; default 1.
  double capacity_scaler = 1.0;
};

/// The serviceLbPolicy knobs this model honours.
struct WaterfallPolicy {
  std::uint32_t failover_health_threshold = kDefaultFailoverHealthThreshold;  ///< percent, 1..99
  bool auto_capacity_drain = false;
};

/// Why a backend does or does not take part in the waterfall.
enum class BackendStatus : std::uint8_t {
  Usable,       ///< healthy enough and has capacity
  NoCapacity,   ///< no healthy endpoint, no endpoint at all, or a zero maximum
  Drained,      ///< capacityScaler 0
  AutoDrained,  ///< drained by autoCapacityDrain
  FailingOver,  ///< below failoverHealthThreshold: used only when nothing Usable is reachable
};

/// Target capacity x capacityScaler over the healthy endpoints, in requests/s; +infinity when no
/// maximum is configured; 0 when drained or without healthy endpoints. Ignores the policy.
[[nodiscard]] double backend_capacity(const WaterfallBackend& backend);

/// Health classification of every backend (same order), applying failoverHealthThreshold and, when
/// enabled, autoCapacityDrain with its 50% cap. Independent of the calling tier.
[[nodiscard]] std::vector<BackendStatus> classify_backends(std::span<const WaterfallBackend> backends,
                                                           const WaterfallPolicy& policy = {});

/// The split a steady-state waterfall produces for one calling proxy tier.
struct WaterfallShares {
  /// Fraction of this tier's requests per backend; sums to 1, or is all zero when nothing can serve
  /// (the request then fails with 503).
  std::vector<double> share;
  /// This tier's load placed on each backend, requests/s (share x offered load).
  std::vector<double> placed_rps;
  std::vector<BackendStatus> status;
  /// Part of the offered load above the residual capacity of every usable backend (spread in
  /// proportion to capacity) [our choice].
  double over_capacity_rps = 0;
  /// True when no Usable backend was reachable and the FailingOver ones took the traffic.
  bool failover_fallback = false;

  /// Whether any backend gets traffic.
  [[nodiscard]] bool serves() const;
};

/// Runs the waterfall for a tier whose proxies prefer regions in `region_preference` order
/// (closest by RTT first) and receive `offered_rps`. `load_from_other_tiers`, empty or one value per
/// backend, is the load (requests/s) that other tiers already place on each backend; only the rest
/// of each backend's capacity is available here. With zero offered load the shares are those of an
/// infinitesimal load: all of it in the closest region with spare capacity. Inputs are expected to
/// pass validate_waterfall_config / validate_waterfall_load; negative loads count as 0.
/// Complexity O(regions x backends).
[[nodiscard]] WaterfallShares waterfall_shares(std::span<const WaterfallBackend> backends,
                                               std::span<const std::uint32_t> region_preference,
                                               double offered_rps,
                                               std::span<const double> load_from_other_tiers = {},
                                               const WaterfallPolicy& policy = {});

/// Problems in a backend service's configuration, one message per problem in backend order, each
/// naming the field ("backends[1].capacity_scaler: ..."); empty when valid.
[[nodiscard]] std::vector<std::string> validate_waterfall_config(std::span<const WaterfallBackend> backends,
                                                                 const WaterfallPolicy& policy = {});

/// Problems in the loads passed to waterfall_shares (negative or non-finite rates, wrong count).
[[nodiscard]] std::vector<std::string> validate_waterfall_load(std::size_t backend_count, double offered_rps,
                                                               std::span<const double> load_from_other_tiers = {});

/// A backend and one of its healthy endpoints.
struct WaterfallPick {
  std::size_t backend = 0;
  std::uint32_t endpoint = 0;
  friend bool operator==(const WaterfallPick&, const WaterfallPick&) = default;
};

/// Realises waterfall shares per request, deterministically. Backends are chosen by smooth weighted
/// round robin (each pick adds every active backend's share to its credit, takes the backend with the
/// largest credit, lowest index on ties, and charges it the total), which keeps every backend within
/// one pick of its exact share at all times; then an endpoint by round robin over that backend's
/// healthy endpoints. A backend is active when its share is positive and it has at least one healthy
/// endpoint listed, so a stale share towards an emptied NEG is silently redistributed.
class WaterfallPicker {
 public:
  explicit WaterfallPicker(std::size_t backend_count);

  std::size_t backend_count() const { return share_.size(); }
  /// Replaces the shares (one per backend; negatives count as 0). Resets the round-robin credit,
  /// keeps the endpoint cursors.
  void set_shares(std::span<const double> shares);
  /// Replaces a backend's healthy endpoints (dense ids). Keeps its cursor, taken modulo the new size.
  void set_healthy_endpoints(std::size_t backend, std::vector<std::uint32_t> endpoints);
  /// The next backend and endpoint, or nothing when no backend is active (503). O(backends).
  std::optional<WaterfallPick> pick();

 private:
  std::vector<double> share_;
  std::vector<double> credit_;
  std::vector<std::vector<std::uint32_t>> endpoints_;
  std::vector<std::uint32_t> cursor_;
};

}  // namespace models::routing
