// POSCAR/CONTCAR reader/writer: the dpdata H2O POSCAR against dpdata's golden parse of the same
// run, scale-factor variants, selective dynamics, VASP 4, round trips and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "io/poscar.hpp"
#include "io_test_util.hpp"
#include "test_util.hpp"

using namespace superion;
using namespace superion::testing;

namespace {
std::vector<double> read_numbers_line(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  std::istringstream ss(line);
  std::vector<double> v;
  double x;
  while (ss >> x) v.push_back(x);
  return v;
}
}  // namespace

TEST(Poscar, DpdataH2OMatchesGoldenRaw) {
  SUPERION_REQUIRE_SHARED(path, "vasp/dpdata_h2o_md/POSCAR.h2o.md");
  SUPERION_REQUIRE_SHARED(raw, "vasp/dpdata_h2o_md/expected_deepmd_raw");
  const Dataset d = io::read_poscar(path);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.species, (std::vector<std::string>{"O", "H"}));
  const auto& s = d.configs[0].structure;
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s.types, (std::vector<int>{0, 0, 1, 1, 1, 1}));
  // box.raw frame 0 holds the same lattice digits (scale 1).
  const auto box = read_numbers_line(raw / "box.raw");
  ASSERT_EQ(box.size(), 9u);
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(s.cell[i / 3][i % 3], box[static_cast<std::size_t>(i)]);
  }
  // coord.raw frame 0 comes from the OUTCAR of the first MD step, printed with 5 decimals: the
  // Cartesian positions from the POSCAR's direct coordinates agree to half a unit of the 5th
  // decimal.
  const auto coord = read_numbers_line(raw / "coord.raw");
  ASSERT_EQ(coord.size(), 18u);
  for (std::size_t i = 0; i < 6; ++i)
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(s.positions[i][k], coord[3 * i + static_cast<std::size_t>(k)], 5.01e-6);
    }
  EXPECT_TRUE(s.pbc[0] && s.pbc[1] && s.pbc[2]);

  TempDir tmp;
  io::write_poscar(tmp / "POSCAR", d, {true, false, {}});
  expect_same_dataset(d, io::read_poscar(tmp / "POSCAR"), 1e-14);
  io::write_poscar(tmp / "CONTCAR", d, {true, true, {}});
  expect_same_dataset(d, io::read_poscar(tmp / "CONTCAR"), 0.0);
}

TEST(Poscar, ScaleFactorsSelectiveDynamicsAndVasp4) {
  const std::string cell = "2 0 0\n0 2 0\n0 0 2\n";
  // Positive scale 1.5 scales lattice and Cartesian positions.
  auto d = io::read_poscar_text("t\n1.5\n" + cell + "Na Cl\n1 1\nCartesian\n0 0 0\n1 1 1\n", "a");
  EXPECT_EQ(d.configs[0].structure.cell[1][1], 3.0);
  EXPECT_EQ(d.configs[0].structure.positions[1].z, 1.5);
  // Negative scale = volume: 64 Å^3 from a raw volume of 8 -> factor 2.
  d = io::read_poscar_text("t\n-64\n" + cell + "Na\n1\nDirect\n0.5 0.25 0\n", "b");
  EXPECT_NEAR(d.configs[0].structure.volume(), 64.0, 1e-12);
  EXPECT_NEAR(d.configs[0].structure.positions[0].x, 2.0, 1e-14);
  EXPECT_NEAR(d.configs[0].structure.positions[0].y, 1.0, 1e-14);
  // Three factors scale x, y, z components.
  d = io::read_poscar_text("t\n1 2 3\n" + cell + "Na\n1\nCart\n1 1 1\n", "c");
  EXPECT_EQ(d.configs[0].structure.cell[2][2], 6.0);
  EXPECT_EQ(d.configs[0].structure.positions[0].y, 2.0);
  // Selective dynamics, POTCAR-style symbols, repeated symbols map to one type.
  d = io::read_poscar_text("t\n1\n" + cell +
                               "Na_pv Cl/abc Na\n1 1 1\nSelective dynamics\nDirect\n"
                               "0 0 0 T T F\n0.5 0.5 0.5 F F F\n0.1 0.2 0.3 T T T\n",
                           "d");
  EXPECT_EQ(d.species, (std::vector<std::string>{"Na", "Cl"}));
  EXPECT_EQ(d.configs[0].structure.types, (std::vector<int>{0, 1, 0}));
  TempDir tmp;
  io::write_poscar(tmp / "POSCAR", d, {true, false, {}});
  const auto e = io::read_poscar(tmp / "POSCAR");
  expect_same_dataset(d, e, 1e-15);
  EXPECT_EQ(e.configs[0].features,
            d.configs[0].features);  // comment + selective_dynamics "TTF FFF TTT"
  // VASP 4 (no species line) needs the species.
  const std::string v4 = "t\n1\n" + cell + "1 2\nDirect\n0 0 0\n0.5 0 0\n0 0.5 0\n";
  d = io::read_poscar_text(v4, "e", {{"Cl", "Na"}});
  EXPECT_EQ(d.configs[0].structure.types, (std::vector<int>{0, 1, 1}));
  expect_input_error([&] { io::read_poscar_text(v4, "v4"); }, "v4", 6, "species");
  // Writer refuses datasets with several structures and leaves no file.
  Dataset two;
  two.configs = {e.configs[0], e.configs[0]};
  EXPECT_THROW(io::write_poscar(tmp / "two", two), Error);
  EXPECT_FALSE(std::filesystem::exists(tmp / "two"));
}

TEST(Poscar, BadInputNamesFileAndLine) {
  TempDir tmp;
  const std::string head = "t\n1\n2 0 0\n0 2 0\n0 0 2\n";
  struct Case {
    std::string text;
    long line;
    const char* fragment;
  } cases[] = {
      {head + "Na\n2\nDirect\n0 0 0\n", 9, "2 coordinate lines"},
      {head + "Na Cl\n2\nDirect\n0 0 0\n", 7, "counts"},
      {head + "Xx\n1\nDirect\n0 0 0\n", 6, "Xx"},
      {head + "Na\n1\nDirect\n0 nan 0\n", 9, "nan"},
      {head + "Na\n1\nFoo\n0 0 0\n", 8, "Direct or Cartesian"},
      {"t\n1\n2 0 0\n0 2 0\n", 4, "lattice vector 3"},
      {"t\n1\n2 0 0\n4 0 0\n0 0 2\nNa\n1\nD\n0 0 0\n", 5, "zero volume"},
  };
  int k = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE("case " + std::to_string(k));
    const auto p = tmp / ("POSCAR" + std::to_string(k++));
    write_text(p, c.text);
    expect_input_error([&] { io::read_poscar(p); }, p.string(), c.line, c.fragment);
  }
}
