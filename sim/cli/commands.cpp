// faultline_main(): the command line, and the commands merge, report and validate.

#include "sim/cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "models/config/messages.hpp"
#include "models/config/scenario_schema.hpp"
#include "models/fleet/capacity_estimate.hpp"
#include "models/world.hpp"
#include "reports/atomic_file.hpp"
#include "reports/compare_report.hpp"
#include "reports/fmea_json.hpp"
#include "reports/fmea_report.hpp"
#include "reports/html_report.hpp"
#include "reports/replications_json.hpp"
#include "reports/replications_report.hpp"
#include "reports/sha256.hpp"
#include "sim/cli/command_options.hpp"
#include "sim/cli/availability_command.hpp"
#include "sim/cli/completion.hpp"
#include "sim/cli/fmea_command.hpp"
#include "sim/cli/import_command.hpp"
#include "sim/cli/experiments.hpp"
#include "sim/cli/interrupt.hpp"
#include "sim/cli/key_settings.hpp"
#include "sim/cli/run_commands.hpp"

namespace cli {

namespace {

struct MergeOptions {
  std::vector<std::string> parts;
  std::string out_dir;
  bool quiet = false;
  bool force = false;
};

struct ReportOptions {
  std::string results;
  std::string out_file;
  std::string scenario;
  bool force = false;
};

/// "1h42m30s", "6m4s", "30s": whole seconds, for people reading where a run stopped.
std::string hours_minutes_seconds(sim::Duration d) {
  const std::int64_t total = std::chrono::floor<std::chrono::seconds>(d).count();
  std::string text;
  if (total >= 3600) text += std::to_string(total / 3600) + "h";
  if (total % 3600 >= 60) text += std::to_string(total % 3600 / 60) + "m";
  if (total % 60 != 0 || text.empty()) text += std::to_string(total % 60) + "s";
  return text;
}

constexpr const char* kForceHelp =
    "Replace output files that already exist (without it, faultline stops before running if one does)";

// The shards of `faultline fmea --shard K/N`: fmea.json, byte for byte what one machine writes.
int merge_fmea(const MergeOptions& options, const std::vector<reports::PartialFile>& parts, std::ostream& out) {
  const reports::FmeaMerged merged = reports::merge_fmea_partials(parts);
  const std::filesystem::path out_dir = output_directory(options.out_dir, merged.plan.scenario);
  const std::filesystem::path file = out_dir / reports::fmea_file_name();
  claim_outputs(out_dir, {file}, options.force);
  const reports::FmeaDocument document = reports::fmea_document(merged.plan, merged.runs);
  reports::write_file_atomically(file, reports::fmea_to_json(document));
  if (!options.quiet) {
    print_fmea_ranking(out, document);
    out << '\n';
  }
  out << "Wrote " << file.string() << " (merged from " << parts.size() << (parts.size() == 1 ? " part" : " parts")
      << ")" << std::endl;
  return 0;
}

int merge_command(const MergeOptions& options, std::ostream& out) {
  std::vector<reports::PartialFile> parts;
  for (const std::string& part : options.parts) parts.push_back({part, reports::read_file_bytes(part)});
  // The first part says what is merged: fmea's shards, or those of run --seeds and compare.
  if (reports::is_fmea_document(parts.front().text)) return merge_fmea(options, parts, out);
  const reports::ExperimentResults merged = reports::merge_partials(parts);
  const std::filesystem::path out_dir = output_directory(options.out_dir, merged.experiment.scenario);
  const std::filesystem::path file = out_dir / reports::experiment_file_name(merged.experiment.kind);
  claim_outputs(out_dir, {file}, options.force);
  reports::write_file_atomically(file, reports::experiment_to_json(merged.experiment, merged.table));
  if (!options.quiet) {
    print_experiment(out, merged.experiment, merged.table);
    out << '\n';
  }
  out << "Wrote " << file.string() << " (merged from " << parts.size() << (parts.size() == 1 ? " part" : " parts")
      << ")" << std::endl;
  return 0;
}

int report_command(const ReportOptions& options, std::ostream& out) {
  const std::filesystem::path results(options.results);
  const std::filesystem::path target = options.out_file.empty() ? results.parent_path() / "report.html"
                                                                : std::filesystem::path(options.out_file);
  reports::ReportInputs inputs{FAULTLINE_VERSION, false, options.scenario, ""};
  if (!options.scenario.empty()) {
    inputs.scenario_sha256 = reports::to_hex(reports::sha256(reports::read_file_bytes(options.scenario)));
    inputs.settings = key_settings(models::config::load_scenario(options.scenario));
  }
  // results.json gives a run report, compare.json a comparison report, fmea.json a failure-modes report,
  // replications.json (run --seeds N) a replications report.
  const std::string text = reports::read_file_bytes(results);
  claim_outputs(target.has_parent_path() ? target.parent_path() : std::filesystem::path("."), {target}, options.force);
  const std::string html = reports::is_compare_document(text) ? reports::render_compare_report(text, results.string(), inputs)
                           : reports::is_fmea_document(text)  ? reports::render_fmea_report(text, results.string(), inputs)
                           : reports::is_replications_document(text)
                               ? reports::render_replications_report(text, results.string(), inputs)
                               : reports::render_html_report(text, results.string(), inputs);
  reports::write_file_atomically(target, html);
  out << "Wrote " << target.string() << '\n';
  return 0;
}

int validate_command(const std::string& path, std::ostream& out) {
  std::vector<models::config::NamedScenario> strategies = models::config::load_strategies(path);
  std::vector<std::string> names;
  for (std::size_t i = 1; i < strategies.size(); ++i) {
    names.push_back(strategies[i].name);
    models::config::validate(std::move(strategies[i]));
  }
  const auto scenario = models::config::validate(std::move(strategies.front()));
  const auto& cfg = scenario.config();
  std::size_t clusters = 0;
  for (const auto& r : cfg.regions) clusters += r.clusters.size();
  out << path << ": ok (scenario \"" << cfg.name << "\": " << cfg.regions.size() << " regions, " << clusters
      << " clusters, " << cfg.services.size() << " services, " << cfg.clients.size() << " client groups, "
      << cfg.faults.size() << " faults";
  if (!cfg.fault_processes.empty()) out << ", " << cfg.fault_processes.size() << " fault processes";
  if (!names.empty()) {
    out << "; strategies";
    for (std::size_t i = 0; i < names.size(); ++i) out << (i == 0 ? " " : ", ") << names[i];
  }
  out << ")\n";
  // Capacity at the clients' peak, estimated from the fleet (models/fleet/capacity_estimate.hpp).
  const models::World world = models::build_world(scenario, cfg.run.seed);
  for (const std::string& warning : models::estimate_capacity(world).warnings) out << "warning: " << warning << '\n';
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
  app.footer("Examples:\n"
             "  faultline run scenarios/gke-ambient-3region.json --report\n"
             "  faultline compare scenarios/study-outlier-ejection.json --seeds 5 --report\n"
             "  faultline fmea scenarios/gke-ambient-3region.json --report\n"
             "  faultline <command> --help\n\n"
             "Exit status: 0 success; 2 bad arguments, a bad scenario or results file, or outputs that cannot be\n"
             "written or already exist (see --force); 3 a --gate failed (the SLO was missed, or the gated strategy\n"
             "is significantly worse than the baseline; everything was written); 130 or 143 interrupted by Ctrl-C\n"
             "or SIGTERM (nothing is written); 1 internal error.\n"
             "Scenario format: scenarios/README.md\n");

  RunOptions run_options;
  CLI::App* run = app.add_subcommand("run", "Run a scenario: print a summary and write DIR/results.json (and DIR/report.html)");
  run->add_option("scenario", run_options.scenario, "Scenario file: JSON (comments allowed), or YAML (.yaml, .yml)")->type_name("FILE")->required();
  run->add_option("--seed", run_options.seed, "Seed for every random stream (default: the scenario's run.seed)")->type_name("N");
  run->add_option("--duration", run_options.duration,
                  "Simulated time over which clients send requests, e.g. 90s or 10m (default: run.duration)")->type_name("DURATION");
  run->add_option("--out", run_options.out_dir,
                  "Output directory for results.json and report.html (default: out/<scenario name>)")->type_name("DIR");
  run->add_flag("--report", run_options.report, "Also write report.html, the HTML run report, beside results.json");
  run->add_flag("--quiet,-q", run_options.quiet, "Print no summary and no progress");
  run->add_flag("--force", run_options.force, kForceHelp);
  run->add_flag("--gate", run_options.gate,
                "For CI: exit with status 3 when the run missed its SLO (the share of requests that succeeded within "
                "slo.latency is below slo.availability), saying by how much; with --seeds, the mean over the seeds");
  run->add_flag("--csv", run_options.csv,
                "Also write DIR/timeseries.csv: results.json's per-step series, a row per step and client group");
  run->footer("Examples:\n"
              "  faultline run scenarios/gke-ambient-3region.json --report\n"
              "  faultline run scenarios/gke-ambient-3region.json --seed 7 --duration 5m --out results/\n"
              "  faultline run scenarios/gke-ambient-3region.json --seeds 20 --jobs 2\n"
              "  faultline run scenarios/gke-ambient-3region.json --gate -q   # exit 3 when the SLO is missed\n");

  auto add_replication_options = [](CLI::App* command, ReplicationOptions& o, const std::string& seeds_default) {
    command->add_option("--seeds", o.seeds,
                        "Replications: run the scenario with N seeds (replication i uses a seed derived from the "
                        "scenario's and i; replication 0 uses the scenario's own) and report each metric's mean with "
                        "its 95% confidence interval (default: " + seeds_default + ")")->type_name("N");
    command->add_option("--jobs,-j", o.jobs,
                        "Threads running replications at once (default: every core); results do not depend on it")->type_name("N");
    command->add_option("--shard", o.shard,
                        "Run only the K-th of N slices of the replications, K/N with 1 <= K <= N, and write a partial "
                        "result for `faultline merge`")->type_name("K/N");
    command->add_flag("--shard-from-env", o.shard_from_env,
                      "Take the shard from an array job: JOB_COMPLETION_INDEX (Kubernetes Indexed Job, 0-based; "
                      "needs --shard-count) or SLURM_ARRAY_TASK_ID (Slurm job array, from SLURM_ARRAY_TASK_MIN, "
                      "SLURM_ARRAY_TASK_COUNT tasks)");
    command->add_option("--shard-count", o.shard_count,
                        "With --shard-from-env: the number of shards (the Job's completions; default for Slurm: "
                        "SLURM_ARRAY_TASK_COUNT)")->type_name("N");
  };
  run->add_option("--strategy", run_options.strategy,
                  "Run one of the scenario's strategies instead of the scenario itself (default: base)")->type_name("NAME");
  add_replication_options(run, run_options.replication, "1: one run, results.json alone");

  CompareOptions compare_options;
  CLI::App* compare = app.add_subcommand(
      "compare", "Run the scenario's strategies on the same seeds and compare them: print a table per metric and "
                 "write DIR/compare.json");
  compare->add_option("scenario", compare_options.scenario, "Scenario file with \"strategies\"")->type_name("FILE")->required();
  compare->add_option("--strategies", compare_options.strategies,
                      "Strategies to compare, separated by commas; \"base\" is the scenario itself (default: base "
                      "and every strategy of the file, in file order)")->type_name("NAME,NAME...");
  compare->add_option("--baseline", compare_options.baseline,
                      "The strategy differences are taken to (default: the first compared)")->type_name("NAME");
  compare->add_option("--seed", compare_options.seed, "Seed for every random stream (default: the scenario's run.seed)")->type_name("N");
  compare->add_option("--duration", compare_options.duration,
                      "Simulated time over which clients send requests, e.g. 90s or 10m (default: run.duration)")->type_name("DURATION");
  compare->add_option("--out", compare_options.out_dir, "Output directory for compare.json (default: out/<scenario name>)")->type_name("DIR");
  compare->add_flag("--quiet,-q", compare_options.quiet, "Print no table and no progress");
  compare->add_flag("--report", compare_options.report, "Also write DIR/compare.html, the comparison report");
  compare->add_flag("--force", compare_options.force, kForceHelp);
  compare->add_option("--gate", compare_options.gate,
                      "For CI: exit with status 3 when STRATEGY is significantly worse than the baseline on "
                      "availability or error budget burned (paired 95% intervals over the seeds)")
      ->type_name("STRATEGY");
  compare->footer("Examples:\n"
                  "  faultline compare scenarios/study-outlier-ejection.json --seeds 5 --report\n"
                  "  faultline compare scenarios/study-dns-ttl.json --strategies base,ttl-30s --baseline base\n"
                  "  faultline compare scenarios/study-outlier-ejection.json --gate max-ejection-50 -q\n");
  add_replication_options(compare, compare_options.replication, std::to_string(kDefaultCompareSeeds));

  MergeOptions merge_options;
  CLI::App* merge = app.add_subcommand(
      "merge", "Combine the partial results of every shard (--shard) into the replications.json, compare.json or "
               "fmea.json one machine would have written");
  merge->add_option("parts", merge_options.parts, "The shards' partial files, in any order")->type_name("FILE...")->required();
  merge->add_option("--out", merge_options.out_dir, "Output directory (default: out/<scenario name>)")->type_name("DIR");
  merge->add_flag("--quiet,-q", merge_options.quiet, "Print no table");
  merge->add_flag("--force", merge_options.force, kForceHelp);
  merge->footer("Example (four machines, then one merge):\n"
                "  faultline run scenarios/gke-ambient-3region.json --seeds 40 --shard 1/4 --out part1/   # ... 4/4\n"
                "  faultline merge part*/replications.shard-*-of-4.json --out merged/\n");

  ReportOptions report_options;
  CLI::App* report =
      app.add_subcommand("report", "Write the HTML report of a results.json (a run), a compare.json, a replications.json or an fmea.json");
  report->add_option("results", report_options.results, "A results.json, compare.json, replications.json or fmea.json that faultline wrote")
      ->type_name("FILE")->required();
  report->add_option("--out", report_options.out_file, "The HTML file to write (default: report.html beside RESULTS)")->type_name("FILE");
  report->add_option("--scenario", report_options.scenario,
                     "The scenario file that was run: its SHA-256 and path go into the reproducibility footer")->type_name("FILE");
  report->add_flag("--force", report_options.force, kForceHelp);
  report->footer("Examples:\n"
                 "  faultline report out/gke-ambient-3region/results.json\n"
                 "  faultline report out/study-dns-ttl/compare.json --out review/dns-ttl.html --scenario scenarios/study-dns-ttl.json\n");

  FmeaOptions fmea_options;
  CLI::App* fmea = app.add_subcommand(
      "fmea", "Failure modes and effects: run every single failure the fleet can have alone on the scenario's "
              "traffic (structurally identical targets once), rank them by error budget burned and write DIR/fmea.json");
  fmea->add_option("scenario", fmea_options.scenario, "Scenario file (its own faults and fault processes are left out)")
      ->type_name("FILE")->required();
  fmea->add_option("--at", fmea_options.at, "When each failure starts, e.g. 2m (default: a third into the run)")->type_name("DURATION");
  fmea->add_option("--for", fmea_options.duration, "How long each failure lasts, e.g. 3m (default: a third of the run)")->type_name("DURATION");
  fmea->add_option("--gray-error-rate", fmea_options.gray_error_rate,
                   "Share of requests a gray failure (of each service in each cluster) fails, in (0, 1] (default: 0.2)")->type_name("RATIO");
  fmea->add_option("--seed", fmea_options.seed, "Seed for every random stream (default: the scenario's run.seed)")->type_name("N");
  fmea->add_option("--seeds", fmea_options.seeds,
                   "Run every failure with N seeds and report means with 95% confidence intervals (default: 1)")->type_name("N");
  fmea->add_option("--jobs,-j", fmea_options.jobs, "Threads running at once (default: every core); results do not depend on it")->type_name("N");
  fmea->add_option("--out", fmea_options.out_dir,
                   "Output directory for fmea.json and fmea.html (default: out/<scenario name>)")->type_name("DIR");
  fmea->add_option("--depth", fmea_options.depth,
                   "1: every single failure (M failure modes: M + 1 runs per seed, the baseline included); 2: then "
                   "also every pair of them whose single effects overlap (a client group or entry service that saw "
                   "bad requests in both), pairs of representatives only, left out when one failure holds down all "
                   "the other does: up to M(M-1)/2 more runs per seed (default: 1)")->type_name("1|2");
  fmea->add_flag("--report", fmea_options.report,
                 "Also write DIR/fmea.html: the ranking, a chart of the worst failures and a heat map of failure "
                 "versus client group");
  fmea->add_option("--shard", fmea_options.shard,
                   "Run only the K-th of N slices of the (failure, seed) runs, K/N with 1 <= K <= N, and write a "
                   "partial result (DIR/fmea.shard-K-of-N.json) for `faultline merge`; with --depth 2 every shard "
                   "first runs every single failure, to choose the same pairs")->type_name("K/N");
  fmea->add_flag("--shard-from-env", fmea_options.shard_from_env,
                 "Take the shard from an array job: JOB_COMPLETION_INDEX (Kubernetes Indexed Job, 0-based; needs "
                 "--shard-count) or SLURM_ARRAY_TASK_ID (Slurm job array)");
  fmea->add_option("--shard-count", fmea_options.shard_count,
                   "With --shard-from-env: the number of shards (default for Slurm: SLURM_ARRAY_TASK_COUNT)")->type_name("N");
  fmea->add_flag("--quiet,-q", fmea_options.quiet, "Print no ranking and no progress");
  fmea->add_flag("--force", fmea_options.force, kForceHelp);
  fmea->footer("Examples:\n"
               "  faultline fmea scenarios/gke-ambient-3region.json --report\n"
               "  faultline fmea scenarios/gke-ambient-3region.json --at 2m --for 5m --seeds 3 --depth 2\n");

  AvailabilityOptions availability_options;
  CLI::App* availability = app.add_subcommand(
      "availability", "Steady-state availability per client group from the scenario's fault processes: analytic "
                      "(Markov chain over the fleet's structure) beside simulated (every failure episode of --years "
                      "replayed), downtime per year, Erlang C beside the queues; writes DIR/availability.json");
  availability->add_option("scenario", availability_options.scenario, "Scenario file with \"fault_processes\"")->type_name("FILE")->required();
  availability->add_option("--years", availability_options.years, "Years of failures to simulate per seed (default: 1)")->type_name("YEARS");
  availability->add_option("--seed", availability_options.seed, "Seed for every random stream (default: the scenario's run.seed)")->type_name("N");
  availability->add_option("--seeds", availability_options.seeds,
                           "Replications of the simulated years, for the 95% confidence interval (default: 3)")->type_name("N");
  availability->add_option("--settle", availability_options.settle,
                           "How long after each failure and each repair the simulation runs before the rest of the "
                           "gap is taken as converged (default: 90s, plus the DNS TTL and health delay with \"dns\")")->type_name("DURATION");
  availability->add_option("--jobs,-j", availability_options.jobs,
                           "Threads running episodes at once (default: every core); results do not depend on it")->type_name("N");
  availability->add_option("--out", availability_options.out_dir,
                           "Output directory for availability.json and availability.html (default: out/<scenario name>)")->type_name("DIR");
  availability->add_flag("--report", availability_options.report, "Also write DIR/availability.html");
  availability->add_flag("--quiet,-q", availability_options.quiet, "Print nothing");
  availability->add_flag("--force", availability_options.force, kForceHelp);
  availability->footer("Examples:\n"
                       "  faultline availability scenarios/availability-year.json --report\n"
                       "  faultline availability scenarios/availability-year.json --years 2 --seeds 5 --jobs 2\n");

  std::string validate_path;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", validate_path, "Scenario file")->type_name("FILE")->required();
  validate->footer("Example:\n  faultline validate scenarios/gke-ambient-3region.json\n");

  ImportOptions import_options;
  CLI::App* import_app = app.add_subcommand(
      "import", "Write a scenario from Kubernetes manifests (Gateway API, Services, Deployments, Istio, GKE policies) "
                "and a fleet file for what they do not say; what the scenario cannot express is listed as warnings");
  import_app->add_option("paths", import_options.paths,
                     "Manifest files (YAML, several documents each) or directories, read recursively (*.yaml, *.yml, "
                     "in sorted order)")->type_name("PATH...")->required();
  import_app->add_option("--fleet", import_options.fleet,
                     "A partial scenario (YAML or JSON) with what manifests do not say: regions, clusters and nodes, "
                     "backbone, clients and rates, service times, calls, slo, run, faults")->type_name("FILE")->required();
  import_app->add_option("--out", import_options.out_file, "The scenario file to write (default: standard output)")->type_name("FILE");
  import_app->add_option("--name", import_options.name, "The scenario's name (default: the fleet file's \"name\")")->type_name("NAME");
  import_app->add_flag("--force", import_options.force, "Replace the --out file if it exists");
  import_app->footer("Examples:\n"
                 "  faultline import scenarios/manifests/gke-ambient --fleet scenarios/manifests/gke-ambient/fleet.yaml --out imported.json\n"
                 "  faultline import deploy/*.yaml --fleet fleet.yaml --name shop > shop.json\n"
                 "Mapping and what is left out: scenarios/README.md, \"Importing Kubernetes manifests\"\n");

  CLI::App* schema = app.add_subcommand(
      "schema", "Print the JSON Schema (draft 2020-12) of the scenario format, for editors and CI linters");
  schema->footer("Examples:\n"
                 "  faultline schema > scenario.schema.json\n"
                 "  # VS Code: \"json.schemas\": [{\"fileMatch\": [\"scenarios/*.json\"], \"url\": \"./scenario.schema.json\"}]\n"
                 "  # YAML (redhat.vscode-yaml): a first line  # yaml-language-server: $schema=./scenario.schema.json\n");

  std::string completion_shell;
  CLI::App* completion = app.add_subcommand("completion", "Print a shell completion script for faultline");
  completion->add_option("shell", completion_shell, "The shell (bash)")
      ->type_name("SHELL")
      ->check(CLI::IsMember({"bash"}))
      ->required();
  completion->footer("Examples:\n"
                     "  source <(faultline completion bash)                         # this shell\n"
                     "  faultline completion bash > /etc/bash_completion.d/faultline  # every new shell\n");

  // CLI11 would call an unknown command a missing one ("A subcommand is required").
  const auto is_command = [&app](const std::string& word) {
    for (const CLI::App* command : app.get_subcommands({})) {
      if (command->get_name() == word) return true;
    }
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    std::vector<std::string> commands;
    for (const CLI::App* command : app.get_subcommands({})) commands.push_back(command->get_name());
    err << "faultline: expected a command (run, compare, fmea, availability, merge, report, validate, import, schema or completion), found \"" << argv[1]
        << "\"" << models::config::detail::did_you_mean(argv[1], commands) << "\nRun with --help for more information.\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }

  try {
    const InterruptHandlers interrupt_handlers;
    if (*run) return run_command(run_options, out, err);
    if (*compare) return compare_command(compare_options, out, err);
    if (*fmea) return fmea_command(fmea_options, out, err);
    if (*availability) return availability_command(availability_options, out, err);
    if (*merge) return merge_command(merge_options, out);
    if (*validate) return validate_command(validate_path, out);
    if (*import_app) return import_command(import_options, out, err);
    if (*report) return report_command(report_options, out);
    if (*completion) {
      out << bash_completion(app);
      return out ? 0 : 1;
    }
    if (*schema) {
      out << models::config::scenario_schema();
      return out ? 0 : 1;
    }
  } catch (const models::config::ScenarioError& e) {
    err << e.what() << '\n';
    return 2;
  } catch (const reports::ResultsDocumentError& e) {
    err << e.what() << '\n';
    return 2;
  } catch (const reports::MergeError& e) {
    err << "faultline: merge: " << e.what() << '\n';
    return 2;
  } catch (const UsageError& e) {
    err << "faultline: " << e.message << '\n';
    return 2;
  } catch (const reports::OutputError& e) {
    err << "faultline: " << e.what() << '\n';
    return 2;
  } catch (const Interrupted& e) {
    err << "faultline: interrupted by " << signal_name(e.signal) << " at simulated time "
        << hours_minutes_seconds(e.reached.since_start()) << " of " << hours_minutes_seconds(e.end.since_start())
        << ": nothing was written, and files already there are unchanged\n";
    return 128 + e.signal;
  } catch (const std::exception& e) {
    err << "faultline: internal error: " << e.what() << '\n';
    return 1;
  }
  return 1;
}

}  // namespace cli
