// ComponentStates: whether each component is up, as the count of causes (faults) holding it down.
// A component goes down with the first cause and comes back with the last.
#include <catch2/catch.hpp>

#include "models/fleet/component_states.hpp"

using models::ComponentStates;
using models::topology::ComponentId;

TEST_CASE("ComponentStates: every component starts up", "[models][fleet]") {
  const ComponentStates states(3);
  CHECK(states.is_up(ComponentId{0}));
  CHECK(states.is_up(ComponentId{1}));
  CHECK(states.is_up(ComponentId{2}));
}

TEST_CASE("ComponentStates: down on the first hold only, back on the last release only", "[models][fleet]") {
  ComponentStates states(3);
  const ComponentId node{1};

  // Two causes, say a node crash and its zone's outage, overlapping: held by the crash first.
  CHECK(states.hold(node));        // the first cause takes it down: a change to announce
  CHECK_FALSE(states.is_up(node));
  CHECK_FALSE(states.hold(node));  // the second finds it down already: no change
  CHECK_FALSE(states.is_up(node));

  // The crash ends first: the zone's outage still holds it.
  CHECK_FALSE(states.release(node));
  CHECK_FALSE(states.is_up(node));
  // The outage ends: the last cause is gone, it comes back.
  CHECK(states.release(node));
  CHECK(states.is_up(node));

  // The counts are per component: its neighbours were never touched.
  CHECK(states.is_up(ComponentId{0}));
  CHECK(states.is_up(ComponentId{2}));

  // And it can go down again afterwards, with the same rule.
  CHECK(states.hold(node));
  CHECK_FALSE(states.is_up(node));
  CHECK(states.release(node));
  CHECK(states.is_up(node));
}

TEST_CASE("ComponentStates: causes on different components do not mix", "[models][fleet]") {
  ComponentStates states(2);
  const ComponentId a{0}, b{1};
  CHECK(states.hold(a));
  CHECK(states.hold(b));  // b's first cause, though a is held already
  CHECK_FALSE(states.hold(a));
  CHECK(states.release(b));  // b's only cause: back, while a stays held twice
  CHECK(states.is_up(b));
  CHECK_FALSE(states.is_up(a));
  CHECK_FALSE(states.release(a));
  CHECK_FALSE(states.is_up(a));
  CHECK(states.release(a));
  CHECK(states.is_up(a));
}
