#include "models/simulation.hpp"

#include <algorithm>
#include <tuple>
#include <type_traits>
#include <variant>

namespace models {

namespace {

// Every subsystem that owns events, as a member of Subsystems.
constexpr auto kOwners = std::make_tuple(&Subsystems::metrics, &Subsystems::backbone, &Subsystems::gateway, &Subsystems::dns,
                                         &Subsystems::kubernetes, &Subsystems::deployments, &Subsystems::istiod, &Subsystems::requests,
                                         &Subsystems::ztunnels, &Subsystems::waypoints, &Subsystems::clients,
                                         &Subsystems::databases, &Subsystems::faults, &Subsystems::blame);
constexpr std::size_t kOwnerCount = std::tuple_size_v<decltype(kOwners)>;

template <std::size_t I>
using OwnerAt = std::remove_cvref_t<decltype(std::declval<Subsystems&>().*std::get<I>(kOwners))>;

template <class E, class List>
struct Lists : std::false_type {};
template <class E, class... Es>
struct Lists<E, EventList<Es...>> : std::bool_constant<(std::is_same_v<E, Es> || ...)> {};

template <class E, std::size_t I>
constexpr bool kHandles = Lists<E, typename OwnerAt<I>::Handles>::value;

template <class E, std::size_t... I>
constexpr int owners_of(std::index_sequence<I...>) {
  return (int{kHandles<E, I>} + ...);
}

template <class Variant>
struct EveryEventHasOneOwner;
template <class... Es>
struct EveryEventHasOneOwner<std::variant<Es...>>
    : std::bool_constant<((owners_of<Es>(std::make_index_sequence<kOwnerCount>{}) == 1) && ...)> {};
static_assert(EveryEventHasOneOwner<Event>::value,
              "every event type must be in exactly one subsystem's Handles list (models/subsystems.hpp)");

// The subsystem that handles E, found at compile time.
template <class E, std::size_t I = 0>
auto& owner(Subsystems& s) {
  if constexpr (kHandles<E, I>) {
    return s.*std::get<I>(kOwners);
  } else {
    return owner<E, I + 1>(s);
  }
}

}  // namespace

Simulation::Simulation(World world) : parts_(std::make_unique<Subsystems>(std::move(world))) {}
Simulation::~Simulation() = default;

void Simulation::dispatch(const Event& event) {
  std::visit([this](const auto& e) { owner<std::decay_t<decltype(e)>>(*parts_).on(e); }, event);
}

void Simulation::run_until(sim::SimTime until) {
  if (!started_) parts_->start();
  started_ = true;
  parts_->engine.run_until(until, [this](sim::Engine<Event>&, const Event& e) { dispatch(e); });
}

models::results::RunResult Simulation::run(const Progress& progress) {
  Subsystems& s = *parts_;
  s.start();
  const auto dispatch_event = [this](sim::Engine<Event>&, const Event& e) { dispatch(e); };
  // The progress callback runs every chunk: often enough for a progress bar and for Ctrl-C to
  // stop a 24-hour run within a simulated second. Chunking does not change the order of events.
  constexpr int kChunks = 200;
  constexpr sim::Duration kLongestChunk = std::chrono::seconds(1);
  const sim::SimTime horizon = s.metrics.horizon();
  const sim::Duration chunk = std::clamp(horizon.since_start() / kChunks, sim::Duration{1}, kLongestChunk);
  for (sim::SimTime t = sim::SimTime{} + chunk;; t += chunk) {
    const sim::SimTime until = std::min(t, horizon);
    s.engine.run_until(until, dispatch_event);
    if (progress) progress(until, horizon);
    if (until == horizon) break;
  }
  return s.metrics.results(s.engine.events_processed());
}

}  // namespace models
