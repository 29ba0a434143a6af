#pragma once
// Independent pieces of work on a fixed number of threads. Each index is handed out once, in
// increasing order, to whichever thread is free; callers store results by index (never by
// completion order), so what they compute does not depend on the number of threads.

#include <cstddef>
#include <functional>

namespace sim {

/// Calls work(i) once for every i in [0, count), on min(jobs, count) threads (on the calling
/// thread alone when that is 1). `work` must not share mutable state between indices. When a
/// call throws, no further index is started and, once the running ones have returned, the
/// exception of the lowest index that threw is rethrown. Throws std::invalid_argument for
/// jobs == 0.
void parallel_for(std::size_t count, std::size_t jobs, const std::function<void(std::size_t)>& work);

}  // namespace sim
