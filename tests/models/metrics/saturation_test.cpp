// Saturation per service and region (models/metrics/saturation): time-averaged utilization and
// queue length of a pod that is an M/M/c queue, against the closed forms (rho = lambda / (c mu),
// Erlang C), and running pods that follow a crash.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "models/metrics/erlang_c.hpp"
#include "tests/models/simulation_test_support.hpp"

namespace {

struct Averages {
  double utilization = 0, queue = 0;
};

// Over the steps [from, to): busy slots over running slots, and calls queued per second.
Averages averages(const models::results::RunResult& r, std::size_t from, std::size_t to) {
  const auto& load = r.services[0];
  REQUIRE(load.saturation.size() == 1);
  const auto& s = load.saturation[0];
  double busy = 0, running = 0, queued = 0;
  for (std::size_t k = from; k < to; ++k) {
    busy += static_cast<double>(s.busy[k]);
    running += static_cast<double>(s.running[k]);
    queued += static_cast<double>(s.queued[k]);
  }
  return {busy / (running * load.concurrency), queued / (static_cast<double>(r.step.count()) * static_cast<double>(to - from))};
}

}  // namespace

TEST_CASE("Saturation: an M/M/4 pod at rho = 0.75 reports rho and Erlang C's mean queue", "[metrics][simulation]") {
  // lambda = 300/s, mu = 100/s per slot (10 ms mean), c = 4: a = 3, rho = 0.75,
  // C(4, 3) = 13.5 / 26.5, Lq = C x rho / (1 - rho) = 1.528.
  const auto r = test_support::run_scenario_text(R"({
    "faultline": 1, "name": "mmc",
    "run": { "duration": "2000s", "step": "100s", "seed": 11 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 1, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 1, "concurrency": 4, "queue_limit": 100000,
                    "service_time": { "dist": "exponential", "mean": "10ms" } } ],
    "gateway": { "timeout": "60s", "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "300/s" } ] })");
  const double rho = 0.75, lq = models::metrics::erlang_c(300.0, 0.010, 4).wait_probability * rho / (1 - rho);
  REQUIRE(lq == Approx(1.5283).epsilon(1e-4));
  const Averages a = averages(r, 0, 20);
  CHECK(a.utilization == Approx(rho).epsilon(0.01));
  CHECK(a.queue == Approx(lq).epsilon(0.06));
  CHECK(r.services[0].saturation[0].replicas[0] == 1);
  CHECK(r.all.totals.failed == 0);
}

TEST_CASE("Saturation: a crashed pod stops running at once and being Ready after its probes fail; the survivors absorb its load",
          "[metrics][simulation]") {
  const auto r = test_support::run_scenario_text(R"({
    "faultline": 1, "name": "crash",
    "run": { "duration": "90s", "step": "10s", "seed": 2 },
    "regions": [ { "name": "r1", "zones": ["r1-a"], "clusters": [ { "name": "c1", "nodes": 2, "config_cluster": true } ] } ],
    "services": [ { "name": "web", "replicas_per_cluster": 2, "concurrency": 10,
                    "service_time": { "dist": "constant", "value": "10ms" } } ],
    "gateway": { "routes": [ { "path_prefix": "/", "backend": "web" } ] },
    "clients": [ { "region": "r1", "rate": "400/s" } ],
    "faults": [ { "id": "p", "kind": "pod-crash", "target": "c1/web-0", "at": "20s", "for": "40s" } ] })");
  const auto& s = r.services[0].saturation[0];
  const auto step_ns = static_cast<std::uint64_t>(r.step.count());
  // Running: down from 20 s to 60 s.
  CHECK(s.running[1] == 2 * step_ns);
  CHECK(s.running[2] == 1 * step_ns);
  CHECK(s.running[6] == 2 * step_ns);
  // Ready: until the third failed readiness probe (10 s apart, the first within 10 s of the
  // crash: by 50 s), and again at the first probe after it is back (by 70 s).
  CHECK(s.replicas[0] == 2);
  CHECK(s.replicas[4] == 1);  // at 50 s
  CHECK(s.replicas[6] == 2);  // at 70 s
  // 400/s x 10 ms = 4 busy slots: of 20 with two pods, of 10 with one once the gateway's health
  // checks have taken the crashed pod out (about 7 s after the crash: step 3 is after it).
  const Averages before = averages(r, 0, 2), during = averages(r, 3, 4);
  CHECK(before.utilization == Approx(0.2).epsilon(0.05));
  CHECK(during.utilization == Approx(0.4).epsilon(0.05));
}
