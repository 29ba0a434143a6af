#include <catch2/catch.hpp>

#include "sim/time.hpp"

using namespace std::chrono_literals;
using sim::Duration;

TEST_CASE("parse_duration: units and exact decimals", "[sim][time]") {
  using Row = std::pair<const char*, Duration>;
  const auto [text, expected] = GENERATE(table<const char*, Duration>({
      Row{"250ms", 250ms}, Row{"1.5s", 1500ms}, Row{"10m", 10min}, Row{"2h", 2h}, Row{"1d", 24h},
      Row{"500us", 500us}, Row{"100ns", 100ns}, Row{"0s", 0s}, Row{"0.001s", 1ms}, Row{"1.25m", 75s},
      Row{"0.5ns", Duration{-1}},  // not a whole number of nanoseconds
  }));
  CAPTURE(text);
  const auto parsed = sim::parse_duration(text);
  if (expected == Duration{-1}) {
    CHECK_FALSE(parsed.has_value());
  } else {
    REQUIRE(parsed.has_value());
    CHECK(*parsed == expected);
  }
}

TEST_CASE("parse_duration: compound durations in decreasing units", "[sim][time]") {
  CHECK(sim::parse_duration("1m30s") == Duration{90s});
  CHECK(sim::parse_duration("1h2m3.5s") == Duration{1h + 2min + 3500ms});
  CHECK(sim::parse_duration("2d12h") == Duration{60h});
  CHECK(sim::parse_duration("1s500ms") == Duration{1500ms});
  CHECK(sim::parse_duration("1m5ms") == Duration{60005ms});  // "ms" after "m" is milliseconds
  for (const char* bad : {"30s1m", "1m1m", "1m30", "1m 30s", "1m-30s", "1ms1m", "1.5"}) {
    CAPTURE(bad);
    CHECK_FALSE(sim::parse_duration(bad).has_value());
  }
}

TEST_CASE("parse_duration: rejects what is not a duration", "[sim][time]") {
  for (const char* bad : {"", "5", "s", "-5s", "5 s", "5sec", "1.s", ".5s", "5S", "99999999999999999999s", "1e3ms",
                          "300000d"}) {
    CAPTURE(bad);
    CHECK_FALSE(sim::parse_duration(bad).has_value());
  }
}

TEST_CASE("format_duration: the shortest exact spelling", "[sim][time]") {
  CHECK(sim::format_duration(250ms) == "250ms");
  CHECK(sim::format_duration(1500ms) == "1.5s");
  CHECK(sim::format_duration(3min) == "3m");
  CHECK(sim::format_duration(90s) == "90s");
  CHECK(sim::format_duration(2h) == "2h");
  CHECK(sim::format_duration(0s) == "0s");
  CHECK(sim::format_duration(Duration{1234567}) == "1234.567us");  // at most three decimals
  CHECK(sim::format_duration(Duration{7}) == "7ns");
}

TEST_CASE("format_duration and parse_duration round-trip", "[sim][time]") {
  for (Duration d : {Duration{1}, Duration{999}, Duration{1000}, Duration{1500000}, Duration{61000000000},
                     Duration{3600000000000}, Duration{123456789}}) {
    CAPTURE(d.count());
    const auto back = sim::parse_duration(sim::format_duration(d));
    REQUIRE(back.has_value());
    CHECK(*back == d);
  }
}
