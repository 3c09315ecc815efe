// Bad input to superion-lammps ends with a LAMMPS "ERROR: …" line naming the problem and a
// non-zero exit code, never a crash (a signal) or a hang — serially and under mpirun -np 2.
#include <gtest/gtest.h>

#include "lammps_test_util.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

const std::string kPot = SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp";

class LammpsErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string out;
    ASSERT_EQ(
        testing::run_superion("convert '" SUPERION_SOURCE_DIR
                              "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz' '" +
                                  (dir_ / "na.data").string() + "' --species Na,Cl,S,O --lossless",
                              &out),
        0)
        << out;
  }
  // Runs an input whose potential lines are `pair`; expects a clean failure mentioning `what`.
  void expect_error(const std::string& pair, const std::string& what, int nprocs = 0,
                    const std::string& before = "") {
    testing::write_text(dir_ / "in.bad", "units metal\natom_style atomic\n" + before +
                                             "read_data na.data\n" + pair + "\nrun 0\n");
    std::string out;
    const int rc = testing::run_lammps(dir_.path(), "in.bad", nprocs, &out);
    EXPECT_GT(rc, 0) << "expected a clean non-zero exit (not a signal)\n" << out;
    EXPECT_NE(out.find("ERROR"), std::string::npos) << out;
    EXPECT_NE(out.find(what), std::string::npos) << "message should contain: " << what << "\n"
                                                 << out;
  }
  testing::TempDir dir_;
};

TEST_F(LammpsErrors, MissingPotentialFile) {
  expect_error("pair_style mtp no_such.mtp\npair_coeff * * Na Cl S O",
               "pair_style mtp: cannot read the potential file 'no_such.mtp'");
}

TEST_F(LammpsErrors, MissingPotentialFileOnTwoRanks) {
  expect_error("pair_style mtp no_such.mtp\npair_coeff * * Na Cl S O",
               "cannot read the potential file 'no_such.mtp'", 2);
}

TEST_F(LammpsErrors, MalformedPotentialFile) {
  testing::write_text(dir_ / "bad.mtp",
                      "MTP\nversion = 1.1.0\npotential_name = x\nspecies_count = two\n");
  expect_error("pair_style mtp bad.mtp\npair_coeff * * Na Cl S O", "bad.mtp:4");
}

TEST_F(LammpsErrors, SpeciesNotInPotential) {
  expect_error("pair_style mtp " + kPot + " species Na Cl S O\npair_coeff * * Na Cl S Br",
               "element Br (atom type 4) is not a species of the potential");
}

TEST_F(LammpsErrors, MoreElementsThanSpecies) {
  // The data file has 4 types; a potential without names takes the distinct names in order.
  SUPERION_REQUIRE_SHARED(pot, "mtp/trained/example2sp_L06_mlip2.mtp");
  expect_error("pair_style mtp " + pot.string() + "\npair_coeff * * Na Cl S O",
               "element S (atom type 3) is not a species of the potential");
}

TEST_F(LammpsErrors, NotAnElement) {
  expect_error("pair_style mtp " + kPot + "\npair_coeff * * Na Cl S Qq",
               "'Qq' (atom type 4) is not a chemical element");
}

TEST_F(LammpsErrors, WrongNumberOfNames) {
  expect_error("pair_style mtp " + kPot + "\npair_coeff * * Na Cl",
               "one element name per atom type: got 2 names for 4 types");
}

TEST_F(LammpsErrors, UnitsNotMetal) {
  expect_error("pair_style mtp " + kPot + "\npair_coeff * * Na Cl S O", "use 'units metal'", 0,
               "units real\n");
}

TEST_F(LammpsErrors, UntrainedTemplate) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/untrained/06.mtp");
  expect_error("pair_style mtp " + pot.string() + "\npair_coeff * *", "untrained MTP template");
}

TEST_F(LammpsErrors, MlipActiveLearning) {
  testing::write_text(dir_ / "mlip.ini", "mtp-filename " + kPot + "\nselect TRUE\n");
  expect_error("pair_style mlip mlip.ini\npair_coeff * *", "select TRUE (active learning");
}

TEST_F(LammpsErrors, MlipIniWithoutPotential) {
  testing::write_text(dir_ / "mlip.ini", "select FALSE\n");
  expect_error("pair_style mlip mlip.ini\npair_coeff * *", "no 'mtp-filename POT.mtp' line");
}

TEST_F(LammpsErrors, MlipIniMissing) {
  expect_error("pair_style mlip none.ini\npair_coeff * *",
               "cannot open the MLIP settings file 'none.ini'");
}

TEST_F(LammpsErrors, Mlip3ExtrapolationControl) {
  expect_error("pair_style mlip load_from=" + kPot + " extrapolation_control=true\npair_coeff * *",
               "extrapolation_control=true");
}

// A periodic box shorter than the cutoff needs several images of an atom; with comm_style tiled
// LAMMPS cannot make them and says so (comm_style brick handles it: test_lammps_parallel).
TEST_F(LammpsErrors, CutoffLargerThanBoxWithoutImages) {
  expect_error("pair_style mtp " + kPot + "\npair_coeff * * Na Cl S O",
               "Communication cutoff for comm_style tiled cannot exceed periodic box length", 0,
               "comm_style tiled\n");
}

}  // namespace
}  // namespace superion
