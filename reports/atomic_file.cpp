#include "reports/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace reports {

namespace {
[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int err) {
  throw OutputError("cannot " + what + " " + path.string() + ": " + std::strerror(err));
}
}  // namespace

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  write_file_atomically(target, [content](const Sink& sink) { sink(content); });
}

void write_file_atomically(const std::filesystem::path& target, const std::function<void(const Sink&)>& produce) {
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  // Built with += : GCC 12 warns falsely (-Wrestrict) on "." + std::string.
  std::string hidden_name = ".";
  hidden_name += target.filename().string();
  hidden_name += ".tmp-XXXXXX";
  std::string tmpl = (dir / hidden_name).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) fail("create a temporary file for", target, errno);
  const std::filesystem::path tmp(tmpl);
  const auto write_all = [&](std::string_view piece) {
    std::size_t written = 0;
    while (written < piece.size()) {
      const ssize_t n = ::write(fd, piece.data() + written, piece.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("write", target, errno);
      }
      written += static_cast<std::size_t>(n);
    }
  };
  try {
    produce(write_all);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  // mkstemp creates 0600; results are ordinary files.
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail("flush", target, err);
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail("replace", target, err);
  }
}

}  // namespace reports
