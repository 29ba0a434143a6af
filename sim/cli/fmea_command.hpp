#pragma once
// `faultline fmea`: failure modes and effects. Every single failure the scenario's fleet can have
// (one per class of structurally identical targets, models/faults/failure_modes.hpp) runs alone on
// the scenario's baseline traffic, and with --depth 2 every pair of them whose single effects
// overlap; fmea.json ranks them by the error budget they burn, fmea.html (--report) draws it. A
// shard (--shard K/N) runs a slice of the (failure, seed) runs; `faultline merge` joins the slices.
// Private to sim/cli.

#include <ostream>
#include <string>

#include "reports/fmea_json.hpp"

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
  std::string depth;  // 1: single failures; 2: and the pairs whose single effects overlap
  std::string shard;  // --shard K/N, --shard-from-env and --shard-count, as for run
  bool shard_from_env = false;
  std::string shard_count;
  bool report = false;  // also fmea.html
  bool quiet = false;
  bool force = false;
};

int fmea_command(const FmeaOptions& options, std::ostream& out, std::ostream& err);

/// The ranking as the terminal shows it (also after `faultline merge` of fmea shards).
void print_fmea_ranking(std::ostream& out, const reports::FmeaDocument& document);

}  // namespace cli
