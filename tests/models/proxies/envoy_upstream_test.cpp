#include "models/proxies/envoy_upstream.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <vector>

#include "models/health/envoy_active_health_check.hpp"
#include "models/health/outlier_detection.hpp"
#include "sim/rng.hpp"

using namespace std::chrono_literals;
using models::health::EnvoyActiveHealthChecker;
using models::health::EnvoyHealthCheckConfig;
using models::health::OutlierDetectionConfig;
using models::health::ProbeResult;
using models::proxies::EnvoyUpstream;
using models::proxies::EnvoyUpstreamSettings;

namespace {

sim::SimTime at_s(std::int64_t s) { return sim::SimTime::at(std::chrono::seconds{s}); }

EnvoyUpstreamSettings with_active_hc() {
  EnvoyUpstreamSettings settings;
  settings.active_health_check = EnvoyHealthCheckConfig{};
  return settings;
}

// Host h is workload h; the first hosts_per_priority[0] hosts are priority 0, and so on.
EnvoyUpstream make_upstream(EnvoyUpstreamSettings settings, const std::vector<std::uint32_t>& hosts_per_priority) {
  std::vector<std::uint32_t> workloads, priorities;
  for (std::uint32_t p = 0; p < hosts_per_priority.size(); ++p) {
    for (std::uint32_t i = 0; i < hosts_per_priority[p]; ++i) {
      workloads.push_back(static_cast<std::uint32_t>(workloads.size()));
      priorities.push_back(p);
    }
  }
  return EnvoyUpstream(std::move(settings), std::move(workloads), std::move(priorities));
}

// The hosts `count` first-attempt picks land on.
std::set<std::uint32_t> picked_hosts(EnvoyUpstream& upstream, const std::vector<std::uint8_t>& present,
                                     sim::RngStream& rng, int count = 400) {
  std::set<std::uint32_t> hosts;
  for (int i = 0; i < count; ++i) {
    const auto host = upstream.pick(present, {}, rng);
    REQUIRE(host);
    hosts.insert(*host);
  }
  return hosts;
}

}  // namespace

TEST_CASE("EnvoyUpstream: a host failing active health checks gets no traffic", "[models][proxies][envoy-hc]") {
  EnvoyUpstream upstream = make_upstream(with_active_hc(), {3});
  const std::vector<std::uint8_t> present(3, 1);
  sim::RngStream rng(1, 0, "upstream-active-hc");
  REQUIRE(picked_hosts(upstream, present, rng) == std::set<std::uint32_t>{0, 1, 2});

  SECTION("set directly") {
    upstream.set_active_health(0, false);
    CHECK(upstream.failed_active_health_check(0));
    CHECK(picked_hosts(upstream, present, rng) == std::set<std::uint32_t>{1, 2});
    upstream.set_active_health(0, true);
    CHECK(picked_hosts(upstream, present, rng) == std::set<std::uint32_t>{0, 1, 2});
  }
  SECTION("driven by a checker: traffic continues while the failures are only counted") {
    EnvoyActiveHealthChecker checker(*upstream.settings().active_health_check);  // U = 3
    for (int probe = 1; probe <= 3; ++probe) {
      checker.record(ProbeResult::NetworkFailure);
      upstream.on_active_check(0, false, checker.healthy(), at_s(probe * 6));
      CAPTURE(probe);
      CHECK(picked_hosts(upstream, present, rng).count(0) == (probe < 3 ? 1u : 0u));
    }
    // Back after healthy_threshold = 2 passes.
    checker.record(ProbeResult::Success);
    upstream.on_active_check(0, true, checker.healthy(), at_s(30));
    CHECK(picked_hosts(upstream, present, rng).count(0) == 0u);
    checker.record(ProbeResult::Success);
    upstream.on_active_check(0, true, checker.healthy(), at_s(36));
    CHECK(picked_hosts(upstream, present, rng).count(0) == 1u);
  }
  SECTION("a priority in panic still uses it, as Envoy does") {
    upstream.set_active_health(0, false);
    upstream.set_active_health(1, false);  // 1 of 3 healthy: 33% < 50%, panic
    CHECK(upstream.loads(present).panic[0]);
    CHECK(picked_hosts(upstream, present, rng) == std::set<std::uint32_t>{0, 1, 2});
  }
}

