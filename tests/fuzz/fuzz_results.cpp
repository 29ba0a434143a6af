// libFuzzer target: bytes as a results document (results.json), through the reader and renderer
// behind `faultline report` (tests/fuzz/fuzz_inputs.hpp). Built with -DFAULTLINE_FUZZ=ON by clang;
// run with `bash .ci/fuzz`.
//
// TODO(compare/merge): the compare.json reader used by `faultline merge` is being written; when it
// lands, drive it from here too (see fuzz::results_input).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::results_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
