// Helpers for the MTP tests: random coefficients and random triclinic structures.
#pragma once

#include <random>

#include "core/geometry.hpp"
#include "core/structure.hpp"
#include "mtp/mtp_model.hpp"

namespace superion::testing {

// Random trained-looking coefficients: radial U(-1,1), scaling 0.05, species U(-1,1), moments
// U(-1,1)·coeff_scale.
inline void randomize(Mtp& m, std::mt19937& rng, double coeff_scale = 1e-2) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> theta(m.n_params());
  for (auto& t : theta) t = u(rng);
  for (std::size_t k = m.n_radial_params() + m.species_count; k < theta.size(); ++k)
    theta[k] *= coeff_scale;
  m.set_parameters(theta);
  m.scaling = 0.05;
}

// Random triclinic cell (skewed rows) with n atoms of `species` types, pairwise minimum-image
// distances >= dmin.
inline Structure random_structure(std::mt19937& rng, int n, int species, double length,
                                  double dmin) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Structure s;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      s.cell[a][b] = (a == b ? length * (0.9 + 0.2 * u(rng)) : 0.3 * length * (u(rng) - 0.5));
  const Mat3 inv = inverse(s.cell);
  const bool pbc[3] = {true, true, true};
  while (static_cast<int>(s.positions.size()) < n) {
    const Vec3 p = to_cartesian({u(rng), u(rng), u(rng)}, s.cell);
    bool ok = true;
    for (const auto& q : s.positions)
      if (norm(minimum_image(p - q, s.cell, inv, pbc)) < dmin) ok = false;
    if (ok) {
      s.positions.push_back(p);
      s.types.push_back(static_cast<int>(s.positions.size() - 1) % species);
    }
  }
  return s;
}

}  // namespace superion::testing
