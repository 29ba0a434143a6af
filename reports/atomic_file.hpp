#pragma once
// Writes a file so that readers see either the old content or the new, never half of it: the
// content goes to a temporary file in the same directory, is flushed to disk, then renamed over
// the target (rename is atomic within a file system).

#include <filesystem>
#include <string_view>

namespace reports {

/// Throws std::runtime_error naming the path and the system's reason on failure; the target is
/// left untouched then.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

}  // namespace reports
