// LineReader and token helpers for the text-format readers.
#include "io/line_reader.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include "io/text_input.hpp"

namespace superion::io {

// Plain or gzip-compressed (detected by the magic bytes); a .gz is decompressed here, whole.
LineReader::LineReader(const std::filesystem::path& path)
    : text_(read_text_file(path)), name_(path.string()) {}

LineReader::LineReader(std::string text, std::string name)
    : text_(std::move(text)), name_(std::move(name)) {}

bool LineReader::next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  prev_pos_ = pos_;
  std::size_t end = text_.find('\n', pos_);
  if (end == std::string::npos) end = text_.size();
  std::size_t stop = end;
  if (stop > pos_ && text_[stop - 1] == '\r') --stop;
  line = std::string_view(text_.data() + pos_, stop - pos_);
  pos_ = end + 1;
  ++line_no_;
  return true;
}

bool LineReader::next_nonblank(std::string_view& line) {
  while (next(line))
    if (!is_blank(line)) return true;
  return false;
}

std::string_view LineReader::require_nonblank(const std::string& what) {
  std::string_view line;
  if (!next_nonblank(line)) throw error("unexpected end of file: expected " + what);
  return line;
}

void LineReader::unread() {
  pos_ = prev_pos_;
  --line_no_;
}

static inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void split_ws(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (i < n) {
    while (i < n && is_space(line[i])) ++i;
    if (i >= n) break;
    const std::size_t start = i;
    while (i < n && !is_space(line[i])) ++i;
    out.push_back(line.substr(start, i - start));
  }
}

std::vector<std::string_view> split_ws(std::string_view line) {
  std::vector<std::string_view> out;
  split_ws(line, out);
  return out;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool is_blank(std::string_view s) {
  for (char c : s)
    if (!is_space(c)) return false;
  return true;
}

bool parse_double(std::string_view token, double& value) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  if (token.empty()) return false;
  const char* first = token.data();
  const char* last = first + token.size();
  auto res = std::from_chars(first, last, value, std::chars_format::general);
  if (res.ec == std::errc() && res.ptr == last) return std::isfinite(value);
  // Fortran-style exponent (1.0D+00) as written by some DFT codes.
  const auto d = token.find_first_of("dD");
  if (d != std::string_view::npos && d > 0) {
    std::string copy(token);
    copy[d] = 'e';
    res =
        std::from_chars(copy.data(), copy.data() + copy.size(), value, std::chars_format::general);
    if (res.ec == std::errc() && res.ptr == copy.data() + copy.size()) return std::isfinite(value);
  }
  return false;
}

bool parse_long(std::string_view token, long& value) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  if (token.empty()) return false;
  const char* last = token.data() + token.size();
  auto res = std::from_chars(token.data(), last, value);
  return res.ec == std::errc() && res.ptr == last;
}

double to_double(const LineReader& reader, std::string_view token, const char* what) {
  double v;
  if (!parse_double(token, v))
    throw reader.error(std::string("expected ") + what + " (a finite number), got '" +
                       std::string(token) + "'");
  return v;
}

long to_long(const LineReader& reader, std::string_view token, const char* what) {
  long v;
  if (!parse_long(token, v))
    throw reader.error(std::string("expected ") + what + " (an integer), got '" +
                       std::string(token) + "'");
  return v;
}

}  // namespace superion::io
