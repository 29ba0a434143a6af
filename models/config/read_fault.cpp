// read_fault(): one entry of "faults", as the fault catalogue (models/faults/catalogue.hpp) says.

#include "models/config/read_sections.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "models/config/json_reader.hpp"
#include "models/config/messages.hpp"
#include "models/faults/catalogue.hpp"

namespace models::config::detail {

namespace {

/// A Kubernetes IntOrString count such as maxSurge: an integer >= 0 or a percentage string "25%".
std::optional<IntOrPercent> int_or_percent(const Json& value, const std::string& pointer, IssueLog& log) {
  if (value.is_number_unsigned() && value.get<std::uint64_t>() <= std::numeric_limits<std::uint32_t>::max())
    return IntOrPercent{static_cast<std::uint32_t>(value.get<std::uint64_t>()), false};
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.size() >= 2 && text.size() <= 4 && text.back() == '%' &&
        std::all_of(text.begin(), text.end() - 1, [](char c) { return c >= '0' && c <= '9'; })) {
      const auto percent = static_cast<std::uint32_t>(std::stoul(text.substr(0, text.size() - 1)));
      if (percent <= 100) return IntOrPercent{percent, true};
    }
  }
  log.report(pointer, "expected an integer >= 0 or a percentage such as \"25%\" (0% to 100%), found " + describe_with_type(value));
  return std::nullopt;
}

}  // namespace

void read_fault(ObjectReader& reader, FaultConfig& fault) {
  // The kinds and what each reads come from the fault catalogue.
  static const auto kinds = [] {
    std::vector<std::pair<std::string, FaultKind>> out;
    for (const faults::FaultKindRow& row : faults::catalogue()) out.emplace_back(row.name, row.kind);
    return out;
  }();
  reader.read("id", fault.id, value::name, kRequired);
  // An unreadable kind stays the default (region-outage): its other keys are still read as that kind's.
  const bool kind_read = reader.read("kind", fault.kind, value::choice(kinds), kRequired);
  const faults::FaultKindRow& kind = faults::row(fault.kind);
  // Cloud DNS is one service: a DNS outage has no target.
  if (kind.target != faults::Target::CloudDns) reader.read("target", fault.target, value::name, kRequired);
  reader.read("at", fault.at, value::duration, kRequired);
  using namespace faults;
  if (kind.parameters & kRollout) {
    // A rollout lasts until it is rolled back: its duration is rollback_after.
    reader.read("rollback_after", fault.duration, value::positive_duration);
    if (const Json* duration = reader.take("for"); duration != nullptr && kind_read)
      reader.log().report(reader.pointer_of("for"), std::string("expected no \"for\" on a ") + kind.name +
                                                        " fault (it lasts until rolled back: \"rollback_after\"), found " +
                                                        describe(*duration));
    reader.read("maxSurge", fault.max_surge, int_or_percent);
    reader.read("maxUnavailable", fault.max_unavailable, int_or_percent);
    reader.read("minReadySeconds", fault.min_ready_seconds, value::count(0));
  } else {
    reader.read("for", fault.duration, value::positive_duration);
  }
  // Each kind reads only its own parameters; any other key stays unknown (and is reported), but for
  // "service", which says which kinds take it.
  if (kind.parameters & kAddedLatency) reader.read("added_latency", fault.added_latency, value::duration);
  if (kind.parameters & kAddedLatencyRequired) reader.read("added_latency", fault.added_latency, value::positive_duration, kRequired);
  if (kind.parameters & kAddedJitter) reader.read("added_jitter", fault.added_jitter, value::duration);
  if (kind.parameters & kLoss) reader.read("loss", fault.loss, value::probability);
  if ((kind.parameters & kErrorRate) && !reader.read("error_rate", fault.error_rate, value::probability) &&
      reader.has("added_latency"))
    fault.error_rate = 0;  // a slow pod, not a failing one
  if (kind.parameters & kHealthChecks) {
    static const auto kPassOrFail = std::vector<std::pair<std::string, bool>>{{"pass", false}, {"fail", true}};
    reader.read("health_checks", fault.health_checks_fail, value::choice(kPassOrFail));
  }
  if (kind.parameters & kUpFor) reader.read("up_for", fault.up_for, value::positive_duration);
  if (kind.parameters & kService) {
    reader.read("service", fault.service, value::name);
  } else if (reader.has("service")) {
    // Not an unknown key: a key of other kinds, which says which ones. After an unreadable kind,
    // nothing can be said about it.
    const Json* service = reader.take("service");
    if (kind_read) {
      std::string kinds_with_service;
      for (const FaultKindRow& other : catalogue())
        if (other.parameters & kService) kinds_with_service += (kinds_with_service.empty() ? "" : ", ") + quote(other.name);
      reader.log().report(reader.pointer_of("service"),
                          std::string("expected no \"service\" on a ") + kind.name + " fault (only " + kinds_with_service +
                              " faults take one), found " + describe(*service));
    }
  }
}

}  // namespace models::config::detail
