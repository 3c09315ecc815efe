// Extrapolation grades during MD (`superion md --grade-every`): the run stops above the break
// with exit status 3 naming the grade, keeps a checkpoint and can be resumed; the configurations
// written above the threshold carry the grade that `superion grade` gives them (the MD grades on
// its own Verlet list, the command on a fresh neighbour list: equal to rounding); a run with no
// break grades every N steps and completes. Potential: the PSO level-10 Na3ClSO4 MTP and its 22
// training frames (tests/data/pso, data/reference), whose active set fills 139 of 404 rows, so a
// 2×2×2 cell at 300 K extrapolates within tens of steps.
#include <gtest/gtest.h>

#include <cmath>

#include "grade_format.hpp"
#include "io/cfg.hpp"
#include "io/formats.hpp"
#include "na3clso4_active_set.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;

const std::string kSrc = SUPERION_SOURCE_DIR;
const std::string kPot = kSrc + "/tests/data/pso/na3clso4_level10.mtp";
const std::string kStart = kSrc + "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz";

class MdGrading : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::make_na3clso4_active_set(kPot, (dir_ / "train.xyz").string(), als(),
                                                  (dir_ / "g.cfg").string()));
  }
  std::string als() const { return (dir_ / "state.als").string(); }
  std::string md(const std::string& extra) const {
    return "md --potential " + kPot + " --structure " + kStart +
           " --species Na,Cl,S,O --supercell 2 2 2 --temperature 300 --thermostat csvr "
           "--threads 1 --seed 5 --quiet --als " +
           als() + " " + extra;
  }
  testing::TempDir dir_;
};

TEST_F(MdGrading, StopsAboveTheBreakWithACheckpointAndTheGradesOfGradeCommand) {
  const std::string pre = (dir_ / "pre.cfg").string(), ckpt = (dir_ / "c.ckpt").string();
  std::string log;
  const int rc = testing::run_superion(
      md("--steps 400 --grade-every 10 --grade-threshold 2 --grade-break 10 --selected " + pre +
         " --checkpoint " + ckpt),
      &log);
  EXPECT_EQ(rc, 3) << log;
  EXPECT_NE(log.find("stopped: extrapolation grade"), std::string::npos) << log;
  EXPECT_NE(log.find("> --grade-break 10"), std::string::npos) << log;
  ASSERT_TRUE(fs::exists(ckpt));
  const Dataset sel = io::read_cfg(pre);
  ASSERT_GE(sel.size(), 1u);
  const double last = stored_grade(sel.configs.back());
  EXPECT_GT(last, 10.0);
  for (const auto& c : sel.configs) EXPECT_GT(stored_grade(c), 2.0);
  // The same configurations graded by `superion grade` with the same state.
  ASSERT_EQ(testing::run_superion("grade " + kPot + " " + als() + " " + pre + " -o " +
                                      (dir_ / "regraded.cfg").string(),
                                  &log),
            0)
      << log;
  const Dataset re = io::read_cfg(dir_ / "regraded.cfg");
  ASSERT_EQ(re.size(), sel.size());
  for (std::size_t k = 0; k < re.size(); ++k)  // 10 significant digits are written
    EXPECT_NEAR(stored_grade(re.configs[k]), stored_grade(sel.configs[k]),
                1e-8 * stored_grade(sel.configs[k]));
  // Resumed without a break, the run continues and appends to the selected file.
  EXPECT_EQ(testing::run_superion(
                md("--steps 100 --grade-every 10 --grade-break 0 --resume " + ckpt +
                   " --selected " + pre + " --checkpoint " + (dir_ / "c2.ckpt").string()),
                &log),
            0)
      << log;
  EXPECT_GE(io::read_cfg(pre).size(), sel.size());
}

TEST_F(MdGrading, WithoutABreakEveryNthStepIsGradedAndTheRunCompletes) {
  std::string log;
  ASSERT_EQ(testing::run_superion(md("--steps 200 --grade-every 20 --grade-break 0 "
                                     "--grade-threshold 1e30 --checkpoint " +
                                     (dir_ / "c.ckpt").string()),
                                  &log),
            0)
      << log;
  EXPECT_NE(log.find("extrapolation grades: 11 every 20 steps"), std::string::npos) << log;
  EXPECT_NE(log.find("% of the run"), std::string::npos) << log;
}

TEST_F(MdGrading, BadOptionsAreRefused) {
  std::string log;
  EXPECT_NE(testing::run_superion(md("--steps 10 --grade-every 10 --grade-threshold 5 "
                                     "--grade-break 3"),
                                  &log),
            0);
  EXPECT_NE(log.find("--grade-break must not be below --grade-threshold"), std::string::npos)
      << log;
  EXPECT_NE(testing::run_superion(md("--steps 10"), &log), 0);
  EXPECT_NE(log.find("--als needs --grade-every"), std::string::npos) << log;
}

}  // namespace
}  // namespace superion
