#pragma once
// Gateway API HTTPRoute matching and weighted backendRefs (ROUTING.md 6), for the gateway hop.
//
// Matching implemented:
//  - path: Exact (whole path, case-sensitive) and PathPrefix (element by element: "/foo" matches
//    "/foo", "/foo/" and "/foo/bar" but not "/foobar"; a trailing "/" in the prefix is ignored, so
//    "/foo/" behaves like "/foo"; "/" matches every path). RegularExpression is not modelled.
//  - headers: Exact only; names compare case-insensitively, values case-sensitively; a request
//    header occurring several times matches when any occurrence has the value.
//  - method: optional, exact ("GET").
//  - Query-parameter matches are not modelled.
//  - A match's conditions are ANDed; a rule's matches are ORed; a rule without matches behaves as a
//    single PathPrefix "/" match.
//
// Precedence among all matches that accept a request (Gateway API ordering, as far as modelled):
//   1. an Exact path match beats any PathPrefix match;
//   2. among PathPrefix matches, the longer prefix as written (in characters) wins;
//   3. a match with a method beats one without;
//   4. more header matches win;
//   5. then the earlier rule in list order, then the earlier match inside the rule.
// The spec's cross-route tie-breakers (oldest creationTimestamp, then namespace/name) are outside
// this function: concatenate the rules of several HTTPRoutes in that order to get them.
//
// backendRefs: weight 0..1,000,000, default 1; a backend gets weight / sum of all weights of the
// rule (valid and invalid alike). Weight 0 gets nothing. Invalid backends keep their share, and
// requests drawn for it get a 500; all weights 0, no backends or all backends invalid give a 500 for
// every request.
//
// Timeouts are plain data: timeouts.request (whole transaction, retries included) and
// timeouts.backendRequest (one try; must not exceed request when request is non-zero); 0s disables.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace models::routing {

/// Upper bound of BackendRef.weight.
constexpr std::uint32_t kMaxBackendWeight = 1'000'000;

enum class PathMatchType : std::uint8_t { Exact, PathPrefix };

struct PathMatch {
  PathMatchType type = PathMatchType::PathPrefix;
  std::string value = "/";  ///< starts with "/"
};

/// An Exact header match.
struct HeaderMatch {
  std::string name;  ///< compared case-insensitively
  std::string value;
};

/// One entry of a rule's `matches`: all conditions must hold.
struct HttpMatch {
  PathMatch path;
  std::vector<HeaderMatch> headers;
  std::optional<std::string> method;
};

struct BackendRef {
  std::string name;
  std::uint32_t weight = 1;  ///< 0..kMaxBackendWeight
  bool valid = true;         ///< false: the reference does not resolve (its share gets 500)
};

struct HttpRouteRule {
  std::vector<HttpMatch> matches;  ///< empty: matches every request (PathPrefix "/")
  std::vector<BackendRef> backends;
  std::optional<sim::Duration> request_timeout;          ///< timeouts.request; 0 disables
  std::optional<sim::Duration> backend_request_timeout;  ///< timeouts.backendRequest; 0 disables
};

struct HttpHeader {
  std::string_view name;
  std::string_view value;
};

/// What matching needs of a request. `path` excludes the query string.
struct HttpRequestView {
  std::string_view method;
  std::string_view path;
  std::span<const HttpHeader> headers;
};

/// The rule that takes a request, and which of its matches accepted it.
struct MatchedRule {
  std::size_t rule = 0;
  std::optional<std::size_t> match;  ///< absent: the rule has no matches (the implicit PathPrefix "/")
  friend bool operator==(const MatchedRule&, const MatchedRule&) = default;
};

/// PathPrefix semantics: element-wise, trailing "/" of the prefix ignored.
[[nodiscard]] bool path_prefix_matches(std::string_view prefix, std::string_view path);

/// Whether one match accepts the request.
[[nodiscard]] bool http_match_accepts(const HttpMatch& match, const HttpRequestView& request);

/// The highest-precedence rule accepting the request, or nothing (the gateway answers 404).
/// Examines every match once and allocates nothing: O(total matches x match size).
[[nodiscard]] std::optional<MatchedRule> match_route(std::span<const HttpRouteRule> rules,
                                                     const HttpRequestView& request);

/// The same matching with the precedence order computed once: matches are tried best-first and the
/// first that accepts wins. Owns a copy of the rules.
class HttpRouteTable {
 public:
  explicit HttpRouteTable(std::vector<HttpRouteRule> rules);

  [[nodiscard]] std::optional<MatchedRule> match(const HttpRequestView& request) const;
  [[nodiscard]] const std::vector<HttpRouteRule>& rules() const { return rules_; }

 private:
  std::vector<HttpRouteRule> rules_;
  std::vector<MatchedRule> order_;  // every (rule, match), best precedence first
};

/// Draws a backend of the rule by weight (one draw from `rng` when the weights sum to more than 0).
/// Returns its index, or nothing when the request must get a 500 (no backend, all weights 0, or the
/// drawn backend is invalid). O(backends).
[[nodiscard]] std::optional<std::size_t> pick_backend(const HttpRouteRule& rule, sim::RngStream& rng);

/// A timeout that is in force: absent and 0s both mean none.
[[nodiscard]] constexpr std::optional<sim::Duration> active_timeout(std::optional<sim::Duration> timeout) {
  if (timeout && timeout->count() > 0) return timeout;
  return std::nullopt;
}

/// Problems in the rules, one message each naming the field ("rules[0].backends[1].weight: ...");
/// empty when valid.
[[nodiscard]] std::vector<std::string> validate_http_route(std::span<const HttpRouteRule> rules);

}  // namespace models::routing
