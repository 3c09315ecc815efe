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

}  // namespace superion
