#pragma once
// The continuous-time Markov chain of repairable components: each fails at rate 1/MTTF and is
// repaired at rate 1/MTTR, independently of the others (a repair crew per component). State s has
// bit i set when component i is down; the chain has 2^n states and is solved with Eigen.

#include <cstddef>
#include <span>
#include <vector>

namespace models::availability {

struct RepairableComponent {
  double mttf_s = 0;  // mean time to failure (up time), seconds
  double mttr_s = 0;  // mean time to repair (down time), seconds
  /// Steady-state probability of being down: MTTR / (MTTF + MTTR). Renewal theory makes this the
  /// long-run share of time down for any distribution of up and down times with these means.
  double unavailability() const { return mttr_s / (mttf_s + mttr_s); }
};

/// The largest chain solved exactly: 2^12 = 4096 states (balance equations to a relative residual
/// of 1e-15 by BiCGSTAB, or a sparse LU of the generator when that does not converge).
inline constexpr std::size_t kMaxExactComponents = 12;

/// The stationary distribution pi of the joint chain (pi Q = 0, sum pi = 1), by state. Throws
/// std::length_error for more than kMaxExactComponents components.
std::vector<double> steady_state(std::span<const RepairableComponent> components);

}  // namespace models::availability
