#include "sim/cli/gate.hpp"

#include <algorithm>
#include <cmath>

#include "sim/cli/summary.hpp"
#include "sim/statistics.hpp"

namespace cli {
namespace {

std::string percent(double ratio) { return fixed(100.0 * ratio, 3) + "%"; }

/// "+0.412", "-0.601": printf's %+.3f.
std::string signed3(double v) {
  std::string text = std::signbit(v) ? "" : "+";  // appended, not "+" + fixed(): GCC 12's -Wrestrict
  return text += fixed(v, 3);
}

const reports::MetricSeries* find_metric(const reports::ReplicationTable& table, const std::string& name) {
  const auto it = std::find_if(table.metrics.begin(), table.metrics.end(),
                               [&](const reports::MetricSeries& m) { return m.name == name; });
  return it == table.metrics.end() ? nullptr : &*it;
}

/// "-0.412 points (95% interval -0.601 to -0.223)"
std::string difference_text(const sim::stats::PairedComparison& c, double scale, const char* unit) {
  std::string text = signed3(scale * c.difference.mean.value_or(0)) + unit;
  if (c.difference.ci95) {
    text += " (95% interval " + signed3(scale * c.difference.ci95->lo) + " to " +
            signed3(scale * c.difference.ci95->hi) + ")";
  }
  return text;
}

}  // namespace

GateVerdict slo_gate(const models::results::RunResult& result) {
  const auto& t = result.all.totals;
  const double requests = static_cast<double>(t.requests);
  const double met = requests > 0 ? static_cast<double>(t.succeeded - t.slow) / requests : 1.0;
  const double allowed = (1.0 - result.slo_availability) * requests;
  const std::uint64_t bad = t.requests - (t.succeeded - t.slow);
  const std::string budget = allowed > 0 ? "error budget burned " + fixed(static_cast<double>(bad) / allowed, 2) +
                                               "x (" + std::to_string(bad) + " bad requests, " +
                                               fixed(allowed, 0) + " allowed)"
                                         : "no error budget";
  const std::string measured = percent(met) + " of requests met the SLO (succeeded within " +
                               sim::format_duration(result.slo_latency) + ") against a " +
                               percent(result.slo_availability) + " target";
  if (met >= result.slo_availability) return {true, "gate: SLO met: " + measured + "; " + budget};
  return {false, "gate: SLO missed by " + fixed(100.0 * (result.slo_availability - met), 3) + " points: " +
                     measured + "; " + budget};
}

GateVerdict slo_gate(const reports::ReplicationTable& table, double availability_target) {
  const reports::MetricSeries* burned = find_metric(table, "error_budget_burned");
  const sim::stats::Summary s =
      burned ? sim::stats::summarize(burned->values.front()) : sim::stats::Summary{};
  if (!s.mean) return {true, "gate: no requests, nothing to gate on"};
  // burned = (1 - met) / (1 - target), so the mean share that met the SLO follows from it.
  const double met = 1.0 - *s.mean * (1.0 - availability_target);
  const std::string measured = "over " + std::to_string(s.n) + " seeds, a mean " + percent(met) +
                               " of requests met the SLO against a " + percent(availability_target) +
                               " target; mean error budget burned " + fixed(*s.mean, 2) + "x" +
                               (s.ci95 ? " (95% interval " + fixed(s.ci95->lo, 2) + " to " +
                                             fixed(s.ci95->hi, 2) + ")"
                                       : std::string());
  if (*s.mean <= 1.0) return {true, "gate: SLO met: " + measured};
  return {false, "gate: SLO missed by " + fixed(100.0 * (availability_target - met), 3) + " points: " + measured};
}

GateVerdict strategy_gate(const reports::Experiment& experiment, const reports::ReplicationTable& table,
                          const std::string& gated) {
  const auto index_of = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(experiment.strategies.begin(), experiment.strategies.end(), name) -
                                    experiment.strategies.begin());
  };
  const std::size_t s = index_of(gated), b = index_of(experiment.baseline);
  struct Checked {
    const char* metric;
    const char* label;
    double scale;
    const char* unit;
  };
  std::string worse, not_worse;
  for (const Checked& c : {Checked{"availability", "availability", 100.0, " points"},
                           Checked{"error_budget_burned", "error budget burned", 1.0, " budgets"}}) {
    const reports::MetricSeries* m = find_metric(table, c.metric);
    if (m == nullptr) continue;
    const sim::stats::PairedComparison comparison = sim::stats::compare_paired(m->values[s], m->values[b]);
    const bool significant = comparison.verdict != sim::stats::Verdict::NotSignificant;
    const std::string text = std::string(c.label) + " " + difference_text(comparison, c.scale, c.unit);
    if (significant && !sim::stats::is_significantly_better(comparison, m->direction)) {
      worse += (worse.empty() ? "" : "; ") + text;
    } else {
      not_worse += (not_worse.empty() ? "" : "; ") + text;
    }
  }
  const std::string pair = "\"" + gated + "\" against the baseline \"" + experiment.baseline + "\" over " +
                           std::to_string(table.size()) + " seeds";
  if (!worse.empty()) return {false, "gate: " + pair + " is significantly worse: " + worse};
  return {true, "gate: " + pair + " is not significantly worse: " + not_worse};
}

}  // namespace cli
