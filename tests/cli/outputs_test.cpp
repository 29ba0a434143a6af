// Nothing a user already has is lost: an existing output is replaced only with --force, and a run
// interrupted by Ctrl-C writes nothing (not even a temporary file) and says so.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

namespace {

std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// faultline sends itself SIGINT when a run reaches this simulated time (see sim/cli/interrupt.hpp).
const std::string kInterruptAt30s = "FAULTLINE_TEST_INTERRUPT_AT=30s";

}  // namespace

TEST_CASE("faultline run: an existing results.json is replaced only with --force", "[cli][outputs]") {
  ScratchDir scratch("force");
  const std::string out = (scratch.path() / "out").string();
  REQUIRE(run_faultline("run scenarios/small-2region.json --quiet --report --out " + out, scratch).status == 0);
  const std::string results = slurp(scratch.path() / "out/results.json");
  const std::string report = slurp(scratch.path() / "out/report.html");

  const auto refused = run_faultline("run scenarios/small-2region.json --quiet --seed 8 --out " + out, scratch);
  CHECK(refused.status == 2);
  CHECK(refused.err.find(out + "/results.json: expected a new output file, found one already there (pass --force") !=
        std::string::npos);
  CHECK(refused.err.find("events") == std::string::npos);  // refused before running, not after
  CHECK(slurp(scratch.path() / "out/results.json") == results);

  // Only report.html is in the way: still refused, and results.json is not written either.
  std::filesystem::remove(scratch.path() / "out/results.json");
  const auto report_in_the_way = run_faultline("run scenarios/small-2region.json --quiet --report --out " + out, scratch);
  CHECK(report_in_the_way.status == 2);
  CHECK(names_in(out) == std::vector<std::string>{"report.html"});
  CHECK(slurp(scratch.path() / "out/report.html") == report);

  const auto forced = run_faultline("run scenarios/small-2region.json --quiet --seed 8 --report --force --out " + out, scratch);
  CHECK(forced.status == 0);
  const std::string replaced = slurp(scratch.path() / "out/results.json");
  CHECK(replaced != results);
  CHECK(replaced.find("\"seed\": 8") != std::string::npos);
  CHECK(names_in(out) == std::vector<std::string>{"report.html", "results.json"});
}

TEST_CASE("faultline compare and merge: existing outputs are replaced only with --force", "[cli][outputs]") {
  ScratchDir scratch("force-compare");
  const std::string out = (scratch.path() / "out").string();
  const std::string compare = "compare scenarios/small-2region.json --seeds 2 --duration 30s --quiet --out " + out;
  REQUIRE(run_faultline(compare, scratch).status == 0);
  const std::string first = slurp(scratch.path() / "out/compare.json");
  const auto refused = run_faultline(compare, scratch);
  CHECK(refused.status == 2);
  CHECK(refused.err.find(out + "/compare.json: expected a new output file") != std::string::npos);
  CHECK(run_faultline(compare + " --force", scratch).status == 0);
  CHECK(slurp(scratch.path() / "out/compare.json") == first);  // same question, same answer

  const std::string shard = "run scenarios/small-2region.json --seeds 2 --duration 30s --quiet --out " + out + " --shard ";
  REQUIRE(run_faultline(shard + "1/2", scratch).status == 0);
  REQUIRE(run_faultline(shard + "2/2", scratch).status == 0);
  const auto parts = out + "/replications.shard-1-of-2.json " + out + "/replications.shard-2-of-2.json";
  REQUIRE(run_faultline("merge " + parts + " --quiet --out " + out, scratch).status == 0);
  const auto merge_refused = run_faultline("merge " + parts + " --quiet --out " + out, scratch);
  CHECK(merge_refused.status == 2);
  CHECK(merge_refused.err.find(out + "/replications.json: expected a new output file") != std::string::npos);
  CHECK(run_faultline("merge " + parts + " --quiet --force --out " + out, scratch).status == 0);
}

TEST_CASE("faultline run: Ctrl-C stops the run, writes nothing and leaves what was there", "[cli][outputs]") {
  ScratchDir scratch("interrupt");
  const std::string out = (scratch.path() / "out").string();

  SECTION("nothing there before") {
    const auto r = run_faultline("run scenarios/small-2region.json --quiet --report --out " + out, scratch, kInterruptAt30s);
    CHECK(r.status == 130);  // 128 + SIGINT, as shells report it
    CHECK(r.err.find("faultline: interrupted by SIGINT at simulated time 30s of 1m: nothing was written, and files "
                     "already there are unchanged") != std::string::npos);
    CHECK(r.out.find("Wrote") == std::string::npos);
    CHECK(names_in(out).empty());  // not even a temporary file
  }

  SECTION("with --force over an earlier run") {
    REQUIRE(run_faultline("run scenarios/small-2region.json --quiet --report --out " + out, scratch).status == 0);
    const std::string results = slurp(scratch.path() / "out/results.json");
    const std::string report = slurp(scratch.path() / "out/report.html");
    const auto r = run_faultline("run scenarios/small-2region.json --quiet --report --force --seed 9 --out " + out, scratch,
                                 kInterruptAt30s);
    CHECK(r.status == 130);
    CHECK(names_in(out) == std::vector<std::string>{"report.html", "results.json"});
    CHECK(slurp(scratch.path() / "out/results.json") == results);
    CHECK(slurp(scratch.path() / "out/report.html") == report);
  }

  SECTION("SIGTERM, late in a long run") {
    const auto r = run_faultline("run scenarios/small-2region.json --duration 2h --quiet --out " + out, scratch,
                                 "FAULTLINE_TEST_INTERRUPT_AT=6150s FAULTLINE_TEST_INTERRUPT_SIGNAL=SIGTERM");
    CHECK(r.status == 143);  // 128 + SIGTERM
    CHECK(r.err.find("faultline: interrupted by SIGTERM at simulated time 1h42m30s of 2h: nothing was written") !=
          std::string::npos);
    CHECK(names_in(out).empty());
  }

  SECTION("replications on two threads") {
    const auto r = run_faultline("run scenarios/small-2region.json --seeds 4 --jobs 2 --quiet --out " + out, scratch,
                                 kInterruptAt30s);
    CHECK(r.status == 130);
    CHECK(r.err.find("faultline: interrupted by SIGINT at simulated time ") != std::string::npos);
    CHECK(names_in(out).empty());
  }

  SECTION("a comparison") {
    const auto r = run_faultline("compare scenarios/small-2region.json --seeds 2 --quiet --report --out " + out, scratch,
                                 kInterruptAt30s);
    CHECK(r.status == 130);
    CHECK(names_in(out).empty());
  }
}
