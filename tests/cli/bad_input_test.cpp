// Hostile and careless input, end to end through the faultline binary: every row must end with
// exit status 2, a message naming the file, the JSON pointer (for scenario and results files),
// what was expected and what was found, and nothing written. A crash, a hang (ctest's timeout) or
// "internal error" fails the row.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

namespace {

/// What a row's input file is.
enum class Input {
  None,         // the row needs no file of its own
  Patched,      // scenarios/small-2region.json with `find` replaced by `replace`
  Raw,          // exactly `replace`
  Directory,    // a directory where the file should be
  Missing,      // no file at all
  HundredMiB,   // 100 MiB of JSON-looking text
  OutputsThere  // small-2region.json, and a results.json already in {out}
};

struct Row {
  std::string name;
  Input input;
  std::string find;     // Patched: text of small-2region.json to replace (must occur once)
  std::string replace;  // Patched/Raw: the new text
  std::string args;     // {file}: the row's file, {out}: an output directory of its own
  std::vector<std::string> says;  // each must occur in stderr, after the same substitution
};

std::string substitute(std::string text, const std::string& file, const std::string& out) {
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{file}", file}, {"{out}", out}}) {
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  }
  return text;
}

const std::string kRun = "run {file} --quiet --out {out}";

// clang-format off
const std::vector<Row> kRows{
    // Wrong types.
    {"name_is_a_number", Input::Patched, R"("name": "small-2region")", R"("name": 42)", kRun,
     {"{file}: /name: expected a non-empty string, found 42 (number)"}},
    {"duration_is_a_number", Input::Patched, R"("duration": "60s")", R"("duration": 60)", kRun,
     {"{file}: /run/duration: expected a duration"}},
    {"nodes_is_a_string", Input::Patched, R"("nodes": 2, "config_cluster")", R"("nodes": "two", "config_cluster")", kRun,
     {"{file}: /regions/0/clusters/0/nodes: expected an integer", "found \"two\""}},
    {"flag_is_a_string", Input::Patched, R"("config_cluster": true)", R"("config_cluster": "yes")", kRun,
     {"{file}: /regions/0/clusters/0/config_cluster: expected true or false, found \"yes\""}},
    {"replicas_not_whole", Input::Patched, R"("replicas": 1 })", R"("replicas": 1.5 })", kRun,
     {"{file}: /services/1/waypoint/replicas: expected an integer", "found 1.5"}},
    {"regions_is_an_object", Input::Patched, R"("zones": ["region-b-1"])", R"("zones": "region-b-1")", kRun,
     {"{file}: /regions/1/zones: expected an array", "found \"region-b-1\""}},
    // Missing required fields.
    {"route_without_backend", Input::Patched, R"({ "path_prefix": "/", "backend": "web" })", R"({ "path_prefix": "/" })", kRun,
     {"{file}: /gateway/routes/0/backend: expected the required key \"backend\", found none"}},
    {"service_time_without_dist", Input::Patched, R"({ "dist": "constant", "value": "1ms" })", R"({ "value": "1ms" })", kRun,
     {"{file}: /services/1/service_time/dist: expected the required key \"dist\", found none"}},
    {"fault_without_kind", Input::Patched, R"("kind": "region-outage", )", "", kRun,
     {"{file}: /faults/0/kind: expected the required key \"kind\", found none"}},
    // Unknown keys, at the top and deep inside.
    {"unknown_top_level_key", Input::Patched, R"("faultline": 1,)", R"("faultline": 1, "regoins": [],)", kRun,
     {"{file}: /regoins: expected a known key, found the unknown key \"regoins\"; did you mean \"regions\"?"}},
    {"misspelt_health_check_key", Input::Patched, R"("healthy_threshold": 2)", R"("healthy_treshold": 2)", kRun,
     {"{file}: /gateway/health_check/healthy_treshold: expected a known key, found the unknown key \"healthy_treshold\"; did you mean \"healthy_threshold\"?"}},
    {"misspelt_istio_field", Input::Patched, R"("consecutive5xxErrors": 5)", R"("consecutive5xxError": 5)", kRun,
     {"{file}: /services/1/traffic_policy/outlierDetection/consecutive5xxError: expected a known key, found the unknown key \"consecutive5xxError\"; did you mean \"consecutive5xxErrors\"?"}},
    {"unknown_key_in_a_strategy", Input::Patched, R"("interval": "1s", "timeout": "500ms")", R"("intervall": "1s", "timeout": "500ms")", kRun,
     {"{file}: /strategies/fast-health-checks/gateway/health_check/intervall: expected a known key, found the unknown key \"intervall\"; did you mean \"interval\"?"}},
    // Negative and zero durations and rates.
    {"negative_duration", Input::Patched, R"("duration": "60s")", R"("duration": "-60s")", kRun,
     {"{file}: /run/duration: expected a duration", "found \"-60s\""}},
    {"zero_duration", Input::Patched, R"("duration": "60s")", R"("duration": "0s")", kRun,
     {"{file}: /run/duration: expected a duration > 0, found \"0s\""}},
    {"zero_rate", Input::Patched, R"("rate": "200/s")", R"("rate": "0/s")", kRun,
     {"{file}: /clients/0/rate: expected", "found \"0/s\""}},
    {"negative_rate", Input::Patched, R"("rate": "200/s")", R"("rate": "-5/s")", kRun,
     {"{file}: /clients/0/rate: expected", "found \"-5/s\""}},
    {"zero_probe_interval", Input::Patched, R"("interval": "2s")", R"("interval": "0s")", kRun,
     {"{file}: /gateway/health_check/interval: expected a duration > 0, found \"0s\""}},
    {"zero_mean_service_time", Input::Patched, R"("mean": "2ms")", R"("mean": "0s")", kRun,
     {"{file}: /services/0/service_time/mean: expected a duration > 0, found \"0s\""}},
    {"zero_concurrency", Input::Patched, R"("replicas_per_cluster": 2, "concurrency": 8,
      "service_time": { "dist": "exponential")", R"("replicas_per_cluster": 2, "concurrency": 0,
      "service_time": { "dist": "exponential")", kRun,
     {"{file}: /services/0/concurrency: expected an integer >= 1, found 0"}},
    // NaN, infinities and huge numbers.
    {"nan_is_not_json", Input::Patched, R"("availability": 0.99)", R"("availability": NaN)", kRun,
     {"{file}: /: expected valid JSON, found a syntax error at line"}},
    {"infinity_is_not_json", Input::Patched, R"("availability": 0.99)", R"("availability": Infinity)", kRun,
     {"{file}: /: expected valid JSON, found a syntax error at line"}},
    {"number_beyond_a_double", Input::Patched, R"("seed": 7)", R"("seed": 1e400)", kRun,
     {"{file}: /: expected valid JSON, found a number out of range at line 6", "1e400"}},
    {"seed_beyond_64_bits", Input::Patched, R"("seed": 7)", R"("seed": 18446744073709551616)", kRun,
     {"{file}: /run/seed: expected", "found 1.8446744073709552e+19"}},
    {"negative_seed", Input::Patched, R"("seed": 7)", R"("seed": -7)", kRun,
     {"{file}: /run/seed: expected", "found -7"}},
    {"huge_node_count", Input::Patched, R"("nodes": 2, "config_cluster")", R"("nodes": 1000000000, "config_cluster")", kRun,
     {"{file}: /regions/0/clusters/0/nodes: expected"}},
    {"availability_above_one", Input::Patched, R"("availability": 0.99)", R"("availability": 1.5)", kRun,
     {"{file}: /slo/availability: expected", "found 1.5"}},
    {"duration_overflows", Input::Patched, R"("duration": "60s")", R"("duration": "99999999999h")", kRun,
     {"{file}: /run/duration: expected a duration", "found \"99999999999h\""}},
    // References to components that do not exist.
    {"client_in_unknown_region", Input::Patched, R"("region": "region-a", "rate")", R"("region": "region-z", "rate")", kRun,
     {"{file}: /clients/0/region: expected the name of a region (one of \"region-a\", \"region-b\"), found \"region-z\""}},
    {"fault_on_unknown_region", Input::Patched, R"("target": "region-a")", R"("target": "region-q")", kRun,
     {"{file}: /faults/0/target: expected", "found \"region-q\""}},
    {"backbone_to_unknown_region", Input::Patched, R"("to": "region-b")", R"("to": "region-c")", kRun,
     {"{file}: /backbone/0/to: expected the name of a region (one of \"region-a\", \"region-b\"), found \"region-c\""}},
    {"route_to_unknown_service", Input::Patched, R"("backend": "web")", R"("backend": "webx")", kRun,
     {"{file}: /gateway/routes/0/backend: expected the name of a service (one of \"api\", \"web\"), found \"webx\""}},
    {"call_to_unknown_service", Input::Patched, R"({ "service": "api", "timeout": "1s" })", R"({ "service": "apx", "timeout": "1s" })", kRun,
     {"{file}: /services/0/calls/0/service: expected the name of a service (one of \"api\", \"web\"), found \"apx\""}},
    {"gray_failure_of_unknown_service", Input::Patched, R"("kind": "region-outage", "target": "region-a")",
     R"("kind": "gray-failure", "target": "a1", "service": "wbe")", kRun,
     {"{file}: /faults/0/service: expected the name of a service (one of \"api\", \"web\"), found \"wbe\"; did you mean \"web\"?"}},
    {"gray_failure_of_service_not_in_target", Input::Patched, R"("kind": "region-outage", "target": "region-a")",
     R"("kind": "gray-failure", "target": "a1/web-0", "service": "api")", kRun,
     {"{file}: /faults/0/service: expected a service with a pod in \"a1/web-0\" (one of \"web\"), found \"api\", which has none there"}},
    {"service_on_a_region_outage", Input::Patched, R"("target": "region-a", "at")", R"("target": "region-a", "service": "web", "at")", kRun,
     {"{file}: /faults/0/service: expected no \"service\" on a region-outage fault (only \"gray-failure\" faults take one), found \"web\""}},
    // Cycles in the service call graph.
    {"call_cycle", Input::Patched, R"("waypoint": { "replicas": 1 },)", R"("calls": [ { "service": "web", "timeout": "1s" } ], "waypoint": { "replicas": 1 },)", kRun,
     {"{file}: /services/1/calls/0/service: expected calls without cycles, found the cycle \"web -> api -> web\""}},
    {"service_calls_itself", Input::Patched, R"({ "service": "api", "timeout": "1s" })", R"({ "service": "web", "timeout": "1s" })", kRun,
     {"{file}: /services/0/calls/0/service: expected calls without cycles, found the cycle \"web -> web\""}},
    // Empty topologies.
    {"no_regions", Input::Raw, "",
     R"({ "faultline": 1, "name": "empty", "regions": [], "services": [], "gateway": { "routes": [] }, "clients": [] })", kRun,
     {"{file}: /regions: expected a non-empty array, found []", "{file}: /services: expected a non-empty array, found []"}},
    {"region_without_clusters", Input::Patched, R"("clusters": [ { "name": "b1", "nodes": 2 } ])", R"("clusters": [])", kRun,
     {"{file}: /regions/1/clusters: expected a non-empty array, found []"}},
    // Files that are not scenarios at all.
    {"empty_file", Input::Raw, "", "", kRun, {"{file}: /: expected valid JSON, found"}},
    {"plain_text", Input::Raw, "", "hello, faultline\n", kRun, {"{file}: /: expected valid JSON, found a syntax error at line 1"}},
    {"binary_bytes", Input::Raw, "", std::string("\x7f" "ELF\x02\x01\x01\x00\xff\xfe", 10), kRun,
     {"{file}: /: expected valid JSON, found a syntax error at line 1"}},
    {"json_array", Input::Raw, "", "[1, 2, 3]", kRun, {"{file}: /: expected an object, found [1,2,3] (array)"}},
    {"truncated_file", Input::Raw, "", R"({ "faultline": 1, "name": "cut", "run": { "duration": "6)", kRun,
     {"{file}: /: expected valid JSON, found a syntax error at line 1"}},
    {"trailing_garbage", Input::Patched, "\n}\n", "\n} and more\n", kRun, {"{file}: /: expected valid JSON, found a syntax error at line"}},
    {"duplicate_key", Input::Patched, R"("name": "small-2region",)", R"("name": "a", "name": "b",)", kRun,
     {"{file}: /name: expected each key at most once per object, found \"name\" again"}},
    {"ill_formed_utf8", Input::Patched, R"("name": "small-2region")", "\"name\": \"small-\xff\"", kRun,
     {"{file}: /: expected valid JSON, found a syntax error at line"}},
    {"unknown_fault_kind", Input::Patched, R"("kind": "region-outage")", R"("kind": "region-outrage")", kRun,
     {"{file}: /faults/0/kind: expected one of", "found \"region-outrage\""}},
    {"format_version_2", Input::Patched, R"("faultline": 1,)", R"("faultline": 2,)", kRun,
     {"{file}: /faultline: expected format version 1, found 2"}},
    {"a_directory", Input::Directory, "", "", kRun, {"{file}: /: expected a readable file, found Is a directory"}},
    {"a_missing_file", Input::Missing, "", "", kRun, {"{file}: /: expected a readable file, found No such file or directory"}},
    {"a_100_mib_file", Input::HundredMiB, "", "", kRun,
     {"{file}: /: expected a scenario file of at most 16 MiB, found a file of 100 MiB (104857600 bytes)"}},
    {"an_endless_file", Input::None, "", "", "validate /dev/zero",
     {"/dev/zero: /: expected a scenario file of at most 16 MiB, found more than that (the input does not end)"}},
    {"validate_a_directory", Input::Directory, "", "", "validate {file}", {"{file}: /: expected a readable file, found Is a directory"}},

    // The command line: unknown flags and subcommands.
    {"no_command", Input::None, "", "", "", {"A subcommand is required"}},
    {"unknown_flag", Input::None, "", "", "run scenarios/small-2region.json --frobnicate", {"--frobnicate"}},
    {"unknown_subcommand", Input::None, "", "", "simulate scenarios/small-2region.json", {"faultline: expected a command (run, compare, fmea, availability, merge, report, validate, import, schema or completion), found \"simulate\""}},
    {"no_scenario", Input::None, "", "", "run", {"scenario is required"}},
    // faultline import: manifests that are not Kubernetes objects, paths that are not there.
    {"import_a_list_not_an_object", Input::Raw, "", "- a\n- b\n", "import {file} --fleet scenarios/manifests/gke-ambient/fleet.yaml",
     {"{file}: document 1 (?/?): /: expected a Kubernetes object (a mapping with apiVersion, kind and metadata), found [\"a\",\"b\"] (array)"}},
    {"import_a_missing_path", Input::Missing, "", "", "import {file} --fleet scenarios/manifests/gke-ambient/fleet.yaml",
     {"{file}: /: expected a manifest file or a directory, found nothing there"}},
    {"import_without_fleet", Input::None, "", "", "import scenarios/manifests/gke-ambient", {"--fleet is required"}},
    {"two_scenarios", Input::None, "", "", "validate scenarios/small-2region.json scenarios/small-2region.json",
     {"scenarios/small-2region.json"}},
    // Bad values.
    {"seed_not_a_number", Input::None, "", "", "run scenarios/small-2region.json --seed banana",
     {"--seed: expected a whole number from 0 to 18446744073709551615, found \"banana\""}},
    {"seed_beyond_64_bits_on_the_command_line", Input::None, "", "", "run scenarios/small-2region.json --seed 18446744073709551616",
     {"--seed: expected a whole number from 0 to 18446744073709551615, found \"18446744073709551616\""}},
    {"seed_negative", Input::None, "", "", "run scenarios/small-2region.json --seed=-1", {"--seed: expected a whole number from 0 to 18446744073709551615, found \"-1\""}},
    {"fmea_at_after_the_run", Input::None, "", "", "fmea scenarios/small-2region.json --at 2m",
     {"--at: expected a start before the end of the run (1m), found \"2m\""}},
    {"fmea_for_zero", Input::None, "", "", "fmea scenarios/small-2region.json --for 0s",
     {"--for: expected a positive duration such as \"90s\" or \"1m30s\", found \"0s\""}},
    {"fmea_gray_error_rate_zero", Input::None, "", "", "fmea scenarios/small-2region.json --gray-error-rate 0",
     {"--gray-error-rate: expected a share of requests greater than 0 and at most 1, such as 0.2, found \"0\""}},
    {"fmea_gray_error_rate_percent", Input::None, "", "", "fmea scenarios/small-2region.json --gray-error-rate 20%",
     {"--gray-error-rate: expected a share of requests greater than 0 and at most 1, such as 0.2, found \"20%\""}},
    {"fmea_seeds_zero", Input::None, "", "", "fmea scenarios/small-2region.json --seeds 0",
     {"--seeds: expected a whole number from 1 to 1000000, found \"0\""}},
    {"fmea_depth_three", Input::None, "", "", "fmea scenarios/small-2region.json --depth 3 --out {out}",
     {"--depth: expected a whole number from 1 to 2, found \"3\""}},
    {"fmea_depth_not_a_number", Input::None, "", "", "fmea scenarios/small-2region.json --depth pairs --out {out}",
     {"--depth: expected a whole number from 1 to 2, found \"pairs\""}},
    {"fmea_shard_beyond_count", Input::None, "", "", "fmea scenarios/small-2region.json --shard 3/2 --out {out}",
     {"--shard: expected", "3/2"}},
    {"fmea_shard_with_report", Input::None, "", "", "fmea scenarios/small-2region.json --shard 1/2 --report --out {out}",
     {"--report: a shard writes a partial result, not fmea.json"}},
    {"duration_without_unit", Input::None, "", "", "run scenarios/small-2region.json --duration 5",
     {"--duration: expected a positive duration such as \"90s\" or \"1m30s\", found \"5\""}},
    {"duration_unknown_unit", Input::None, "", "", "run scenarios/small-2region.json --duration 3fortnights",
     {"--duration: expected a positive duration such as \"90s\" or \"1m30s\", found \"3fortnights\""}},
    {"zero_duration_flag", Input::None, "", "", "compare scenarios/small-2region.json --duration 0s",
     {"--duration: expected a positive duration such as \"90s\" or \"1m30s\", found \"0s\""}},
    {"zero_seeds", Input::None, "", "", "run scenarios/small-2region.json --seeds 0",
     {"--seeds: expected a whole number from 1 to 1000000, found \"0\""}},
    {"seeds_not_a_number", Input::None, "", "", "run scenarios/small-2region.json --seeds many",
     {"--seeds: expected a whole number from 1 to 1000000, found \"many\""}},
    {"zero_jobs", Input::None, "", "", "run scenarios/small-2region.json --seeds 2 --jobs 0",
     {"--jobs: expected a whole number from 1 to 1024, found \"0\""}},
    {"too_many_jobs", Input::None, "", "", "compare scenarios/small-2region.json --jobs 5000",
     {"--jobs: expected a whole number from 1 to 1024, found \"5000\""}},
    {"shard_beyond_count", Input::None, "", "", "run scenarios/small-2region.json --seeds 4 --shard 3/2", {"--shard: expected", "3/2"}},
    {"shard_not_k_of_n", Input::None, "", "", "compare scenarios/small-2region.json --shard half", {"--shard: expected", "half"}},
    {"unknown_strategy", Input::None, "", "", "run scenarios/small-2region.json --strategy slow-health-checks",
     {"--strategy: expected one of", "found \"slow-health-checks\""}},
    {"compare_one_strategy", Input::None, "", "", "compare scenarios/small-2region.json --strategies base",
     {"--strategies: expected at least two strategies, found \"base\""}},
    {"unknown_baseline", Input::None, "", "", "compare scenarios/small-2region.json --baseline fastest",
     {"--baseline: expected one of the compared strategies", "found \"fastest\""}},
    {"shard_count_without_env", Input::None, "", "", "compare scenarios/small-2region.json --shard-count 3",
     {"--shard-count: expected it only with --shard-from-env"}},
    // Outputs that cannot be written, or are there already.
    {"out_under_a_file", Input::None, "", "", "run scenarios/small-2region.json --quiet --out /dev/null/faultline",
     {"output directory /dev/null/faultline: expected a directory faultline can create, found \"Not a directory\""}},
    {"out_is_a_file", Input::Raw, "", "not a directory", "run scenarios/small-2region.json --quiet --out {file}",
     {"output directory {file}: expected a directory faultline can create, found \"Not a directory\""}},
    {"results_already_there", Input::OutputsThere, "", "", "run {file} --quiet --out {out}",
     {"{out}/results.json: expected a new output file, found one already there (pass --force to replace it, or --out another directory)"}},
    {"report_already_there", Input::OutputsThere, "", "", "report {out}/results.json",
     {"{out}/report.html: expected a new output file, found one already there (pass --force"}},
    // Results files for `report` and `merge` that faultline did not write.
    {"report_of_a_missing_file", Input::Missing, "", "", "report {file} --out {out}/r.html",
     {"{file}: /: expected a readable file, found No such file or directory"}},
    {"report_of_a_scenario", Input::None, "", "", "report scenarios/small-2region.json --out {out}/r.html",
     {"scenarios/small-2region.json: /: expected a faultline results document (JSON), found a syntax error at line 1"}},
    {"report_of_an_endless_file", Input::None, "", "", "report /dev/zero --out {out}/r.html",
     {"/dev/zero: /: expected a file of at most"}},
    {"merge_a_whole_result", Input::OutputsThere, "", "", "merge {out}/results.json --out {out}/merged",
     {"{out}/results.json"}},
    {"merge_a_damaged_fmea_shard", Input::Raw, "", R"({ "faultline_fmea": 1, "shard": "1/2" })", "merge {file} --out {out}",
     {"{file}: /faultline_version: missing required key \"faultline_version\""}},
    {"report_of_an_fmea_shard", Input::Raw, "", R"({ "faultline_fmea": 1, "shard": "1/2" })", "report {file} --out {out}/r.html",
     {"{file}: /shard: expected a whole fmea.json, found the partial result of a shard"}},
};
// clang-format on

}  // namespace

