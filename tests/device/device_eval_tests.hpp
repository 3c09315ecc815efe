// Test bodies: batched MTP evaluation of the device backend against the CPU evaluator on every
// potential and data set of ../shared/data/mtp and ../shared/data/mlearn (levels 6–24, 1, 2 and 4
// species), the project's Na3ClSO4 potentials, and MLIP's untrained bases at every level 2–28
// with random coefficients. Bounds (the issue's): 1e-12 relative for energy, forces (relative to
// the largest force component), virial (relative to its largest component) and site energies;
// the emulated device must in addition be bit-identical (device_test_bodies.hpp).
#pragma once

#include <cstdio>
#include <random>

#include "device_test_bodies.hpp"
#include "io/formats.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp/mtp_test_helpers.hpp"
#include "test_util.hpp"

namespace superion::testing {

class DeviceEval : public ::testing::TestWithParam<std::string> {
 protected:
  // Compares the engine with the CPU evaluator on `structures`; returns the largest deviations.
  Deviation check(const Mtp& model, const std::vector<Structure>& structures,
                  const std::string& what, const std::optional<TypeWalls>& walls = std::nullopt) {
    const std::string kind = GetParam();
    const std::vector<MtpPrediction> ref = evaluate_on("cpu", model, structures, walls);
    const std::vector<MtpPrediction> got = evaluate_on(kind, model, structures, walls);
    Deviation worst;
    EXPECT_EQ(ref.size(), got.size());
    for (std::size_t c = 0; c < ref.size() && c < got.size(); ++c) {
      const Deviation d = compare(ref[c], got[c]);
      EXPECT_LE(d.energy, 1e-12) << what << " configuration " << c;
      EXPECT_LE(d.forces, 1e-12) << what << " configuration " << c;
      EXPECT_LE(d.virial, 1e-12) << what << " configuration " << c;
      EXPECT_LE(d.sites, 1e-12) << what << " configuration " << c;
      if (walls) {
        EXPECT_LE(std::fabs(ref[c].wall_energy - got[c].wall_energy),
                  1e-12 * std::max(1.0, std::fabs(ref[c].wall_energy)));
      }
      if (bitwise(kind)) {
        EXPECT_TRUE(d.identical) << what << " configuration " << c << " differs from the CPU bits";
      }
      worst.energy = std::max(worst.energy, d.energy);
      worst.forces = std::max(worst.forces, d.forces);
      worst.virial = std::max(worst.virial, d.virial);
      worst.sites = std::max(worst.sites, d.sites);
      worst.identical = worst.identical && d.identical;
    }
    std::printf(
        "%-40s %s: %zu configurations, max rel. deviation E %.1e F %.1e W %.1e sites %.1e, %s\n",
        what.c_str(), kind.c_str(), structures.size(), worst.energy, worst.forces, worst.virial,
        worst.sites, worst.identical ? "bit-identical" : "not bit-identical");
    return worst;
  }

  static std::vector<Structure> structures(const std::filesystem::path& data,
                                           const std::vector<std::string>& species,
                                           std::size_t max_configs) {
    io::ReadOptions ro;
    ro.species = species;
    const Dataset d = io::read_dataset(data, "auto", ro);
    std::vector<Structure> out;
    for (std::size_t k = 0; k < d.configs.size() && k < max_configs; ++k)
      out.push_back(d.configs[k].structure);
    return out;
  }
};

TEST_P(DeviceEval, MlipTrainedPotentials) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  SUPERION_REQUIRE_SHARED(li, "mtp/cfg/Li_T450_73cfg.cfg");
  SUPERION_REQUIRE_SHARED(two, "mtp/cfg/example2sp_5cfg.cfg");
  const auto li_data = structures(li, {}, 12);
  for (const char* pot : {"mtp/trained/Li_L06_mlip2.mtp", "mtp/trained/Li_L10_mlip2.mtp",
                          "mtp/trained/Li_L06_mlip3.almtp"}) {
    SUPERION_REQUIRE_SHARED(p, pot);
    check(read_mtp(p), li_data, pot);
  }
  SUPERION_REQUIRE_SHARED(p2, "mtp/trained/example2sp_L06_mlip2.mtp");
  check(read_mtp(p2), structures(two, {}, 5), "example2sp_L06 (2 species)");
  // The NaCl set (8-atom cells, an extra charge column) has no trained potential: a level-10
  // basis with random 2-species coefficients.
  SUPERION_REQUIRE_SHARED(nacl, "mtp/cfg/NaCl_300cfg_with_charge.cfg");
  SUPERION_REQUIRE_SHARED(u10, "mtp/untrained/10.mtp");
  Mtp m = read_mtp(u10);
  m.set_species_count(2);
  std::mt19937 rng(17);
  randomize(m, rng);
  check(m, structures(nacl, {}, 10), "NaCl_300cfg, level 10 random coefficients");
}

TEST_P(DeviceEval, MlearnPotentialsLevels16To24) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  for (const char* el : {"Li", "Cu", "Ni", "Si"}) {
    SUPERION_REQUIRE_SHARED(pot, std::string("mlearn/") + el + "/mvl_fitted.mtp");
    SUPERION_REQUIRE_SHARED(data, std::string("mlearn/") + el + "/test.cfg");
    const Mtp m = read_mtp(pot);
    const std::size_t k = std::string(el) == "Si" ? 2 : 4;
    std::vector<Structure> s = structures(data, {}, k);
    // The training sets (18 MB) are only in ../shared: without it the test sets alone are used.
    const auto train = test_data(std::string("mlearn/") + el + "/train.cfg");
    if (std::filesystem::exists(train))
      for (const Structure& t : structures(train, {}, k / 2)) s.push_back(t);
    else
      std::printf("mlearn %s: train.cfg not present (../shared/data): test configurations only\n",
                  el);
    check(m, s,
          std::string("mlearn ") + el + " level " + std::to_string(m.level()) + " (test + train)");
  }
}

