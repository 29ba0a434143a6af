#pragma once
// Objects addressed by index in a pool whose slots are reused through a free list, so steady state
// allocates nothing; each slot's generation (T::generation) goes up when the slot is released, so
// an event that names (index, generation) of something already finished is recognised as stale.

#include <cstdint>
#include <vector>

namespace sim {

template <class T>
class GenerationalPool {
 public:
  /// A slot holding a fresh T (its generation kept).
  std::uint32_t allocate() {
    std::uint32_t i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
    } else {
      i = static_cast<std::uint32_t>(items_.size());
      items_.emplace_back();
    }
    const std::uint32_t generation = items_[i].generation;
    items_[i] = T{};
    items_[i].generation = generation;
    ++live_;
    return i;
  }
  void release(std::uint32_t i) {
    ++items_[i].generation;
    free_.push_back(i);
    --live_;
  }
  T& operator[](std::uint32_t i) { return items_[i]; }
  const T& operator[](std::uint32_t i) const { return items_[i]; }
  bool current(std::uint32_t i, std::uint32_t generation) const { return items_[i].generation == generation; }
  std::size_t live() const { return live_; }
  std::size_t capacity() const { return items_.size(); }

 private:
  std::vector<T> items_;
  std::vector<std::uint32_t> free_;
  std::size_t live_ = 0;
};

}  // namespace sim
