// extxyz reader/writer: mlearn train/test .xyz against the matching .cfg (same configurations),
// lossless round trips through .cfg, comment-line parsing and bad input.
#include <gtest/gtest.h>

#include <cmath>

#include "io/cfg.hpp"
#include "io/extxyz.hpp"
#include "io_test_util.hpp"
#include "test_util.hpp"

using namespace superion;
using namespace superion::testing;

namespace {
const std::string* feature(const Configuration& c, const std::string& name) {
  for (const auto& [k, v] : c.features)
    if (k == name) return &v;
  return nullptr;
}
}  // namespace

// The mlearn .xyz and .cfg hold the same DFT data printed differently: positions and energies with
// 10 decimals in both (must be identical), forces with 10 (xyz) vs 8 (cfg) decimals (half a unit of
// the 8th decimal: 5e-9), stress as σ in eV/Å³ with 11 significant digits (xyz) vs PlusStress in eV
// with 8 decimals (cfg): |W_cfg + V·σ_xyz| ≤ 5e-9 + 5e-11·|W| (+ rounding of the product).
TEST(ExtXyz, MlearnXyzMatchesCfg) {
  SUPERION_REQUIRE_SHARED(probe, "mlearn/Cu/test.xyz");
  for (const char* el : {"Li", "Cu", "Ni", "Si"})
    for (const char* set : {"train", "test"}) {
      SCOPED_TRACE(std::string(el) + "/" + set);
      const std::string stem = std::string("mlearn/") + el + "/" + set;
      const auto xyz = ::superion::testing::test_data(stem + ".xyz"),
                 cfg = ::superion::testing::test_data(stem + ".cfg");
      if (!std::filesystem::exists(xyz) || !std::filesystem::exists(cfg)) {
        std::printf("%s absent (the training sets are only in ../shared/data): not compared\n",
                    stem.c_str());
        continue;
      }
      const Dataset x = io::read_extxyz(xyz);
      const Dataset c = io::read_cfg(cfg);
      ASSERT_EQ(x.size(), c.size());
      ASSERT_EQ(x.species, std::vector<std::string>{el});
      std::size_t n_stress = 0;
      double max_dw = 0, max_df = 0;
      for (std::size_t k = 0; k < x.size(); ++k) {
        const auto& a = x.configs[k];
        const auto& b = c.configs[k];
        ASSERT_EQ(a.size(), b.size());
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j) {
            ASSERT_EQ(a.structure.cell[i][j], b.structure.cell[i][j]);
          }
        for (std::size_t i = 0; i < a.size(); ++i) {
          ASSERT_EQ(a.structure.types[i], b.structure.types[i]);
          for (int d = 0; d < 3; ++d) {
            ASSERT_EQ(a.structure.positions[i][d], b.structure.positions[i][d]);
            max_df = std::max(max_df, std::fabs((*a.forces)[i][d] - (*b.forces)[i][d]));
          }
        }
        ASSERT_EQ(*a.energy, *b.energy);
        ASSERT_EQ(a.virial.has_value(), b.virial.has_value());
        if (a.virial) {
          ++n_stress;
          for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
              const double w = (*b.virial)[i][j], dw = std::fabs((*a.virial)[i][j] - w);
              max_dw = std::max(max_dw, dw);
              ASSERT_LE(dw, 5.01e-9 + 6e-11 * std::fabs(w)) << "config " << k << " W" << i << j;
            }
        }
        EXPECT_EQ(a.config_type, b.config_type);
        if (const std::string* d = feature(a, "description")) {
          ASSERT_NE(feature(b, "description"), nullptr);
          EXPECT_EQ(*d, *feature(b, "description"));
        }
      }
      EXPECT_LE(max_df, 5.01e-9);
      const bool has_stress =
          !(std::string(set) == "train" && (std::string(el) == "Cu" || std::string(el) == "Ni"));
      EXPECT_EQ(n_stress > 0, has_stress);
      std::printf("%s/%s: %zu configs, %zu with stress, max |dF| %.2e, max |dW| %.2e eV\n", el, set,
                  x.size(), n_stress, max_df, max_dw);
    }
}

TEST(ExtXyz, CfgToXyzToCfgLossless) {
  SUPERION_REQUIRE_SHARED(path, "mtp/cfg/example2sp_5cfg.cfg");
  SUPERION_REQUIRE_SHARED(nacl, "mtp/cfg/NaCl_300cfg_with_charge.cfg");
  TempDir tmp;
  for (const auto& [file, species] : {std::pair{path, std::vector<std::string>{"Si", "O"}},
                                      std::pair{nacl, std::vector<std::string>{"Na", "Cl"}}}) {
    const Dataset d = io::read_cfg(file);
    io::write_extxyz(tmp / "a.xyz", d, {true, species});
    const Dataset x = io::read_extxyz(tmp / "a.xyz", {species});
    EXPECT_EQ(x.species, species);
    io::write_cfg(tmp / "b.cfg", x, {true});
    const Dataset e = io::read_cfg(tmp / "b.cfg");
    // Stress goes through σ = -W/V and back: a few ulps; everything else is exact.
    expect_same_dataset(d, e, 1e-12);
    expect_same_dataset(d, x, 1e-12);
    for (std::size_t k = 0; k < d.size(); ++k) {
      EXPECT_EQ(d.configs[k].features, e.configs[k].features);
    }
    // Without the list, types follow first appearance; with a fixed list, the order is the list.
    const Dataset y = io::read_extxyz(tmp / "a.xyz");
    EXPECT_EQ(y.species.size(), 2u);
  }
  // Without symbols the writer refuses and leaves no file.
  const Dataset d = io::read_cfg(path);
  EXPECT_THROW(io::write_extxyz(tmp / "c.xyz", d), Error);
  EXPECT_FALSE(std::filesystem::exists(tmp / "c.xyz"));
}

