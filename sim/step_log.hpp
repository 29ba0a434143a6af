#pragma once
// Per-step results that do not stay in memory. A run records a row of numbers per step for every
// client group, route, service and cluster; over a simulated day at a 5 s step that is tens of MB,
// growing with simulated time. A StepLog keeps only its newest rows in memory: each full block of
// rows goes to an unnamed temporary file (removed by the system when closed, even after a crash)
// and is read back a block at a time. Short runs (fewer rows than a block) never touch the disk.
//
// CountSeries is a typed view, a time series of counts (models/results/point_series.hpp has the
// results' series of points); views behave like a read-mostly vector whose elements are returned
// by value.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <vector>

namespace sim {

/// Rows of a fixed number of 64-bit words, appended in order. Reading is not thread-safe (one
/// block is cached); copies share the file part, which is append-only.
class StepLog {
 public:
  static constexpr std::size_t kRowsPerBlock = 1024;

  StepLog() = default;
  explicit StepLog(std::size_t width) : width_(width) {}

  std::size_t width() const { return width_; }
  std::size_t size() const { return size_; }

  /// Appends `width()` words. Throws std::runtime_error when the temporary file cannot be written.
  void append(const std::uint64_t* row);
  /// Copies row k (k < size()) into `row`.
  void read(std::size_t k, std::uint64_t* row) const;
  /// Row k's first word.
  std::uint64_t first_word(std::size_t k) const;

 private:
  class SpillFile;
  const std::uint64_t* row_pointer(std::size_t k) const;

  std::size_t width_ = 0;
  std::size_t size_ = 0;
  std::vector<std::uint64_t> tail_;          // rows [blocks * kRowsPerBlock, size_)
  std::shared_ptr<SpillFile> file_;          // the full blocks, created with the first one
  std::vector<std::uint64_t> block_offsets_;  // byte offset of each full block in file_
  mutable std::vector<std::uint64_t> cache_;  // one block read back
  mutable std::size_t cached_block_ = static_cast<std::size_t>(-1);
};

/// Read-only iterator over a series whose elements are computed (returned by value).
template <class Series, class Value>
class SeriesIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Value;

  SeriesIterator(const Series* series, std::size_t k) : series_(series), k_(k) {}
  Value operator*() const { return (*series_)[k_]; }
  SeriesIterator& operator++() {
    ++k_;
    return *this;
  }
  SeriesIterator operator++(int) {
    SeriesIterator old = *this;
    ++k_;
    return old;
  }
  friend bool operator==(const SeriesIterator& a, const SeriesIterator& b) { return a.k_ == b.k_; }
  friend bool operator!=(const SeriesIterator& a, const SeriesIterator& b) { return a.k_ != b.k_; }

 private:
  const Series* series_;
  std::size_t k_;
};

/// A count per step.
class CountSeries {
 public:
  CountSeries() : log_(1) {}
  CountSeries(std::initializer_list<std::uint64_t> values) : CountSeries() {
    for (const std::uint64_t v : values) push_back(v);
  }
  explicit CountSeries(const std::vector<std::uint64_t>& values) : CountSeries() {
    for (const std::uint64_t v : values) push_back(v);
  }
  void push_back(std::uint64_t value) { log_.append(&value); }
  std::uint64_t operator[](std::size_t k) const { return log_.first_word(k); }
  std::size_t size() const { return log_.size(); }
  bool empty() const { return size() == 0; }
  std::vector<std::uint64_t> to_vector() const;
  SeriesIterator<CountSeries, std::uint64_t> begin() const { return {this, 0}; }
  SeriesIterator<CountSeries, std::uint64_t> end() const { return {this, size()}; }

 private:
  StepLog log_;
};

}  // namespace sim
