#pragma once
// Envoy's passive health checking (outlier detection), per proxy and per upstream cluster
// (ROUTING.md §2, §9b.1): consecutive-5xx and consecutive-gateway-failure ejection inline on each
// result, success-rate and failure-percentage ejection on the interval sweep, ejection time growing
// with a backoff that decays while the host behaves, and the cluster-wide cap on ejections.
//
// Only Envoy's default "non-split" mode is modelled (split_external_local_origin_errors = false,
// which is also Istio's default): local-origin failures are folded into HTTP codes, see
// kConnectFailureStatus and kTimeoutStatus. Runtime overrides are not modelled.

#include <array>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace models::health {

/// How the cap `max_ejection_percent` is applied; a version switch (ROUTING.md §2.3, §9b.10).
enum class MaxEjectionRule : std::uint8_t {
  /// Envoy since PR #27909 (mid-2023): eject only if 100·(active+1)/n <= max_ejection_percent.
  /// With the default 10% and fewer than 10 hosts nothing is ever ejected.
  Current,
  /// Envoy before 2023: eject if 100·active/n < max_ejection_percent, so the first host is always
  /// ejectable and the cap can be exceeded by one host (issues #3263, #26877).
  Pre2023,
};

/// One cluster's outlier-detection settings, as Envoy sees them after defaults are applied.
/// Percentages are whole percent (0..100); `success_rate_stdev_factor` is in thousandths (1900 = 1.9).
/// The defaults are Envoy's (ROUTING.md §2.1), so `OutlierDetectionConfig{}` == `envoy_defaults()`.
struct OutlierDetectionConfig {
  std::uint32_t consecutive_5xx = 5;
  std::uint32_t enforcing_consecutive_5xx = 100;
  std::uint32_t consecutive_gateway_failure = 5;
  std::uint32_t enforcing_consecutive_gateway_failure = 0;  // detected but not enforced by default

  sim::Duration interval = std::chrono::seconds{10};
  sim::Duration base_ejection_time = std::chrono::seconds{30};
  /// Unset means Envoy's default: 300 s, or base_ejection_time if that is larger.
  std::optional<sim::Duration> max_ejection_time;
  /// Each ejection adds a jitter drawn uniformly from [0, jitter] in whole milliseconds.
  sim::Duration max_ejection_time_jitter = sim::Duration::zero();

  std::uint32_t max_ejection_percent = 10;
  /// Envoy PR #34796 (2024): allow one ejection whenever none is active, whatever the cap says.
  bool always_eject_one_host = false;
  MaxEjectionRule max_ejection_rule = MaxEjectionRule::Current;

  std::uint32_t success_rate_minimum_hosts = 5;
  std::uint32_t success_rate_request_volume = 100;  // requests per interval
  std::uint32_t success_rate_stdev_factor = 1900;   // 1.9
  std::uint32_t enforcing_success_rate = 100;

  std::uint32_t failure_percentage_threshold = 85;
  std::uint32_t failure_percentage_minimum_hosts = 5;
  std::uint32_t failure_percentage_request_volume = 50;  // requests per interval
  std::uint32_t enforcing_failure_percentage = 0;         // disabled by default

  /// A passing active health check unejects an ejected host and clears its counters.
  bool successful_active_health_check_uneject_host = true;

  /// Envoy's defaults (ROUTING.md §2.1).
  static OutlierDetectionConfig envoy_defaults() { return {}; }

  /// What Istio emits for a DestinationRule with an empty `outlierDetection` block (§2.5): Envoy's
  /// defaults except `enforcing_success_rate = 0` (Istio always disables success-rate ejection).
  /// Consecutive gateway errors stay at Envoy's 5 with enforcing 0, i.e. detected but never
  /// enforced, which is Istio's "disabled unless set". Istio also sets the cluster's
  /// healthy_panic_threshold to minHealthPercent, default 0: see kIstioDefaultHealthyPanicThresholdPercent.
  static OutlierDetectionConfig istio_defaults();

  /// Google Cloud backend-service outlier detection with every field left at its documented
  /// default (ROUTING.md §7.4, Compute API): consecutiveErrors 5 not enforced, consecutive gateway
  /// failures 3 enforced at 100%, 1 s interval, 30 s base ejection, 50% cap, success-rate 5 hosts /
  /// 100 requests / 1.9 enforced at 100%. The API has no max ejection time or jitter, and the
  /// failure-percentage fields are not documented there, so those keep Envoy's defaults.
  static OutlierDetectionConfig gcp_backend_service_defaults();
};

/// Istio sets `healthy_panic_threshold = minHealthPercent` on every cluster whose DestinationRule
/// has `outlierDetection`, and minHealthPercent defaults to 0: panic mode is off, so when every
/// host is ejected or unhealthy the proxy answers 503 (ROUTING.md §1.5, §2.5, §2.6).
inline constexpr std::uint32_t kIstioDefaultHealthyPanicThresholdPercent = 0;