TEST_CASE("faultline: every bad input in the table exits with status 2, says what and where, and writes nothing",
          "[cli][bad-input]") {
  REQUIRE(kRows.size() >= 40);
  ScratchDir scratch("bad-input");
  const std::string base = slurp(std::filesystem::path(FAULTLINE_SOURCE_DIR) / "scenarios/small-2region.json");
  for (const Row& row : kRows) {
    CAPTURE(row.name);
    const std::filesystem::path file = scratch.path() / (row.name + ".json");
    const std::filesystem::path out = scratch.path() / ("out-" + row.name);
    switch (row.input) {
      case Input::None:
      case Input::Missing:
        break;
      case Input::Patched: {
        const std::size_t at = base.find(row.find);
        REQUIRE(at != std::string::npos);
        REQUIRE(base.find(row.find, at + 1) == std::string::npos);
        std::string text = base;
        text.replace(at, row.find.size(), row.replace);
        std::ofstream(file, std::ios::binary) << text;
        break;
      }
      case Input::Raw:
        std::ofstream(file, std::ios::binary) << row.replace;
        break;
      case Input::Directory:
        std::filesystem::create_directories(file);
        break;
      case Input::HundredMiB: {
        // Exactly 100 MiB: a valid object with one very long name.
        const std::string head = "{ \"faultline\": 1, \"name\": \"", tail = "\" }";
        std::ofstream big(file, std::ios::binary);
        big << head << std::string((std::size_t{100} << 20) - head.size() - tail.size(), 'x') << tail;
        break;
      }
      case Input::OutputsThere: {
        std::ofstream(file, std::ios::binary) << base;
        const auto first = run_faultline("run " + file.string() + " --quiet --report --out " + out.string(), scratch);
        REQUIRE(first.status == 0);
        break;
      }
    }
    const std::string args = substitute(row.args, file.string(), out.string());
    CAPTURE(args);
    // What is there before the command (OutputsThere rows) must be there, unchanged, after.
    std::vector<std::pair<std::filesystem::path, std::string>> before;
    if (std::filesystem::is_directory(out))
      for (const auto& entry : std::filesystem::directory_iterator(out)) before.emplace_back(entry.path(), slurp(entry.path()));

    const auto r = run_faultline(args, scratch);
    CAPTURE(r.err);
    CHECK(r.status == 2);
    for (const std::string& says : row.says) CHECK(r.err.find(substitute(says, file.string(), out.string())) != std::string::npos);
    CHECK(r.err.find("internal error") == std::string::npos);

    std::size_t files_after = 0;
    if (std::filesystem::is_directory(out)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) files_after += entry.is_regular_file() ? 1 : 0;
    }
    CHECK(files_after == before.size());
    for (const auto& [path, content] : before) CHECK(slurp(path) == content);
    std::error_code ec;
    std::filesystem::remove_all(file, ec);  // the 100 MiB file goes at once
  }
}
