#pragma once
// JSON Merge Patch (RFC 7396): how a strategy overlays the scenario it is compared on. A patch
// object sets the members it names, removes those it sets to null and merges nested objects
// member by member; any other patch value (an array, a string, ...) replaces the target whole.
//
// Private to models/config, like json_reader.hpp: the scenario document is JSON only in here.

#include "models/config/json_reader.hpp"

namespace models::config::detail {

/// Applies `patch` to `target` as RFC 7396 section 2 defines. Members that stay keep their place;
/// members the patch adds come after them, in the patch's order. Works without recursion, so a
/// deeply nested patch cannot exhaust the stack, and moves the patch's values into the target
/// rather than copying them (pass std::move(patch) when it is not needed afterwards).
void apply_merge_patch(Json& target, Json patch);

}  // namespace models::config::detail
