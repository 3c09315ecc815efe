// FIRE relaxation: converges the rigid-ion NaCl crystal to the minimum of its energy–volume curve,
// honours an external pressure, and keeps rigid clusters rigid.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "calculators/classical.hpp"
#include "core/geometry.hpp"
#include "core/units.hpp"
#include "relax/relaxer.hpp"
#include "rocksalt_cell.hpp"

using namespace superion;

namespace {

using superion::testing::rocksalt;

// Lattice constant of minimal energy by golden-section search on the ideal rocksalt.
double best_lattice_constant(const Calculator& calc) {
  double lo = 5.0, hi = 6.5;
  const double g = (std::sqrt(5.0) - 1) / 2;
  for (int it = 0; it < 60; ++it) {
    const double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    if (calc.compute(rocksalt(a)).energy < calc.compute(rocksalt(b)).energy)
      hi = b;
    else
      lo = a;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

TEST(Relax, RattledStrainedRocksaltRelaxesToTheMinimum) {
  const ClassicalCalculator calc(shipped_classical_parameters("NaCl"));
  const double a_best = best_lattice_constant(calc);
  Structure s = rocksalt(5.3);
  s.cell[0][1] = 0.15;  // shear
  std::mt19937_64 rng(1);
  std::normal_distribution<double> n(0, 0.05);
  for (auto& p : s.positions) p += Vec3{n(rng), n(rng), n(rng)};
  RelaxOptions o;
  o.fmax = 1e-4;
  o.smax_gpa = 1e-3;
  o.max_steps = 5000;
  const RelaxResult r = relax(calc, s, o);
  ASSERT_TRUE(r.converged) << "fmax " << r.fmax << " smax " << r.smax_gpa << " after " << r.steps;
  // The volume per formula unit equals the ideal crystal's at its minimum: a³/4 (tolerance from
  // the stress criterion: 1e-3 GPa / ~25 GPa bulk modulus ≈ 4e-5 relative).
  EXPECT_NEAR(r.structure.volume() / 4.0, std::pow(a_best, 3) / 4.0, 1e-3 * std::pow(a_best, 3));
  EXPECT_LT(r.energy, calc.compute(s).energy);
  EXPECT_NEAR(r.energy, calc.compute(rocksalt(a_best)).energy, 1e-5);
}

TEST(Relax, ExternalPressureIsHonoured) {
  const ClassicalCalculator calc(shipped_classical_parameters("NaCl"));
  RelaxOptions o;
  o.pressure_gpa = 5.0;
  o.fmax = 1e-4;
  o.smax_gpa = 1e-3;
  const RelaxResult r = relax(calc, rocksalt(5.6), o);
  ASSERT_TRUE(r.converged);
  const CalcResult c = calc.compute(r.structure);
  const double p = (c.virial[0][0] + c.virial[1][1] + c.virial[2][2]) / 3.0 / r.structure.volume() *
                   units::kEVPerA3ToGPa;
  EXPECT_NEAR(p, 5.0, 2e-3);  // internal pressure balances the external one
  EXPECT_LT(r.structure.volume(), relax(calc, rocksalt(5.6), RelaxOptions{}).structure.volume());
}

TEST(Relax, RigidClustersStayRigid) {
  const ClassicalCalculator calc(shipped_classical_parameters("NaCl"));
  Structure s = rocksalt(5.5);
  std::mt19937_64 rng(3);
  std::normal_distribution<double> n(0, 0.08);
  for (auto& p : s.positions) p += Vec3{n(rng), n(rng), n(rng)};
  // Treat two Na–Cl pairs as rigid "clusters" (bond vectors fixed, free to move and rotate).
  RelaxOptions o;
  o.rigid_clusters = {{0, 1}, {2, 3}};
  o.fmax = 1e-3;
  o.smax_gpa = 1e-2;
  const double d01 = norm(s.positions[1] - s.positions[0]);
  const double d23 = norm(s.positions[3] - s.positions[2]);
  const RelaxResult r = relax(calc, s, o);
  ASSERT_TRUE(r.converged) << r.steps;
  EXPECT_NEAR(norm(r.structure.positions[1] - r.structure.positions[0]), d01, 1e-10);
  EXPECT_NEAR(norm(r.structure.positions[3] - r.structure.positions[2]), d23, 1e-10);
  EXPECT_LT(r.energy, calc.compute(s).energy);
}
