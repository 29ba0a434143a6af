// Scenario-level tests of the gateway's health-check flaws: what each one does to traffic.
#include <catch2/catch.hpp>

#include <string>

#include "tests/models/simulation_test_support.hpp"

using namespace std::chrono_literals;
using test_support::failed_share;
using test_support::failures;

namespace {

// One region, one cluster; `web` (two pods, one per node) behind the gateway, calling `db` when
// `with_db`. Probes every second, 1s timeout.
std::string fleet(const std::string& health_check, const std::string& faults, bool with_db = false,
                  const std::string& web = R"("concurrency": 16, "service_time": { "dist": "constant", "value": "2ms" })",
                  const std::string& rate = "200/s") {
  std::string services = R"([ { "name": "web", "replicas_per_cluster": 2, )" + web;
  if (with_db) services += R"(, "calls": [ { "service": "db", "timeout": "1s" } ] )";
  services += " }";
  if (with_db) services += R"(, { "name": "db", "replicas_per_cluster": 1, "service_time": { "dist": "constant", "value": "1ms" } })";
  services += " ]";
  return R"({
    "faultline": 1, "name": "hc", "run": { "duration": "60s", "step": "1s", "seed": 4 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 3, "config_cluster": true } ] } ],
    "services": )" + services + R"(,
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ],
                 "health_check": { "interval": "1s", "timeout": "1s", )" + health_check + R"( } },
    "clients": [ { "region": "r1", "rate": ")" + rate + R"(" } ],
    "faults": [ )" + faults + R"( ] })";
}


const std::string kZombie = R"({ "id": "z", "kind": "gray-failure", "target": "c1/web-0", "at": "10s" })";

}  // namespace

TEST_CASE("Health checks: a shallow check keeps a zombie backend in rotation, a deep one removes it",
          "[models][health][scenario]") {
  const std::string thresholds = R"("healthy_threshold": 2, "unhealthy_threshold": 2)";
  const auto shallow = test_support::run_scenario_text(fleet(thresholds, kZombie));
  // web-0 answers every request with 503 but its process runs: the shallow check passes, and
  // round robin keeps sending it half the traffic for the rest of the run.
  CHECK(failed_share(shallow, 0s, 9s) == 0.0);
  CHECK(failed_share(shallow, 15s, 60s) == Approx(0.5).margin(0.03));
  const auto deep = test_support::run_scenario_text(fleet(thresholds + R"(, "depth": "deep")", kZombie));
  // The deep check sees the 503: two failed probes (1s apart) take web-0 out within about 2-3s.
  CHECK(failed_share(deep, 15s, 60s) == 0.0);
  CHECK(failures(deep, "error_response") > 0);    // the requests before detection
  CHECK(failures(deep, "error_response") < 400);  // at most ~3s of half the traffic
}

TEST_CASE("Health checks: a deep check that includes a shared dependency fails the whole fleet at once",
          "[models][health][scenario]") {
  const std::string db_down = R"({ "id": "db", "kind": "pod-crash", "target": "c1/db-0", "at": "10s" })";
  const auto shallow = test_support::run_scenario_text(fleet(R"("unhealthy_threshold": 2)", db_down, true));
  const auto deep = test_support::run_scenario_text(fleet(R"("unhealthy_threshold": 2, "depth": "deep")", db_down, true));
  // Either way every request fails once db is gone; what differs is how. Shallow: web stays in
  // rotation and answers 5xx. Deep: every web pod fails its check, and the gateway has nothing.
  CHECK(failed_share(shallow, 15s, 60s) == 1.0);
  CHECK(failed_share(deep, 15s, 60s) == 1.0);
  CHECK(failures(shallow, "no_healthy_upstream") == 0);
  CHECK(failures(deep, "no_healthy_upstream") > 0.9 * 200 * 45);
}

TEST_CASE("Health checks: a check that fails under load ejects busy backends", "[models][health][scenario]") {
  // Two pods each serving one request at a time for 4ms: 500 requests/s of capacity, offered 400.
  // Queues form often; a probe stuck behind them times out.
  const std::string busy = R"("concurrency": 1, "service_time": { "dist": "exponential", "mean": "4ms" })";
  const auto plain = test_support::run_scenario_text(fleet(R"("unhealthy_threshold": 1)", "", false, busy, "400/s"));
  const auto flawed =
      test_support::run_scenario_text(fleet(R"("unhealthy_threshold": 1, "fails_under_load": true)", "", false, busy, "400/s"));
  CHECK(plain.all.totals.failed == 0);
  CHECK(failures(flawed, "no_healthy_upstream") > 0);  // both pods out of rotation at once at times
}

TEST_CASE("Health checks: flapping probes, and thresholds that absorb them", "[models][health][scenario]") {
  // Each probe fails with probability 0.3. With one failure enough, both pods are out together in
  // about 0.3^2 = 9% of the seconds; with three needed, a pod leaves only after 3 failures in a row.
  const auto strict = test_support::run_scenario_text(
      fleet(R"("unhealthy_threshold": 1, "healthy_threshold": 1, "false_failure_rate": 0.3)", ""));
  const auto lenient = test_support::run_scenario_text(
      fleet(R"("unhealthy_threshold": 3, "healthy_threshold": 1, "false_failure_rate": 0.3)", ""));
  const double strict_failed = failed_share(strict, 2s, 60s);
  const double lenient_failed = failed_share(lenient, 2s, 60s);
  CHECK(strict_failed > 0.03);
  CHECK(lenient_failed < strict_failed / 5);
}

TEST_CASE("Health checks: thresholds too lenient leave a crashed pod to Kubernetes readiness and its NEG",
          "[models][health][scenario]") {
  // web-0 crashes at 10s. With the default thresholds the gateway's probes remove it in ~2s. With
  // an unhealthy threshold of 1000 they never do: its requests are refused until readiness marks it
  // unready (3 failed probes every 10s: by ~40s) and its endpoint leaves the NEG 5s later.
  const std::string crash = R"({ "id": "p", "kind": "pod-crash", "target": "c1/web-0", "at": "10s" })";
  const auto strict = test_support::run_scenario_text(fleet(R"("unhealthy_threshold": 2)", crash));
  const auto lenient = test_support::run_scenario_text(fleet(R"("unhealthy_threshold": 1000)", crash));
  CHECK(failed_share(strict, 13s, 60s) == 0.0);
  CHECK(failed_share(lenient, 13s, 29s) == Approx(0.5).margin(0.08));
  CHECK(failed_share(lenient, 52s, 60s) == 0.0);
  CHECK(failures(lenient, "connection_refused") > 10 * failures(strict, "connection_refused"));
}
