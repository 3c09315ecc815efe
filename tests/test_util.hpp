// Helpers shared by the tests: locating reference data (skip visibly when absent), temp dirs.
// Reference data made by others (../shared/README.md) that the tests need is carried in the
// repository under tests/data/shared/ (SUPERION_TEST_DATA; source and licence in its README), at
// the same relative paths as in ../shared/data, some compressed (name.gz). What is too large to
// carry stays in ../shared/data (SUPERION_SHARED_DATA, or the environment variable of that name);
// tests/data/shared/README.md names the tests that need it.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

namespace superion::testing {

// ../shared/data (the environment variable SUPERION_SHARED_DATA overrides the configured path).
inline std::filesystem::path shared_data() {
  if (const char* e = std::getenv("SUPERION_SHARED_DATA")) return std::filesystem::path(e);
  return std::filesystem::path(SUPERION_SHARED_DATA);
}

// The reference file or folder `relpath` (relative to ../shared/data): the repository's copy
// (tests/data/shared/relpath, or relpath.gz) when there is one, else ../shared/data/relpath
// (which may not exist: callers skip then).
inline std::filesystem::path test_data(const std::string& relpath) {
  const std::filesystem::path in_repo = std::filesystem::path(SUPERION_TEST_DATA) / relpath;
  if (std::filesystem::exists(in_repo)) return in_repo;
  const std::filesystem::path gz = in_repo.string() + ".gz";
  if (std::filesystem::exists(gz)) return gz;
  return shared_data() / relpath;
}

// Returns the path or skips the current test with a clear message when it is missing.
#define SUPERION_REQUIRE_SHARED(var, relpath)                                             \
  const std::filesystem::path var = ::superion::testing::test_data(relpath);              \
  if (!std::filesystem::exists(var))                                                      \
  GTEST_SKIP() << "reference data absent (not in tests/data/shared, no ../shared/data): " \
               << (relpath)

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

// `text` as (part of) a GoogleTest name, which may not contain '-': each '-' becomes '_'.
inline std::string test_name(std::string text) {
  for (char& ch : text)
    if (ch == '-') ch = '_';
  return text;
}

// Name generator of a suite parameterised by strings: the parameter as test_name().
struct StringParamName {
  template <class Info>
  std::string operator()(const Info& info) const {
    return test_name(info.param);
  }
};

// Runs the shell command `cmd`, its stdout captured into *output; returns its exit code, or -1 when
// it could not be started or was killed by a signal.
inline int run_captured(const std::string& cmd, std::string* output = nullptr) {
  FILE* p = popen(cmd.c_str(), "r");
  std::string text;
  char buf[4096];
  while (p && std::fgets(buf, sizeof buf, p)) text += buf;
  const int status = p ? pclose(p) : -1;
  if (output) *output = text;
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs the superion executable with ARGS (shell syntax), stdout and stderr captured into *output;
// returns its exit code, or -1 when it could not be started or was killed by a signal.
inline int run_superion(const std::string& args, std::string* output = nullptr) {
  return run_captured(std::string(SUPERION_BINARY) + " " + args + " 2>&1", output);
}

}  // namespace superion::testing
