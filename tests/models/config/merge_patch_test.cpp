// apply_merge_patch: RFC 7396 JSON Merge Patch, checked against every example of the RFC (the one
// in section 3 and the table of Appendix A), for member order, on deep patches, and against
// nlohmann's own merge_patch() on random documents.

// As models/ is compiled, so that the JSON type is the same class on both sides.
#define JSON_USE_IMPLICIT_CONVERSIONS 0

#include "models/config/merge_patch.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "sim/rng.hpp"

namespace {

using models::config::detail::apply_merge_patch;
using models::config::detail::Json;

Json merged(const std::string& target, const std::string& patch) {
  Json document = Json::parse(target);
  apply_merge_patch(document, Json::parse(patch));
  return document;
}

/// A small random JSON value whose object keys often repeat, so that patches meet their targets.
Json random_value(sim::RngStream& rng, int depth) {
  const std::uint64_t kind = rng.uniform_below(depth > 0 ? 7 : 5);
  switch (kind) {
    case 0:
      return nullptr;
    case 1:
      return rng.bernoulli(0.5);
    case 2:
      return rng.uniform_below(100);
    case 3:
      return std::string(1 + rng.uniform_below(3), 'x');
    case 4:
      return Json::array();
    case 5: {
      Json array = Json::array();
      const std::uint64_t size = rng.uniform_below(3);
      for (std::uint64_t i = 0; i < size; ++i) array.push_back(random_value(rng, depth - 1));
      return array;
    }
    default: {
      Json object = Json::object();
      const std::uint64_t size = rng.uniform_below(4);
      for (std::uint64_t i = 0; i < size; ++i) {
        const std::string key(1, static_cast<char>('a' + rng.uniform_below(4)));
        object[key] = random_value(rng, depth - 1);
      }
      return object;
    }
  }
}

}  // namespace

TEST_CASE("apply_merge_patch: the example of RFC 7396 section 3", "[models][config][merge_patch]") {
  const Json result = merged(R"({
      "title": "Goodbye!",
      "author" : { "givenName" : "John", "familyName" : "Doe" },
      "tags":[ "example", "sample" ],
      "content": "This will be unchanged"
    })",
                             R"({
      "title": "Hello!",
      "phoneNumber": "+01-123-456-7890",
      "author": { "familyName": null },
      "tags": [ "example" ]
    })");
  CHECK(result == Json::parse(R"({
      "title": "Hello!",
      "author" : { "givenName" : "John" },
      "tags": [ "example" ],
      "content": "This will be unchanged",
      "phoneNumber": "+01-123-456-7890"
    })"));
}

TEST_CASE("apply_merge_patch: every example of RFC 7396 appendix A", "[models][config][merge_patch]") {
  struct Example {
    const char* target;
    const char* patch;
    const char* result;
  };
  const Example examples[] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", R"(null)", R"(null)"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const Example& example : examples) {
    INFO("target " << example.target << ", patch " << example.patch);
    CHECK(merged(example.target, example.patch) == Json::parse(example.result));
  }
}

TEST_CASE("apply_merge_patch: members keep their place and new ones follow in the patch's order",
          "[models][config][merge_patch]") {
  const Json result = merged(R"({"z":1,"y":{"q":1,"p":2},"x":3})", R"({"n":4,"x":30,"m":5,"y":{"p":20,"o":6}})");
  // ordered_json compares member order too.
  CHECK(result == Json::parse(R"({"z":1,"y":{"q":1,"p":20,"o":6},"x":30,"n":4,"m":5})"));
  CHECK(result.dump() == R"({"z":1,"y":{"q":1,"p":20,"o":6},"x":30,"n":4,"m":5})");
}

TEST_CASE("apply_merge_patch: sibling objects merge side by side while members are added and removed",
          "[models][config][merge_patch]") {
  // Adding "new" and removing "gone" moves the other members in memory; the nested merges of
  // "first" and "second" must still land in the right places.
  const Json result =
      merged(R"({"gone":0,"first":{"a":1},"second":{"b":2}})",
             R"({"first":{"a":10,"c":{"d":null,"e":5}},"gone":null,"new":{"f":null},"second":{"b":null}})");
  CHECK(result == Json::parse(R"({"first":{"a":10,"c":{"e":5}},"second":{},"new":{}})"));
}

TEST_CASE("apply_merge_patch: a deeply nested patch does not exhaust the stack", "[models][config][merge_patch]") {
  constexpr std::size_t kDepth = 100000;
  std::string patch_text;
  for (std::size_t i = 0; i < kDepth; ++i) patch_text += R"({"a":)";
  patch_text += R"({"leaf":1,"gone":null})";
  patch_text += std::string(kDepth, '}');
  Json document = Json::parse(R"({"a":{"keep":true}})");
  apply_merge_patch(document, Json::parse(patch_text));

  const Json* level = &document;
  for (std::size_t i = 0; i < kDepth; ++i) {
    REQUIRE(level->is_object());
    REQUIRE(level->contains("a"));
    level = &(*level)["a"];
  }
  CHECK(level->size() == 1);
  CHECK((*level)["leaf"] == 1);
  CHECK(document["a"]["keep"] == true);
}

TEST_CASE("apply_merge_patch: agrees with nlohmann's merge_patch on random documents",
          "[models][config][merge_patch]") {
  sim::RngStream rng(2024, 0, "merge-patch-test");
  for (int round = 0; round < 2000; ++round) {
    Json target = random_value(rng, 4);
    const Json patch = random_value(rng, 4);
    Json expected = target;
    expected.merge_patch(patch);
    INFO("target " << target.dump() << ", patch " << patch.dump());
    apply_merge_patch(target, patch);
    REQUIRE(target == expected);
  }
}
