// .cfg reader/writer: values against the real MLIP files, lossless round trips, bad input.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "io/cfg.hpp"
#include "io_test_util.hpp"
#include "test_util.hpp"

using namespace superion;
using namespace superion::testing;

TEST(Cfg, ReadsExample2spValuesAsPrinted) {
  SUPERION_REQUIRE_SHARED(path, "mtp/cfg/example2sp_5cfg.cfg");
  const Dataset d = io::read_cfg(path);
  ASSERT_EQ(d.size(), 5u);
  const Configuration& c = d.configs[0];
  ASSERT_EQ(c.size(), 10u);
  // Values printed in lines 5-24 of the file.
  EXPECT_EQ(c.structure.cell[0][2], 4.83126);
  EXPECT_EQ(c.structure.cell[2][0], -1.46766);
  EXPECT_EQ(c.structure.positions[1].x, -0.03457);
  EXPECT_EQ(c.structure.types[6], 1);
  EXPECT_EQ((*c.forces)[0].y, 0.289697);
  EXPECT_EQ(*c.energy, -37.12625274);
  EXPECT_EQ((*c.virial)[0][0], -7.55215);
  EXPECT_EQ((*c.virial)[0][1], 0.42377);  // xy
  EXPECT_EQ((*c.virial)[1][0], 0.42377);  // symmetric
  EXPECT_EQ((*c.virial)[1][2], -0.0);     // yz
  ASSERT_EQ(c.features.size(), 1u);
  EXPECT_EQ(c.features[0].first, "EFS_by");
  EXPECT_EQ(c.features[0].second, "VASP");
  EXPECT_TRUE(c.structure.species_symbols.empty());
  EXPECT_TRUE(c.structure.pbc[0] && c.structure.pbc[1] && c.structure.pbc[2]);
}

TEST(Cfg, ReadsChargeColumn) {
  SUPERION_REQUIRE_SHARED(path, "mtp/cfg/NaCl_300cfg_with_charge.cfg");
  const Dataset d = io::read_cfg(path);
  ASSERT_EQ(d.size(), 300u);
  const Configuration& c = d.configs[0];
  ASSERT_TRUE(c.charges.has_value());
  EXPECT_EQ((*c.charges)[0], 0.8611);
  EXPECT_EQ((*c.charges)[7], -0.8628);
  EXPECT_EQ(*c.energy, -26.34121819);
  EXPECT_EQ((*c.virial)[0][2], -0.26923);  // xz
}

TEST(Cfg, ReadsLiFastAndLosslessRoundTripIsBitIdentical) {
  SUPERION_REQUIRE_SHARED(path, "mtp/reference_efs/Li_L10_on_Li_T450.lossless.cfg");
  const auto t0 = std::chrono::steady_clock::now();
  const Dataset d = io::read_cfg(path);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // 73 configurations in ../shared/data, the first 10 in the repository's copy.
  std::ifstream in(path);
  std::size_t n_cfg = 0;
  for (std::string line; std::getline(in, line);) n_cfg += line == "BEGIN_CFG";
  ASSERT_TRUE(n_cfg == 73u || n_cfg == 10u) << n_cfg;
  ASSERT_EQ(d.size(), n_cfg);
  EXPECT_EQ(d.total_atoms(), n_cfg * 128u);
  std::printf("read %zu configs (%zu atoms) in %.1f ms\n", d.size(), d.total_atoms(),
              seconds * 1e3);
  EXPECT_LT(seconds, 2.0);  // ~1.5 MB: anything slower than this points at per-token streams
  TempDir tmp;
  io::write_cfg(tmp / "a.cfg", d, {true});
  const Dataset e = io::read_cfg(tmp / "a.cfg");
  expect_same_dataset(d, e, 0.0);
  // Writing again gives the same bytes.
  io::write_cfg(tmp / "b.cfg", e, {true});
  std::string a, b;
  io::format_cfg(a, d.configs[3], {true});
  io::format_cfg(b, e.configs[3], {true});
  EXPECT_EQ(a, b);
}

TEST(Cfg, AllSharedCfgFilesRoundTrip) {
  SUPERION_REQUIRE_SHARED(probe, "mtp/cfg/example2sp_5cfg.cfg");
  std::vector<std::string> names = {"mtp/cfg/example2sp_5cfg.cfg", "mtp/cfg/Li_T450_73cfg.cfg",
                                    "mtp/cfg/NaCl_300cfg_with_charge.cfg",
                                    "mtp/reference_efs/example2sp_L06.lossless.cfg",
                                    "mtp/reference_efs/Li_L06_on_Li_T450.lossless.cfg"};
  for (const char* el : {"Li", "Cu", "Ni", "Si"})
    for (const char* set : {"train", "test"})
      names.push_back(std::string("mlearn/") + el + "/" + set + ".cfg");
  TempDir tmp;
  for (const auto& name : names) {
    const std::filesystem::path f = ::superion::testing::test_data(name);
    if (!std::filesystem::exists(f)) {  // the mlearn training sets are only in ../shared/data
      std::printf("%s absent (only in ../shared/data): not round-tripped\n", name.c_str());
      continue;
    }
    SCOPED_TRACE(f.string());
    const Dataset d = io::read_cfg(f);
    EXPECT_GT(d.size(), 0u);
    io::write_cfg(tmp / "l.cfg", d, {true});
    expect_same_dataset(d, io::read_cfg(tmp / "l.cfg"), 0.0);
    // Default precision: 6 decimals for positions/forces, 5 for stress -> half an ulp of the print.
    io::write_cfg(tmp / "d.cfg", d, {false});
    const Dataset e = io::read_cfg(tmp / "d.cfg");
    ASSERT_EQ(e.size(), d.size());
    for (std::size_t k = 0; k < d.size(); ++k) {
      for (std::size_t i = 0; i < d.configs[k].size(); ++i)
        for (int x = 0; x < 3; ++x)
          ASSERT_NEAR(d.configs[k].structure.positions[i][x],
                      e.configs[k].structure.positions[i][x], 5.01e-7);
      if (d.configs[k].energy) {
        ASSERT_NEAR(*d.configs[k].energy, *e.configs[k].energy, 5.01e-13 * 1e3);
      }
      if (d.configs[k].virial) {
        ASSERT_NEAR((*d.configs[k].virial)[0][1], (*e.configs[k].virial)[0][1], 5.01e-6);
      }
    }
  }
}

