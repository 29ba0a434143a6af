#pragma once
// Wording shared by the scenario parser and validator: quoting, lists of choices and the
// "did you mean" suggestion. Private to models/config, except that the command line also suggests
// commands with did_you_mean.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace models::config::detail {

/// `text` as a JSON string literal: "us-east1".
std::string quote(std::string_view text);

/// "a", "b", "c": each choice quoted, in the order given.
std::string quoted_list(const std::vector<std::string>& choices);

/// The number of single-character insertions, deletions, substitutions and swaps of adjacent
/// characters turning a into b (optimal string alignment distance).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if it is close enough to be a likely typo: at most
/// max(2, length / 3) edits away, and at most half the length of `word`. Ties go to the earlier
/// candidate.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// "; did you mean "x"?" when closest_match finds something, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// Choices are listed in messages only while the list stays readable.
inline constexpr std::size_t kMaxListedChoices = 10;

/// `expected the name of a service (one of "api", "web"), found "apii"; did you mean "api"?`:
/// for a reference to something that does not exist. Choices are listed sorted, and only when
/// there are few of them.
std::string unknown_reference(std::string_view what, std::vector<std::string> choices, std::string_view found);

}  // namespace models::config::detail
