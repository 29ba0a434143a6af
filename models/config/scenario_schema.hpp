#pragma once
// The scenario format as a JSON Schema (draft 2020-12), for editors and CI linters:
// models/config/scenario.schema.json, embedded at build time. It mirrors the readers (the truth);
// tests/schema/check_scenarios.py checks every shipped scenario against it.

#include <string_view>

namespace models::config {

std::string_view scenario_schema();

}  // namespace models::config
