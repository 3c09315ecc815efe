// Finite-difference check of a Calculator's forces and virial, shared by the screening and
// structure-search tests: F = −∂E/∂r and W = −∂E/∂ε (MLIP PlusStress) under r → r (I + ε), by
// central differences with step h (Å, and dimensionless strain).
#pragma once

#include <gtest/gtest.h>

#include "calculators/calculator.hpp"
#include "core/geometry.hpp"
#include "core/structure.hpp"

namespace superion {

inline void expect_calculator_derivatives(const Calculator& calc, const Structure& s, double h,
                                          double tol_force, double tol_virial) {
  const CalcResult r = calc.compute(s);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int a = 0; a < 3; ++a) {
      Structure p = s, m = s;
      p.positions[i][a] += h;
      m.positions[i][a] -= h;
      const double fd = -(calc.compute(p).energy - calc.compute(m).energy) / (2 * h);
      EXPECT_NEAR(r.forces[i][a], fd, tol_force) << "atom " << i << " component " << a;
    }
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      auto strained = [&](double e) {
        Mat3 d = Mat3::identity();
        d[a][b] += e;
        Structure t = s;
        t.cell = t.cell * d;
        for (Vec3& x : t.positions) x = row_times(x, d);
        return calc.compute(t).energy;
      };
      const double fd = -(strained(h) - strained(-h)) / (2 * h);
      EXPECT_NEAR(r.virial[a][b], fd, tol_virial) << "virial " << a << b;
    }
}

}  // namespace superion
