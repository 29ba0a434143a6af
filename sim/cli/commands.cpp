#include "sim/cli/commands.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "models/config/load_scenario.hpp"
#include "models/simulation.hpp"
#include "reports/atomic_file.hpp"
#include "reports/compare_report.hpp"
#include "reports/html_report.hpp"
#include "reports/sha256.hpp"
#include "reports/results_json.hpp"
#include "sim/cli/summary.hpp"

namespace cli {

namespace {

struct RunOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::string duration;
  std::string out_dir;
  bool report = false;
  bool quiet = false;
};

struct ReportOptions {
  std::string results;
  std::string out_file;
  std::string scenario;
};

// Bad command-line values get the same treatment as bad scenario values: a clear message, exit 2.
struct UsageError {
  std::string message;
};

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Shows a progress bar on a terminal once a run has taken longer than a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled), started_(std::chrono::steady_clock::now()) {}
  void update(sim::SimTime now, sim::SimTime end) {
    if (!enabled_) return;
    const auto elapsed = std::chrono::steady_clock::now() - started_;
    if (elapsed < std::chrono::seconds(1)) return;
    const double fraction = static_cast<double>(now.ns()) / static_cast<double>(std::max<std::int64_t>(1, end.ns()));
    const int filled = static_cast<int>(fraction * 30);
    std::fprintf(stderr, "\r[%s%s] %3d%%  simulated %s of %s", std::string(filled, '#').c_str(),
                 std::string(30 - filled, ' ').c_str(), static_cast<int>(fraction * 100),
                 sim::format_duration(std::chrono::duration_cast<std::chrono::seconds>(now.since_start())).c_str(),
                 sim::format_duration(std::chrono::duration_cast<std::chrono::seconds>(end.since_start())).c_str());
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\r%80s\r", "");
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_;
};

models::config::ValidatedScenario load(const std::string& path, const RunOptions* options) {
  models::config::ScenarioConfig config = models::config::load_scenario(path);
  if (options != nullptr) {
    if (options->seed) config.run.seed = *options->seed;
    if (!options->duration.empty()) {
      const auto d = sim::parse_duration(options->duration);
      if (!d || *d <= sim::Duration::zero())
        throw UsageError{"--duration: expected a positive duration such as \"90s\" or \"10m\", found \"" +
                         options->duration + "\""};
      config.run.duration = *d;
    }
  }
  return models::config::validate(std::move(config));
}

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const auto scenario = load(options.scenario, &options);
  const auto& cfg = scenario.config();
  const std::filesystem::path out_dir = options.out_dir.empty() ? std::filesystem::path("out") / cfg.name
                                                                : std::filesystem::path(options.out_dir);
  const auto wall_start = std::chrono::steady_clock::now();
  models::Simulation simulation(models::build_world(scenario, cfg.run.seed));
  ProgressBar progress(!options.quiet && &err == &std::cerr && ::isatty(STDERR_FILENO));
  const sim::RunResult result = simulation.run([&](sim::SimTime now, sim::SimTime end) { progress.update(now, end); });
  progress.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw std::runtime_error("cannot create output directory " + out_dir.string() + ": " + ec.message());
  const std::filesystem::path results = out_dir / "results.json";
  const std::string results_text = reports::results_to_json(result);
  reports::write_file_atomically(results, results_text);
  // The report is rendered from the results document, as `faultline report` does.
  std::filesystem::path report;
  if (options.report) {
    report = out_dir / "report.html";
    const reports::ReportInputs inputs{FAULTLINE_VERSION, true, options.scenario,
                                       reports::to_hex(reports::sha256(reports::read_file_bytes(options.scenario)))};
    reports::write_file_atomically(report, reports::render_html_report(results_text, results.string(), inputs));
  }

  if (!options.quiet) print_summary(out, result);
  out << "\nWrote " << results.string() << std::endl;
  if (options.report) out << "Wrote " << report.string() << " (open it in a browser; it loads nothing from the network)\n";
  // Wall-clock figures go to stderr only: results.json must not depend on the machine.
  err << "faultline: " << result.events << " events, " << result.all.totals.requests << " requests in "
      << fixed(wall, 2) << " s wall (" << fixed(static_cast<double>(result.all.totals.requests) / wall / 1e6, 2)
      << " M requests/s, " << fixed(static_cast<double>(result.events) / wall / 1e6, 2) << " M events/s)\n";
  return 0;
}

