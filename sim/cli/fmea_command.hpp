#pragma once
// `faultline fmea`: failure modes and effects. Every single failure the scenario's fleet can have
// (one per class of structurally identical targets, models/faults/failure_modes.hpp) runs alone on
// the scenario's baseline traffic; fmea.json ranks them by the error budget they burn. Private to
// sim/cli.

#include <ostream>
#include <string>

namespace cli {

struct FmeaOptions {
  std::string scenario;
  std::string seed;      // as typed: parse_count checks it
  std::string at;        // when every failure starts; default a third into the run
  std::string duration;  // --for: how long it lasts; default a third of the run
  std::string gray_error_rate;  // share of requests a gray failure fails, in (0, 1]; default 0.2
  std::string seeds;
  std::string jobs;
  std::string out_dir;
  bool quiet = false;
  bool force = false;
};

int fmea_command(const FmeaOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cli
