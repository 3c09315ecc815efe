// The demo's MD wall (analysis/demo/wall_backend.hpp): forces and virial are the exact
// derivatives of its energy (central finite differences), it is zero on every configuration it
// was built from, and it is zero beyond r_w with zero force there.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "core/configuration.hpp"
#include "pair_backends.hpp"
#include "wall_backend.hpp"

namespace superion::demo {
namespace {

Structure three_atoms(double a) {
  Structure s;
  s.cell = Mat3{};
  s.cell[0][0] = a;
  s.cell[1][1] = a + 0.3;
  s.cell[2][2] = a - 0.2;
  s.cell[1][0] = 0.4;  // triclinic
  s.positions = {{0.1, 0.2, 0.3}, {1.2, 0.5, 0.1}, {0.4, 1.9, 0.8}};
  s.types = {0, 1, 1};
  s.species_symbols = {"Na", "O"};
  s.masses = {22.99, 16.0, 16.0};
  return s;
}

PairWalls walls() {
  PairWalls w;
  w.n_species = 2;
  w.rw = {2.0, 1.6, 1.6, 2.2};  // Na-Na, Na-O, O-Na, O-O (Å): every pair above is inside
  w.k = 1000.0;
  return w;
}

std::unique_ptr<WallBackend> backend() {
  // Inner backend: an Einstein crystal with k = 0 contributes nothing.
  auto zero =
      std::make_unique<md::HarmonicTetherBackend>(std::vector<Vec3>(3), std::vector<double>{0.0});
  return std::make_unique<WallBackend>(std::move(zero), walls());
}

TEST(DemoWall, PairFunctionIsZeroBeyondTheWallAndItsForceIsMinusDEdr) {
  double e = 1, f = 1;
  wall_pair(1.6, 1.6, 1000.0, e, f);
  EXPECT_EQ(e, 0.0);
  EXPECT_EQ(f, 0.0);
  wall_pair(2.0, 1.6, 1000.0, e, f);
  EXPECT_EQ(e, 0.0);
  const double h = 1e-6;
  double ep, em, fp;
  wall_pair(1.5 + h, 1.6, 1000.0, ep, fp);
  wall_pair(1.5 - h, 1.6, 1000.0, em, fp);
  wall_pair(1.5, 1.6, 1000.0, e, f);
  // Central difference of a cubic: error O(h²·k) ≈ 1e-9 eV/Å; 1e-6 leaves room for rounding.
  EXPECT_NEAR(f, -(ep - em) / (2 * h), 1e-6);
  EXPECT_NEAR(e, 1000.0 * 0.001 / 3.0, 1e-12);
}

TEST(DemoWall, ForcesAndVirialAreDerivativesOfTheEnergy) {
  auto b = backend();
  Structure s = three_atoms(6.0);
  md::ForceResult r;
  r.forces.assign(3, Vec3{});
  b->compute(s, r);
  ASSERT_GT(r.energy, 0.0) << "the test structure must have pairs inside the walls";
  const double h = 1e-5;
  auto energy = [&](const Structure& x) {
    md::ForceResult q;
    q.forces.assign(3, Vec3{});
    b->compute(x, q);
    return q.energy;
  };
  for (int i = 0; i < 3; ++i)
    for (int c = 0; c < 3; ++c) {
      Structure p = s, m = s;
      p.positions[i][c] += h;
      m.positions[i][c] -= h;
      // Energies ~1 eV with forces ~10 eV/Å: central differences good to ~1e-8; tolerance 1e-5
      // eV/Å.
      EXPECT_NEAR(r.forces[i][c], -(energy(p) - energy(m)) / (2 * h), 1e-5) << i << ' ' << c;
    }
  // W_ab = −∂E/∂ε_ab under r → (1 + ε) r for positions and cell rows.
  for (int a = 0; a < 3; ++a)
    for (int c = 0; c < 3; ++c) {
      auto strained = [&](double eps) {
        Structure x = s;
        auto apply = [&](Vec3& v) { v[a] += eps * v[c]; };  // r_a → r_a + ε_ac r_c
        for (auto& v : x.positions) apply(v);
        for (int row = 0; row < 3; ++row) {
          Vec3 v = x.cell.row(row);
          apply(v);
          x.cell.set_row(row, v);
        }
        return x;
      };
      const double fd = -(energy(strained(h)) - energy(strained(-h))) / (2 * h);
      EXPECT_NEAR(r.virial[a][c], fd, 1e-5) << a << ' ' << c;
    }
}

TEST(DemoWall, ZeroOnTheConfigurationsItWasBuiltFrom) {
  Dataset d;
  d.species = {"Na", "O"};
  Configuration c;
  c.structure = three_atoms(6.0);
  d.configs.push_back(c);
  c.structure.positions[1] = {1.0, 0.7, 0.2};
  d.configs.push_back(c);
  const PairWalls w = walls_from_data(d, 2);
  auto zero =
      std::make_unique<md::HarmonicTetherBackend>(std::vector<Vec3>(3), std::vector<double>{0.0});
  WallBackend b(std::move(zero), w);
  for (const auto& x : d.configs) {
    md::ForceResult r;
    r.forces.assign(3, Vec3{});
    b.compute(x.structure, r);
    EXPECT_EQ(r.energy, 0.0);
    for (const auto& f : r.forces) EXPECT_EQ(norm(f), 0.0);
  }
  // Closer than any pair of the data: the wall pushes.
  Structure s = three_atoms(6.0);
  s.positions[1] = {0.5, 0.4, 0.3};
  md::ForceResult r;
  r.forces.assign(3, Vec3{});
  b.compute(s, r);
  EXPECT_GT(r.energy, 0.0);
}

}  // namespace
}  // namespace superion::demo