TEST(Cfg, NonPeriodicDirectFeaturesAndLegacyVirial) {
  const std::string text =
      "BEGIN_CFG\n Size\n 2\n SuperCell\n 2 0 0\n 0 3 0\n"
      " AtomData: type cartes_z cartes_x cartes_y site_en\n 1 0.5 1 2 -1.5\n 0 0 0 0 -2\n"
      " Feature a x y\n Feature a  z\n Feature config_type bulk\nEND_CFG\n\n"
      "BEGIN_CFG\n Size\n 1\n Supercell\n 2 0 0\n 0 2 0\n 0 0 2\n"
      " Atomic_data: id direct_x direct_y direct_z\n 1 0.5 0.25 0\n"
      " Virial: xy xx yy zz yz xz\n 8 16 24 32 40 48\nEND_CFG\n";
  const Dataset d = io::read_cfg_text(text, "mem.cfg");
  ASSERT_EQ(d.size(), 2u);
  const auto& c0 = d.configs[0];
  EXPECT_TRUE(c0.structure.pbc[0] && c0.structure.pbc[1] && !c0.structure.pbc[2]);
  EXPECT_EQ(c0.structure.positions[0].x, 1.0);
  EXPECT_EQ(c0.structure.positions[0].z, 0.5);
  EXPECT_EQ(c0.structure.types[0], 1);
  EXPECT_EQ((*c0.site_energies)[1], -2.0);
  EXPECT_FALSE(c0.forces.has_value());
  ASSERT_EQ(c0.features.size(), 1u);
  EXPECT_EQ(c0.features[0].second, "x y\nz");
  EXPECT_EQ(c0.config_type, "bulk");
  const auto& c1 = d.configs[1];
  EXPECT_EQ(c1.structure.positions[0].x, 1.0);
  EXPECT_EQ(c1.structure.positions[0].y, 0.5);
  // Virial: values / V (V = 8).
  EXPECT_EQ((*c1.virial)[0][1], 1.0);
  EXPECT_EQ((*c1.virial)[0][0], 2.0);
  EXPECT_EQ((*c1.virial)[0][2], 6.0);
  // Round trip keeps non-periodic rows, features and config_type.
  std::string out;
  io::format_cfg(out, c0, {true});
  const Dataset e = io::read_cfg_text(out, "out.cfg");
  expect_same_dataset(Dataset{{c0}, {}}, e, 0.0);
  EXPECT_EQ(e.configs[0].features, c0.features);
  EXPECT_EQ(e.configs[0].config_type, "bulk");
}

TEST(Cfg, BadInputNamesFileAndLine) {
  TempDir tmp;
  const std::string head = "BEGIN_CFG\n Size\n 2\n Supercell\n 2 0 0\n 0 2 0\n 0 0 2\n";
  struct Case {
    std::string text;
    long line;
    const char* fragment;
  } cases[] = {
      {head + " AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n 2 0 1 1 1\n", 10,
       "END_CFG"},  // truncated
      {head + " AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n Energy\n 1\nEND_CFG\n",
       10, "2 atom lines"},
      {head + " AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n 2 0 1 1 1\n 3 0 1 1 "
              "1\nEND_CFG\n",
       11, "unknown keyword"},
      {head + " AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n 2 0 nan 1 1\nEND_CFG\n",
       10, "nan"},
      {head + " AtomData: id type cartes_x cartes_y cartes_z magmom_x\n", 8, "magmom_x"},
      {"BEGIN_CFG\n Size\n 1\n AtomData: id direct_x direct_y direct_z\n 1 0 0 0\nEND_CFG\n", 4,
       "direct"},
      {head + " AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n 2 0 1 1 1\n Stress: xx "
              "yy zz yz xz xy\n",
       11, "Stress"},
      {head + " AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n 3 0 1 1 1\nEND_CFG\n",
       10, "out of order"},
      {head + " AtomData: id type cartes_x cartes_y\n", 8, "cartes_z"},
      {head + " AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n 2 0 1 1\n", 10,
       "columns"},
      {"garbage\n", 1, "BEGIN_CFG"},
  };
  int k = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE("case " + std::to_string(k));
    const auto p = tmp / ("bad" + std::to_string(k++) + ".cfg");
    write_text(p, c.text);
    expect_input_error([&] { io::read_cfg(p); }, p.string(), c.line, c.fragment);
  }
  expect_input_error([&] { io::read_cfg(tmp / "missing.cfg"); }, (tmp / "missing.cfg").string(), 0);
}

TEST(Cfg, WriterLeavesNoFileOnError) {
  TempDir tmp;
  Dataset d;
  Configuration c;
  c.structure.positions = {Vec3{0, 0, 0}};
  c.structure.types = {0};
  c.structure.pbc = {false, true, true};  // not representable in .cfg
  d.configs.push_back(c);
  EXPECT_THROW(io::write_cfg(tmp / "x.cfg", d), Error);
  EXPECT_FALSE(std::filesystem::exists(tmp / "x.cfg"));
  EXPECT_TRUE(std::filesystem::is_empty(tmp.path()));
}
