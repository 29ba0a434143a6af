// Turning command-line options into values: counts, shards, scenarios with overrides, output files.

#include "sim/cli/command_options.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace cli {

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

/// --seed and --duration, which apply to the base scenario and every strategy alike. A scripted
/// fault that would start after the shortened run is left out and named in `left_out`.
void apply_overrides(models::config::ScenarioConfig& config, const std::string& seed, const std::string& duration,
                     std::vector<std::string>* left_out) {
  if (!seed.empty()) config.run.seed = parse_count("--seed", seed, 0, UINT64_MAX);
  if (!duration.empty()) {
    const auto d = sim::parse_duration(duration);
    if (!d || *d <= sim::Duration::zero())
      throw UsageError{"--duration: expected a positive duration such as \"90s\" or \"1m30s\", found \"" + duration +
                       "\""};
    config.run.duration = *d;
    auto& faults = config.faults;
    for (auto f = faults.begin(); f != faults.end();) {
      if (f->at < *d) {
        ++f;
        continue;
      }
      if (left_out != nullptr) {
        std::string warning = "warning: --duration " + duration + " ends the run before fault \"" + f->id + "\" starts (at " +
                         sim::format_duration(f->at) + "): it is left out; a --duration over " +
                         sim::format_duration(f->at) + " includes it";
        if (std::find(left_out->begin(), left_out->end(), warning) == left_out->end()) left_out->push_back(std::move(warning));
      }
      f = faults.erase(f);
    }
  }
}

}  // namespace

std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t minimum,
                          std::uint64_t maximum) {
  std::uint64_t value = 0;
  bool ok = !text.empty();
  for (const char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (c < '0' || c > '9' || value > (UINT64_MAX - digit) / 10) {  // not a digit, or beyond 64 bits
      ok = false;
      break;
    }
    value = value * 10 + digit;
  }
  if (!ok || value < minimum || value > maximum) {
    throw UsageError{option + ": expected a whole number from " + std::to_string(minimum) + " to " +
                     std::to_string(maximum) + ", found \"" + text + "\""};
  }
  return value;
}

