#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "models/routing/http_route.hpp"
#include "sim/rng.hpp"

using models::routing::active_timeout;
using models::routing::BackendRef;
using models::routing::HeaderMatch;
using models::routing::HttpHeader;
using models::routing::HttpMatch;
using models::routing::HttpRequestView;
using models::routing::HttpRouteRule;
using models::routing::HttpRouteTable;
using models::routing::match_route;
using models::routing::MatchedRule;
using models::routing::path_prefix_matches;
using models::routing::PathMatchType;
using models::routing::pick_backend;
using models::routing::validate_http_route;
using namespace std::chrono_literals;

namespace {

HttpMatch prefix(std::string value) { return HttpMatch{{PathMatchType::PathPrefix, std::move(value)}, {}, {}}; }
HttpMatch exact(std::string value) { return HttpMatch{{PathMatchType::Exact, std::move(value)}, {}, {}}; }

HttpRouteRule rule_with(std::vector<HttpMatch> matches) {
  HttpRouteRule r;
  r.matches = std::move(matches);
  r.backends = {BackendRef{"svc", 1, true}};
  return r;
}

// Both matchers must agree; returns the answer.
std::optional<MatchedRule> route(const std::vector<HttpRouteRule>& rules, std::string_view path,
                                 std::vector<HttpHeader> headers = {}, std::string_view method = "GET") {
  const HttpRequestView request{method, path, headers};
  const auto scanned = match_route(rules, request);
  const auto tabled = HttpRouteTable(rules).match(request);
  CHECK(scanned == tabled);
  return scanned;
}

MatchedRule at(std::size_t rule, std::size_t match = 0) { return MatchedRule{rule, match}; }

}  // namespace

TEST_CASE("path_prefix_matches: whole path elements only", "[models][routing]") {
  using Row = std::tuple<std::string, std::string, bool>;
  auto [pfx, path, expected] = GENERATE(table<std::string, std::string, bool>({
      Row{"/foo", "/foo", true},
      Row{"/foo", "/foo/", true},
      Row{"/foo", "/foo/bar", true},
      Row{"/foo", "/foobar", false},     // "foobar" is a different element
      Row{"/foo/", "/foo", true},        // a trailing "/" of the prefix is ignored
      Row{"/foo/", "/foo/bar", true},
      Row{"/foo/", "/foobar", false},
      Row{"/foo/bar", "/foo", false},
      Row{"/foo", "/Foo", false},        // case-sensitive
      Row{"/", "/", true},
      Row{"/", "/anything/at/all", true},
  }));
  CAPTURE(pfx, path);
  CHECK(path_prefix_matches(pfx, path) == expected);
}

TEST_CASE("match_route: Exact beats PathPrefix, whatever the list order", "[models][routing]") {
  const std::vector<HttpRouteRule> rules{rule_with({prefix("/api")}), rule_with({exact("/api")})};
  CHECK(route(rules, "/api") == at(1));      // exact wins although listed second
  CHECK(route(rules, "/api/x") == at(0));    // the exact match does not accept "/api/x"
  CHECK_FALSE(route(rules, "/web").has_value());  // nothing matches: 404
}

TEST_CASE("match_route: the longest prefix wins", "[models][routing]") {
  const std::vector<HttpRouteRule> rules{rule_with({prefix("/")}), rule_with({prefix("/api")}),
                                         rule_with({prefix("/api/v1")})};
  CHECK(route(rules, "/api/v1/users") == at(2));  // 7 characters beat 4 and 1
  CHECK(route(rules, "/api/v2") == at(1));
  CHECK(route(rules, "/apiv1") == at(0));         // "/api" does not take "/apiv1"
  CHECK(route(rules, "/web") == at(0));
}

TEST_CASE("match_route: header matches, method, list order", "[models][routing]") {
  HttpMatch canary = prefix("/");
  canary.headers = {HeaderMatch{"env", "canary"}};
  const std::vector<HttpRouteRule> rules{rule_with({prefix("/")}), rule_with({canary})};
  CHECK(route(rules, "/x", {{"Env", "canary"}}) == at(1));  // 1 header match beats 0; names ignore case
  CHECK(route(rules, "/x", {{"env", "Canary"}}) == at(0));  // values are case-sensitive
  CHECK(route(rules, "/x", {{"env", "prod"}, {"env", "canary"}}) == at(1));  // any occurrence
  CHECK(route(rules, "/x") == at(0));

  // A method match outranks more header matches; a longer prefix outranks both.
  HttpMatch two_headers = prefix("/");
  two_headers.headers = {HeaderMatch{"a", "1"}, HeaderMatch{"b", "2"}};
  HttpMatch get = prefix("/");
  get.method = "GET";
  const std::vector<HttpRouteRule> ranked{rule_with({two_headers}), rule_with({get}), rule_with({prefix("/deep")})};
  const std::vector<HttpHeader> both{{"a", "1"}, {"b", "2"}};
  CHECK(route(ranked, "/x", both, "GET") == at(1));
  CHECK(route(ranked, "/x", both, "POST") == at(0));   // the method match does not apply
  CHECK(route(ranked, "/deep", both, "GET") == at(2));

  // Equal precedence: the first rule in list order, then the first match of a rule.
  const std::vector<HttpRouteRule> ties{rule_with({prefix("/b"), prefix("/a")}), rule_with({prefix("/a")})};
  CHECK(route(ties, "/a") == at(0, 1));
  CHECK(route(ties, "/b") == at(0, 0));
}