TEST(ExtXyz, CommentLineAndConventions) {
  const auto kv = io::parse_xyz_comment(R"(a=1 b="x \"y\" z" c = {1 2 3} flag d=T)");
  ASSERT_EQ(kv.size(), 5u);
  EXPECT_EQ(kv[1].second, "x \"y\" z");
  EXPECT_EQ(kv[2].first, "c");
  EXPECT_EQ(kv[2].second, "1 2 3");
  EXPECT_EQ(kv[3].first, "flag");
  EXPECT_EQ(kv[3].second, "T");
  const std::string text =
      "2\n"
      "Lattice=\"2 0 0 0 4 0 0 0 5\" Properties=pos:R:3:tag:I:1:species:S:1:force:R:3 "
      "free_energy=-3 "
      "stress=\"1 2 3 4 5 6\" pbc=\"T T F\" note=hello\n"
      "0 0 0 7 na 1 2 3\n"
      "1 1 1 8 Cl 4 5 6\n"
      "1\n"
      "Properties=species:S:1:pos:R:3 energy=1.5 free_energy=2 virial=\"1 2 3 2 5 6 3 6 9\"\n"
      "Cl 0 0 0\n";
  const Dataset d = io::read_extxyz_text(text, "mem.xyz");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d.species, (std::vector<std::string>{"Na", "Cl"}));
  const auto& c = d.configs[0];
  EXPECT_EQ(c.structure.types, (std::vector<int>{0, 1}));
  EXPECT_EQ((*c.forces)[1].z, 6.0);
  EXPECT_EQ(*c.energy, -3.0);  // free_energy used when energy is absent
  EXPECT_TRUE(c.structure.pbc[1] && !c.structure.pbc[2]);
  // Voigt (xx yy zz yz xz xy) = (1 2 3 4 5 6), V = 40: W = -40 σ.
  EXPECT_EQ((*c.virial)[0][0], -40.0);
  EXPECT_EQ((*c.virial)[1][2], -160.0);
  EXPECT_EQ((*c.virial)[0][2], -200.0);
  EXPECT_EQ((*c.virial)[1][0], -240.0);
  ASSERT_NE(feature(c, "note"), nullptr);
  EXPECT_EQ(*feature(c, "note"), "hello");
  const auto& c1 = d.configs[1];
  EXPECT_FALSE(c1.structure.periodic());
  EXPECT_EQ(*c1.energy, 1.5);
  EXPECT_EQ(*feature(c1, "free_energy"), "2");
  EXPECT_EQ((*c1.virial)[2][1], 6.0);
}

TEST(ExtXyz, BadInputNamesFileAndLine) {
  TempDir tmp;
  const std::string h = "Lattice=\"2 0 0 0 2 0 0 0 2\" Properties=species:S:1:pos:R:3\n";
  struct Case {
    std::string text;
    long line;
    const char* fragment;
  } cases[] = {
      {"2\n" + h + "Na 0 0 0\n", 3, "end of file"},
      {"2\n" + h + "Na 0 0 0\nXq 1 1 1\n", 4, "Xq"},
      {"1\n" + h + "Na 0 nan 0\n", 3, "nan"},
      {"1\n" + h + "Na 0 0\n", 3, "columns"},
      {"1\nLattice=\"2 0 0 0 2 0 0 0\" Properties=species:S:1:pos:R:3\nNa 0 0 0\n", 2, "Lattice"},
      {"1\nProperties=species:S:1:pos:R:3 pbc=\"T T T\"\nNa 0 0 0\n", 2, "Lattice"},
      {"1\nProperties=species:S:1:pos:R:3 stress=\"1 2 3 4 5 6\"\nNa 0 0 0\n", 2, "stress"},
      {"1\n" + h + "Na 0 0 0\nx\n", 4, "number of atoms"},
      {"1\nLattice=\"2 0 0 0 2 0 0 0 2\n", 2, "unterminated"},
  };
  int k = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE("case " + std::to_string(k));
    const auto p = tmp / ("bad" + std::to_string(k++) + ".xyz");
    write_text(p, c.text);
    expect_input_error([&] { io::read_extxyz(p); }, p.string(), c.line, c.fragment);
  }
  const auto p = tmp / "fixed.xyz";
  write_text(p, "1\n" + h + "Cl 0 0 0\n");
  expect_input_error([&] { io::read_extxyz(p, {{"Na"}}); }, p.string(), 3, "species list");
}
