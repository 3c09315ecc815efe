// LineReader: reads a whole text file (plain or .gz) into memory and hands out its lines as string_views with
// 1-based line numbers, so every parse error can name FILE:LINE. Also small tokenising/number
// helpers (std::from_chars, no iostreams) shared by the text-format readers in host/io.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace superion::io {

class LineReader {
 public:
  // Reads the file (gzip-compressed files are decompressed); throws InputError(file, 0, ...) when
  // it cannot be opened or its gzip data is corrupt or truncated.
  explicit LineReader(const std::filesystem::path& path);
  // Reads from an in-memory text (tests, embedded data); `name` is used in error messages.
  LineReader(std::string text, std::string name);

  // Next line without the trailing "\n" / "\r\n"; false at end of file.
  bool next(std::string_view& line);
  // Next line that is not blank (whitespace only); false at end of file.
  bool next_nonblank(std::string_view& line);
  // Like next_nonblank but throws "unexpected end of file: expected <what>".
  std::string_view require_nonblank(const std::string& what);
  // Puts the last line back so the next call to next() returns it again (one level only).
  void unread();

  long line_number() const { return line_no_; }  // number of the line last returned
  const std::string& name() const { return name_; }
  bool eof() const { return pos_ >= text_.size(); }
  // Bytes not yet returned. A declared count of N lines needs at least 2N of them ("x\n"), which
  // lets readers reject absurd counts before allocating for them.
  std::size_t remaining_bytes() const { return pos_ < text_.size() ? text_.size() - pos_ : 0; }

  // An InputError at the current line.
  [[nodiscard]] InputError error(const std::string& what) const {
    return InputError(name_, line_no_, what);
  }

 private:
  std::string text_;
  std::string name_;
  std::size_t pos_ = 0;
  std::size_t prev_pos_ = 0;
  long line_no_ = 0;
};

// Splits on spaces/tabs (no quoting).
void split_ws(std::string_view line, std::vector<std::string_view>& out);
std::vector<std::string_view> split_ws(std::string_view line);
std::string_view trim(std::string_view s);
bool is_blank(std::string_view s);

// Strict number parsing of a whole token: returns false on junk, trailing characters, overflow.
// Doubles accept an optional leading '+' and Fortran 'D' exponents; NaN/Inf are rejected.
bool parse_double(std::string_view token, double& value);
bool parse_long(std::string_view token, long& value);

// Parse or throw reader.error("expected <what>, got '<token>'").
double to_double(const LineReader& reader, std::string_view token, const char* what);
long to_long(const LineReader& reader, std::string_view token, const char* what);

}  // namespace superion::io