TEST_CASE("match_route: a rule without matches is PathPrefix \"/\"", "[models][routing]") {
  const std::vector<HttpRouteRule> rules{rule_with({}), rule_with({prefix("/api")})};
  CHECK(route(rules, "/anything") == MatchedRule{0, std::nullopt});
  CHECK(route(rules, "/api/x") == at(1));
}

TEST_CASE("pick_backend: weights 1:3 within 1% over 10,000 picks", "[models][routing]") {
  HttpRouteRule rule;
  rule.backends = {BackendRef{"a", 1, true}, BackendRef{"b", 3, true}};
  sim::RngStream rng(42, 0, "http_route_test");
  int a = 0, b = 0;
  for (int i = 0; i < 10'000; ++i) {
    const auto chosen = pick_backend(rule, rng);
    REQUIRE(chosen.has_value());
    (*chosen == 0 ? a : b) += 1;
  }
  CHECK(a == Approx(2500).margin(100));  // 1 / (1 + 3) = 25%, within 1% of all picks
  CHECK(b == Approx(7500).margin(100));  // 3 / 4 = 75%
}

TEST_CASE("pick_backend: weight 0, no backends, invalid backends", "[models][routing]") {
  sim::RngStream rng(42, 0, "http_route_test/500");
  HttpRouteRule rule;
  SECTION("weight 0 gets no traffic") {
    rule.backends = {BackendRef{"off", 0, true}, BackendRef{"on", 5, true}};
    for (int i = 0; i < 100; ++i) CHECK(pick_backend(rule, rng) == std::optional<std::size_t>(1));
  }
  SECTION("all weights 0, or no backends: 500") {
    rule.backends = {BackendRef{"a", 0, true}, BackendRef{"b", 0, true}};
    CHECK_FALSE(pick_backend(rule, rng).has_value());
    rule.backends.clear();
    CHECK_FALSE(pick_backend(rule, rng).has_value());
  }
  SECTION("all invalid: 500") {
    rule.backends = {BackendRef{"a", 1, false}, BackendRef{"b", 2, false}};
    for (int i = 0; i < 100; ++i) CHECK_FALSE(pick_backend(rule, rng).has_value());
  }
  SECTION("some invalid: their share gets 500") {
    rule.backends = {BackendRef{"ok", 1, true}, BackendRef{"missing", 1, false}};
    int errors = 0;
    for (int i = 0; i < 10'000; ++i) {
      const auto chosen = pick_backend(rule, rng);
      if (!chosen) ++errors;
      else CHECK(*chosen == 0u);
    }
    CHECK(errors == Approx(5000).margin(100));  // 1 of 2 equal weights -> 50% 500s
  }
}

TEST_CASE("HttpRouteRule timeouts: 0s disables, validation messages", "[models][routing]") {
  CHECK_FALSE(active_timeout(std::nullopt).has_value());
  CHECK_FALSE(active_timeout(0s).has_value());
  CHECK(active_timeout(5s) == std::optional<sim::Duration>(5s));

  HttpRouteRule ok = rule_with({prefix("/")});
  ok.request_timeout = 5s;
  ok.backend_request_timeout = 5s;  // equal is allowed
  HttpRouteRule disabled = rule_with({prefix("/")});
  disabled.request_timeout = 0s;    // request disabled: backendRequest is not bounded by it
  disabled.backend_request_timeout = 10s;
  CHECK(validate_http_route(std::vector<HttpRouteRule>{ok, disabled}).empty());

  HttpRouteRule bad = rule_with({prefix("api")});
  bad.matches[0].headers = {HeaderMatch{"", "x"}};
  bad.backends = {BackendRef{"a", 1'000'000, true}, BackendRef{"b", 1'000'001, true}};
  bad.request_timeout = 5s;
  bad.backend_request_timeout = 10s;
  HttpRouteRule negative = rule_with({});
  negative.request_timeout = -1s;
  CHECK(validate_http_route(std::vector<HttpRouteRule>{ok, bad, negative}) ==
        std::vector<std::string>{
            "rules[1].matches[0].path.value: expected a path starting with \"/\", got \"api\"",
            "rules[1].matches[0].headers[0].name: expected a header name, got \"\"",
            "rules[1].backends[1].weight: expected 0..1000000, got 1000001",
            "rules[1].timeouts.backend_request: must not exceed timeouts.request (5s), got 10s",
            "rules[2].timeouts.request: expected a duration >= 0s, got -1s",
        });
}
