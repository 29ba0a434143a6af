#include "sim/step_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "sim/run_result.hpp"

namespace sim {

// An unnamed temporary file (std::tmpfile: glibc makes it in /tmp, unlinked at once), written and read
// at explicit offsets.
class StepLog::SpillFile {
 public:
  SpillFile() : file_(std::tmpfile()) {
    if (file_ == nullptr) fail("create");
  }
  ~SpillFile() { std::fclose(file_); }
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  /// Appends `bytes` bytes; returns their offset.
  std::uint64_t append(const void* data, std::size_t bytes) {
    const std::uint64_t at = end_;
    std::size_t done = 0;
    while (done < bytes) {
      const ssize_t n = ::pwrite(::fileno(file_), static_cast<const char*>(data) + done, bytes - done,
                                 static_cast<off_t>(at + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("write");
      done += static_cast<std::size_t>(n);
    }
    end_ += bytes;
    return at;
  }
  void read(std::uint64_t at, void* data, std::size_t bytes) const {
    std::size_t done = 0;
    while (done < bytes) {
      const ssize_t n = ::pread(::fileno(file_), static_cast<char*>(data) + done, bytes - done,
                                static_cast<off_t>(at + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("read");
      done += static_cast<std::size_t>(n);
    }
  }

 private:
  [[noreturn]] static void fail(const char* what) {
    throw std::runtime_error(std::string("cannot ") + what + " the temporary file that holds per-step results: " +
                             std::strerror(errno));
  }
  std::FILE* file_;
  std::uint64_t end_ = 0;
};

void StepLog::append(const std::uint64_t* row) {
  tail_.insert(tail_.end(), row, row + width_);
  ++size_;
  if (tail_.size() < kRowsPerBlock * width_) return;
  if (!file_) file_ = std::make_shared<SpillFile>();
  block_offsets_.push_back(file_->append(tail_.data(), tail_.size() * sizeof(std::uint64_t)));
  tail_.clear();
}

const std::uint64_t* StepLog::row_pointer(std::size_t k) const {
  if (k >= size_) throw std::out_of_range("step " + std::to_string(k) + " of a series of " + std::to_string(size_));
  const std::size_t block = k / kRowsPerBlock;
  if (block == block_offsets_.size()) return tail_.data() + (k - block * kRowsPerBlock) * width_;
  if (block != cached_block_) {
    cache_.resize(kRowsPerBlock * width_);
    file_->read(block_offsets_[block], cache_.data(), cache_.size() * sizeof(std::uint64_t));
    cached_block_ = block;
  }
  return cache_.data() + (k - block * kRowsPerBlock) * width_;
}

void StepLog::read(std::size_t k, std::uint64_t* row) const {
  const std::uint64_t* from = row_pointer(k);
  std::copy(from, from + width_, row);
}

std::uint64_t StepLog::first_word(std::size_t k) const { return *row_pointer(k); }

std::vector<std::uint64_t> CountSeries::to_vector() const {
  std::vector<std::uint64_t> out;
  out.reserve(size());
  for (std::size_t k = 0; k < size(); ++k) out.push_back((*this)[k]);
  return out;
}

namespace {
// A point's row: start, the four counts, the five latencies, then failures by reason and
// requests by region. Durations keep their bits (two's complement) through the cast.
constexpr std::size_t kFixedWords = 10;
}  // namespace

void PointSeries::push_back(const SeriesPoint& p) {
  if (size() == 0) {
    reasons_ = p.counts.failures_by_reason.size();
    regions_ = p.counts.served_by_region.size();
    log_ = StepLog(kFixedWords + reasons_ + regions_);
  } else if (p.counts.failures_by_reason.size() != reasons_ || p.counts.served_by_region.size() != regions_) {
    throw std::invalid_argument("every point of a series counts the same failure reasons and regions");
  }
  std::vector<std::uint64_t> row{static_cast<std::uint64_t>(p.start.count()),
                                 p.counts.requests,
                                 p.counts.succeeded,
                                 p.counts.failed,
                                 p.counts.slow,
                                 static_cast<std::uint64_t>(p.latency.p50.count()),
                                 static_cast<std::uint64_t>(p.latency.p90.count()),
                                 static_cast<std::uint64_t>(p.latency.p99.count()),
                                 static_cast<std::uint64_t>(p.latency.p999.count()),
                                 static_cast<std::uint64_t>(p.latency.max.count())};
  row.insert(row.end(), p.counts.failures_by_reason.begin(), p.counts.failures_by_reason.end());
  row.insert(row.end(), p.counts.served_by_region.begin(), p.counts.served_by_region.end());
  log_.append(row.data());
}

SeriesPoint PointSeries::operator[](std::size_t k) const {
  std::vector<std::uint64_t> row(log_.width());
  log_.read(k, row.data());
  const auto duration = [](std::uint64_t bits) { return Duration{static_cast<std::int64_t>(bits)}; };
  SeriesPoint p;
  p.start = duration(row[0]);
  p.counts.requests = row[1];
  p.counts.succeeded = row[2];
  p.counts.failed = row[3];
  p.counts.slow = row[4];
  p.latency = LatencySummary{duration(row[5]), duration(row[6]), duration(row[7]), duration(row[8]), duration(row[9])};
  const auto reasons = row.begin() + static_cast<std::ptrdiff_t>(kFixedWords);
  p.counts.failures_by_reason.assign(reasons, reasons + static_cast<std::ptrdiff_t>(reasons_));
  p.counts.served_by_region.assign(reasons + static_cast<std::ptrdiff_t>(reasons_), row.end());
  return p;
}

SeriesPoint PointSeries::front() const { return (*this)[0]; }
SeriesPoint PointSeries::back() const { return (*this)[size() - 1]; }

}  // namespace sim
