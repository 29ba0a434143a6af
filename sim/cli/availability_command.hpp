#pragma once
// `faultline availability`: the steady-state availability each client group can expect from the
// scenario's fault processes, analytic (models/availability/steady_state_availability.hpp over the
// fleet's structure function) beside simulated (models/availability/simulated_year.hpp over
// --years, --seeds replications), downtime per year for both, and Erlang C beside the baseline's
// queues. Writes DIR/availability.json and, with --report, DIR/availability.html. Private to sim/cli.

#include <ostream>
#include <string>

namespace cli {

struct AvailabilityOptions {
  std::string scenario;
  std::string seed;   // as typed: parse_count checks it
  std::string years;  // a positive number, default 1
  std::string seeds;  // default 3
  std::string settle;  // after each failure and repair, until routing has converged; default 90s (+ DNS)
  std::string jobs;
  std::string out_dir;
  bool report = false;
  bool quiet = false;
  bool force = false;
};

int availability_command(const AvailabilityOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cli
