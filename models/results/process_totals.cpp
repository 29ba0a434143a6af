#include "models/results/process_totals.hpp"

#include <algorithm>
#include <set>

namespace models::results {

std::vector<ProcessTotals> process_totals(const RunResult& r) {
  std::vector<ProcessTotals> out;
  std::vector<std::size_t> process_of(r.faults.size(), SIZE_MAX);
  std::vector<std::set<std::string>> targets;
  for (std::size_t i = 0; i < r.faults.size(); ++i) {
    const FaultRecord& f = r.faults[i];
    if (!f.drawn) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const ProcessTotals& p) { return p.id == f.process; });
    if (it == out.end()) {
      out.push_back(ProcessTotals{f.process, f.kind});
      targets.emplace_back();
      it = out.end() - 1;
    }
    const std::size_t p = static_cast<std::size_t>(it - out.begin());
    process_of[i] = p;
    ++it->failures;
    targets[p].insert(f.target);
    const Duration end = f.end ? std::min(*f.end, r.duration) : r.duration;
    if (end > f.start) it->downtime += end - f.start;
  }
  for (std::size_t p = 0; p < out.size(); ++p) out[p].components = targets[p].size();
  // Each cause bucket's requests count once for every process with a fault in its set.
  std::vector<char> in_bucket(out.size());
  for (const CauseBucket& bucket : r.causes) {
    std::fill(in_bucket.begin(), in_bucket.end(), 0);
    for (std::uint32_t fi : bucket.faults)
      if (fi < process_of.size() && process_of[fi] != SIZE_MAX) in_bucket[process_of[fi]] = 1;
    std::uint64_t failed = 0, slow = 0;
    for (std::uint32_t n : bucket.failed) failed += n;
    for (std::uint32_t n : bucket.slow) slow += n;
    for (std::size_t p = 0; p < out.size(); ++p)
      if (in_bucket[p]) {
        out[p].failed += failed;
        out[p].slow += slow;
      }
  }
  const double budget = (1.0 - r.slo_availability) * static_cast<double>(r.all.totals.requests);
  for (ProcessTotals& p : out) {
    p.bad = p.failed + p.slow;
    p.error_budget_burned = budget > 0 ? static_cast<double>(p.bad) / budget : 0;
  }
  return out;
}

}  // namespace models::results
