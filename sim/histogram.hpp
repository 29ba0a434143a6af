#pragma once
// A streaming latency histogram with bounded memory and bounded relative error (the HDR histogram
// idea): values below 128 ns are counted exactly, larger ones in 128 linear sub-buckets per power of
// two, so a reported quantile is within 1/256 (0.4%) of a value that was recorded. Counts are
// commutative, so the order in which values arrive never changes the result.

#include <cstdint>
#include <vector>

#include "sim/time.hpp"

namespace sim {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr std::int64_t kSubBuckets = std::int64_t{1} << kSubBucketBits;  // 128

  void record(Duration value) { record_ns(value.count()); }
  void record_ns(std::int64_t ns, std::uint64_t count = 1);
  void merge(const LatencyHistogram& other);
  void clear();

  std::uint64_t count() const { return total_; }
  Duration min() const { return Duration{total_ ? min_ : 0}; }
  Duration max() const { return Duration{total_ ? max_ : 0}; }
  /// The exact mean of the recorded values (a 128-bit sum, so merging in any order gives the same
  /// result), truncated to the nanosecond. Zero when empty.
  Duration mean() const;
  /// The value at quantile q in [0, 1] (nearest rank): the midpoint of the bucket holding the
  /// ceil(q * count)-th smallest value, clamped to the recorded min and max. Zero when empty.
  Duration quantile(double q) const;

  static std::size_t bucket_of(std::int64_t ns);
  static std::int64_t bucket_low(std::size_t bucket);
  static std::int64_t bucket_width(std::size_t bucket);

 private:
  std::vector<std::uint64_t> counts_;  // grows to the largest bucket used
  std::uint64_t total_ = 0;
  unsigned __int128 sum_ns_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace sim
