#include "sim/step_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>


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

}  // namespace sim
