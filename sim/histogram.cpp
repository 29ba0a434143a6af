#include "sim/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sim {

std::size_t LatencyHistogram::bucket_of(std::int64_t ns) {
  if (ns < kSubBuckets) return static_cast<std::size_t>(ns < 0 ? 0 : ns);
  const auto v = static_cast<std::uint64_t>(ns);
  const int exponent = 63 - std::countl_zero(v);       // floor(log2 v) >= 7
  const int shift = exponent - kSubBucketBits;          // >= 0
  const std::uint64_t mantissa = (v >> shift) - kSubBuckets;  // 0..127
  return static_cast<std::size_t>(kSubBuckets + shift * kSubBuckets + static_cast<std::int64_t>(mantissa));
}

std::int64_t LatencyHistogram::bucket_low(std::size_t bucket) {
  const auto b = static_cast<std::int64_t>(bucket);
  if (b < kSubBuckets) return b;
  const std::int64_t shift = (b - kSubBuckets) / kSubBuckets;
  const std::int64_t mantissa = (b - kSubBuckets) % kSubBuckets;
  return (kSubBuckets + mantissa) << shift;
}

std::int64_t LatencyHistogram::bucket_width(std::size_t bucket) {
  const auto b = static_cast<std::int64_t>(bucket);
  if (b < kSubBuckets) return 1;
  return std::int64_t{1} << ((b - kSubBuckets) / kSubBuckets);
}

void LatencyHistogram::record_ns(std::int64_t ns, std::uint64_t count) {
  if (count == 0) return;
  if (ns < 0) ns = 0;
  const std::size_t b = bucket_of(ns);
  if (b >= counts_.size()) counts_.resize(b + 1, 0);
  counts_[b] += count;
  if (total_ == 0) {
    min_ = max_ = ns;
  } else {
    min_ = std::min(min_, ns);
    max_ = std::max(max_, ns);
  }
  total_ += count;
  sum_ns_ += static_cast<unsigned __int128>(ns) * count;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.total_ == 0) return;
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
  if (total_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  total_ += other.total_;
  sum_ns_ += other.sum_ns_;
}

void LatencyHistogram::clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = 0;
  sum_ns_ = 0;
  min_ = max_ = 0;
}

Duration LatencyHistogram::mean() const {
  if (total_ == 0) return Duration::zero();
  return Duration{static_cast<std::int64_t>(sum_ns_ / total_)};
}

Duration LatencyHistogram::quantile(double q) const {
  if (total_ == 0) return Duration::zero();
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_)));
  rank = std::clamp<std::uint64_t>(rank, 1, total_);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      const std::int64_t mid = bucket_low(b) + (bucket_width(b) - 1) / 2;
      return Duration{std::clamp(mid, min_, max_)};
    }
  }
  return Duration{max_};
}

}  // namespace sim
