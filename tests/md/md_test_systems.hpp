// Small MD test systems: an fcc Lennard-Jones argon crystal (optionally in a triclinic
// representation of the same lattice) and an Einstein crystal of harmonically tethered atoms with
// spread-out masses and spring constants (so thermostats see many frequencies).
#pragma once

#include <memory>
#include <random>

#include "core/structure.hpp"
#include "pair_backends.hpp"
#include "simulation.hpp"

namespace superion::testing {

// n×n×n conventional fcc cells of argon (lattice parameter a). `skew`: the second lattice vector
// becomes b + a1 (same lattice, triclinic cell, same atoms).
inline Structure lj_argon(int n = 3, double a = 5.26, bool skew = false) {
  Structure s;
  const double L = n * a;
  s.cell = Mat3{};
  s.cell[0][0] = s.cell[1][1] = s.cell[2][2] = L;
  if (skew) s.cell[1][0] = L;
  const double basis[4][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        for (const auto& b : basis) {
          s.positions.push_back({(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a});
          s.types.push_back(0);
        }
  s.species_symbols = {"Ar"};
  return s;
}

inline std::unique_ptr<md::LennardJonesBackend> lj_backend() {
  return std::make_unique<md::LennardJonesBackend>(0.0104, 3.40, 7.0, 0.5);
}

// `n` atoms tethered to random sites in a 20 Å box; masses 10–40 amu, springs 0.5–2 eV/Å².
struct Tethered {
  Structure s;
  std::vector<double> k;
};
inline Tethered tethered(int n, unsigned seed = 7) {
  Tethered t;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  t.s.cell = Mat3::identity();
  for (int a = 0; a < 3; ++a) t.s.cell[a][a] = 20.0;
  for (int i = 0; i < n; ++i) {
    t.s.positions.push_back({20 * u(rng), 20 * u(rng), 20 * u(rng)});
    t.s.types.push_back(0);
    t.s.masses.push_back(10.0 + 30.0 * u(rng));
    t.k.push_back(0.5 + 1.5 * u(rng));
  }
  t.s.species_symbols = {"Ar"};
  return t;
}

inline std::unique_ptr<md::HarmonicTetherBackend> tether_backend(const Tethered& t) {
  return std::make_unique<md::HarmonicTetherBackend>(t.s.positions, t.k);
}

}  // namespace superion::testing
