#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

using test_support::run_faultline;
using test_support::ScratchDir;

TEST_CASE("faultline --version and --help", "[cli]") {
  ScratchDir scratch("version");
  const auto version = run_faultline("--version", scratch);
  CHECK(version.status == 0);
  CHECK(version.out.find("faultline ") != std::string::npos);

  const auto help = run_faultline("--help", scratch);
  CHECK(help.status == 0);
  for (const char* word : {"run", "validate", "Exit status"}) CHECK(help.out.find(word) != std::string::npos);

  const auto run_help = run_faultline("run --help", scratch);
  CHECK(run_help.status == 0);
  for (const char* word : {"--seed", "--duration", "--out", "scenario"}) CHECK(run_help.out.find(word) != std::string::npos);

  const auto validate_help = run_faultline("validate --help", scratch);
  CHECK(validate_help.status == 0);
  CHECK(validate_help.out.find("Check a scenario file") != std::string::npos);
}

// Bad command lines: the table in bad_input_test.cpp.

TEST_CASE("faultline validate accepts every shipped scenario, and runs each", "[cli]") {
  ScratchDir scratch("validate-ok");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(FAULTLINE_SOURCE_DIR) / "scenarios"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 4);
  for (const auto& file : files) {
    const std::string relative = "scenarios/" + file.filename().string();
    CAPTURE(relative);
    const auto r = run_faultline("validate " + relative, scratch);
    CHECK(r.status == 0);
    CHECK(r.out.find(": ok") != std::string::npos);
    const auto ran = run_faultline("run " + relative + " --quiet --duration 4m --out '" +
                                       (scratch.path() / file.stem()).string() + "'", scratch);
    CHECK(ran.status == 0);
  }
}

TEST_CASE("faultline validate and run reject every bad scenario with status 2 and the JSON pointer", "[cli]") {
  ScratchDir scratch("validate-bad");
  const std::filesystem::path dir = std::filesystem::path(FAULTLINE_SOURCE_DIR) / "tests/data/bad_scenarios";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 15);
  for (const auto& file : files) {
    const std::string relative = "tests/data/bad_scenarios/" + file.filename().string();
    CAPTURE(relative);
    std::ifstream expected_in(std::filesystem::path(file).replace_extension(".expected"));
    REQUIRE(expected_in.good());
    std::vector<std::string> expected_lines;
    for (std::string line; std::getline(expected_in, line);)
      if (!line.empty()) expected_lines.push_back(line);
    REQUIRE_FALSE(expected_lines.empty());
    for (const char* command : {"validate ", "run --quiet --out /nonexistent/never-written "}) {
      CAPTURE(command);
      const auto r = run_faultline(command + relative, scratch);
      CHECK(r.status == 2);
      for (const auto& line : expected_lines) {
        CAPTURE(line);
        CHECK(r.err.find(line) != std::string::npos);
        // Every message names the file and a JSON pointer.
        CHECK(line.rfind(relative + ": /", 0) == 0);
      }
    }
  }
}

TEST_CASE("faultline validate: capacity warnings from the static estimate, and exit status 0", "[cli]") {
  const ScratchDir scratch("validate-warnings");
  const auto overloaded = run_faultline("validate tests/data/cross-region-overload.json", scratch);
  CHECK(overloaded.status == 0);
  CHECK(overloaded.out.find("warning: service \"web\" in us-east1 is over capacity at the clients' peak") != std::string::npos);
  CHECK(overloaded.out.find("warning: calls from \"web\" to \"api\" cross regions") != std::string::npos);
  const auto fine = run_faultline("validate scenarios/gke-ambient-3region.json", scratch);
  CHECK(fine.status == 0);
  CHECK(fine.out.find("warning") == std::string::npos);
}
