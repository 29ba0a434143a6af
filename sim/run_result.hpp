#pragma once
// The outcome of one run as plain data: what results.json holds and what reports read. No domain
// types (reports never depend on models), no wall-clock figures and no host names, so two runs of
// the same scenario and seed can be compared byte for byte.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/time.hpp"

namespace sim {

struct LatencySummary {
  Duration p50{}, p90{}, p99{}, p999{}, max{};
};

/// Outcome counts for one group of requests. `slow` counts successes over the SLO latency.
struct OutcomeCounts {
  std::uint64_t requests = 0;
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::uint64_t slow = 0;
  std::vector<std::uint64_t> failures_by_reason;  // aligned with RunResult::failure_reasons
  std::vector<std::uint64_t> served_by_region;    // requests the gateway sent to each region
};

/// One step of a time series: requests that arrived in [start, start + step).
struct SeriesPoint {
  Duration start{};
  OutcomeCounts counts;
  LatencySummary latency;  // of successful requests
};

struct GroupResult {
  std::string name;    // client group name, or "all"
  std::string region;  // where the group's requests enter ("" for "all")
  OutcomeCounts totals;
  LatencySummary latency;
  std::vector<SeriesPoint> series;
};

struct FaultRecord {
  std::string id;
  std::string kind;
  std::string target;
  Duration start{};
  std::optional<Duration> end;  // absent: lasted until the end of the run
  /// Structural blast radius: every component that fails with the target, from the fleet graph.
  std::vector<std::string> components;
  std::vector<std::pair<std::string, std::uint64_t>> components_by_kind;
};

/// Requests (attempts included) that reached a service's pods, per region and step, counted when
/// they arrive; steps run to the end of the drain after the last arrival.
struct ServiceLoad {
  std::string service;
  std::vector<std::vector<std::uint64_t>> requests_by_region;  // [region][step]
};

/// What happened to a replicated database's writes.
struct DatabaseResult {
  std::string name;
  std::uint64_t writes = 0;          // committed
  std::uint64_t failed_writes = 0;   // refused: no writable primary
  std::uint64_t lost_writes = 0;     // committed on a primary that failed before replicating them (RPO)
  Duration write_unavailable{};      // from primary failures to promotions (RTO, summed)
  std::uint32_t failovers = 0;
  std::string primary_region;        // at the end of the run
};

struct RunResult {
  std::string scenario;
  std::uint64_t seed = 0;
  Duration duration{};
  Duration step{};
  double slo_availability = 0;
  Duration slo_latency{};
  std::vector<std::string> regions;
  std::vector<std::string> failure_reasons;
  GroupResult all;
  std::vector<GroupResult> clients;
  std::vector<FaultRecord> faults;
  std::vector<ServiceLoad> services;
  std::vector<DatabaseResult> databases;
  std::uint64_t events = 0;  // simulated events processed (deterministic)
};

}  // namespace sim
