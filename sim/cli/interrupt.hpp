#pragma once
// Ctrl-C (SIGINT) and SIGTERM while faultline works. The first signal only raises a flag, which
// running simulations poll between chunks of simulated time: the run stops, nothing is written
// and every existing output is left as it was. A second signal ends the process at once (the
// default action), as users expect of a second Ctrl-C; outputs are written atomically, so even
// then no half-written file replaces a whole one.

#include <string>

#include "sim/time.hpp"

namespace cli {

/// Thrown by throw_if_interrupted(); faultline_main turns it into exit status 130.
struct Interrupted {
  int signal = 0;
  sim::SimTime reached;  // simulated time the interrupted run had reached
  sim::SimTime end;
};

/// Installs the handlers for its lifetime and restores the previous ones after.
class InterruptHandlers {
 public:
  InterruptHandlers();
  ~InterruptHandlers();
  InterruptHandlers(const InterruptHandlers&) = delete;
  InterruptHandlers& operator=(const InterruptHandlers&) = delete;
};

/// Throws Interrupted when a signal has arrived. Safe to call from any thread.
/// Test hook: with FAULTLINE_TEST_INTERRUPT_AT=<duration> in the environment, faultline sends
/// itself SIGINT (SIGTERM with FAULTLINE_TEST_INTERRUPT_SIGNAL=SIGTERM) once a run reaches that
/// simulated time, so tests interrupt at a known point without sleeping.
void throw_if_interrupted(sim::SimTime reached, sim::SimTime end);

/// "SIGINT", "SIGTERM".
std::string signal_name(int signal);

}  // namespace cli
