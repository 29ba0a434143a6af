#include "sim/cli/experiments.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "models/simulation.hpp"
#include "reports/histogram_resolution.hpp"
#include "reports/scalar_metrics.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/parallel.hpp"
#include "sim/statistics.hpp"

namespace cli {

namespace {

// Counts finished runs on stderr, once the work has taken more than a second.
class RunCounter {
 public:
  RunCounter(bool enabled, std::uint64_t total)
      : enabled_(enabled), total_(total), started_(std::chrono::steady_clock::now()) {}
  void one_done() {
    if (!enabled_) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    if (std::chrono::steady_clock::now() - started_ < std::chrono::seconds(1)) return;
    std::fprintf(stderr, "\r%llu of %llu runs done", static_cast<unsigned long long>(done_),
                 static_cast<unsigned long long>(total_));
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\r%60s\r", "");
    shown_ = false;
  }
  ~RunCounter() { finish(); }  // also when a run throws (Ctrl-C)
  RunCounter(const RunCounter&) = delete;
  RunCounter& operator=(const RunCounter&) = delete;

 private:
  bool enabled_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  bool shown_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point started_;
};

std::string printf_string(const char* format, int decimals, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, decimals, value);
  return buf;
}

/// Decimals that show a half-width with two significant digits (between 0 and 12).
int decimals_for(double half_width) {
  if (!(half_width > 0) || !std::isfinite(half_width)) return -1;
  return std::clamp(1 - static_cast<int>(std::floor(std::log10(half_width))), 0, 12);
}

/// "0.99512 ± 0.00031", "12.5" (no interval), "undefined" (no value): a mean with its interval,
/// both with the decimals that show the interval's two significant digits. `sign` prints "+".
std::string with_interval(const sim::stats::Summary& summary, bool sign = false) {
  if (!summary.mean) return "undefined";
  const char* mean_format = sign ? "%+.*f" : "%.*f";
  const int decimals = summary.ci95 ? decimals_for(summary.ci95->half_width) : -1;
  if (decimals < 0) {
    std::string text = printf_string(sign ? "%+.*g" : "%.*g", 6, *summary.mean);
    if (summary.ci95) text += " ± 0";
    return text;
  }
  return printf_string(mean_format, decimals, *summary.mean) + " ± " +
         printf_string("%.*f", decimals, summary.ci95->half_width);
}

/// A latency quantile's mean: with_interval(), except that a spread below the histogram's bucket
/// (often exactly 0: every replication in the same bucket) reads "± <bucket", not "± 0".
std::string quantile_with_interval(const sim::stats::Summary& summary) {
  if (!summary.mean || !summary.ci95) return with_interval(summary);
  const double bucket = reports::histogram_resolution_ms(*summary.mean);
  if (summary.ci95->half_width >= bucket) return with_interval(summary);
  return printf_string("%.*f", std::max(0, decimals_for(bucket)), *summary.mean) + " ± <" +
         printf_string("%.*f", std::max(0, decimals_for(bucket)), bucket) + " (bucket)";
}

/// Whether a paired difference of latency quantiles goes beyond the histogram's resolution
/// (reports/histogram_resolution.hpp); always true for other metrics.
bool resolved(const reports::MetricSeries& metric, const sim::stats::PairedComparison& comparison,
              const sim::stats::Summary& a, const sim::stats::Summary& b) {
  if (!reports::is_histogram_quantile(metric.name, metric.unit) || !comparison.difference.mean || !a.mean || !b.mean) return true;
  return reports::difference_resolved(*comparison.difference.mean,
                                      comparison.difference.ci95 ? comparison.difference.ci95->half_width : 0, *a.mean, *b.mean);
}

std::string undefined_note(const sim::stats::Summary& summary) {
  return summary.undefined == 0 ? "" : " (" + std::to_string(summary.undefined) + " undefined)";
}

std::string pad(std::string text, std::size_t width) {
  // Counts characters, not bytes: "±" is two bytes.
  std::size_t characters = 0;
  for (const char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  if (characters < width) text.append(width - characters, ' ');
  return text;
}

const char* direction_text(sim::stats::Direction direction) {
  return direction == sim::stats::Direction::HigherIsBetter ? "higher is better" : "lower is better";
}

std::string seeds_text(const reports::ReplicationTable& table) {
  if (table.size() == 0) return "no replications";
  std::string text = std::to_string(table.size()) + (table.size() == 1 ? " replication" : " replications");
  return text + " (seeds " + std::to_string(table.seeds.front()) + (table.size() > 1 ? ", ..." : "") + ")";
}

}  // namespace

ExperimentOutcome run_experiment(const ExperimentPlan& plan) {
  const std::size_t strategies = plan.strategies.size();
  ExperimentOutcome outcome;
  outcome.table.strategies = strategies;
  outcome.table.first = plan.replications.begin;
  RunCounter counter(plan.show_progress, plan.replications.size() * strategies);
  // In chunks of replications, so that memory holds one chunk's metric lists at a time rather
  // than every run's; appending in index order makes the table independent of the chunking.
  constexpr std::uint64_t kChunk = 256;
  for (std::uint64_t begin = plan.replications.begin; begin < plan.replications.end; begin += kChunk) {
    const std::uint64_t end = std::min(plan.replications.end, begin + kChunk);
    const std::size_t runs = static_cast<std::size_t>(end - begin) * strategies;
    std::vector<std::vector<reports::ScalarMetric>> metrics(runs);  // [(replication - begin) * strategies + strategy]
    std::vector<std::uint64_t> requests(runs, 0);
    sim::parallel_for(runs, plan.jobs, [&](std::size_t run) {
      const std::uint64_t replication = begin + run / strategies;
      const std::size_t strategy = run % strategies;
      models::Simulation simulation(
          models::build_world(plan.strategies[strategy].scenario, sim::replication_seed(plan.seed, replication)));
      const sim::SimTime end = sim::SimTime::at(plan.strategies[strategy].scenario.config().run.duration);
      models::results::RunResult result = simulation.run([end](sim::SimTime now, sim::SimTime) { throw_if_interrupted(now, end); });
      metrics[run] = reports::scalar_metrics(result);
      requests[run] = result.all.totals.requests;
      // Only this run writes it, and it is read after every thread has joined.
      if (plan.keep_replication_zero && replication == 0 && strategy == 0) outcome.replication_zero = std::move(result);
      counter.one_done();
    });
    for (std::uint64_t replication = begin; replication < end; ++replication) {
      const auto first = metrics.begin() + static_cast<std::ptrdiff_t>((replication - begin) * strategies);
      const std::vector<std::vector<reports::ScalarMetric>> by_strategy(
          first, first + static_cast<std::ptrdiff_t>(strategies));
      reports::append(outcome.table, reports::replication_table(
                                         replication, sim::replication_seed(plan.seed, replication), by_strategy));
    }
    outcome.runs += runs;
    for (const std::uint64_t r : requests) outcome.requests += r;
  }
  counter.finish();
  return outcome;
}

std::vector<std::vector<reports::ScalarMetric>> run_cells(const std::vector<StrategyRun>& strategies, std::uint64_t seed,
                                                          const std::vector<RunCell>& cells, std::size_t jobs,
                                                          bool show_progress, const RunMetrics& metrics,
                                                          std::uint64_t& requests) {
  std::vector<std::vector<reports::ScalarMetric>> out(cells.size());
  std::vector<std::uint64_t> simulated(cells.size(), 0);
  RunCounter counter(show_progress, cells.size());
  sim::parallel_for(cells.size(), jobs, [&](std::size_t i) {
    const StrategyRun& strategy = strategies.at(cells[i].strategy);
    models::Simulation simulation(
        models::build_world(strategy.scenario, sim::replication_seed(seed, cells[i].replication)));
    const sim::SimTime end = sim::SimTime::at(strategy.scenario.config().run.duration);
    const models::results::RunResult result =
        simulation.run([end](sim::SimTime now, sim::SimTime) { throw_if_interrupted(now, end); });
    out[i] = metrics(result);
    simulated[i] = result.all.totals.requests;
    counter.one_done();
  });
  counter.finish();
  for (const std::uint64_t r : simulated) requests += r;
  return out;
}

void print_experiment(std::ostream& out, const reports::Experiment& experiment,
                      const reports::ReplicationTable& table) {
  std::size_t name_width = 6;
  for (const auto& metric : table.metrics) name_width = std::max(name_width, metric.name.size());
  if (experiment.kind == reports::ExperimentKind::Replications) {
    out << "Strategy \"" << experiment.strategies.front() << "\" over " << seeds_text(table)
        << ": each metric's mean with its 95% confidence interval\n";
    out << "  " << pad("metric", name_width) << "  " << pad("mean ± 95% CI", 28) << "unit\n";
    for (const auto& metric : table.metrics) {
      const auto summary = sim::stats::summarize(metric.values.front());
      const bool quantile = reports::is_histogram_quantile(metric.name, metric.unit);
      out << "  " << pad(metric.name, name_width) << "  "
          << pad(quantile ? quantile_with_interval(summary) : with_interval(summary), 28) << metric.unit
          << undefined_note(summary) << '\n';
    }
    return;
  }

  const auto baseline_at = std::find(experiment.strategies.begin(), experiment.strategies.end(), experiment.baseline);
  const std::size_t baseline = static_cast<std::size_t>(baseline_at - experiment.strategies.begin());
  std::size_t strategy_width = 8;
  for (const auto& name : experiment.strategies) strategy_width = std::max(strategy_width, name.size());
  out << "Strategies compared over " << seeds_text(table) << ", with common random numbers.\n"
      << "Per metric and strategy: the mean with its 95% confidence interval, and the paired difference to the\n"
      << "baseline \"" << experiment.baseline << "\" (* significantly better, ! significantly worse, ~ within the "
      << "latency\nhistogram's resolution: not significant); best: significantly better than every other.\n";
  for (const auto& metric : table.metrics) {
    auto winner = sim::stats::significant_winner(metric.values, metric.direction);
    // A latency quantile's lead within the histogram's resolution wins nothing.
    for (std::size_t o = 0; winner && o < experiment.strategies.size(); ++o)
      if (o != *winner && !resolved(metric, sim::stats::compare_paired(metric.values[*winner], metric.values[o]),
                                    sim::stats::summarize(metric.values[*winner]), sim::stats::summarize(metric.values[o])))
        winner.reset();
    const bool quantile = reports::is_histogram_quantile(metric.name, metric.unit);
    out << '\n' << metric.name << " (" << metric.unit << ", " << direction_text(metric.direction) << ")";
    out << (winner ? ": best " + experiment.strategies[*winner] : std::string(": no significant best")) << '\n';
    for (std::size_t s = 0; s < experiment.strategies.size(); ++s) {
      const auto summary = sim::stats::summarize(metric.values[s]);
      std::string line = "  " + pad(experiment.strategies[s], strategy_width) + "  " +
                         pad(quantile ? quantile_with_interval(summary) : with_interval(summary), 28);
      if (s == baseline) {
        line += "baseline";
      } else {
        const auto comparison = sim::stats::compare_paired(metric.values[s], metric.values[baseline]);
        line += with_interval(comparison.difference, true);
        if (comparison.verdict != sim::stats::Verdict::NotSignificant &&
            !resolved(metric, comparison, summary, sim::stats::summarize(metric.values[baseline]))) {
          line += " ~";
        } else if (sim::stats::is_significantly_better(comparison, metric.direction)) {
          line += " *";
        } else if (comparison.verdict != sim::stats::Verdict::NotSignificant) {
          line += " !";
        }
      }
      out << line << undefined_note(summary) << '\n';
    }
  }
}

}  // namespace cli