std::size_t jobs_of(const ReplicationOptions& options) {
  if (!options.jobs.empty()) return static_cast<std::size_t>(parse_count("--jobs", options.jobs, 1, kMaxJobs));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::optional<sim::Shard> shard_of(const ReplicationOptions& options) {
  if (!options.shard.empty() && options.shard_from_env) {
    throw UsageError{"--shard and --shard-from-env: expected one of them, found both"};
  }
  if (!options.shard_count.empty() && !options.shard_from_env) {
    throw UsageError{"--shard-count: expected it only with --shard-from-env (with --shard, write K/N)"};
  }
  if (!options.shard.empty()) {
    try {
      return sim::parse_shard(options.shard);
    } catch (const std::invalid_argument& e) {
      throw UsageError{std::string("--shard: ") + e.what()};
    }
  }
  if (!options.shard_from_env) return std::nullopt;
  auto from_task = [](const std::string& variable, const std::string& index, std::uint64_t first, std::uint64_t count) {
    try {
      return sim::shard_from_task_index(index, first, count);
    } catch (const std::invalid_argument& e) {
      throw UsageError{"--shard-from-env: " + variable + "=\"" + index + "\": " + e.what()};
    }
  };
  if (const std::string index = environment("JOB_COMPLETION_INDEX"); !index.empty()) {
    if (options.shard_count.empty()) {
      throw UsageError{"--shard-from-env: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): expected "
                       "--shard-count N, the Job's completions, found none"};
    }
    return from_task("JOB_COMPLETION_INDEX", index, 0,
                     parse_count("--shard-count", options.shard_count, 1, kMaxReplications));
  }
  if (const std::string index = environment("SLURM_ARRAY_TASK_ID"); !index.empty()) {
    if (const std::string step = environment("SLURM_ARRAY_TASK_STEP"); !step.empty() && step != "1") {
      throw UsageError{"--shard-from-env: expected a Slurm array without a step (such as --array=0-7), found "
                       "SLURM_ARRAY_TASK_STEP=" + step};
    }
    const std::string min = environment("SLURM_ARRAY_TASK_MIN");
    if (min.empty()) throw UsageError{"--shard-from-env: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not"};
    const std::uint64_t first = parse_count("SLURM_ARRAY_TASK_MIN", min, 0, UINT64_MAX / 2);
    std::uint64_t count = 0;
    if (!options.shard_count.empty()) {
      count = parse_count("--shard-count", options.shard_count, 1, kMaxReplications);
    } else {
      const std::string count_text = environment("SLURM_ARRAY_TASK_COUNT");
      if (count_text.empty()) {
        throw UsageError{"--shard-from-env: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: expected "
                         "--shard-count N"};
      }
      count = parse_count("SLURM_ARRAY_TASK_COUNT", count_text, 1, kMaxReplications);
    }
    return from_task("SLURM_ARRAY_TASK_ID", index, first, count);
  }
  throw UsageError{"--shard-from-env: expected JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or "
                   "SLURM_ARRAY_TASK_ID (a Slurm job array) in the environment, found neither"};
}

models::config::ValidatedScenario load(const std::string& path, const RunOptions* options, std::ostream* warnings) {
  models::config::ScenarioConfig config = models::config::load_scenario(path);
  std::vector<std::string> left_out;
  if (options != nullptr) apply_overrides(config, options->seed, options->duration, &left_out);
  models::config::ValidatedScenario validated = models::config::validate(std::move(config));
  if (warnings != nullptr)
    for (const std::string& warning : left_out) *warnings << warning << '\n';
  return validated;
}

std::vector<StrategyRun> load_strategies(const std::string& path, const std::vector<std::string>& names,
                                         const std::string& seed, const std::string& duration,
                                         const std::string& option, std::ostream* warnings) {
  std::vector<models::config::NamedScenario> all = models::config::load_strategies(path);
  std::vector<StrategyRun> out;
  std::vector<std::string> left_out;
  for (const std::string& name : names) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
    if (it == all.end()) {
      throw UsageError{option + ": " + models::config::unknown_strategy(all, name) + " (the strategies of " + path + ")"};
    }
    models::config::NamedScenario scenario = *it;
    apply_overrides(scenario.config, seed, duration, &left_out);
    out.push_back(StrategyRun{name, models::config::validate(std::move(scenario))});
  }
  if (warnings != nullptr)
    for (const std::string& warning : left_out) *warnings << warning << '\n';
  return out;
}

std::vector<std::string> split_names(const std::string& text, const std::string& option) {
  std::vector<std::string> names;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty()) {
      throw UsageError{option + ": expected strategy names separated by commas, such as \"base,deep\", found \"" +
                       text + "\""};
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      throw UsageError{option + ": expected each strategy once, found \"" + name + "\" twice"};
    }
    names.push_back(name);
    if (comma == std::string::npos) return names;
    start = comma + 1;
  }
}

std::filesystem::path output_directory(const std::string& option, const std::string& scenario_name) {
  return option.empty() ? std::filesystem::path("out") / scenario_name : std::filesystem::path(option);
}

void claim_outputs(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& files, bool force) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!ec && !std::filesystem::is_directory(dir)) ec = std::make_error_code(std::errc::not_a_directory);
  if (ec) {
    throw UsageError{"output directory " + dir.string() + ": expected a directory faultline can create, found \"" +
                     ec.message() + "\""};
  }
  // Permission bits do not stop root, but a read-only file system does: try a file.
  std::string probe = (dir / ".faultline-write-probe-XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) {
    throw UsageError{"output directory " + dir.string() + ": expected a directory faultline can write, found \"" +
                     std::strerror(errno) + "\""};
  }
  ::close(fd);
  ::unlink(probe.c_str());
  if (force) return;
  for (const std::filesystem::path& file : files) {
    std::error_code status_ec;
    if (std::filesystem::symlink_status(file, status_ec).type() != std::filesystem::file_type::not_found) {
      throw UsageError{file.string() + ": expected a new output file, found one already there (pass --force to "
                       "replace it, or --out another directory)"};
    }
  }
}

}  // namespace cli
