// HDF5 dataset container: bit-exact round trip of every field, auto-detection, bad files, and
// the load time of 1e5 configurations (printed, not asserted: benchmarks are not timed tests).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>

#include "core/error.hpp"
#include "io/formats.hpp"
#include "io/h5dataset.hpp"
#include "test_util.hpp"

using namespace superion;

namespace {

Dataset random_dataset(std::size_t k, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-5, 5);
  Dataset d;
  d.species = {"Na", "Cl", "S", "O"};
  for (std::size_t c = 0; c < k; ++c) {
    Configuration conf;
    Structure& s = conf.structure;
    s.species_symbols = d.species;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) s.cell[a][b] = a == b ? 8 + u(rng) : 0.1 * u(rng);
    s.pbc = {true, c % 3 != 0, true};
    const std::size_t n = 1 + c % 7;
    for (std::size_t i = 0; i < n; ++i) {
      s.positions.push_back({u(rng), u(rng), u(rng)});
      s.types.push_back(static_cast<int>(i % 4));
    }
    if (c % 2 == 0) conf.energy = u(rng);
    if (c % 3 != 1) {
      std::vector<Vec3> f;
      for (std::size_t i = 0; i < n; ++i) f.push_back({u(rng), u(rng), u(rng)});
      conf.forces = f;
    }
    if (c % 4 == 0) {
      Mat3 w;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) w[a][b] = u(rng);
      conf.virial = w;
    }
    if (c % 5 == 0) conf.charges = std::vector<double>(n, 0.5);
    if (c % 6 == 0) conf.site_energies = std::vector<double>(n, -1.25);
    conf.weight = 0.5 + c % 3;
    conf.config_type = c % 2 ? "bulk" : "";
    if (c % 3 == 0) conf.features = {{"EFS_by", "VASP"}, {"note", "line1\nline2"}};
    d.configs.push_back(conf);
  }
  return d;
}

}  // namespace

TEST(H5Dataset, RoundTripIsBitExact) {
  std::mt19937_64 rng(1);
  const Dataset a = random_dataset(50, rng);
  superion::testing::TempDir tmp;
  io::write_dataset(tmp / "d.h5", a);
  EXPECT_TRUE(io::is_h5_dataset(tmp / "d.h5"));
  const Dataset b = io::read_dataset(tmp / "d.h5");
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a.species, b.species);
  for (std::size_t c = 0; c < a.size(); ++c) {
    const auto &x = a.configs[c], &y = b.configs[c];
    EXPECT_EQ(x.structure.pbc, y.structure.pbc);
    EXPECT_EQ(x.structure.types, y.structure.types);
    for (std::size_t i = 0; i < x.size(); ++i)
      for (int k = 0; k < 3; ++k)
        EXPECT_EQ(x.structure.positions[i][k], y.structure.positions[i][k]);
    for (int p = 0; p < 3; ++p)
      for (int q = 0; q < 3; ++q) EXPECT_EQ(x.structure.cell[p][q], y.structure.cell[p][q]);
    EXPECT_EQ(x.energy, y.energy);
    ASSERT_EQ(x.forces.has_value(), y.forces.has_value());
    if (x.forces)
      for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ((*x.forces)[i].x, (*y.forces)[i].x);
    ASSERT_EQ(x.virial.has_value(), y.virial.has_value());
    if (x.virial) EXPECT_EQ((*x.virial)[1][2], (*y.virial)[1][2]);
    EXPECT_EQ(x.charges, y.charges);
    EXPECT_EQ(x.site_energies, y.site_energies);
    EXPECT_EQ(x.weight, y.weight);
    EXPECT_EQ(x.config_type, y.config_type);
    EXPECT_EQ(x.features, y.features);
  }
}

// --species on an HDF5 container, as on the text formats (it was ignored, so `superion grade
// file.h5 --species ...` graded a file stored in another element order with the wrong types).
TEST(H5Dataset, SpeciesListMapsStoredNamesAndNamesBareTypes) {
  std::mt19937_64 rng(2);
  const Dataset a = random_dataset(6, rng);  // Na Cl S O
  superion::testing::TempDir tmp;
  io::write_dataset(tmp / "d.h5", a);
  io::ReadOptions o;
  o.species = {"O", "S", "Na", "Cl"};
  const Dataset b = io::read_dataset(tmp / "d.h5", "auto", o);
  EXPECT_EQ(b.species, o.species);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t c = 0; c < a.size(); ++c) {
    const Structure &x = a.configs[c].structure, &y = b.configs[c].structure;
    EXPECT_EQ(y.species_symbols, o.species);
    ASSERT_EQ(x.types.size(), y.types.size());
    for (std::size_t i = 0; i < x.types.size(); ++i)  // the same element, its new type
      EXPECT_EQ(o.species[static_cast<std::size_t>(y.types[i])],
                a.species[static_cast<std::size_t>(x.types[i])]);
  }
  // A stored element missing from the list is an error naming the file and the element.
  o.species = {"Na", "Cl", "S"};
  try {
    io::read_dataset(tmp / "d.h5", "auto", o);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'O'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("d.h5"), std::string::npos) << e.what();
  }
  // Types only (no names stored): the list names the types in order.
  Dataset bare = a;
  bare.species.clear();
  for (auto& c : bare.configs) c.structure.species_symbols.clear();
  io::write_dataset(tmp / "bare.h5", bare);
  o.species = {"Li", "K", "F", "I"};
  const Dataset n = io::read_dataset(tmp / "bare.h5", "auto", o);
  EXPECT_EQ(n.species, o.species);
  EXPECT_EQ(n.configs[3].structure.types, a.configs[3].structure.types);
  o.species = {"Li"};
  EXPECT_THROW(io::read_dataset(tmp / "bare.h5", "auto", o), InputError);
}

TEST(H5Dataset, RejectsOtherFiles) {
  superion::testing::TempDir tmp;
  std::ofstream(tmp / "not.h5") << "plain text";
  EXPECT_THROW(io::read_h5_dataset(tmp / "not.h5"), InputError);
  EXPECT_FALSE(io::is_h5_dataset(tmp / "missing.h5"));
}

TEST(H5Dataset, LoadsOneHundredThousandConfigurations) {
  std::mt19937_64 rng(2);
  const Dataset a = random_dataset(100000, rng);
  superion::testing::TempDir tmp;
  const auto t0 = std::chrono::steady_clock::now();
  io::write_h5_dataset(tmp / "big.h5", a);
  const auto t1 = std::chrono::steady_clock::now();
  const Dataset b = io::read_h5_dataset(tmp / "big.h5");
  const auto t2 = std::chrono::steady_clock::now();
  ASSERT_EQ(b.size(), 100000u);
  EXPECT_EQ(b.total_atoms(), a.total_atoms());
  std::printf("1e5 configurations (%zu atoms): write %.2f s, read %.2f s\n", a.total_atoms(),
              std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t2 - t1).count());
}