TEST_CASE("EnvoyUpstream: priority loads shift as hosts fail active health checks, ROUTING.md 11 V1",
          "[models][proxies][envoy-hc]") {
  // 100 hosts per priority, P1 all healthy; k hosts of P0 fail active HC.
  struct Row {
    std::uint32_t failing_in_p0;
    std::uint32_t p0_load;
    std::uint32_t p1_load;
  };
  const std::vector<Row> rows = {{0, 100, 0}, {28, 100, 0}, {29, 99, 1}, {50, 70, 30}, {75, 35, 65}, {100, 0, 100}};
  const std::vector<std::uint8_t> present(200, 1);
  EnvoyUpstream upstream = make_upstream(with_active_hc(), {100, 100});
  for (const Row& row : rows) {
    // On the same upstream, in increasing order: each change must reach the loads by itself.
    for (std::uint32_t h = 0; h < row.failing_in_p0; ++h) upstream.set_active_health(h, false);
    CAPTURE(row.failing_in_p0);
    const auto& loads = upstream.loads(present);
    CHECK(loads.healthy == std::vector<std::uint32_t>{row.p0_load, row.p1_load});
    CHECK(loads.panic == std::vector<bool>{false, false});  // NTA is 100 while P1 is whole
  }
  // And back once they pass again.
  for (std::uint32_t h = 0; h < 100; ++h) upstream.set_active_health(h, true);
  CHECK(upstream.loads(present).healthy == std::vector<std::uint32_t>{100, 0});
}

TEST_CASE("EnvoyUpstream: a passing active check unejects an outlier-ejected host", "[models][proxies][envoy-hc]") {
  EnvoyUpstreamSettings settings = with_active_hc();
  OutlierDetectionConfig od;
  od.max_ejection_percent = 100;  // let one of four hosts go
  settings.outlier_detection = od;
  EnvoyUpstream upstream = make_upstream(settings, {2, 2});
  const std::vector<std::uint8_t> present(4, 1);
  sim::RngStream rng(2, 0, "upstream-uneject");
  for (int i = 0; i < 5; ++i) upstream.record_result(0, 503, at_s(10), rng);
  REQUIRE(upstream.ejected(0));
  // One of two P0 hosts out: health 140 * 1 / 2 = 70 -> 70/30.
  REQUIRE(upstream.loads(present).healthy == std::vector<std::uint32_t>{70, 30});

  SECTION("a pass of a host that is healthy by active HC, long before the ejection time is over") {
    upstream.on_active_check(0, true, true, at_s(15));
    CHECK_FALSE(upstream.ejected(0));
    CHECK(upstream.loads(present).healthy == std::vector<std::uint32_t>{100, 0});
  }
  SECTION("a failed check leaves it ejected, even while the host is still healthy by active HC") {
    upstream.on_active_check(0, false, true, at_s(15));
    CHECK(upstream.ejected(0));
    CHECK(upstream.loads(present).healthy == std::vector<std::uint32_t>{70, 30});
  }
  SECTION("a pass that only counts toward healthy_threshold does not uneject it") {
    upstream.set_active_health(0, false);
    upstream.on_active_check(0, true, false, at_s(15));
    CHECK(upstream.ejected(0));
    upstream.on_active_check(0, true, true, at_s(20));
    CHECK_FALSE(upstream.ejected(0));
    CHECK_FALSE(upstream.failed_active_health_check(0));
    CHECK(upstream.loads(present).healthy == std::vector<std::uint32_t>{100, 0});
  }
  SECTION("not with successful_active_health_check_uneject_host = false") {
    settings.outlier_detection->successful_active_health_check_uneject_host = false;
    EnvoyUpstream other = make_upstream(settings, {2, 2});
    for (int i = 0; i < 5; ++i) other.record_result(0, 503, at_s(10), rng);
    REQUIRE(other.ejected(0));
    other.on_active_check(0, true, true, at_s(15));
    CHECK(other.ejected(0));
    CHECK(other.loads(present).healthy == std::vector<std::uint32_t>{70, 30});
  }
}

TEST_CASE("EnvoyUpstream: reset brings every host back to passing active HC", "[models][proxies][envoy-hc]") {
  EnvoyUpstream upstream = make_upstream(with_active_hc(), {2, 2});
  const std::vector<std::uint8_t> present(4, 1);
  upstream.set_active_health(0, false);
  upstream.set_active_health(1, false);
  REQUIRE(upstream.loads(present).healthy == std::vector<std::uint32_t>{0, 100});
  upstream.reset();
  for (std::uint32_t h = 0; h < 4; ++h) CHECK_FALSE(upstream.failed_active_health_check(h));
  CHECK(upstream.loads(present).healthy == std::vector<std::uint32_t>{100, 0});
}

