// superion-lammps with a potential that stores its element names (`potential_tag = elements Na Cl
// S O`, as superion train writes): pair_coeff names are looked up there, so a data file whose
// types are listed O S Cl Na gives the same energy as one listed Na Cl S O (to 1e-10 relative:
// only the summation order differs); a name the potential lacks, or a `species` keyword that
// contradicts the stored names, stops with a clear error; names in the wrong order for the types
// are caught by the masses (a warning naming the type); the mapping is printed at the start, and
// `superion-lammps -h` lists the two pair styles. The potential is the in-repository level-10
// Na3ClSO4 MTP, given its names here (no shared data needed).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "lammps_test_util.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

const std::string kPot = SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp";
const std::string kXyz = SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz";

class LammpsElementNames : public ::testing::Test {
 protected:
  void SetUp() override {
    // The potential with its names stored (the file's tag line is empty).
    std::ifstream in(kPot);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::string tag = "potential_tag = \n";
    const auto at = s.find(tag);
    ASSERT_NE(at, std::string::npos) << "expected an empty potential_tag line in " << kPot;
    s.replace(at, tag.size(), "potential_tag = elements Na Cl S O\n");
    testing::write_text(dir_ / "named.mtp", s);
    convert("ncso.data", "Na,Cl,S,O");  // types 1..4 = Na Cl S O
    convert("oscn.data", "O,S,Cl,Na");  // types 1..4 = O S Cl Na
  }
  void convert(const std::string& name, const std::string& species) {
    std::string out;
    ASSERT_EQ(testing::run_superion("convert '" + kXyz + "' '" + (dir_ / name).string() +
                                        "' --frames 0:1 --species " + species + " --lossless",
                                    &out),
              0)
        << out;
  }
  // Runs `run 0` on `data` with the pair lines; returns the exit code, the output in *out and
  // the potential energy in *pe (NaN when there is none).
  int run0(const std::string& data, const std::string& pair, std::string* out, double* pe) {
    testing::write_text(dir_ / "in.run0", "units metal\natom_style atomic\nread_data " + data +
                                              "\n" + pair +
                                              "\nthermo_style custom step pe\n"
                                              "thermo_modify format float %.17g\nrun 0\n");
    const int rc = testing::run_lammps(dir_.path(), "in.run0", 0, out);
    const auto rows = testing::read_thermo(dir_ / "log.lammps");
    *pe = rc == 0 && !rows.empty() ? rows.front().at("PotEng") : std::nan("");
    return rc;
  }
  void expect_error(const std::string& data, const std::string& pair, const std::string& what) {
    std::string out;
    double pe = 0;
    EXPECT_GT(run0(data, pair, &out, &pe), 0) << "expected a clean non-zero exit\n" << out;
    EXPECT_NE(out.find("ERROR"), std::string::npos) << out;
    EXPECT_NE(out.find(what), std::string::npos) << "message should contain: " << what << "\n"
                                                 << out;
  }
  testing::TempDir dir_;
};

TEST_F(LammpsElementNames, TypesAreMappedByName) {
  std::string out;
  double reference = 0, reordered = 0, wrong = 0;
  // Reference: the unnamed file, types in its species order (warns that order is assumed).
  ASSERT_EQ(
      run0("ncso.data", "pair_style mtp " + kPot + "\npair_coeff * * Na Cl S O", &out, &reference),
      0)
      << out;
  EXPECT_NE(out.find("stores no element names"), std::string::npos) << out;
  // Named file, data types O S Cl Na named so: the same energy.
  ASSERT_EQ(
      run0("oscn.data", "pair_style mtp named.mtp\npair_coeff * * O S Cl Na", &out, &reordered), 0)
      << out;
  EXPECT_NE(out.find("type 1 -> species 3 (O), type 2 -> species 2 (S), type 3 -> species 1 (Cl), "
                     "type 4 -> species 0 (Na)"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("WARNING: pair_style"), std::string::npos) << out;
  EXPECT_LE(std::abs(reordered - reference), 1e-10 * std::abs(reference));
  // The same data with the names in the potential's order instead of the types' order: not the
  // same system (a different energy), and the masses say which types are suspect.
  ASSERT_EQ(run0("oscn.data", "pair_style mtp named.mtp\npair_coeff * * Na Cl S O", &out, &wrong),
            0)
      << out;
  EXPECT_GT(std::abs(wrong - reference), 1e-3 * std::abs(reference));
  EXPECT_NE(out.find("WARNING: pair_style mtp: atom type 1 is Na but has mass 16 amu"),
            std::string::npos)
      << out;
  // pair_coeff * * with stored names: type k is species k-1, printed with its element.
  ASSERT_EQ(run0("ncso.data", "pair_style mtp named.mtp\npair_coeff * *", &out, &wrong), 0) << out;
  EXPECT_NE(out.find("type 1 -> species 0 (Na)"), std::string::npos) << out;
  EXPECT_EQ(out.find("WARNING: pair_style"), std::string::npos) << out;
  EXPECT_LE(std::abs(wrong - reference), 1e-10 * std::abs(reference));
  // MLIP's `pair_coeff * *` on a data file whose types are in another order: the masses tell.
  ASSERT_EQ(run0("oscn.data", "pair_style mtp named.mtp\npair_coeff * *", &out, &wrong), 0) << out;
  EXPECT_NE(out.find("WARNING: pair_style mtp: atom type 1 is Na but has mass 16 amu"),
            std::string::npos)
      << out;
}

TEST_F(LammpsElementNames, NameNotStoredInThePotential) {
  expect_error(
      "ncso.data", "pair_style mtp named.mtp\npair_coeff * * Na Br S O",
      "pair_style mtp: pair_coeff: element Br (atom type 2) is not a species of the potential "
      "named.mtp (it has Na Cl S O)");
}

TEST_F(LammpsElementNames, SpeciesKeywordContradictsStoredNames) {
  expect_error("ncso.data", "pair_style mtp named.mtp species O S Cl Na\npair_coeff * * Na Cl S O",
               "'species O S Cl Na' contradicts the elements stored in 'named.mtp' (Na Cl S O)");
  expect_error(
      "ncso.data", "pair_style mlip load_from=named.mtp\npair_coeff * * Na Cl Se O",
      "pair_style mlip: pair_coeff: element Se (atom type 3) is not a species of the potential");
}

TEST(LammpsHelp, ListsThePairStyles) {
  testing::TempDir dir;
  const std::string cmd = "cd '" + dir.path().string() + "' && " SUPERION_LAMMPS_BINARY " -h 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string text;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) text += buf;
  const int status = pclose(p);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << text;
  EXPECT_NE(text.find("pair_style mtp POT.mtp [species A B ...]"), std::string::npos) << text;
  EXPECT_NE(text.find("pair_style mlip mlip.ini | load_from=POT.mtp"), std::string::npos) << text;
  EXPECT_NE(text.find("Pair styles"), std::string::npos) << "LAMMPS's own help follows\n" << text;
}

}  // namespace
}  // namespace superion
