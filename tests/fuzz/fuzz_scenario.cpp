// libFuzzer target: bytes as a scenario file, through parse_scenario, validate and build_world
// (tests/fuzz/fuzz_inputs.hpp). Built with -DFAULTLINE_FUZZ=ON by clang; run with `bash .ci/fuzz`.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::scenario_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
