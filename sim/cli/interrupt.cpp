#include "sim/cli/interrupt.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <optional>

namespace cli {

namespace {

// Written by the signal handler: lock-free atomics are async-signal-safe.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_signal(int signal) { g_signal.store(signal, std::memory_order_relaxed); }

struct sigaction g_previous_int, g_previous_term;

/// FAULTLINE_TEST_INTERRUPT_AT, read once; none when unset or not a duration.
std::optional<sim::Duration> test_interrupt_at() {
  static const std::optional<sim::Duration> at = []() -> std::optional<sim::Duration> {
    const char* text = std::getenv("FAULTLINE_TEST_INTERRUPT_AT");
    if (text == nullptr) return std::nullopt;
    return sim::parse_duration(text);
  }();
  return at;
}

/// FAULTLINE_TEST_INTERRUPT_SIGNAL=SIGTERM sends that instead of SIGINT.
int test_signal() {
  const char* name = std::getenv("FAULTLINE_TEST_INTERRUPT_SIGNAL");
  return name != nullptr && std::string(name) == "SIGTERM" ? SIGTERM : SIGINT;
}

std::atomic<bool> g_test_signal_sent{false};

}  // namespace

InterruptHandlers::InterruptHandlers() {
  g_signal.store(0);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND: the handler runs once; a second signal gets the default action and ends the
  // process. No SA_RESTART needed: faultline does not block in system calls while it simulates.
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptHandlers::~InterruptHandlers() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

void throw_if_interrupted(sim::SimTime reached, sim::SimTime end) {
  if (const auto at = test_interrupt_at(); at && reached.since_start() >= *at && !g_test_signal_sent.exchange(true)) {
    std::raise(test_signal());
  }
  if (const int signal = g_signal.load(std::memory_order_relaxed); signal != 0) throw Interrupted{signal, reached, end};
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "signal " + std::to_string(signal);
  }
}

}  // namespace cli
