#include "models/config/merge_patch.hpp"

#include <vector>

namespace models::config::detail {

void apply_merge_patch(Json& target, Json patch) {
  // Each step merges one patch value into one target value; nested objects become new steps.
  struct Step {
    Json* target;
    Json* patch;
  };
  std::vector<Step> pending{{&target, &patch}};
  while (!pending.empty()) {
    const Step step = pending.back();
    pending.pop_back();
    Json& into = *step.target;
    Json& from = *step.patch;
    if (!from.is_object()) {
      into = std::move(from);
      continue;
    }
    if (!into.is_object()) into = Json::object();
    // Every member of `into` is added or erased before any pointer to one is taken: ordered_json
    // keeps members in a vector, so adding or erasing one moves its siblings.
    for (auto member = from.begin(); member != from.end(); ++member) {
      if (member->is_null()) {
        into.erase(member.key());
      } else if (member->is_object()) {
        into.emplace(member.key(), nullptr);  // make its slot now (null if new); the step pushed below merges into it
      } else {
        into[member.key()] = std::move(*member);
      }
    }
    // The patch's members themselves never move: only their values are moved out.
    for (auto member = from.begin(); member != from.end(); ++member) {
      if (member->is_object()) pending.push_back({&into[member.key()], &*member});
    }
  }
}

}  // namespace models::config::detail
