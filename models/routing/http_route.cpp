#include "models/routing/http_route.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace models::routing {
namespace {

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool header_matches(const HeaderMatch& wanted, std::span<const HttpHeader> headers) {
  return std::any_of(headers.begin(), headers.end(), [&](const HttpHeader& h) {
    return h.value == wanted.value && ascii_iequal(h.name, wanted.name);
  });
}

// Precedence key, larger is better: (exact path, prefix length, has method, header count).
using Precedence = std::tuple<bool, std::size_t, bool, std::size_t>;

Precedence precedence(const HttpMatch& m) {
  const bool exact = m.path.type == PathMatchType::Exact;
  // Only prefixes are ranked by length; all Exact matches that accept one request have the same
  // value anyway.
  return {exact, exact ? 0 : m.path.value.size(), m.method.has_value(), m.headers.size()};
}

// The implicit match of a rule without matches: PathPrefix "/" and nothing else.
constexpr Precedence kImplicitPrecedence{false, 1, false, 0};

}  // namespace

bool path_prefix_matches(std::string_view prefix, std::string_view path) {
  // "/foo/" is the same prefix as "/foo"; "/" becomes "" and matches every path.
  if (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (!path.starts_with(prefix)) return false;
  // Whole elements only: "/foo" takes "/foo" and "/foo/bar", not "/foobar".
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

bool http_match_accepts(const HttpMatch& match, const HttpRequestView& request) {
  switch (match.path.type) {
    case PathMatchType::Exact:
      if (request.path != match.path.value) return false;
      break;
    case PathMatchType::PathPrefix:
      if (!path_prefix_matches(match.path.value, request.path)) return false;
      break;
  }
  if (match.method && request.method != *match.method) return false;
  return std::all_of(match.headers.begin(), match.headers.end(),
                     [&](const HeaderMatch& h) { return header_matches(h, request.headers); });
}

std::optional<MatchedRule> match_route(std::span<const HttpRouteRule> rules, const HttpRequestView& request) {
  std::optional<MatchedRule> best;
  Precedence best_key{};
  // Strictly better only: on equal keys the earlier (rule, match) stays, per list order.
  auto consider = [&](const Precedence& key, MatchedRule candidate) {
    if (!best || key > best_key) {
      best = candidate;
      best_key = key;
    }
  };
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const auto& matches = rules[r].matches;
    if (matches.empty()) {
      if (path_prefix_matches("/", request.path)) consider(kImplicitPrecedence, {r, std::nullopt});
      continue;
    }
    for (std::size_t m = 0; m < matches.size(); ++m)
      if (http_match_accepts(matches[m], request)) consider(precedence(matches[m]), {r, m});
  }
  return best;
}

HttpRouteTable::HttpRouteTable(std::vector<HttpRouteRule> rules) : rules_(std::move(rules)) {
  std::vector<std::pair<Precedence, MatchedRule>> keyed;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const auto& matches = rules_[r].matches;
    if (matches.empty()) keyed.push_back({kImplicitPrecedence, {r, std::nullopt}});
    for (std::size_t m = 0; m < matches.size(); ++m) keyed.push_back({precedence(matches[m]), {r, m}});
  }
  // Best key first; stable, so list order breaks ties exactly as match_route does.
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  order_.reserve(keyed.size());
  for (const auto& entry : keyed) order_.push_back(entry.second);
}

std::optional<MatchedRule> HttpRouteTable::match(const HttpRequestView& request) const {
  for (const MatchedRule& candidate : order_) {
    const HttpRouteRule& rule = rules_[candidate.rule];
    const bool accepts = candidate.match ? http_match_accepts(rule.matches[*candidate.match], request)
                                         : path_prefix_matches("/", request.path);
    if (accepts) return candidate;
  }
  return std::nullopt;
}

std::optional<std::size_t> pick_backend(const HttpRouteRule& rule, sim::RngStream& rng) {
  std::uint64_t total = 0;
  for (const BackendRef& b : rule.backends) total += b.weight;
  if (total == 0) return std::nullopt;  // no backends or all weights 0: 500
  // Weights 1:3 -> draw in [0, 4): 0 -> first backend, 1..3 -> second.
  std::uint64_t draw = rng.uniform_below(total);
  for (std::size_t i = 0; i < rule.backends.size(); ++i) {
    const BackendRef& b = rule.backends[i];
    if (draw < b.weight) return b.valid ? std::optional<std::size_t>(i) : std::nullopt;  // invalid: 500
    draw -= b.weight;
  }
  return std::nullopt;  // unreachable: draw < total
}

std::vector<std::string> validate_http_route(std::span<const HttpRouteRule> rules) {
  std::vector<std::string> issues;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const HttpRouteRule& rule = rules[r];
    const std::string at = "rules[" + std::to_string(r) + "]";
    for (std::size_t m = 0; m < rule.matches.size(); ++m) {
      const HttpMatch& match = rule.matches[m];
      const std::string mat = at + ".matches[" + std::to_string(m) + "]";
      if (!match.path.value.starts_with('/'))
        issues.push_back(mat + ".path.value: expected a path starting with \"/\", got \"" + match.path.value + "\"");
      for (std::size_t h = 0; h < match.headers.size(); ++h) {
        if (match.headers[h].name.empty())
          issues.push_back(mat + ".headers[" + std::to_string(h) + "].name: expected a header name, got \"\"");
      }
      if (match.method && match.method->empty()) issues.push_back(mat + ".method: expected a method, got \"\"");
    }
    for (std::size_t b = 0; b < rule.backends.size(); ++b) {
      if (rule.backends[b].weight > kMaxBackendWeight)
        issues.push_back(at + ".backends[" + std::to_string(b) + "].weight: expected 0..1000000, got " +
                         std::to_string(rule.backends[b].weight));
    }
    if (rule.request_timeout && rule.request_timeout->count() < 0)
      issues.push_back(at + ".timeouts.request: expected a duration >= 0s, got " +
                       sim::format_duration(*rule.request_timeout));
    if (rule.backend_request_timeout && rule.backend_request_timeout->count() < 0)
      issues.push_back(at + ".timeouts.backend_request: expected a duration >= 0s, got " +
                       sim::format_duration(*rule.backend_request_timeout));
    // backendRequest <= request, unless request is 0s (disabled) or absent.
    const auto request = active_timeout(rule.request_timeout);
    if (request && rule.backend_request_timeout && *rule.backend_request_timeout > *request)
      issues.push_back(at + ".timeouts.backend_request: must not exceed timeouts.request (" +
                       sim::format_duration(*request) + "), got " +
                       sim::format_duration(*rule.backend_request_timeout));
  }
  return issues;
}

}  // namespace models::routing
