#pragma once
// Steady-state availability of a system of independent repairable components, given its structure
// function: the share of requests that succeed when a given set of components is down (1 or 0 for
// a yes/no system; a client group's weighted routes make it a share).
//
// Up to kMaxExactComponents it solves the joint Markov chain (markov_chain.hpp) and takes the
// expectation of the structure function over its states: exact. Beyond, it expands the
// unavailability E[1 - phi] in the components' unavailabilities q_i (the Mobius expansion: for
// independent components, E[g] = sum over sets S of m(S) * prod_{i in S} q_i, with m(S) the Mobius
// transform of g) and keeps the terms of up to two components, the rare-event estimate: its error
// is of the order of the largest product of three q's (1e-9 for q = 1e-3). Beyond
// kMaxPairwiseComponents it keeps single components only (error of the order of q^2).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "models/availability/markov_chain.hpp"

namespace models::availability {

/// Indices of the components that are down, ascending -> share of requests that succeed, in [0, 1].
using StructureFunction = std::function<double(std::span<const std::uint32_t> down)>;

inline constexpr std::size_t kMaxPairwiseComponents = 2000;

enum class Method { ExactChain, RareEventPairs, RareEventSingles };
const char* to_string(Method method);

struct AnalyticAvailability {
  double availability = 1;
  Method method = Method::ExactChain;
  std::size_t components = 0;
  std::size_t states = 0;          // of the chain solved (exact), else 0
  double largest_neglected = 0;    // the rare-event estimate: the largest product of q's not kept
};

AnalyticAvailability steady_state_availability(std::span<const RepairableComponent> components,
                                               const StructureFunction& success);

}  // namespace models::availability
