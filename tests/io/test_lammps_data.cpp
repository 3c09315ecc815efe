// LAMMPS data files: triclinic rotation to lower-triangular form (distances preserved, checked
// against brute-force minimum-image distances of the original), tilt reduction, reader features.
#include <gtest/gtest.h>

#include <cmath>

#include "core/geometry.hpp"
#include "io/cfg.hpp"
#include "io/lammps_data.hpp"
#include "io_test_util.hpp"
#include "test_util.hpp"

using namespace superion;
using namespace superion::testing;

namespace {
// All pairwise minimum-image distances (brute force over the 27-image search in geometry.hpp).
std::vector<double> distances(const Structure& s) {
  const Mat3 inv = inverse(s.cell);
  const bool pbc[3] = {true, true, true};
  std::vector<double> d;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = i + 1; j < s.size(); ++j)
      d.push_back(norm(minimum_image(s.positions[j] - s.positions[i], s.cell, inv, pbc)));
  return d;
}
}  // namespace

TEST(LammpsData, TriclinicWriteReadPreservesGeometry) {
  SUPERION_REQUIRE_SHARED(path, "mtp/cfg/example2sp_5cfg.cfg");
  const Dataset all = io::read_cfg(path);
  TempDir tmp;
  for (std::size_t k = 0; k < all.size(); ++k) {
    SCOPED_TRACE("config " + std::to_string(k));
    Dataset one;
    one.configs = {all.configs[k]};
    io::write_lammps_data(tmp / "x.data", one, {true, false, {"Si", "O"}});
    const Dataset d = io::read_lammps_data(tmp / "x.data");
    const Structure& a = one.configs[0].structure;
    const Structure& b = d.configs[0].structure;
    EXPECT_EQ(d.species, (std::vector<std::string>{"Si", "O"}));
    EXPECT_EQ(a.types, b.types);
    // Lower triangular with |tilt| <= half the box length.
    EXPECT_EQ(b.cell[0][1], 0.0);
    EXPECT_EQ(b.cell[0][2], 0.0);
    EXPECT_EQ(b.cell[1][2], 0.0);
    EXPECT_LE(std::fabs(b.cell[1][0]), 0.5 * b.cell[0][0] + 1e-12);
    EXPECT_LE(std::fabs(b.cell[2][0]), 0.5 * b.cell[0][0] + 1e-12);
    EXPECT_LE(std::fabs(b.cell[2][1]), 0.5 * b.cell[1][1] + 1e-12);
    EXPECT_NEAR(b.volume(), a.volume(), 1e-12 * a.volume());
    const auto da = distances(a), db = distances(b);
    ASSERT_EQ(da.size(), db.size());
    for (std::size_t i = 0; i < da.size(); ++i) {
      EXPECT_NEAR(da[i], db[i], 1e-11);
    }
    // All atoms inside the box: fractional coordinates in [0, 1).
    const Mat3 inv = inverse(b.cell);
    for (const auto& p : b.positions) {
      const Vec3 f = row_times(p, inv);
      for (int d2 = 0; d2 < 3; ++d2) {
        EXPECT_GE(f[d2], -1e-12);
        EXPECT_LT(f[d2], 1 + 1e-12);
      }
    }
  }
}

TEST(LammpsData, LowerTriangularOfRotatedCubeIsDiagonal) {
  // A cube of edge 3 rotated by 30° about z and 40° about x.
  const double c1 = std::cos(M_PI / 6), s1 = std::sin(M_PI / 6), c2 = std::cos(0.7),
               s2 = std::sin(0.7);
  Mat3 rz, rx;
  rz[0][0] = c1, rz[0][1] = s1, rz[1][0] = -s1, rz[1][1] = c1, rz[2][2] = 1;
  rx[0][0] = 1, rx[1][1] = c2, rx[1][2] = s2, rx[2][1] = -s2, rx[2][2] = c2;
  const Mat3 cell = 3.0 * (Mat3::identity() * (rz * rx));
  const Mat3 l = io::lammps_cell(cell);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(l[i][j], i == j ? 3.0 : 0.0, 1e-14);
    }
  // A strongly skewed cell: b = a + small, tilt reduced by subtracting a.
  Mat3 skew;
  skew.set_row(0, {2, 0, 0});
  skew.set_row(1, {3.5, 1, 0});
  skew.set_row(2, {0, 0, 1});
  const Mat3 r = io::lammps_cell(skew);
  EXPECT_NEAR(r[1][0], -0.5, 1e-15);
  EXPECT_NEAR(r[1][1], 1.0, 1e-15);
}

TEST(LammpsData, ReaderMassesImagesChargesAndErrors) {
  const std::string text =
      "title\n\n3 atoms\n2 atom types\n\n-1 3 xlo xhi\n0 4 ylo yhi\n0 5 zlo zhi\n1 0 0 xy xz yz\n\n"
      "Masses\n\n1 22.99 # Na\n2 35.45 # Cl\n\n"
      "Atoms # charge\n\n3 2 -1.0 0 0 0 0 0 1\n1 1 1.0 -1 0 0\n2 1 0.5 1 1 1 1 0 0\n\n"
      "Velocities\n\n1 0 0 0\n2 0 0 0\n3 0 0 0\n";
  const Dataset d = io::read_lammps_data_text(text, "mem.data");
  const auto& s = d.configs[0].structure;
  EXPECT_EQ(d.species, (std::vector<std::string>{"Na", "Cl"}));
  EXPECT_EQ(s.types, (std::vector<int>{0, 0, 1}));  // sorted by id
  EXPECT_EQ(s.positions[0].x, 0.0);                 // minus xlo
  EXPECT_EQ(s.positions[1].x, 2.0 + 4.0);           // image 1 along a (4)
  EXPECT_EQ(s.positions[2].x, 1.0);                 // image 1 along c adds xz = 0
  EXPECT_EQ(s.positions[2].z, 5.0);
  EXPECT_EQ(s.cell[1][0], 1.0);
  EXPECT_EQ((*d.configs[0].charges)[1], 0.5);
  // Round trip through the writer with charges.
  TempDir tmp;
  io::LammpsWriteOptions w;
  w.lossless = true;
  w.charges = true;
  io::write_lammps_data(tmp / "a.lmp", d, w);
  const Dataset e = io::read_lammps_data(tmp / "a.lmp");
  EXPECT_EQ(*e.configs[0].charges, *d.configs[0].charges);
  const auto da = distances(s), db = distances(e.configs[0].structure);
  for (std::size_t i = 0; i < da.size(); ++i) {
    EXPECT_NEAR(da[i], db[i], 1e-12);
  }

  const std::string head = "t\n\n1 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\n";
  expect_input_error([&] { io::read_lammps_data_text(head + "Atoms\n\n1 1 0 0\n", "b1"); }, "b1",
                     11, "style");
  expect_input_error(
      [&] { io::read_lammps_data_text(head + "Atoms # atomic\n\n1 3 0 0 0\n", "b2"); }, "b2", 11,
      "type");
  expect_input_error([&] { io::read_lammps_data_text(head + "Bonds\n\n1 1 1 2\n", "b3"); }, "b3", 9,
                     "Bonds");
  expect_input_error([&] { io::read_lammps_data_text("t\n1 atoms\n", "b4"); }, "b4", 2,
                     "atom types");
  expect_input_error(
      [&] { io::read_lammps_data_text(head + "Atoms # atomic\n\n1 1 0 inf 0\n", "b5"); }, "b5", 11,
      "inf");
}
