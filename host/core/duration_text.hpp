// "H:MM:SS" text of a duration in seconds for progress lines ("?" when unknown or negative).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace superion {

inline std::string duration_hms(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long t = std::lround(seconds);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  return buf;
}

}  // namespace superion
