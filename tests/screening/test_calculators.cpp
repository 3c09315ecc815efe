// Classical Buckingham + Ewald calculator: Madelung constants (analytic references), forces and
// virial against central finite differences on random triclinic cells, neutral and charged.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "calculator_fd.hpp"
#include "calculators/classical.hpp"
#include "calculators/ewald.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "rocksalt_cell.hpp"
#include "test_util.hpp"

using namespace superion;

namespace {

using superion::testing::rocksalt;

Structure random_ionic(std::mt19937_64& rng, int n_pairs) {
  std::uniform_real_distribution<double> u(0, 1);
  Structure s;
  for (int k = 0; k < 3; ++k)
    for (int l = 0; l < 3; ++l) s.cell[k][l] = k == l ? 6.0 + 2 * u(rng) : 1.5 * (u(rng) - 0.5);
  s.species_symbols = {"Na", "Cl"};
  // Jittered grid so no two ions are unphysically close.
  for (int i = 0; i < 2 * n_pairs; ++i) {
    const Vec3 f{(i % 2) * 0.5 + 0.1 * u(rng), ((i / 2) % 2) * 0.5 + 0.1 * u(rng),
                 (i / 4) * (1.0 / n_pairs) + 0.05 * u(rng)};
    s.positions.push_back(to_cartesian(f, s.cell));
    s.types.push_back(i % 2);
  }
  return s;
}

double coulomb_energy(const Structure& s, const std::vector<double>& q) {
  CalcResult r;
  add_ewald(s, q, EwaldOptions{}, r);
  return r.energy;
}

}  // namespace

TEST(Ewald, RocksaltMadelungConstant) {
  // E per ion pair = −M k_e/d with M = 1.747564594633 (rocksalt), d the nearest-neighbour distance.
  const double a = 5.64;
  const Structure s = rocksalt(a);
  std::vector<double> q;
  for (int t : s.types) q.push_back(t == 0 ? 1.0 : -1.0);
  const double e_pair = coulomb_energy(s, q) / 4.0;
  EXPECT_NEAR(e_pair, -1.747564594633 * kCoulombEVA / (a / 2), 1e-8);
}

TEST(Ewald, CesiumChlorideMadelungAndTriclinicInvariance) {
  // CsCl structure: M = 1.762674773 referred to the nearest-neighbour distance √3 a/2.
  Structure s;
  const double a = 4.1;
  s.cell = a * Mat3::identity();
  s.positions = {{0, 0, 0}, {a / 2, a / 2, a / 2}};
  s.types = {0, 1};
  const std::vector<double> q = {1.0, -1.0};
  const double e = coulomb_energy(s, q);
  EXPECT_NEAR(e, -1.762674773 * kCoulombEVA / (std::sqrt(3.0) * a / 2), 1e-8);
  // The same crystal described by a skewed (unimodular-transformed) cell gives the same energy.
  Structure t = s;
  Mat3 u = Mat3::identity();
  u[1][0] = 1;
  u[2][0] = -1;
  u[2][1] = 1;
  t.cell = u * s.cell;
  EXPECT_NEAR(coulomb_energy(t, q), e, 1e-8);
}

TEST(Classical, ForcesAndVirialMatchFiniteDifferences) {
  std::mt19937_64 rng(5);
  const ClassicalCalculator calc(shipped_classical_parameters("NaCl"));
  for (int trial = 0; trial < 3; ++trial) {
    // Central differences with h = 1e-5 Å: truncation ~h²·E''' ≈ 1e-9 and round-off ~1e-16·|E|/h
    // ≈ 1e-9 eV/Å for |E| ~ 100 eV; Ewald truncation at 1e-10 relative. Hence 1e-6.
    expect_calculator_derivatives(calc, random_ionic(rng, 4), 1e-5, 1e-6, 1e-5);
  }
}

TEST(Classical, ChargedCellBackgroundVirial) {
  // A single ion (net charge) exercises the neutralising-background term in energy and virial.
  ClassicalParameters p = shipped_classical_parameters("NaCl");
  p.pairs.clear();
  const ClassicalCalculator calc(p);
  std::mt19937_64 rng(9);
  Structure s = random_ionic(rng, 2);
  s.positions.pop_back();
  s.types.pop_back();
  expect_calculator_derivatives(calc, s, 1e-5, 1e-6, 1e-5);
}

TEST(Classical, NaClRocksaltLatticeConstantNearExperiment) {
  const ClassicalCalculator calc(shipped_classical_parameters("NaCl"));
  double best_a = 0, best_e = 1e300;
  for (double a = 5.0; a <= 6.4; a += 0.01) {
    const double e = calc.compute(rocksalt(a)).energy;
    if (e < best_e) {
      best_e = e;
      best_a = a;
    }
  }
  // Experiment 5.64 Å; a rigid-ion model is expected within a few percent.
  EXPECT_NEAR(best_a, 5.64, 0.2);
  // At the minimum the pressure (virial trace) changes sign.
  const double w_lo = calc.compute(rocksalt(best_a - 0.05)).virial[0][0];
  const double w_hi = calc.compute(rocksalt(best_a + 0.05)).virial[0][0];
  EXPECT_GT(w_lo, 0.0);  // compressed: positive PlusStress
  EXPECT_LT(w_hi, 0.0);
}

TEST(Classical, BadInput) {
  const ClassicalCalculator calc(shipped_classical_parameters("NaCl"));
  Structure s = rocksalt(5.6);
  s.species_symbols = {"Na", "Br"};
  EXPECT_THROW(calc.compute(s), Error);
  EXPECT_THROW(shipped_classical_parameters("KCl"), Error);
  EXPECT_THROW(make_calculator("quantum:foo"), Error);
}

TEST(MtpCalculatorAdapter, MatchesTheEvaluatorAndMapsSymbols) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2022.09.mtp");
  // A small Na–Cl rocksalt cell evaluated through the adapter with symbols Na, Y, Zr, Cl.
  Structure s;
  const double a = 5.64;
  s.cell = a * Mat3::identity();
  s.species_symbols = {"Cl", "Na"};  // deliberately not the potential's order
  const double f[4][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
  for (const auto& p : f) {
    s.positions.push_back(to_cartesian({p[0], p[1], p[2]}, s.cell));
    s.types.push_back(1);
    s.positions.push_back(to_cartesian({p[0] + .5, p[1], p[2]}, s.cell));
    s.types.push_back(0);
  }
  const auto calc = make_calculator("mtp:" + pot.string() + ":Na,Y,Zr,Cl");
  const CalcResult r = calc->compute(s);
  Structure typed = s;
  for (auto& t : typed.types) t = t == 1 ? 0 : 3;  // Na → 0, Cl → 3
  const MtpPrediction ref = MtpEvaluator(read_mtp(pot)).evaluate(typed);
  EXPECT_DOUBLE_EQ(r.energy, ref.energy);
  EXPECT_TRUE(std::isfinite(r.energy));
  EXPECT_THROW(make_calculator("mtp:" + pot.string() + ":Na,Cl"), Error);  // 4 species in the file
}
