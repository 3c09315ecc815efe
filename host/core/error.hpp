// Exceptions with context. Readers throw InputError naming file, line and what was expected;
// main() catches, prints one message and exits non-zero.
#pragma once

#include <stdexcept>
#include <string>

namespace superion {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Malformed user input: message is "FILE:LINE: what was expected".
class InputError : public Error {
 public:
  InputError(const std::string& file, long line, const std::string& what)
      : Error(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + what),
        file_(file),
        line_(line) {}
  const std::string& file() const { return file_; }
  long line() const { return line_; }

 private:
  std::string file_;
  long line_;
};

// A run that stopped on purpose before its requested end (e.g. MD stopped by an extrapolation
// grade above --grade-break): main() prints the reason and exits with `code` (3), so scripts can
// tell it from success (0), errors (1) and input errors (2).
class StoppedEarly : public Error {
 public:
  explicit StoppedEarly(const std::string& why, int code = 3) : Error(why), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

}  // namespace superion