/// The fields of an Istio `DestinationRule.trafficPolicy.outlierDetection`; unset = not written.
struct IstioOutlierDetection {
  std::optional<std::uint32_t> consecutive_5xx_errors;
  std::optional<std::uint32_t> consecutive_gateway_errors;
  std::optional<sim::Duration> interval;
  std::optional<sim::Duration> base_ejection_time;
  std::uint32_t max_ejection_percent = 0;  // 0 = unset: Istio copies it only when > 0
};

/// Istio's translation of a DestinationRule's outlierDetection into Envoy's (ROUTING.md §2.5):
/// a set consecutive count also sets its enforcing percentage to 100 (or 0 when the count is 0);
/// unset fields keep Envoy's defaults; enforcing_success_rate is always 0.
/// `from_istio({}) == OutlierDetectionConfig::istio_defaults()`.
OutlierDetectionConfig from_istio(const IstioOutlierDetection& rule);

/// `max_ejection_time`, or Envoy's default for it: max(300 s, base_ejection_time).
sim::Duration effective_max_ejection_time(const OutlierDetectionConfig& config);

/// Human-readable messages for every setting Envoy would reject (proto constraints and the
/// max-vs-base ejection time check), in field order; empty when the config is acceptable.
std::vector<std::string> validate(const OutlierDetectionConfig& config);

/// How non-HTTP results of an attempt reach the detector in non-split mode (ROUTING.md §2.2).
/// A connect failure (refused, connect timeout) counts as 503. Envoy's router also reports an
/// upstream reset (the pod died mid-request) as a local-origin connect failure, so a reset is 503
/// as well. A timeout (per-try or route) counts as 504. All three are gateway errors.
inline constexpr int kConnectFailureStatus = 503;
inline constexpr int kResetStatus = 503;
inline constexpr int kTimeoutStatus = 504;

/// Why a host was found to be an outlier.
enum class EjectionReason : std::uint8_t { Consecutive5xx, ConsecutiveGatewayFailure, SuccessRate, FailurePercentage };
inline constexpr std::size_t kEjectionReasonCount = 4;

/// Counters in the spirit of Envoy's outlier stats, indexed by EjectionReason.
struct OutlierDetectionStats {
  std::array<std::uint64_t, kEjectionReasonCount> detected{};  // found an outlier (host not ejected yet)
  std::array<std::uint64_t, kEjectionReasonCount> enforced{};  // ... and actually ejected it
  std::uint64_t overflow = 0;    // ejections refused by the max-ejection cap
  std::uint64_t unejected = 0;   // by the sweep or by an active health check
};

/// The success-rate statistics of the last sweep that had enough hosts to compute them.
struct SuccessRateSummary {
  std::size_t hosts = 0;  // hosts with at least success_rate_request_volume requests
  double mean = 0.0;      // percent
  double stdev = 0.0;     // population standard deviation, percent
  double threshold = 0.0; // mean - stdev_factor/1000 * stdev; hosts strictly below are outliers
};

/// Which hosts one interval sweep changed, so the owner can recompute priority loads (§9b.2).
/// Both lists are in increasing host order.
struct SweepChanges {
  std::vector<std::size_t> unejected;
  std::vector<std::size_t> ejected;
  bool empty() const { return unejected.empty() && ejected.empty(); }
};

/// The outlier-detection state one proxy keeps for one upstream cluster of `host_count` hosts,
/// addressed by dense index 0..host_count-1 over the *whole* cluster (all priorities and
/// localities): the ejection cap counts hosts across the cluster, so one priority can be ejected
/// completely (ROUTING.md §2.3). The owner feeds it every attempt's result and calls on_interval()
/// every `config.interval` (re-armed after each sweep). Randomness is drawn only for enforcing
/// percentages strictly between 0 and 100 and for a non-zero jitter.
class OutlierDetector {
 public:
  OutlierDetector(OutlierDetectionConfig config, std::size_t host_count);

  /// One attempt's result from `host`, as an HTTP status (use kConnectFailureStatus, kResetStatus,
  /// kTimeoutStatus for non-HTTP failures). Counts toward the current success-rate bucket and the
  /// consecutive counters, and may eject the host at once. Returns true when this result ejected it.
  bool on_result(std::size_t host, int http_status, sim::SimTime now, sim::RngStream& rng);

  /// The interval sweep: unejects hosts whose ejection time has passed, decays the backoff of hosts
  /// that stayed healthy for a whole interval, swaps the success-rate buckets and runs success-rate
  /// and failure-percentage detection over the interval that just ended.
  SweepChanges on_interval(sim::SimTime now, sim::RngStream& rng);

