// Grade features and summaries; see grade_format.hpp.
#include "grade_format.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "io/formats.hpp"

namespace superion {

std::string grade_feature_name(const std::string& path) {
  try {
    if (std::string(io::find_format(path).name) == "extxyz") return "mv_grade";
  } catch (const std::exception&) {
  }
  return "MV_grade";
}

void set_grade(Configuration& c, const std::string& feature, double grade) {
  auto& f = c.features;
  f.erase(std::remove_if(
              f.begin(), f.end(),
              [](const auto& kv) { return kv.first == "MV_grade" || kv.first == "mv_grade"; }),
          f.end());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", grade);
  f.emplace_back(feature, buf);
}

double stored_grade(const Configuration& c) {
  for (const auto& [k, v] : c.features)
    if (k == "MV_grade" || k == "mv_grade") {
      char* end = nullptr;
      const double g = std::strtod(v.c_str(), &end);
      if (end != v.c_str()) return g;
    }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string grade_summary(const std::vector<double>& grades, double threshold) {
  if (grades.empty()) return "grades: none\n";
  std::vector<double> g = grades;
  std::sort(g.begin(), g.end());
  const std::size_t n = g.size();
  const double median = n % 2 ? g[n / 2] : 0.5 * (g[n / 2 - 1] + g[n / 2]);
  const auto above = std::count_if(g.begin(), g.end(), [&](double x) { return x > threshold; });
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "grades: %zu configurations, min %.6g, median %.6g, max %.6g; %ld above %g\n", n,
                g.front(), median, g.back(), static_cast<long>(above), threshold);
  return buf;
}

}  // namespace superion
