// Every input a fuzz target once crashed, hung or ran out of memory on (tests/data/fuzz_regressions/
// scenario/ and results/), replayed through the very code path of its target (fuzz_inputs.hpp):
// each must end in success or in the clean error for bad input, never in a crash or another
// exception. A new finding is added by copying the fuzzer's artifact into the directory.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_inputs.hpp"

namespace {

std::filesystem::path regressions(const char* target) {
  return std::filesystem::path(FAULTLINE_SOURCE_DIR) / "tests/data/fuzz_regressions" / target;
}

/// The inputs of one target, in name order (README files excluded).
std::vector<std::filesystem::path> inputs_of(const char* target) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(regressions(target)))
    if (entry.is_regular_file() && entry.path().filename() != "README.md") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <class Run>
void replay_all(const char* target, Run run) {
  const std::vector<std::filesystem::path> files = inputs_of(target);
  for (const auto& file : files) {
    INFO(file.string());
    REQUIRE_NOTHROW(run(bytes_of(file)));
  }
}

}  // namespace

TEST_CASE("fuzz regressions: every scenario input ends in a ScenarioError or a built world", "[fuzz]") {
  replay_all("scenario", [](const std::string& text) { fuzz::scenario_input(text); });
}

TEST_CASE("fuzz regressions: every results input ends in a ResultsDocumentError or a report", "[fuzz]") {
  replay_all("results", [](const std::string& text) { fuzz::results_input(text); });
}