  /// The active health checker reports `host` healthy. With
  /// successful_active_health_check_uneject_host, an ejected host is unejected and its consecutive
  /// counters cleared (its backoff is kept). Returns true when the host was unejected.
  bool on_active_health_check_success(std::size_t host, sim::SimTime now);

  bool ejected(std::size_t host) const { return state(host).ejected; }
  std::size_t ejected_count() const { return ejected_count_; }
  std::size_t host_count() const { return slot_.size(); }
  const OutlierDetectionConfig& config() const { return config_; }
  const OutlierDetectionStats& stats() const { return stats_; }
  /// From the last sweep; nothing when it had fewer than success_rate_minimum_hosts hosts with
  /// enough volume.
  const std::optional<SuccessRateSummary>& last_success_rate() const { return last_success_rate_; }

  /// Per-host details, for tests and reports.
  std::uint32_t consecutive_5xx(std::size_t host) const { return state(host).consecutive_5xx; }
  std::uint32_t consecutive_gateway_failures(std::size_t host) const { return state(host).consecutive_gateway; }
  std::uint32_t ejection_backoff(std::size_t host) const { return state(host).backoff; }
  std::uint32_t num_ejections(std::size_t host) const { return state(host).num_ejections; }
  /// Hosts that hold a state other than a fresh host's (for tests: it must not grow with the
  /// cluster, only with the hosts that saw traffic or were ejected).
  std::size_t hosts_with_state() const { return states_.size() - free_states_.size(); }
  /// When the current ejection ends at the earliest: ejected_at + min(base·backoff, max) + jitter.
  /// The sweep only notices at its next tick at or after this time. Nothing when not ejected.
  std::optional<sim::SimTime> ejection_due_to_end(std::size_t host) const;

 private:
  struct Bucket {
    std::uint64_t total = 0;
    std::uint64_t successes = 0;  // non-5xx
  };
  struct HostState {
    std::uint32_t consecutive_5xx = 0;
    std::uint32_t consecutive_gateway = 0;
    bool ejected = false;
    std::uint32_t backoff = 0;  // ejection time multiplier, 0..ceil(max/base)+1
    std::uint32_t num_ejections = 0;
    sim::SimTime last_ejection;
    std::optional<sim::SimTime> last_unejection;
    sim::Duration jitter = sim::Duration::zero();
    Bucket current;   // being filled during this interval
    Bucket previous;  // the interval that ended at the last sweep
    bool listed = false;  // in attention_

    /// Equal to a host that never saw a result: its state can be dropped.
    bool fresh() const {
      return !listed && consecutive_5xx == 0 && consecutive_gateway == 0 && num_ejections == 0;
    }
  };
  static constexpr std::uint32_t kNoState = ~std::uint32_t{0};

  /// A host's state, or a fresh one's when it has none.
  const HostState& state(std::size_t host) const {
    static const HostState kFresh{};
    assert(host < slot_.size());
    return slot_[host] == kNoState ? kFresh : states_[slot_[host]];
  }
  /// A host's state, given one when it had none.
  HostState& state_for_update(std::size_t host);
  /// Gives a fresh host's state back to the pool.
  void release_if_fresh(std::size_t host);

  /// The cap check, enforcement draw and ejection itself for a detected outlier.
  bool try_eject(std::size_t host, EjectionReason reason, sim::SimTime now, sim::RngStream& rng);
  void uneject(std::size_t host, sim::SimTime now);
  bool cap_allows_one_more() const;
  /// Puts `host`, whose state is `h`, on the attention list unless it is there.
  void notice(std::size_t host, HostState& h);
  std::uint32_t enforcing_percent(EjectionReason reason) const;

  OutlierDetectionConfig config_;
  sim::Duration max_ejection_time_;
  // Per host only the index of its state: most hosts of a large cluster see no result in an
  // interval, and a waypoint replica keeps one detector over every pod of its service, so a full
  // state per host (96 bytes) would be most of a 100,000-pod fleet's memory (issue 14). States
  // live in a pool and go back to it when they are a fresh host's again; which host has one never
  // changes a result.
  std::vector<std::uint32_t> slot_;
  std::vector<HostState> states_;
  std::vector<std::uint32_t> free_states_;
  // The hosts a sweep must look at: those with results in either bucket, ejected, or with a
  // backoff to decay. A host with none of these is left as it is by a sweep, so sweeps cost in
  // proportion to the hosts that saw traffic, not to the cluster's size (issue 14).
  std::vector<std::uint32_t> attention_;
  std::size_t ejected_count_ = 0;
  OutlierDetectionStats stats_;
  std::optional<SuccessRateSummary> last_success_rate_;
};

}  // namespace models::health
