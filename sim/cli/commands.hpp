#pragma once
// The faultline command line, callable in-process (tests) or from main().

#include <ostream>

namespace cli {

/// Runs the faultline program. Exit status: 0 success, 2 bad input (arguments or scenario),
/// 1 anything else.
int faultline_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace cli