TEST_CASE("EnvoyUpstream: without active health checking the active HC calls change nothing",
          "[models][proxies][envoy-hc]") {
  EnvoyUpstreamSettings settings;
  settings.outlier_detection = OutlierDetectionConfig{};
  settings.outlier_detection->max_ejection_percent = 100;
  EnvoyUpstream upstream = make_upstream(settings, {2, 2});
  const std::vector<std::uint8_t> present(4, 1);
  sim::RngStream rng(3, 0, "upstream-no-active-hc");
  upstream.set_active_health(0, false);
  CHECK_FALSE(upstream.failed_active_health_check(0));
  CHECK(upstream.loads(present).healthy == std::vector<std::uint32_t>{100, 0});
  // No health checker, so nothing unejects early either.
  for (int i = 0; i < 5; ++i) upstream.record_result(0, 503, at_s(10), rng);
  upstream.on_active_check(0, true, true, at_s(15));
  CHECK(upstream.ejected(0));
}

TEST_CASE("EnvoyUpstream: the kept lists choose what filtering every host on every pick chooses, draw for draw",
          "[models][proxies]") {
  // Three priorities; random membership changes, results (ejections), sweeps (unejections) and
  // active-check verdicts between picks. The reference filters the hosts at each pick, as the
  // simulator did before it kept the lists (issue 14), from the same draws.
  using namespace models::routing;
  EnvoyUpstreamSettings settings = with_active_hc();
  settings.lb_policy = LbPolicy::Random;
  OutlierDetectionConfig od;
  od.consecutive_5xx = 2;
  od.max_ejection_percent = 60;
  od.interval = 1s;
  od.base_ejection_time = 2s;
  settings.outlier_detection = od;
  EnvoyUpstream upstream = make_upstream(settings, {6, 5, 4});
  const std::uint32_t hosts = 15;
  std::vector<std::uint8_t> present(hosts, 1);
  sim::RngStream events(3, 0, "envoy-upstream-events");
  sim::RngStream od_rng(3, 0, "outlier");
  sim::RngStream picks(3, 0, "picks");
  std::vector<std::uint32_t> no_active(hosts, 0);
  int routed = 0, in_panic = 0, failing_hc = 0;
  for (int step = 0; step < 4000; ++step) {
    const sim::SimTime now = at_s(step / 20);
    const auto host = static_cast<std::uint32_t>(events.uniform_below(hosts));
    switch (events.uniform_below(8)) {
      case 0:
        present[upstream.workload(host)] ^= 1;
        upstream.endpoints_changed();
        break;
      case 1: case 2: upstream.record_result(host, events.bernoulli(0.5) ? 503 : 200, now, od_rng); break;
      case 3: upstream.sweep(now, od_rng); break;
      case 4: upstream.set_active_health(host, events.bernoulli(0.7)); break;
      default: break;  // picks without a change in between
    }
    // The reference: levels and candidates by scanning every host.
    std::vector<PriorityHosts> levels(3);
    for (std::uint32_t h = 0; h < hosts; ++h) {
      if (!present[upstream.workload(h)]) continue;
      ++levels[upstream.priority(h)].total;
      if (!upstream.ejected(h) && !upstream.failed_active_health_check(h)) ++levels[upstream.priority(h)].healthy;
    }
    const PriorityLoads loads = compute_priority_loads(levels, settings.overprovisioning_percent, settings.panic_threshold_percent);
    sim::RngStream reference_rng = picks;
    const PriorityChoice choice = choose_priority(loads, priority_draw(reference_rng.next_u64()));
    const bool panic = choice.priority < loads.panic.size() && loads.panic[choice.priority];
    in_panic += panic ? 1 : 0;
    for (std::uint32_t h = 0; h < hosts; ++h) failing_hc += upstream.failed_active_health_check(h) ? 1 : 0;
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t h = 0; h < hosts; ++h) {
      if (upstream.priority(h) != choice.priority || !present[upstream.workload(h)]) continue;
      if (panic || (!upstream.ejected(h) && !upstream.failed_active_health_check(h))) candidates.push_back(h);
    }
    std::uint32_t cursor = 0;
    const std::optional<std::uint32_t> expected =
        candidates.empty() ? std::nullopt
                           : std::optional<std::uint32_t>(pick_host(LbPolicy::Random, candidates, no_active, cursor, reference_rng));
    const std::optional<std::uint32_t> got = upstream.pick(present, {}, picks);
    CAPTURE(step);
    REQUIRE(got == expected);
    REQUIRE(picks.next_u64() == reference_rng.next_u64());  // the same draws
    if (got) ++routed;
  }
  // Every kind of change happened: hosts ejected, failing active checks, priorities in panic.
  CHECK(routed > 1000);
  CHECK(upstream.ejections() > 10);
  CHECK(failing_hc > 100);
  CHECK(in_panic > 10);
}
