#pragma once
// The cross-field and cross-reference checks behind validate(), shared with parse_scenario so that
// a file with both kinds of problems gets one report listing all of them. Private to models/config.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/config/scenario_config.hpp"
#include "models/config/scenario_error.hpp"

namespace models::config::detail {

/// Sizes beyond any fleet this simulator is meant for; validate() rejects them with a message
/// instead of letting build_world or the simulation run out of memory (scenarios/README.md,
/// "Limits"). Counts are read as 32-bit integers, and the world keeps state per pair of mesh proxy
/// and endpoint, per pod and per step.
inline constexpr std::uint64_t kMaxScenarioFileBytes = 16ull << 20;  // hand-written files are kilobytes
inline constexpr std::uint64_t kMaxRegions = 100;
inline constexpr std::uint32_t kMaxClientAttempts = 10;  // gRPC caps maxAttempts at 5; ten is already a storm
// A call carries its route rule, and the gateway's outlier results their routed service, in 16 bits.
inline constexpr std::uint64_t kMaxServices = 10'000;
inline constexpr std::uint64_t kMaxRoutes = 10'000;
inline constexpr std::uint64_t kMaxFleetComponents = 150'000;   // nodes + pods + waypoint replicas
// Each waypoint replica's Envoy holds every pod of its service as a host (about 110 bytes each:
// outlier detection, load balancing, priorities), the largest memory term of a large fleet.
inline constexpr std::uint64_t kMaxWaypointHosts = 15'000'000;  // sum of waypoint replicas x their service's pods
// (the gateway's outlier detection, when configured, holds the same per host in every proxy tier)
// With traffic_policy.healthCheck every waypoint replica probes every host on its own timer: a
// checker (~140 bytes) and an event in flight per host, and hosts / interval events per second.
inline constexpr std::uint64_t kMaxActivelyCheckedHosts = 1'000'000;  // sum of such replicas x pods
// ztunnel ranks each service's pods once per source locality its mode tells apart (the fleet,
// each zone, each node: 4 bytes per pod per table), and keeps a round-robin cursor per node,
// waypoint service and region (4 bytes each).
inline constexpr std::uint64_t kMaxZtunnelEntries = 50'000'000;
inline constexpr std::uint64_t kMaxClientProcesses = 100'000;   // dns.instances over all client groups
inline constexpr std::uint64_t kMaxSteps = 1'000'000;           // run.duration / run.step
inline constexpr std::uint64_t kMaxExpectedDrawnFailures = 100'000;  // per fault process, on average

/// The values that could not be read from the file (their fields hold defaults, not what the file
/// says), so that checks involving them stay quiet instead of reporting knock-on problems.
class FailedValues {
 public:
  FailedValues() = default;
  explicit FailedValues(const std::vector<ScenarioIssue>& parse_issues);

  /// The value at `pointer`, or an object or array holding it, failed to read.
  bool failed(std::string_view pointer) const;
  /// The value at `pointer`, an object or array holding it, or something inside it failed to read.
  bool failed_within(std::string_view pointer) const;

 private:
  std::vector<std::string> pointers_;
};

/// Every cross-field and cross-reference problem in `config`, in the order of the file's sections.
std::vector<ScenarioIssue> check_scenario(const ScenarioConfig& config, const FailedValues& failed_values);

}  // namespace models::config::detail
