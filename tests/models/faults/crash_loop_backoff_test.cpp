#include <catch2/catch.hpp>

#include "models/faults/crash_loop_backoff.hpp"

using namespace std::chrono_literals;
using models::faults::crash_loop_backoff;

TEST_CASE("CrashLoopBackOff doubles from 10 s and stops at 5 minutes", "[faults][crash-loop]") {
  CHECK(crash_loop_backoff(1) == 10s);
  CHECK(crash_loop_backoff(2) == 20s);
  CHECK(crash_loop_backoff(3) == 40s);
  CHECK(crash_loop_backoff(4) == 80s);
  CHECK(crash_loop_backoff(5) == 160s);
  CHECK(crash_loop_backoff(6) == 300s);  // 320 s capped
  CHECK(crash_loop_backoff(40) == 300s);
}
