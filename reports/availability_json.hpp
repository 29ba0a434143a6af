#pragma once
// availability.json ("faultline_availability": 1), what `faultline availability` writes, and
// availability.html, its report (self-contained tables, every string escaped).

#include <optional>
#include <string>
#include <vector>

#include "reports/html_report.hpp"

namespace reports {

struct AvailabilityGroup {
  std::string name;
  double analytic = 1;
  std::string method;              // exact-markov-chain, rare-event-pairs or rare-event-singles
  std::size_t components = 0, states = 0;
  double largest_neglected = 0;
  std::vector<double> simulated_by_seed;
  double simulated_mean = 1;
  std::optional<std::pair<double, double>> ci95;  // absent with one seed
};

struct AvailabilityProcess {
  std::string id, kind;
  std::size_t components = 0;
  double mttf_s = 0, mttr_s = 0;
  double failures_per_year = 0;  // mean over the seeds
};

struct AvailabilityQueue {
  std::string service, region;
  bool applies = false;
  std::uint32_t servers = 0;
  double arrival_rate = 0, predicted_utilization = 0, predicted_wait_s = 0, simulated_utilization = 0, simulated_wait_s = 0;
  bool stable = true;
};

/// A failure episode of the simulated years, among those that failed the most requests.
struct AvailabilityEpisode {
  std::uint64_t seed = 0;
  std::string start;            // clock time in its year, "123d 04:05:06.789"
  double length_s = 0;          // first failure to the settle time after the last repair
  std::vector<std::string> faults;  // "kind target" of each failure in it
  std::vector<double> failed;   // requests failed, by client group
  double failed_total = 0;
};

inline constexpr std::size_t kWorstEpisodes = 10;

struct AvailabilityDocument {
  std::string faultline_version, scenario;
  std::uint64_t seed = 0, seeds = 0;
  double years = 1;
  double lead_s = 0, settle_s = 0;
  double episodes_per_seed = 0, simulated_s_per_seed = 0;
  std::vector<AvailabilityProcess> processes;
  std::vector<AvailabilityGroup> groups;
  std::vector<AvailabilityQueue> queues;
  std::vector<AvailabilityEpisode> worst_episodes;  // over every seed, most failed requests first
};

inline constexpr double kMinutesPerYear = 365.0 * 24 * 60;

std::string availability_to_json(const AvailabilityDocument& doc);
std::string render_availability_report(const AvailabilityDocument& doc, const ReportInputs& inputs);

}  // namespace reports
