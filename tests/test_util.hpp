// Helpers shared by the tests: locating ../shared/data (skip visibly when absent), temp dirs.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

namespace superion::testing {

inline std::filesystem::path shared_data() {
  return std::filesystem::path(SUPERION_SHARED_DATA);
}

// Returns the path or skips the current test with a clear message when it is missing.
#define SUPERION_REQUIRE_SHARED(var, relpath)                                       \
  const std::filesystem::path var = ::superion::testing::shared_data() / (relpath); \
  if (!std::filesystem::exists(var)) GTEST_SKIP() << "shared reference data absent: " << var

// A fresh temporary directory removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("superion_test_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Runs the superion executable with ARGS (shell syntax), stdout and stderr captured into *output;
// returns its exit code, or -1 when it could not be started or was killed by a signal.
inline int run_superion(const std::string& args, std::string* output = nullptr) {
  const std::string cmd = std::string(SUPERION_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string text;
  char buf[4096];
  while (p && std::fgets(buf, sizeof buf, p)) text += buf;
  const int status = p ? pclose(p) : -1;
  if (output) *output = text;
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace superion::testing
