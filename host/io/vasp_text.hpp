// Small text helpers shared by the VASP readers (vasprun.xml, OUTCAR, XDATCAR): whole-file
// loading, whitespace tokenising and strict number parsing that rejects NaN/Inf and Fortran
// overflow fields ("*******"). Internal to host/io.
#pragma once

#include <charconv>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace superion::vasp_text {

// Reads a whole file, plain or gzip-compressed; throws InputError when it cannot be opened or the
// gzip data is corrupt or truncated.
std::string read_file(const std::filesystem::path& path);

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
inline bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

// Splits on whitespace into `out` (cleared first); returns the token count.
inline std::size_t split(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out.size();
}

// Parses one finite double (whole token). Returns false on anything else.
inline bool parse_double(std::string_view tok, double& v) {
  if (!tok.empty() && tok.front() == '+') tok.remove_prefix(1);
  if (tok.empty()) return false;
  const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (r.ec != std::errc() || r.ptr != tok.data() + tok.size()) return false;
  return v - v == 0.0;  // finite
}

inline bool parse_long(std::string_view tok, long& v) {
  if (!tok.empty() && tok.front() == '+') tok.remove_prefix(1);
  if (tok.empty()) return false;
  const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  return r.ec == std::errc() && r.ptr == tok.data() + tok.size();
}

// Line cursor over an in-memory buffer, counting 1-based line numbers.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  // Next line without its terminator; false at end of text.
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    std::size_t e = text_.find('\n', pos_);
    if (e == std::string_view::npos) e = text_.size();
    line = text_.substr(pos_, e - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = e + 1;
    ++line_no_;
    return true;
  }
  long line_no() const { return line_no_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  long line_no_ = 0;
};

// Parses exactly `n` leading doubles of `line` (extra tokens allowed when `allow_extra`).
// Throws InputError(file, line_no, what) otherwise.
void parse_doubles(std::string_view line, double* out, std::size_t n, const std::string& file, long line_no,
                   const char* what, bool allow_extra = true);

}  // namespace superion::vasp_text
