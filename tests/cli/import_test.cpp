// faultline import: the example manifests (scenarios/manifests/gke-ambient) become a scenario that
// validates and runs, with a warning for each thing left out, byte for byte the same each time.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_test_support.hpp"

namespace {

using test_support::run_faultline;
using test_support::ScratchDir;
using test_support::slurp;

const std::string kImport =
    "import scenarios/manifests/gke-ambient --fleet scenarios/manifests/gke-ambient/fleet.yaml";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("faultline import: the example manifests give a scenario that validates and runs", "[cli][import]") {
  ScratchDir scratch("import");
  const std::string out = (scratch.path() / "imported.json").string();
  const auto imported = run_faultline(kImport + " --out '" + out + "'", scratch);
  INFO(imported.err);
  REQUIRE(imported.status == 0);
  CHECK(imported.out == "Wrote " + out + " (7 manifest files, 17 warnings)\n");

  const std::vector<std::string> warnings = lines_of(imported.err);
  CHECK(warnings.size() == 17);
  for (const std::string& w : warnings) CHECK(w.rfind("warning: scenarios/manifests/gke-ambient/", 0) == 0);
  const auto has = [&](const std::string& text) {
    for (const std::string& w : warnings)
      if (w.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK(has("checkout.yaml: document 3 (PodDisruptionBudget/checkout): /kind (line 41, column 1): kind "
            "PodDisruptionBudget is not modelled: the whole object is left out"));
  CHECK(has("payments.yaml: document 3 (ConfigMap/payments-config): /kind"));
  CHECK(has("frontend.yaml: document 1 (Deployment/frontend): /spec/template/spec (line 16, column 5): not modelled, "
            "left out"));
  CHECK(has("mesh.yaml: document 3 (DestinationRule/checkout): /spec/trafficPolicy/connectionPool/tcp"));
  CHECK(has("gateway.yaml: document 4 (HealthCheckPolicy/frontend-health): /spec/default/logConfig"));

  const auto validated = run_faultline("validate '" + out + "'", scratch);
  INFO(validated.err);
  CHECK(validated.status == 0);
  CHECK(validated.out.rfind(out + ": ok (scenario \"gke-ambient-imported\": 3 regions, 9 clusters, 5 services", 0) == 0);

  const auto ran = run_faultline("run '" + out + "' --duration 1m -q --out '" + (scratch.path() / "run").string() + "'", scratch);
  INFO(ran.err);
  CHECK(ran.status == 0);

  // A second import, to standard output this time: the same bytes.
  const auto again = run_faultline(kImport, scratch);
  CHECK(again.status == 0);
  CHECK(again.out == slurp(out));
  CHECK(again.err == imported.err);
}

TEST_CASE("faultline import: an existing --out needs --force; bad paths are errors", "[cli][import]") {
  ScratchDir scratch("import-bad");
  const std::string out = (scratch.path() / "imported.json").string();
  REQUIRE(run_faultline(kImport + " --out '" + out + "'", scratch).status == 0);
  const auto refused = run_faultline(kImport + " --out '" + out + "'", scratch);
  CHECK(refused.status == 2);
  CHECK(refused.err == "faultline: " + out + ": expected a new output file, found one already there (pass --force to replace it)\n");
  CHECK(run_faultline(kImport + " --out '" + out + "' --force", scratch).status == 0);

  const auto missing = run_faultline("import scenarios/manifests/nowhere --fleet scenarios/manifests/gke-ambient/fleet.yaml", scratch);
  CHECK(missing.status == 2);
  CHECK(missing.err == "scenarios/manifests/nowhere: /: expected a manifest file or a directory, found nothing there\n");

  const auto named = run_faultline(kImport + " --name shop", scratch);
  CHECK(named.status == 0);
  CHECK(named.out.find("\n  \"name\": \"shop\",\n") != std::string::npos);

  const auto no_fleet = run_faultline("import scenarios/manifests/gke-ambient", scratch);
  CHECK(no_fleet.status == 2);
  CHECK(no_fleet.err.find("--fleet is required") != std::string::npos);
}
