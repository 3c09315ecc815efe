// Bartel SISSO Gibbs descriptor.
#include "screening/gibbs_descriptor.hpp"

#include <cmath>
#include <vector>

#include "core/elements.hpp"
#include "core/error.hpp"

namespace superion {

double bartel_reduced_mass(const Composition& c, const std::map<std::string, double>& masses) {
  const Composition reduced = reduce(c).first;
  std::vector<std::pair<double, double>> amount_mass;
  for (const auto& [el, x] : reduced)
    if (x > 0) {
      const auto it = masses.find(el);
      amount_mass.emplace_back(x, it != masses.end() ? it->second : element(el).mass);
    }
  if (amount_mass.size() < 2)
    throw Error("Bartel reduced mass needs at least two elements (" + formula_string(c) + ")");
  double sum = 0;
  for (std::size_t i = 0; i < amount_mass.size(); ++i)
    for (std::size_t j = i + 1; j < amount_mass.size(); ++j) {
      const auto [ai, mi] = amount_mass[i];
      const auto [aj, mj] = amount_mass[j];
      sum += (ai + aj) * mi * mj / (mi + mj);
    }
  return sum / ((static_cast<double>(amount_mass.size()) - 1.0) * total_atoms(reduced));
}

double bartel_g_delta(double v, double m, double t) {
  if (!(t > 0) || !(v > 0)) throw Error("Bartel G^δ needs T > 0 and V > 0");
  return (-2.48e-4 * std::log(v) - 8.94e-5 * m / v) * t + 0.181 * std::log(t) - 0.882;
}

}  // namespace superion
