#include "models/availability/markov_chain.hpp"

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <stdexcept>
#include <string>

namespace models::availability {

std::vector<double> steady_state(std::span<const RepairableComponent> components) {
  const std::size_t n = components.size();
  if (n > kMaxExactComponents)
    throw std::length_error("a chain over " + std::to_string(n) + " components has more than 2^" +
                            std::to_string(kMaxExactComponents) + " states");
  const Eigen::Index states = Eigen::Index{1} << n;
  // Solve Q^T pi = 0 with the last equation replaced by sum(pi) = 1 (Q's rows sum to 0, so one
  // balance equation is redundant and the system is non-singular for positive rates).
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(static_cast<std::size_t>(states) * (n + 1));
  for (Eigen::Index s = 0; s < states; ++s) {
    double out_rate = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool down = (s >> i) & 1;
      const double rate = down ? 1.0 / components[i].mttr_s : 1.0 / components[i].mttf_s;
      const Eigen::Index to = s ^ (Eigen::Index{1} << i);
      out_rate += rate;
      if (to != states - 1) entries.emplace_back(to, s, rate);  // row `to` of Q^T: flow into `to` from s
    }
    if (s != states - 1) entries.emplace_back(s, s, -out_rate);
    entries.emplace_back(states - 1, s, 1.0);  // normalisation
  }
  Eigen::SparseMatrix<double> a(states, states);
  a.setFromTriplets(entries.begin(), entries.end());
  Eigen::VectorXd b = Eigen::VectorXd::Zero(states);
  b(states - 1) = 1.0;
  // BiCGSTAB converges in a few dozen iterations on this hypercube-shaped chain; a sparse LU of it
  // fills in (12 components: seconds instead of milliseconds). The LU stays as the fallback.
  Eigen::BiCGSTAB<Eigen::SparseMatrix<double>, Eigen::DiagonalPreconditioner<double>> iterative;
  iterative.setTolerance(1e-15);
  iterative.setMaxIterations(10000);
  iterative.compute(a);
  Eigen::VectorXd pi = iterative.solve(b);
  if (iterative.info() != Eigen::Success) {
    Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
    lu.compute(a);
    if (lu.info() != Eigen::Success) throw std::runtime_error("the availability chain's generator did not factorise");
    pi = lu.solve(b);
  }
  return std::vector<double>(pi.data(), pi.data() + pi.size());
}

}  // namespace models::availability
