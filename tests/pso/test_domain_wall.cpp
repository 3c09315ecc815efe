// Domain walls of a fitted potential (calculators/domain_wall.hpp) and rigid-cluster detection
// (pso/cluster_finder.hpp): shortest distances with periodic self-images, forces and virial as
// derivatives of the wall energy, no effect inside the domain.
#include <gtest/gtest.h>

#include <cmath>

#include "calculator_fd.hpp"
#include "calculators/domain_wall.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "pso/cluster_finder.hpp"
#include "single_config_dataset.hpp"

using namespace superion;

using superion::testing::dataset_of;

namespace {

// Inner calculator of zero energy, so that the tests see the wall alone.
class ZeroCalculator : public Calculator {
 public:
  std::string name() const override { return "zero"; }
  CalcResult compute(const Structure& s) const override {
    CalcResult r;
    r.forces.assign(s.size(), Vec3{});
    return r;
  }
};

Structure cscl(double a) {  // CsCl-type NaCl: Na at the corner, Cl at the body centre
  Structure s;
  s.cell = a * Mat3::identity();
  s.species_symbols = {"Na", "Cl"};
  s.positions = {{0, 0, 0}, {a / 2, a / 2, a / 2}};
  s.types = {0, 1};
  return s;
}

// A 3-atom triclinic Na-Cl cell narrower than 2 r_w of the walls drawn 25 % beyond it (so every
// periodic image, self-images included, counts).
Structure narrow_triclinic_cell() {
  Structure s;
  s.cell.set_row(0, {3.0, 0.0, 0.0});
  s.cell.set_row(1, {0.7, 3.2, 0.0});
  s.cell.set_row(2, {-0.4, 0.5, 2.9});
  s.species_symbols = {"Na", "Cl"};
  s.positions = {{0.1, 0.2, 0.0}, {1.6, 1.4, 1.5}, {2.2, 2.9, 0.4}};
  s.types = {0, 1, 0};
  return s;
}

}  // namespace

TEST(DomainWall, ShortestDistancesIncludePeriodicSelfImages) {
  // One Na and one Cl per cell: Na–Na and Cl–Cl exist only as self-images (r = a).
  const double a = 3.1;
  const DomainWalls w = domain_from_data(dataset_of(cscl(a)), 1.0);
  EXPECT_NEAR(w.at("Na", "Cl"), a * std::sqrt(3.0) / 2, 1e-12);
  EXPECT_NEAR(w.at("Cl", "Na"), a * std::sqrt(3.0) / 2, 1e-12);
  EXPECT_NEAR(w.at("Na", "Na"), a, 1e-12);
  EXPECT_NEAR(w.at("Cl", "Cl"), a, 1e-12);
  EXPECT_EQ(w.at("Na", "O"), 0.0);  // never seen: no wall
  const DomainWalls w2 = domain_from_data(dataset_of(cscl(a)), 0.9);
  EXPECT_NEAR(w2.at("Na", "Na"), 0.9 * a, 1e-12);
  EXPECT_THROW(domain_from_data(dataset_of(cscl(a)), 0.0), Error);
}

TEST(DomainWall, ZeroOnTheDataAndInsideTheDomain) {
  const Structure s = cscl(3.1);
  DomainWallCalculator calc(std::make_unique<ZeroCalculator>(),
                            domain_from_data(dataset_of(s), 1.0));
  // The data themselves: every pair sits exactly at r_w, where the wall is zero.
  CalcResult r = calc.compute(s);
  EXPECT_EQ(r.energy, 0.0);
  for (const Vec3& f : r.forces) EXPECT_EQ(norm(f), 0.0);
  // Expanded: inside the domain.
  Structure big = s;
  big.cell = 1.1 * big.cell;
  for (Vec3& p : big.positions) p *= 1.1;
  EXPECT_EQ(calc.compute(big).energy, 0.0);
  EXPECT_EQ(apply_domain_walls(big, calc.walls()).max_violation, 0.0);
  // Compressed by 2 %: every pair is 2 % inside; the worst violation is of the longest wall.
  Structure small = s;
  small.cell = 0.98 * small.cell;
  for (Vec3& p : small.positions) p *= 0.98;
  const DomainCheck c = apply_domain_walls(small, calc.walls());
  EXPECT_NEAR(c.max_violation, 0.02 * 3.1, 1e-12);
  EXPECT_NEAR(c.worst_distance, 0.98 * 3.1, 1e-12);
  // 8 Na–Cl neighbours, 3 Na–Na and 3 Cl–Cl self-image pairs per cell (±a along each axis).
  const double k = calc.walls().k, dna = 0.02 * 3.1 * std::sqrt(3.0) / 2, dnn = 0.02 * 3.1;
  EXPECT_NEAR(c.energy, k / 3 * (8 * std::pow(dna, 3) + 6 * std::pow(dnn, 3)), 1e-12);
}

