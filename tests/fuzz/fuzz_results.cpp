// libFuzzer target: bytes as a saved results document (results.json, compare.json, a shard's
// partial file), through the readers behind `faultline report` and `faultline merge`
// (tests/fuzz/fuzz_inputs.hpp). Built with -DFAULTLINE_FUZZ=ON by clang; run with `bash .ci/fuzz`.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::results_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
