#include "models/config/messages.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace models::config::detail {

std::string quote(std::string_view text) {
  // nlohmann's escaping, so that names read the same here as in dumped JSON values.
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string quoted_list(const std::vector<std::string>& choices) {
  std::string out;
  for (const std::string& choice : choices) {
    if (!out.empty()) out += ", ";
    out += quote(choice);
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus swaps of two adjacent characters, the commonest
  // typo ("wbe" for "web"). Three rows of the dynamic-programming table suffice.
  std::vector<std::size_t> before_previous(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    // Short words are close to many others ("foo" is two edits from "slo"): a typo keeps at
    // least half of the word.
    if (distance > allowed || 2 * distance > word.size()) continue;
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::optional<std::string> match = closest_match(word, candidates);
  return match ? "; did you mean " + quote(*match) + "?" : std::string();
}

std::string unknown_reference(std::string_view what, std::vector<std::string> choices, std::string_view found) {
  std::string message = "expected ";
  message += what;
  std::sort(choices.begin(), choices.end());
  choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
  if (!choices.empty() && choices.size() <= kMaxListedChoices) message += " (one of " + quoted_list(choices) + ")";
  message += ", found " + quote(found);
  message += did_you_mean(found, choices);
  return message;
}

}  // namespace models::config::detail
