#pragma once
// One run of a scenario: the World, the engine and the event handlers that move requests
// through gateway proxies, ztunnels, waypoints and pods, and that carry faults, health checks,
// readiness and control-plane pushes.

#include <functional>

#include "models/events.hpp"
#include "models/metrics/request_metrics.hpp"
#include "models/traffic/call_pool.hpp"
#include "models/world.hpp"
#include "sim/engine.hpp"
#include "sim/run_result.hpp"

namespace models {

class Simulation {
 public:
  explicit Simulation(World world);

  /// Called at least every simulated second during run() with the simulated time reached and the
  /// end time. It may throw to abandon the run (faultline does on Ctrl-C).
  using Progress = std::function<void(sim::SimTime now, sim::SimTime end)>;

  /// Runs arrivals over [0, duration), then until every request has an outcome.
  sim::RunResult run(const Progress& progress = {});

  const World& world() const { return w_; }
  std::uint64_t events_processed() const { return engine_.events_processed(); }

 private:
  using Engine = sim::Engine<Event>;

  void schedule_initial_events();
  void dispatch(const Event& event);
  void on(const ClientArrival& e);
  void on(const PodArrival& e);
  void on(const WaypointArrival& e);
  void on(const ServiceDone& e);
  void on(const CallReturned& e);
  void on(const CallTimeout& e);
  void on(const HealthCheckRound& e);
  void on(const HealthCheckResult& e);
  void on(const ReadinessSweep& e);
  void on(const EndpointPush& e);
  void on(const ProxyResync& e);
  void on(const RetryAttempt& e);
  void on(const OutlierSweep& e);
  void on(const GatewayRateTick& e);
  void on(const WriteDone& e);
  void on(const DatabasePromotion& e);
  void database_instance_down(Database& db, ComponentId instance);
  void on(const GatewayResult& e);
  void on(const GatewayOutlierSweep& e);
  void refresh_gateway_backend(GatewayTier& tier, GatewayBackends& gb, std::uint32_t backend);
  void recompute_gateway_shares(std::uint32_t tier, GatewayBackends& gb);
  void gateway_learns(const traffic::Call& root, traffic::Failure failure, sim::SimTime at);
  void on(const FaultStart& e);
  void on(const FaultEnd& e);
  void on(const FaultPhase& e);
  void on(const CertRenewal& e);
  void on(const NegSync& e);
  void on(const ActiveCheck& e);
  void on(const ActiveCheckResult& e);
  void hold(Fault& fault);
  void release_hold(Fault& fault);
  void update_workload_effects(const Fault& changed);
  void drop_calls_on_node(std::uint32_t node);
  bool ztunnel_up(const Workload& wl) const { return w_.is_up(w_.nodes[wl.node].ztunnel); }
  const MeshProxy& ztunnel_of(const Workload& wl) const { return w_.proxies[w_.nodes[wl.node].ztunnel_proxy]; }
  void schedule_health_check_round(sim::SimTime at, std::uint32_t tier, std::uint32_t service);
  void on(const StepFinalize& e);

  // Request lifecycle.
  void admit(std::uint32_t call);
  static void grow_queue(Workload& wl, std::uint32_t limit);
  void start_service(std::uint32_t call);
  void advance(std::uint32_t call);
  void issue_call(std::uint32_t parent, const ResolvedCall& rc);
  void issue_attempt(std::uint32_t waypoint_call, bool is_retry);
  /// What the waypoint learns of one attempt when its result comes back.
  struct AttemptReport {
    std::uint32_t host = 0;
    bool is_retry = false;
  };
  void attempt_done(std::uint32_t waypoint_call, traffic::Failure failure, const AttemptReport& attempt);
  void close_attempt(std::uint32_t attempt);
  void release(std::uint32_t call);
  void finish(std::uint32_t call, traffic::Failure failure);
  void answer(std::uint32_t call, traffic::Failure failure);
  void lose(std::uint32_t call, traffic::Failure failure, sim::SimTime caller_learns_at);
  void resume(std::uint32_t parent, std::uint32_t parent_generation, traffic::Failure failure,
              const AttemptReport& attempt);
  void record_root(const traffic::Call& call, traffic::Failure failure, sim::SimTime done_at);
  void unlink_active(std::uint32_t call);

  // Components going down and coming back.
  void component_down(ComponentId c);
  void component_up(ComponentId c);
  void crash_pod(std::uint32_t workload);
  bool deep_check_passes(const Workload& wl, sim::RngStream& rng) const;
  std::uint32_t resolve_gateway(Client& client, sim::RngStream& rng);
  bool vip_healthy_as_dns_sees_it(std::uint32_t region) const;
  void recompute_latencies();
  bool reachable(std::uint32_t from_region, std::uint32_t to_region) const {
    return w_.latencies.reachable(from_region, to_region);
  }

  sim::Duration one_way(std::uint32_t from_region, std::uint32_t to_region, sim::RngStream& rng);
  sim::Duration service_time(const Service& s, sim::RngStream& rng);
  bool node_up(const Workload& wl) const { return w_.is_up(w_.nodes[wl.node].component); }
  sim::RngStream& rng(std::uint32_t stream) { return w_.streams[stream]; }
  std::span<std::uint32_t> cursors(std::vector<std::uint32_t>& all, std::uint32_t service);

  World w_;
  Engine engine_;
  traffic::CallPool calls_;
  metrics::RequestMetrics metrics_;
  sim::SimTime arrivals_end_;
  sim::SimTime horizon_;
  // Per-step counters live in rings of the steps still open (ring_ slots, indexed by step % ring_)
  // and go to their series, mostly on disk, as each step closes: memory stays flat however long
  // the run (sim/step_log.hpp).
  std::size_t ring_ = 1;  // a power of two, so that a slot is a mask, not a division, per request
  std::size_t ring_slot(std::size_t row, std::size_t step) const { return row * ring_ + (step & (ring_ - 1)); }
  std::size_t service_steps_ = 0;   // steps of service load: to the end of the drain
  std::size_t service_closed_ = 0;  // service load steps [0, service_closed_) are in service_series_
  std::vector<std::uint64_t> service_ring_;       // [service][region][slot], requests reaching pods
  std::vector<sim::CountSeries> service_series_;  // [service][region]
  // Client requests and good ones per step, by route, entry service and serving cluster; a step
  // closes when metrics_ closes it.
  std::vector<std::uint64_t> breakdown_ring_requests_, breakdown_ring_good_;  // [group][slot]
  std::vector<sim::CountSeries> breakdown_requests_, breakdown_good_;         // [group]
  std::vector<sim::LatencyHistogram> breakdown_latency_;                      // [group]
  void close_breakdown_step(std::size_t step);
  void close_service_steps_before(std::size_t step);
  std::size_t route_group(std::uint32_t route) const { return route; }
  std::size_t service_group(std::uint32_t service) const { return w_.routes.size() + service; }
  std::size_t cluster_group(std::uint32_t cluster) const { return w_.routes.size() + w_.services.size() + cluster; }
  void count_request(std::size_t group, std::size_t step) { ++breakdown_ring_requests_[ring_slot(group, step)]; }
  std::vector<sim::RoutingReaction> reactions_;
  void reacted(const char* kind) { reactions_.push_back({engine_.now().since_start(), kind}); }
};

}  // namespace models
