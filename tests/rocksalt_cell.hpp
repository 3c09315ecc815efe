// Test helper: the conventional 8-atom rocksalt (NaCl) cell with lattice constant a (Å), types
// 0 = Na and 1 = Cl, for the calculator and relaxer tests.
#pragma once

#include "core/geometry.hpp"
#include "core/structure.hpp"

namespace superion::testing {

inline Structure rocksalt(double a) {
  Structure s;
  s.cell = a * Mat3::identity();
  s.species_symbols = {"Na", "Cl"};
  const double f[4][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
  for (const auto& p : f) {
    s.positions.push_back(to_cartesian({p[0], p[1], p[2]}, s.cell));
    s.types.push_back(0);
    s.positions.push_back(to_cartesian({p[0] + .5, p[1], p[2]}, s.cell));
    s.types.push_back(1);
  }
  return s;
}

}  // namespace superion::testing
