// "value ± error" for summaries that never print "± nan": when an error cannot be estimated the
// text says why instead ("1.23e-06 cm^2/s (no error: one diffusing ion)").
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace superion {

// `fmt_value` and `fmt_error` are printf formats of one double each (e.g. "%.6e", "%.2e");
// `unit` follows the pair; `why` explains a non-finite error (empty: the caller explains it once
// elsewhere, the text only says there is none).
inline std::string value_pm(double value, double error, const char* fmt_value,
                            const char* fmt_error, const std::string& unit,
                            const std::string& why) {
  char v[64], e[64];
  std::snprintf(v, sizeof v, fmt_value, value);
  std::string out = v;
  if (std::isfinite(error)) {
    std::snprintf(e, sizeof e, fmt_error, error);
    out += std::string(" ± ") + e;
  }
  if (!unit.empty()) out += " " + unit;
  if (!std::isfinite(error))
    out += why.empty() ? " (no error estimate)" : " (no error estimate: " + why + ")";
  return out;
}

}  // namespace superion
