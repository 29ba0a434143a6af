#pragma once
// The discrete-event kernel. It knows nothing of regions or requests: models supply the Payload
// (a std::variant of small event structs) and a handler that dispatches on it.
//
//   sim::Engine<Event> engine;
//   engine.schedule_at(SimTime::at(1s), Arrival{...});
//   engine.run_until(SimTime::at(10min), [&](Engine<Event>& e, const Event& ev) { ... });

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/time.hpp"

namespace sim {

struct LaneId {
  std::uint32_t value = 0;
};

template <class Payload>
class Engine {
 public:
  using Entry = EventEntry<Payload>;

  SimTime now() const { return now_; }
  std::uint64_t events_processed() const { return processed_; }
  std::size_t pending() const {
    std::size_t n = heap_.size();
    for (const auto& lane : lanes_) n += lane.size();
    return n;
  }
  void reserve(std::size_t n) { heap_.reserve(n); }

  /// Schedules a one-shot event. `at` must not be earlier than now().
  EventKey schedule_at(SimTime at, Payload payload) {
    check_not_past(at);
    const EventKey key{at, next_seq_++};
    heap_.push(Entry{key, TimerHandle{}, std::move(payload)});
    return key;
  }
  EventKey schedule_after(Duration delay, Payload payload) { return schedule_at(now_ + delay, std::move(payload)); }

  /// Schedules a one-shot event that can be cancelled before it runs.
  TimerHandle schedule_cancellable(SimTime at, Payload payload) {
    check_not_past(at);
    const TimerHandle handle = allocate_timer(Duration::zero());
    heap_.push(Entry{EventKey{at, next_seq_++}, handle, std::move(payload)});
    return handle;
  }

  /// Schedules `payload` at `first`, then every `period` until cancelled. The next occurrence is
  /// queued before the handler runs, so a handler may cancel its own timer.
  TimerHandle schedule_periodic(SimTime first, Duration period, Payload payload) {
    check_not_past(first);
    if (period <= Duration::zero()) throw std::invalid_argument("periodic timer needs a positive period");
    const TimerHandle handle = allocate_timer(period);
    heap_.push(Entry{EventKey{first, next_seq_++}, handle, std::move(payload)});
    return handle;
  }

  /// Cancels a cancellable or periodic event. Cancelling twice, or after a one-shot event ran,
  /// is harmless: the generation no longer matches.
  void cancel(TimerHandle handle) {
    if (!handle.valid() || handle.slot >= timers_.size()) return;
    TimerSlot& slot = timers_[handle.slot];
    if (slot.generation != handle.generation) return;
    release_timer(handle.slot);
  }
  bool is_pending(TimerHandle handle) const {
    return handle.valid() && handle.slot < timers_.size() && timers_[handle.slot].generation == handle.generation;
  }

  /// A lane for events that always run a fixed delay after they are scheduled (see DelayLane).
  LaneId add_lane(Duration delay) {
    lanes_.emplace_back(delay);
    return LaneId{static_cast<std::uint32_t>(lanes_.size() - 1)};
  }
  EventKey schedule_in_lane(LaneId lane, Payload payload) {
    DelayLane<Payload>& l = lanes_[lane.value];
    const EventKey key{now_ + l.delay(), next_seq_++};
    l.push(Entry{key, TimerHandle{}, std::move(payload)});
    return key;
  }
  TimerHandle schedule_cancellable_in_lane(LaneId lane, Payload payload) {
    DelayLane<Payload>& l = lanes_[lane.value];
    const TimerHandle handle = allocate_timer(Duration::zero());
    l.push(Entry{EventKey{now_ + l.delay(), next_seq_++}, handle, std::move(payload)});
    return handle;
  }

  /// Runs events in (time, sequence) order while the next one is at or before `end`, then sets
  /// now() to `end`. The handler is called as handler(engine, payload).
  template <class Handler>
  void run_until(SimTime end, Handler&& handler) {
    for (;;) {
      Entry* next = peek();
      if (next == nullptr || next->key.at > end) break;
      Entry entry = take();
      now_ = entry.key.at;
      if (entry.timer.valid()) {
        TimerSlot& slot = timers_[entry.timer.slot];
        if (slot.generation != entry.timer.generation) continue;  // cancelled
        if (slot.period > Duration::zero()) {
          heap_.push(Entry{EventKey{now_ + slot.period, next_seq_++}, entry.timer, entry.payload});
        } else {
          release_timer(entry.timer.slot);
        }
      }
      ++processed_;
      handler(*this, entry.payload);
    }
    if (end > now_) now_ = end;
  }

 private:
  struct TimerSlot {
    std::uint32_t generation = 0;
    Duration period{};
  };

  void check_not_past(SimTime at) const {
    if (at < now_) throw std::logic_error("event scheduled in the past");
  }

  TimerHandle allocate_timer(Duration period) {
    std::uint32_t slot;
    if (!free_timers_.empty()) {
      slot = free_timers_.back();
      free_timers_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(timers_.size());
      timers_.push_back(TimerSlot{});
    }
    timers_[slot].period = period;
    return TimerHandle{slot, timers_[slot].generation};
  }
  void release_timer(std::uint32_t slot) {
    ++timers_[slot].generation;
    free_timers_.push_back(slot);
  }

  // The earliest entry across the heap and the lanes; ties go to the lower sequence number, which
  // keeps one global FIFO order for equal times whichever container holds the events.
  Entry* peek() {
    const Entry* best = heap_.empty() ? nullptr : &heap_.top();
    best_lane_ = kHeap;
    for (std::uint32_t i = 0; i < lanes_.size(); ++i) {
      if (lanes_[i].empty()) continue;
      const Entry& front = lanes_[i].front();
      if (best == nullptr || front.key < best->key) {
        best = &front;
        best_lane_ = i;
      }
    }
    return const_cast<Entry*>(best);
  }
  Entry take() { return best_lane_ == kHeap ? heap_.pop() : lanes_[best_lane_].pop(); }

  static constexpr std::uint32_t kHeap = std::numeric_limits<std::uint32_t>::max();
  SimTime now_{};
  std::uint64_t next_seq_ = 0;
  std::uint64_t processed_ = 0;
  EventQueue<Payload> heap_;
  std::vector<DelayLane<Payload>> lanes_;
  std::vector<TimerSlot> timers_;
  std::vector<std::uint32_t> free_timers_;
  std::uint32_t best_lane_ = kHeap;
};

}  // namespace sim
