#pragma once
// Runs the real faultline binary in a shell, as a user would, and captures what it printed.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test_support {

struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A path as one single-quoted shell word (test paths hold no quote).
inline std::string quoted(const std::filesystem::path& p) {
  std::string out(1, '\'');  // appended piecewise: GCC 12 warns (-Wrestrict) on "'" + string
  out += p.string();
  out += '\'';
  return out;
}

/// A scratch directory unique to this process and test, removed on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("faultline-test-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Runs `faultline ARGS` from the repository root with stdin closed; `environment` is prefixed as
/// shell assignments (NAME=value ...).
inline CommandResult run_faultline(const std::string& args, const ScratchDir& scratch, const std::string& environment = "") {
  const auto out = scratch.path() / "stdout.txt";
  const auto err = scratch.path() / "stderr.txt";
  const std::string command = std::string("cd '") + FAULTLINE_SOURCE_DIR + "' && " + environment + " '" + FAULTLINE_BINARY + "' " + args +
                              " </dev/null >'" + out.string() + "' 2>'" + err.string() + "'";
  const int raw = std::system(command.c_str());
  CommandResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace test_support
