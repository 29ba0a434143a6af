#pragma once
// The pending-event set: a flat binary heap of small value entries ordered by (time, insertion
// sequence), so equal-time events always run in the order they were scheduled (ns-3's EventKey,
// OMNeT++'s insertOrder). No allocation per event once the vector has grown to its working size.

#include <algorithm>
#include <compare>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace sim {

struct EventKey {
  SimTime at;
  std::uint64_t seq = 0;
  friend constexpr auto operator<=>(const EventKey&, const EventKey&) = default;
};

/// Identifies a cancellable or periodic event: a slot in the engine's timer table and the
/// generation the event was scheduled under. Cancelling bumps the generation, and the stale
/// entry is dropped when it reaches the top (lazy cancellation, as Envoy's EDF scheduler does).
struct TimerHandle {
  std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t generation = 0;
  constexpr bool valid() const { return slot != std::numeric_limits<std::uint32_t>::max(); }
};

template <class Payload>
struct EventEntry {
  EventKey key;
  TimerHandle timer;  // invalid for plain one-shot events
  Payload payload;
};

/// Min-heap on EventKey: a flat 4-ary heap (half the depth of a binary heap, and the four
/// children of a node share a cache line or two). Complexity: push and pop O(log n); top O(1).
template <class Payload>
class EventQueue {
 public:
  using Entry = EventEntry<Payload>;

  void reserve(std::size_t n) { heap_.reserve(n); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Entry& top() const { return heap_.front(); }

  void push(Entry entry) {
    // Sift the hole up from the end, then drop the entry into it.
    std::size_t hole = heap_.size();
    heap_.emplace_back();
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / kArity;
      if (!(entry.key < heap_[parent].key)) break;
      heap_[hole] = std::move(heap_[parent]);
      hole = parent;
    }
    heap_[hole] = std::move(entry);
  }

  Entry pop() {
    Entry out = std::move(heap_.front());
    Entry last = std::move(heap_.back());
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return out;
    // Sift the hole at the root down along the smallest children, then place the last entry.
    std::size_t hole = 0;
    for (;;) {
      const std::size_t first = hole * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = std::min(first + kArity, n);
      for (std::size_t c = first + 1; c < end; ++c)
        if (heap_[c].key < heap_[best].key) best = c;
      if (!(heap_[best].key < last.key)) break;
      heap_[hole] = std::move(heap_[best]);
      hole = best;
    }
    heap_[hole] = std::move(last);
    return out;
  }

 private:
  static constexpr std::size_t kArity = 4;
  std::vector<Entry> heap_;
};

/// A FIFO of events that are all scheduled a fixed delay after "now". Because simulated time
/// never goes back, their times are non-decreasing, so a ring buffer keeps them in order at O(1)
/// per event instead of O(log n) in the heap (timeouts are the typical use: one per request).
template <class Payload>
class DelayLane {
 public:
  using Entry = EventEntry<Payload>;

  explicit DelayLane(Duration delay) : delay_(delay) {}
  Duration delay() const { return delay_; }
  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }
  const Entry& front() const { return ring_[head_]; }

  void push(Entry entry) {
    if (count_ == ring_.size()) grow();
    ring_[(head_ + count_) & (ring_.size() - 1)] = std::move(entry);
    ++count_;
  }
  Entry pop() {
    Entry out = std::move(ring_[head_]);
    head_ = (head_ + 1) & (ring_.size() - 1);
    --count_;
    return out;
  }

 private:
  void grow() {
    std::vector<Entry> bigger(ring_.empty() ? 64 : ring_.size() * 2);
    for (std::size_t i = 0; i < count_; ++i) bigger[i] = std::move(ring_[(head_ + i) & (ring_.size() - 1)]);
    ring_ = std::move(bigger);
    head_ = 0;
  }
  Duration delay_;
  std::vector<Entry> ring_;  // size is a power of two
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace sim