TEST(DomainWall, ForcesAndVirialAreDerivativesOfTheWallEnergy) {
  // A triclinic cell narrower than 2 r_w (many images, self-images included), walls 25 % beyond
  // the data so that many pairs are inside them.
  const Structure s = narrow_triclinic_cell();
  DomainWallCalculator calc(std::make_unique<ZeroCalculator>(),
                            domain_from_data(dataset_of(s), 1.25));
  const CalcResult r = calc.compute(s);
  ASSERT_GT(r.energy, 0.1);
  // Central differences: the wall is a cubic polynomial in r, so the error is h²/6 E''' with
  // E''' ~ 2k = 2000 eV/Å³ and h = 1e-5 Å: ~3e-8 eV/Å; 1e-6 leaves room for rounding.
  // Virial tolerance 1e-5 eV against |W| ~ 10-100 eV.
  expect_calculator_derivatives(calc, s, 1e-5, 1e-6, 1e-5);
}

TEST(ClusterFinder, FindsSulfateAcrossTheCellBoundary) {
  // Cubic Na3ClSO4 antiperovskite, S on the corner: three of the four O atoms wrap to the other
  // side of the cell.
  const double a = 5.2, d = 1.48 / std::sqrt(3.0);
  Structure s;
  s.cell = a * Mat3::identity();
  s.species_symbols = {"Na", "Cl", "S", "O"};
  s.positions = {{a / 2, a / 2, 0},     {a / 2, 0, a / 2}, {0, a / 2, a / 2},
                 {a / 2, a / 2, a / 2}, {0, 0, 0},         {d, d, d},
                 {d, a - d, a - d},     {a - d, d, a - d}, {a - d, a - d, d}};
  s.types = {0, 0, 0, 1, 2, 3, 3, 3, 3};
  Structure t = s;
  const auto cl = find_clusters(t, {"SO4"});
  ASSERT_EQ(cl.size(), 1u);
  ASSERT_EQ(cl[0].size(), 5u);
  EXPECT_EQ(cl[0][0], 4);
  for (std::size_t k = 1; k < 5; ++k)  // unwrapped next to S: the bond itself, not an image
    EXPECT_NEAR(norm(t.positions[static_cast<std::size_t>(cl[0][k])] - t.positions[4]), 1.48,
                1e-12);
  // An O pulled 0.5 Å away from its S is not part of an SO4 within the 0.3 Å tolerance.
  Structure bad = s;
  bad.positions[5] = {d + 0.3, d + 0.3, d + 0.3};
  EXPECT_THROW(find_clusters(bad, {"SO4"}), Error);
}

TEST(DomainWall, MinimumImageFastPathEqualsTheAllImagesSum) {
  // The triclinic cell above is narrower than 2 r_w, so apply_domain_walls sums over every
  // periodic image (self-images included); its 3x3x3 supercell is wider than 2 r_w in every
  // direction, so it takes the minimum-image fast path. The same periodic crystal must give 27
  // times the energy and virial, the same forces on every copy of an atom, and the same worst
  // violation. Both are sums of the same pair terms in a different order: 1e-9 relative.
  const Structure s = narrow_triclinic_cell();
  const DomainWalls walls = domain_from_data(dataset_of(s), 1.25);
  Structure big;
  big.species_symbols = s.species_symbols;
  for (int a = 0; a < 3; ++a) big.cell.set_row(a, 3.0 * s.cell.row(a));
  for (int x = 0; x < 3; ++x)
    for (int y = 0; y < 3; ++y)
      for (int z = 0; z < 3; ++z)
        for (std::size_t i = 0; i < s.size(); ++i) {
          big.positions.push_back(s.positions[i] + x * s.cell.row(0) + y * s.cell.row(1) +
                                  z * s.cell.row(2));
          big.types.push_back(s.types[i]);
        }
  const Vec3 w_small = cell_face_distances(s.cell), w_big = cell_face_distances(big.cell);
  for (int a = 0; a < 3; ++a) {
    ASSERT_LT(w_small[a], 2.0 * walls.max_rw()) << "the small cell must need the image sum";
    ASSERT_GT(w_big[a], 2.0 * walls.max_rw()) << "the supercell must take the fast path";
  }
  CalcResult r_small, r_big;
  r_small.forces.assign(s.size(), Vec3{});
  r_big.forces.assign(big.size(), Vec3{});
  const DomainCheck c_small = apply_domain_walls(s, walls, &r_small);
  const DomainCheck c_big = apply_domain_walls(big, walls, &r_big);
  ASSERT_GT(c_small.energy, 0.1);
  EXPECT_NEAR(c_big.energy, 27.0 * c_small.energy, 1e-9 * 27.0 * c_small.energy);
  EXPECT_NEAR(c_big.max_violation, c_small.max_violation, 1e-12);
  for (std::size_t k = 0; k < big.size(); ++k)
    for (int c = 0; c < 3; ++c)
      EXPECT_NEAR(r_big.forces[k][c], r_small.forces[k % s.size()][c], 1e-9) << k << ' ' << c;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      EXPECT_NEAR(r_big.virial[a][b], 27.0 * r_small.virial[a][b],
                  1e-9 * std::max(1.0, std::abs(27.0 * r_small.virial[a][b])));
}
