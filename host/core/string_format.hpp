// printf-style formatting into a std::string, for the text writers (cfg, extxyz) that must
// reproduce exact numeric layouts (%.15e, MLIP's column widths).
#pragma once

#include <cstdio>
#include <string>

#include "core/error.hpp"

namespace superion {

// Appends snprintf(fmt, args...) to `out`; a field longer than 511 characters is an internal error.
template <typename... Args>
void appendf(std::string& out, const char* fmt, Args... args) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof buf, fmt, args...);
  if (n < 0 || n >= static_cast<int>(sizeof buf)) throw Error("internal: formatted field too long");
  out.append(buf, static_cast<std::size_t>(n));
}

}  // namespace superion
