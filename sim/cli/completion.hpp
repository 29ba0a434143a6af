#pragma once
// `faultline completion bash`: a bash completion script generated from the command line's own
// definition, so it never falls behind a new command or option.

#include <CLI/CLI.hpp>
#include <string>

namespace cli {

/// Completes commands, each command's options, directories after a DIR option, files after a
/// FILE option and for positional arguments; nothing after an option that takes another value.
std::string bash_completion(const CLI::App& app);

}  // namespace cli