int report_command(const ReportOptions& options, std::ostream& out) {
  const std::filesystem::path results(options.results);
  const std::filesystem::path target = options.out_file.empty() ? results.parent_path() / "report.html"
                                                                : std::filesystem::path(options.out_file);
  reports::ReportInputs inputs{FAULTLINE_VERSION, false, options.scenario, ""};
  if (!options.scenario.empty())
    inputs.scenario_sha256 = reports::to_hex(reports::sha256(reports::read_file_bytes(options.scenario)));
  // results.json gives a run report, compare.json a comparison report.
  const std::string text = reports::read_file_bytes(results);
  const std::string html = reports::is_compare_document(text)
                               ? reports::render_compare_report(text, results.string(), inputs)
                               : reports::render_html_report(text, results.string(), inputs);
  reports::write_file_atomically(target, html);
  out << "Wrote " << target.string() << '\n';
  return 0;
}

int validate_command(const std::string& path, std::ostream& out) {
  const auto scenario = load(path, nullptr);
  const auto& cfg = scenario.config();
  std::size_t clusters = 0;
  for (const auto& r : cfg.regions) clusters += r.clusters.size();
  out << path << ": ok (scenario \"" << cfg.name << "\": " << cfg.regions.size() << " regions, " << clusters
      << " clusters, " << cfg.services.size() << " services, " << cfg.clients.size() << " client groups, "
      << cfg.faults.size() << " faults)\n";
  return 0;
}

}  // namespace

int faultline_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"faultline: a discrete-event simulator of multi-region failover for GKE multi-cluster Gateways\n"
               "and Istio ambient mesh. Describe a fleet in a scenario file, inject failures, replay the\n"
               "routing request by request, and read off blast radius and recovery time.",
               "faultline"};
  app.set_version_flag("--version", std::string("faultline ") + FAULTLINE_VERSION);
  app.require_subcommand(1);
  app.footer("Exit status: 0 success, 2 bad arguments, scenario or results file, 1 internal error.\n"
             "Scenario format: scenarios/README.md");

  RunOptions run_options;
  CLI::App* run = app.add_subcommand("run", "Run a scenario: print a summary and write DIR/results.json (and DIR/report.html)");
  run->add_option("scenario", run_options.scenario, "Scenario file (JSON, comments allowed)")->required();
  run->add_option("--seed", run_options.seed, "Seed for every random stream (default: the scenario's run.seed)");
  run->add_option("--duration", run_options.duration,
                  "Simulated time over which clients send requests, e.g. 90s or 10m (default: run.duration)");
  run->add_option("--out", run_options.out_dir,
                  "Output directory for results.json and report.html (default: out/<scenario name>)");
  run->add_flag("--report", run_options.report, "Also write report.html, the HTML run report, beside results.json");
  run->add_flag("--quiet,-q", run_options.quiet, "Print no summary and no progress");

  ReportOptions report_options;
  CLI::App* report = app.add_subcommand("report", "Write the HTML run report of a results.json");
  report->add_option("results", report_options.results, "A results.json that faultline run wrote")->required();
  report->add_option("--out", report_options.out_file, "The HTML file to write (default: report.html beside RESULTS)");
  report->add_option("--scenario", report_options.scenario,
                     "The scenario file that was run: its SHA-256 and path go into the reproducibility footer");

  std::string validate_path;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", validate_path, "Scenario file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }

  try {
    if (*run) return run_command(run_options, out, err);
    if (*validate) return validate_command(validate_path, out);
    if (*report) return report_command(report_options, out);
  } catch (const models::config::ScenarioError& e) {
    err << e.what() << '\n';
    return 2;
  } catch (const reports::ResultsDocumentError& e) {
    err << e.what() << '\n';
    return 2;
  } catch (const UsageError& e) {
    err << "faultline: " << e.message << '\n';
    return 2;
  } catch (const std::exception& e) {
    err << "faultline: internal error: " << e.what() << '\n';
    return 1;
  }
  return 1;
}

}  // namespace cli
