#pragma once
// ScenarioChecker, behind check_scenario(). Private to models/config.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/config/scenario_checks.hpp"
#include "models/config/scenario_config.hpp"
#include "models/config/scenario_error.hpp"
#include "sim/time.hpp"

namespace models::config::detail {

inline void append_token(std::string& out, std::string_view key) { out += key; }
inline void append_token(std::string& out, std::size_t index) { out += std::to_string(index); }

/// pointer("services", 2, "calls", 0, "service") == "/services/2/calls/0/service". The keys used
/// here never need RFC 6901 escaping.
template <class... Tokens>
std::string pointer(const Tokens&... tokens) {
  std::string out;
  ((out += '/', append_token(out, tokens)), ...);
  return out;
}

inline std::string format(sim::Duration duration) { return sim::format_duration(duration); }

/// Names of one kind seen so far, with where each was first seen. Incomplete when some name could
/// not be read: a reference to a name not in the table may then be to that one.
struct NameTable {
  std::vector<std::string> names;  // in the order first seen
  std::map<std::string, std::string, std::less<>> first_pointer;
  std::map<std::string, std::size_t, std::less<>> first_index;  // index of the entity, e.g. the service
  bool complete = true;

  bool contains(std::string_view name) const { return first_pointer.contains(name); }
};

/// Every check of check_scenario(), one per section of the format, with the names seen so far.
/// validate.cpp defines most of them, validate_faults.cpp those of "faults".
class ScenarioChecker {
 public:
  ScenarioChecker(const ScenarioConfig& config, const FailedValues& failed_values)
      : config_(config), failed_values_(failed_values) {}

  std::vector<ScenarioIssue> run();

 private:
  bool failed(std::string_view at) const { return failed_values_.failed(at); }
  bool failed_within(std::string_view at) const { return failed_values_.failed_within(at); }
  void report(std::string at, std::string message) { issues_.push_back({std::move(at), std::move(message)}); }

  // validate.cpp
  bool usable_name(const std::string& at, const std::string& name);
  bool register_name(NameTable& table, const std::string& at, const std::string& name, std::string_view what,
                     std::size_t index = 0);
  bool resolves(const NameTable& table, const std::string& at, const std::string& name, std::string_view what);
  void check_sizes();
  void check_run();
  void check_regions();
  void check_cluster_zones(std::size_t r, std::size_t c);
  void check_backbone();
  void check_services();
  void check_call_cycles(const std::vector<std::vector<std::pair<std::size_t, std::string>>>& callees);
  void check_gateway();
  bool has_gateway_tier(const std::string& region) const;
  void check_clients();
  void check_databases();
  void check_dns();
  void check_mesh();

  // validate_faults.cpp
  void check_faults();
  void check_fault_target(std::size_t f);
  /// Whether `target` names a component a fault of `kind` can target (not gray failures, whose
  /// target depends on their service); reports at `at` if not.
  void check_target(const std::string& at, const std::string& kind_at, faults::FaultKind kind, const std::string& target);
  void check_fault_process(std::size_t p);
  bool pods_complete() const;
  template <class Fn>
  void for_each_deployment(Fn fn) const;
  static void add_name(NameTable& table, std::string name);
  const NameTable& pod_names();
  const NameTable& waypoint_names();
  /// "<cluster>/<service>" for every cluster a service is deployed to: every pod of it there.
  const NameTable& deployment_names();
  bool is_config_cluster(const std::string& name) const;
  bool runs_istiod(const std::string& cluster) const;
  bool check_gray_failure_target(const std::string& at, const std::string& target);
  std::vector<std::string> services_with_pods_in(const std::string& target) const;
  void check_fault_service(std::size_t f, bool target_known);
  void check_node_target(const std::string& at, const std::string& target);

  const ScenarioConfig& config_;
  const FailedValues& failed_values_;
  std::vector<ScenarioIssue> issues_;
  NameTable regions_;
  NameTable zones_;
  NameTable clusters_;
  NameTable services_;
  NameTable clients_;
  NameTable faults_;
  NameTable pods_;
  NameTable waypoints_;
  NameTable databases_;
  bool pods_built_ = false;
  bool waypoints_built_ = false;
  NameTable deployments_;
  bool deployments_built_ = false;
  std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> cluster_locations_;  // region, cluster
  bool gateway_regions_complete_ = true;
};

}  // namespace models::config::detail
