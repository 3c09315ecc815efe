// Parsing and applying Python-style frame slices (frame_slice.hpp).
#include "core/frame_slice.hpp"

#include <cerrno>
#include <cstdlib>

#include "core/error.hpp"

namespace superion {
namespace {

[[noreturn]] void bad(const std::string& text, const std::string& what) {
  throw InputError("--frames '" + text + "'", 0, what);
}

// An optional integer: empty text = nullopt; anything but [+-]digits is an error.
std::optional<long> parse_part(const std::string& part, const std::string& text, const char* name) {
  if (part.empty()) return std::nullopt;
  std::size_t k = (part[0] == '-' || part[0] == '+') ? 1 : 0;
  bool digits = k < part.size();
  for (std::size_t i = k; i < part.size(); ++i) digits = digits && part[i] >= '0' && part[i] <= '9';
  if (!digits)
    bad(text, std::string(name) + " '" + part +
                  "' is not an integer (expected START:STOP:STEP, each part an optional integer, "
                  "e.g. 100::5)");
  errno = 0;
  const long v = std::strtol(part.c_str(), nullptr, 10);
  if (errno == ERANGE) bad(text, std::string(name) + " '" + part + "' is out of range");
  return v;
}

// Python's clamping of a slice bound for step > 0.
std::size_t clamp_bound(std::optional<long> b, std::size_t n, std::size_t if_empty) {
  if (!b) return if_empty;
  long v = *b;
  const long ln = static_cast<long>(n);
  if (v < 0) v += ln;
  if (v < 0) v = 0;
  if (v > ln) v = ln;
  return static_cast<std::size_t>(v);
}

}  // namespace

FrameSlice parse_frame_slice(const std::string& text) {
  FrameSlice s;
  s.text = text;
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (c == ':')
      parts.emplace_back();
    else
      parts.back() += c;
  }
  if (parts.size() > 3)
    bad(text, "too many ':' (expected START:STOP:STEP, each part optional, e.g. 100::5)");
  if (parts.size() == 1) {
    if (text.empty()) bad(text, "empty (expected START:STOP:STEP or one frame index)");
    s.single = true;
    s.start = parse_part(parts[0], text, "index");
    return s;
  }
  s.start = parse_part(parts[0], text, "START");
  s.stop = parse_part(parts[1], text, "STOP");
  if (parts.size() == 3) {
    const auto step = parse_part(parts[2], text, "STEP");
    if (step) {
      if (*step <= 0)
        bad(text, "STEP must be a positive integer (got " + parts[2] +
                      "; reversed selections are not supported)");
      s.step = *step;
    }
  }
  return s;
}

std::vector<std::size_t> slice_indices(const FrameSlice& slice, std::size_t n) {
  std::vector<std::size_t> out;
  if (slice.single) {
    const long ln = static_cast<long>(n);
    const long i = *slice.start < 0 ? *slice.start + ln : *slice.start;
    if (i < 0 || i >= ln)
      throw InputError("--frames '" + slice.text + "'", 0,
                       "frame index out of range (there are " + std::to_string(n) + " frames)");
    out.push_back(static_cast<std::size_t>(i));
    return out;
  }
  const std::size_t a = clamp_bound(slice.start, n, 0), b = clamp_bound(slice.stop, n, n);
  for (std::size_t i = a; i < b; i += static_cast<std::size_t>(slice.step)) out.push_back(i);
  return out;
}

}  // namespace superion
