// YAML scenario files (models/config/yaml_document): the same ScenarioConfig as the JSON file, and
// messages that add the line and column to the pointer.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "models/config/load_scenario.hpp"
#include "tests/models/config/issue_lines.hpp"

namespace {

using models::config::parse_scenario;
using models::config::ScenarioError;

const char* const kJson = R"({
  "faultline": 1,
  "name": "minimal",
  "run": { "duration": "1m30s", "seed": 7 },
  "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "config_cluster": true } ] } ],
  "services": [ { "name": "svc", "concurrency": 8, "service_time": { "dist": "exponential", "mean": "2ms" } } ],
  "gateway": { "routes": [ { "backend": "svc" } ] },
  "clients": [ { "region": "r1", "rate": "10/s" } ],
  "slo": { "availability": 0.995 }
})";

const char* const kYaml = R"(# the same scenario
faultline: 1
name: minimal
run:
  duration: 1m30s
  seed: 7
regions:
  - name: r1
    zones: [r1-a]
    clusters:
      - { name: c1, config_cluster: true }
services:
  - name: svc
    concurrency: 8
    service_time: { dist: exponential, mean: 2ms }
gateway:
  routes:
    - backend: svc
clients:
  - region: r1
    rate: 10/s
slo:
  availability: 0.995
)";

std::vector<std::string> problems(const std::string& text, const std::string& file = "test.yaml") {
  try {
    models::config::validate(parse_scenario(text, file));
  } catch (const ScenarioError& error) {
    return test_support::issue_lines(error);
  }
  return {};
}

}  // namespace

TEST_CASE("YAML scenario: the same values as the JSON file", "[config][yaml]") {
  const auto json = models::config::validate(parse_scenario(kJson, "test.json"));
  const auto yaml = models::config::validate(parse_scenario(kYaml, "test.yaml"));
  const auto& a = json.config();
  const auto& b = yaml.config();
  CHECK(b.name == a.name);
  CHECK(b.run.duration == a.run.duration);
  CHECK(b.run.duration == std::chrono::seconds(90));
  CHECK(b.run.seed == a.run.seed);
  CHECK(b.services.at(0).concurrency == a.services.at(0).concurrency);
  CHECK(b.slo.availability == a.slo.availability);
  CHECK(b.regions.at(0).clusters.at(0).config_cluster);
  CHECK(b.clients.at(0).region == "r1");
  // The extension decides: .yml too, in any case.
  CHECK(parse_scenario(kYaml, "x.YML").name == "minimal");
}

TEST_CASE("YAML scenario: problems name the pointer, the line and the column", "[config][yaml]") {
  std::string wrong_type = kYaml;
  wrong_type.replace(wrong_type.find("concurrency: 8"), 14, "concurrency: eight");
  CHECK(problems(wrong_type) ==
        std::vector<std::string>{"/services/0/concurrency: expected an integer >= 1, found \"eight\" (string) (line 14, column 5)"});

  std::string unknown_key = kYaml;
  unknown_key.replace(unknown_key.find("  seed: 7"), 9, "  sead: 7");
  CHECK(problems(unknown_key) == std::vector<std::string>{
                                     "/run/sead: expected a known key, found the unknown key \"sead\"; did you mean "
                                     "\"seed\"? (line 6, column 3)"});

  // A quoted number is a string, as in JSON.
  std::string quoted = kYaml;
  quoted.replace(quoted.find("seed: 7"), 7, "seed: \"7\"");
  REQUIRE(problems(quoted).size() == 1);
  CHECK(problems(quoted)[0].find("/run/seed: ") == 0);
  CHECK(problems(quoted)[0].find("(line 6, column 3)") != std::string::npos);

  // A cross-reference checked after parsing (validate) still says where.
  std::string bad_reference = kYaml;
  bad_reference.replace(bad_reference.find("backend: svc"), 12, "backend: svcc");
  const auto reference = problems(bad_reference);
  REQUIRE(reference.size() == 1);
  CHECK(reference[0].find("/gateway/routes/0/backend: ") == 0);
  CHECK(reference[0].find("did you mean \"svc\"?") != std::string::npos);
  CHECK(reference[0].find("(line 18, column 7)") != std::string::npos);
}

TEST_CASE("YAML scenario: syntax, repeated keys, several documents and alias bombs are errors", "[config][yaml]") {
  CHECK(problems("name: [unclosed\n") ==
        std::vector<std::string>{": expected valid YAML, found a syntax error at line 2, column 1: end of sequence flow not found"});
  CHECK(problems("faultline: 1\nname: a\nname: b\n") ==
        std::vector<std::string>{"/name: expected each key at most once per mapping, found \"name\" again (line 3, column 1)"});
  CHECK(problems("faultline: 1\n---\nfaultline: 1\n") ==
        std::vector<std::string>{": expected one YAML document, found 2 (a scenario file holds one; \"---\" starts another)"});
  CHECK(problems("") == std::vector<std::string>{": expected a YAML document holding a scenario, found an empty file"});
  CHECK(problems("[1, 2]\n")[0].find(": expected an object") == 0);
  // Ten levels of ten aliases: 10^10 values from a few hundred bytes.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = '1'; level <= '9'; ++level) {
    bomb += std::string{'a', level, ':', ' ', '&', 'a', level, ' ', '['};
    for (int k = 0; k < 10; ++k) bomb += std::string{k ? ',' : ' ', '*', 'a', static_cast<char>(level - 1)};
    bomb += "]\n";
  }
  CHECK(problems(bomb) == std::vector<std::string>{": expected at most 1000000 values, found aliases that expand to more"});
}

TEST_CASE("YAML scenario: scalars read as YAML 1.2's core schema", "[config][yaml]") {
  // true/false and null, numbers in JSON's syntax; everything else (yes, 0x10, 1_000) a string.
  std::string text = kYaml;
  text.replace(text.find("config_cluster: true"), 20, "config_cluster: yes");
  const auto yes = problems(text);
  REQUIRE(yes.size() == 1);
  INFO(yes[0]);
  CHECK(yes[0].find("/regions/0/clusters/0/config_cluster: expected true or false, found \"yes\"") == 0);
}
