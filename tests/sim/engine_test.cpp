#include <catch2/catch.hpp>

#include <functional>
#include <type_traits>
#include <vector>

#include "sim/engine.hpp"

using namespace std::chrono_literals;
using sim::Duration;
using sim::SimTime;

// Time points and durations are distinct types: adding two points must not compile.
static_assert(!std::is_invocable_v<std::plus<>, SimTime, SimTime>);
static_assert(std::is_invocable_v<std::plus<>, SimTime, Duration>);
static_assert(!std::is_convertible_v<double, Duration>);
static_assert(std::is_same_v<decltype(SimTime{} - SimTime{}), Duration>);

namespace {
struct Tag {
  int id;
};
using Engine = sim::Engine<Tag>;

std::vector<int> run_all(Engine& e, SimTime end) {
  std::vector<int> order;
  e.run_until(end, [&](Engine&, const Tag& t) { order.push_back(t.id); });
  return order;
}
}  // namespace

TEST_CASE("Engine: events run in time order", "[sim][engine]") {
  Engine e;
  e.schedule_at(SimTime::at(30ms), Tag{3});
  e.schedule_at(SimTime::at(10ms), Tag{1});
  e.schedule_at(SimTime::at(20ms), Tag{2});
  CHECK(run_all(e, SimTime::at(1s)) == std::vector<int>{1, 2, 3});
  CHECK(e.now() == SimTime::at(1s));
  CHECK(e.events_processed() == 3);
}

TEST_CASE("Engine: equal-time events run in scheduling order", "[sim][engine]") {
  Engine e;
  for (int i = 0; i < 100; ++i) e.schedule_at(SimTime::at(5ms), Tag{i});
  e.schedule_at(SimTime::at(1ms), Tag{-1});
  const auto order = run_all(e, SimTime::at(1s));
  REQUIRE(order.size() == 101);
  CHECK(order[0] == -1);
  for (int i = 0; i < 100; ++i) CHECK(order[static_cast<std::size_t>(i) + 1] == i);
}

TEST_CASE("Engine: events scheduled by a handler for the same time run after those already queued", "[sim][engine]") {
  Engine e;
  e.schedule_at(SimTime::at(1ms), Tag{1});
  e.schedule_at(SimTime::at(1ms), Tag{2});
  std::vector<int> order;
  e.run_until(SimTime::at(1s), [&](Engine& eng, const Tag& t) {
    order.push_back(t.id);
    if (t.id == 1) eng.schedule_at(eng.now(), Tag{3});
  });
  CHECK(order == std::vector<int>{1, 2, 3});
}

TEST_CASE("Engine: run_until stops at the end time and keeps later events", "[sim][engine]") {
  Engine e;
  e.schedule_at(SimTime::at(1s), Tag{1});
  e.schedule_at(SimTime::at(2s), Tag{2});
  e.schedule_at(SimTime::at(3s), Tag{3});
  CHECK(run_all(e, SimTime::at(2s)) == std::vector<int>{1, 2});  // an event exactly at the end runs
  CHECK(e.pending() == 1);
  CHECK(run_all(e, SimTime::at(10s)) == std::vector<int>{3});
}

TEST_CASE("Engine: cancelled events never run, cancelling twice is harmless", "[sim][engine]") {
  Engine e;
  const auto a = e.schedule_cancellable(SimTime::at(1s), Tag{1});
  const auto b = e.schedule_cancellable(SimTime::at(2s), Tag{2});
  e.schedule_at(SimTime::at(3s), Tag{3});
  CHECK(e.is_pending(a));
  e.cancel(a);
  e.cancel(a);
  CHECK_FALSE(e.is_pending(a));
  CHECK(e.is_pending(b));
  CHECK(run_all(e, SimTime::at(10s)) == std::vector<int>{2, 3});
  CHECK_FALSE(e.is_pending(b));  // a one-shot timer is spent once it ran
  e.cancel(b);                    // after it ran: no effect
}

TEST_CASE("Engine: a cancelled handle does not cancel the timer that reuses its slot", "[sim][engine]") {
  Engine e;
  const auto a = e.schedule_cancellable(SimTime::at(1s), Tag{1});
  e.cancel(a);
  const auto b = e.schedule_cancellable(SimTime::at(2s), Tag{2});
  CHECK(b.slot == a.slot);  // the slot is reused ...
  e.cancel(a);              // ... but the stale handle no longer matches
  CHECK(run_all(e, SimTime::at(10s)) == std::vector<int>{2});
}

TEST_CASE("Engine: periodic timers fire every period until cancelled, even from their handler", "[sim][engine]") {
  Engine e;
  std::vector<SimTime> fired;
  sim::TimerHandle handle = e.schedule_periodic(SimTime::at(100ms), 250ms, Tag{7});
  e.run_until(SimTime::at(1s), [&](Engine& eng, const Tag&) {
    fired.push_back(eng.now());
    if (fired.size() == 3) eng.cancel(handle);
  });
  CHECK(fired == std::vector<SimTime>{SimTime::at(100ms), SimTime::at(350ms), SimTime::at(600ms)});
  CHECK(e.pending() == 0);
}

TEST_CASE("Engine: fixed-delay lanes merge with the heap in (time, sequence) order", "[sim][engine]") {
  Engine e;
  const sim::LaneId lane = e.add_lane(10ms);
  e.schedule_at(SimTime::at(10ms), Tag{1});  // same time as the lane event, scheduled first
  e.schedule_in_lane(lane, Tag{2});          // at 10ms
  e.schedule_at(SimTime::at(5ms), Tag{0});
  e.schedule_at(SimTime::at(10ms), Tag{3});  // same time, scheduled last
  std::vector<int> order;
  e.run_until(SimTime::at(1s), [&](Engine& eng, const Tag& t) {
    order.push_back(t.id);
    if (t.id == 0) eng.schedule_in_lane(lane, Tag{4});  // at 15ms
  });
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("Engine: cancellable lane events can be cancelled", "[sim][engine]") {
  Engine e;
  const sim::LaneId lane = e.add_lane(1s);
  const auto h = e.schedule_cancellable_in_lane(lane, Tag{1});
  e.schedule_in_lane(lane, Tag{2});
  e.cancel(h);
  CHECK(run_all(e, SimTime::at(5s)) == std::vector<int>{2});
}

TEST_CASE("Engine: scheduling in the past is refused", "[sim][engine]") {
  Engine e;
  e.schedule_at(SimTime::at(1s), Tag{1});
  run_all(e, SimTime::at(2s));
  CHECK_THROWS_AS(e.schedule_at(SimTime::at(1s), Tag{2}), std::logic_error);
  CHECK_THROWS_AS(e.schedule_periodic(SimTime::at(3s), Duration::zero(), Tag{2}), std::invalid_argument);
}
