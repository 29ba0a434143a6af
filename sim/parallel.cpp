#include "sim/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

namespace sim {

void parallel_for(std::size_t count, std::size_t jobs, const std::function<void(std::size_t)>& work) {
  if (jobs == 0) throw std::invalid_argument("expected at least 1 job, found 0");
  const std::size_t threads = std::min(jobs, count);
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i) work(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::exception_ptr> errors(count);
  auto worker = [&]() {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= count) return;
      try {
        work(i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads);
  try {
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  } catch (...) {
    // A thread could not start: the ones that did finish the work (failed stays false).
    for (std::thread& thread : pool) thread.join();
    if (pool.empty()) throw;
    for (const std::exception_ptr& error : errors)
      if (error) std::rethrow_exception(error);
    return;
  }
  for (std::thread& thread : pool) thread.join();
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace sim
