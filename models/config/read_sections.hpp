#pragma once
// The section readers that load_scenario.cpp and read_*.cpp share. Private to models/config.

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "models/config/json_reader.hpp"
#include "models/config/scenario_config.hpp"
#include "models/config/scenario_error.hpp"

namespace models::config::detail {

inline constexpr Presence kRequired = Presence::Required;

/// Each kind with its spelling in scenario files, for value::choice.
template <class Kind>
std::vector<std::pair<std::string, Kind>> spellings(std::initializer_list<Kind> kinds) {
  std::vector<std::pair<std::string, Kind>> out;
  for (const Kind kind : kinds) out.emplace_back(to_string(kind), kind);
  return out;
}

/// The top-level object of a scenario file, section by section in the order of the format (the
/// rest in read_sections.cpp). Throws ScenarioError for a format version ("faultline") that is an
/// integer other than 1: in another format nothing else can be judged.
void read_scenario(ObjectReader& reader, ScenarioConfig& config);

/// Reads a parsed document into `config`: every problem, in document order, with the
/// cross-reference checks of the values that could be read; empty when the document is valid.
std::vector<ScenarioIssue> read_document(const Json& document, ScenarioConfig& config);

/// One entry of "services" (read_service.cpp).
void read_service(ObjectReader& reader, ServiceConfig& service);

/// One entry of "faults" (read_fault.cpp).
void read_fault(ObjectReader& reader, FaultConfig& fault);

}  // namespace models::config::detail