TEST_P(DeviceEval, NaYZrClFourSpecies) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  const auto cell =
      structures(SUPERION_SOURCE_DIR "/data/nyzc/nyzc37_eq600K.vasp", {"Na", "Y", "Zr", "Cl"}, 1);
  for (const char* pot : {"mtp/nyzc/fitted.mtp.2021.02.mtp", "mtp/nyzc/fitted.mtp.2022.09.mtp"}) {
    SUPERION_REQUIRE_SHARED(p, pot);
    std::vector<Structure> s = cell;
    std::mt19937 rng(3);
    s.push_back(random_structure(rng, 16, 4, 8.0, 2.4));  // triclinic, cell < 2 cutoffs
    check(read_mtp(p), s, pot);
  }
}

TEST_P(DeviceEval, Na3ClSO4Potentials) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  const std::vector<std::string> sp{"Na", "Cl", "S", "O"};
  // 9-atom cells of 5.2 Å: shorter than the 5 Å cutoff plus the skin, so atoms see many images.
  check(read_mtp(SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp"),
        structures(SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_800K_strain+0.00.xyz", sp, 4),
        "Na3ClSO4 level 10, 9-atom cells");
  check(read_mtp(SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4-pm3/mtp/pm3_level8.mtp"),
        structures(SUPERION_SOURCE_DIR
                   "/data/reference/Na3ClSO4-pm3/md_1200K_strain+0.00_schottky.xyz.gz",
                   sp, 3),
        "Na3ClSO4 PM3 level 8, 34 atoms");
}

TEST_P(DeviceEval, EveryLevel2To28) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  std::string left_out;  // levels 24-28 (6 MB) are only in ../shared
  for (int level = 2; level <= 28; level += 2) {
    char name[32];
    std::snprintf(name, sizeof name, "mtp/untrained/%02d.mtp", level);
    const auto p = test_data(name);
    if (!std::filesystem::exists(p)) {
      left_out += " " + std::to_string(level);
      continue;
    }
    Mtp m = read_mtp(p);
    m.set_species_count(2);
    std::mt19937 rng(100 + level);
    randomize(m, rng);
    check(m, {random_structure(rng, level >= 24 ? 6 : 12, 2, 7.0, 1.7)},
          "untrained level " + std::to_string(level) + ", random coefficients");
  }
  if (!left_out.empty())
    std::printf("untrained levels not present (../shared/data), left out:%s\n", left_out.c_str());
}

TEST_P(DeviceEval, DomainWallsOnTheSameList) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  const std::vector<std::string> sp{"Na", "Cl", "S", "O"};
  const std::string data = SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_800K_strain+0.00.xyz";
  io::ReadOptions ro;
  ro.species = sp;
  // Walls at 1.3 x the data's shortest distances act on the data themselves.
  const TypeWalls w = type_walls(domain_from_data(io::read_dataset(data, "auto", ro), 1.3), sp);
  const Mtp m = read_mtp(SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp");
  const auto s = structures(data, sp, 4);
  const auto ref = evaluate_on("cpu", m, s, w);
  ASSERT_GT(ref[0].wall_energy, 0.0);
  // The walls on the MTP's list are the established wall (apply_domain_walls: every pair and
  // image summed directly): (MTP + walls) − MTP equals it to rounding.
  const auto plain = evaluate_on("cpu", m, s);
  const DomainWalls dw = domain_from_data(io::read_dataset(data, "auto", ro), 1.3);
  for (std::size_t c = 0; c < s.size(); ++c) {
    CalcResult wall;
    wall.forces.assign(s[c].size(), Vec3{});
    apply_domain_walls(s[c], dw, &wall);
    EXPECT_NEAR(ref[c].energy - plain[c].energy, wall.energy, 1e-9 * std::max(1.0, wall.energy));
    for (std::size_t i = 0; i < s[c].size(); ++i)
      for (int k = 0; k < 3; ++k)
        EXPECT_NEAR(ref[c].forces[i][k] - plain[c].forces[i][k], wall.forces[i][k], 1e-8);
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b)
        EXPECT_NEAR(ref[c].virial[a][b] - plain[c].virial[a][b], wall.virial[a][b], 1e-8);
  }
  check(m, s, "Na3ClSO4 level 10 + domain walls x1.3", w);
}

TEST_P(DeviceEval, BatchEqualsEachConfigurationAlone) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  if (GetParam() == "cpu") GTEST_SKIP() << "the CPU evaluator has no batches";
  const std::vector<std::string> sp{"Na", "Cl", "S", "O"};
  const Mtp m = read_mtp(SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp");
  const auto s =
      structures(SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_1100K_strain+0.00.xyz", sp, 6);
  const auto batch = evaluate_on(GetParam(), m, s);
  for (std::size_t c = 0; c < s.size(); ++c) {
    const auto alone = evaluate_on(GetParam(), m, {s[c]});
    EXPECT_TRUE(compare(alone[0], batch[c]).identical) << "configuration " << c;
  }
}

}  // namespace superion::testing
