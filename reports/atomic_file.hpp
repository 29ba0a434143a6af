#pragma once
// Writes a file so that readers see either the old content or the new, never half of it: the
// content goes to a temporary file in the same directory, is flushed to disk, then renamed over
// the target (rename is atomic within a file system).

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string_view>

namespace reports {

/// An output that could not be written (a full disk, a directory where the file should be).
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws OutputError naming the path and the system's reason on failure; the target is left
/// untouched then.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

/// Receives consecutive pieces of a file's content.
using Sink = std::function<void(std::string_view piece)>;

/// The same, for content too large to hold in memory at once: `produce` passes it to the sink
/// piece by piece. If `produce` throws, the temporary file is removed and the exception goes on.
void write_file_atomically(const std::filesystem::path& target, const std::function<void(const Sink&)>& produce);

}  // namespace reports
