#include "sim/json_pointer.hpp"

#include <catch2/catch.hpp>

TEST_CASE("child_pointer: members escaped as RFC 6901 says, elements by index", "[sim]") {
  CHECK(sim::child_pointer("", "services") == "/services");
  CHECK(sim::child_pointer("/services", std::size_t{1}) == "/services/1");
  CHECK(sim::child_pointer("/strategies", "a/b") == "/strategies/a~1b");
  CHECK(sim::child_pointer("/strategies", "x~y") == "/strategies/x~0y");
  CHECK(sim::child_pointer("/m", "~/") == "/m/~0~1");  // '~' first, so "~1" is never read back as '/'
  CHECK(sim::child_pointer("/m", "") == "/m/");
}
