#pragma once
// The kubelet's CrashLoopBackOff: after a container exits, its restart waits 10 s, then 20 s,
// 40 s, ... doubling up to 5 minutes; a container that ran 10 minutes without trouble starts over
// at 10 s (Kubernetes docs "Pod Lifecycle: container restarts"; kubelet code: backOffPeriod 10 s,
// MaxContainerBackOff 300 s). Kubernetes 1.33's alpha gate ReduceDefaultCrashLoopBackOffDecay
// (KEP-4603: 1 s doubling to 60 s) is off by default and not modelled.

#include <chrono>
#include <cstdint>

#include "sim/time.hpp"

namespace models::faults {

inline constexpr sim::Duration kCrashLoopInitialBackoff = std::chrono::seconds{10};
inline constexpr sim::Duration kCrashLoopMaxBackoff = std::chrono::minutes{5};
inline constexpr sim::Duration kCrashLoopBackoffReset = std::chrono::minutes{10};

/// The wait before the restart that follows the `crash`-th consecutive crash (1-based).
constexpr sim::Duration crash_loop_backoff(std::uint32_t crash) {
  sim::Duration wait = kCrashLoopInitialBackoff;
  for (std::uint32_t i = 1; i < crash && wait < kCrashLoopMaxBackoff; ++i) wait *= 2;
  return wait < kCrashLoopMaxBackoff ? wait : kCrashLoopMaxBackoff;
}

}  // namespace models::faults
