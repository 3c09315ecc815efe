// The active-learning commands end to end through the executable:
//  * `superion grade` writes MLIP-2's grades (feature MV_grade in .cfg to 10 digits, mv_grade in
//    extxyz; per-atom grades with --mode nbh whose maximum is the configuration's grade);
//  * `superion select` writes MLIP-2's select-add choices in MLIP's order (diff.cfg), --limit;
//  * `superion learn` with an MTP as the reference (fast): one iteration selects and labels
//    configurations, a rerun continues the same folder without redoing finished stages, a
//    threshold that nothing exceeds converges at once with final.mtp and final_state.als, and a
//    folder with other settings is refused; history.png is drawn after each iteration; --valid
//    errors are reported (equal to the training errors when the validation set is the training
//    set).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "grade_format.hpp"
#include "io/cfg.hpp"
#include "io/formats.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;

std::vector<double> hiprec_grades(const std::string& file) {
  std::ifstream in(testing::shared_data() / "mtp/active_learning/hiprec" / file);
  std::vector<double> g;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string key;
    long i;
    double x;
    if (ss >> key >> i >> x && key == "grade") g.push_back(x);
  }
  return g;
}

TEST(GradeCli, WritesMlipGradesInCfgAndExtxyzAndPerAtomGrades) {
  SUPERION_REQUIRE_SHARED(al, "mtp/active_learning");
  testing::TempDir dir;
  const std::string pot = (al / "../trained/Li_L10_mlip2.mtp").string();
  const std::string train = (al / "li/train.cfg").string(), fresh = (al / "li/new.cfg").string();
  std::string log;
  ASSERT_EQ(
      testing::run_superion("grade " + pot + " " + train + " " + fresh + " -o " +
                                (dir / "g.cfg").string() + " --als " + (dir / "s.als").string(),
                            &log),
      0)
      << log;
  const std::vector<double> ref = hiprec_grades("li_grade_new.txt");
  const Dataset g = io::read_cfg(dir / "g.cfg");
  ASSERT_EQ(g.size(), ref.size());
  for (std::size_t k = 0; k < g.size(); ++k)
    EXPECT_NEAR(stored_grade(g.configs[k]), ref[k], 1e-9 * ref[k]) << k;
  // From the written state, into extxyz.
  ASSERT_EQ(testing::run_superion("grade " + pot + " " + (dir / "s.als").string() + " " + fresh +
                                      " -o " + (dir / "g.xyz").string() + " --species Li",
                                  &log),
            0)
      << log;
  io::ReadOptions ro;
  ro.species = {"Li"};
  const Dataset x = io::read_dataset(dir / "g.xyz", "auto", ro);
  ASSERT_EQ(x.size(), ref.size());
  EXPECT_EQ(x.configs[0].features.back().first, "mv_grade");
  EXPECT_NEAR(stored_grade(x.configs[5]), ref[5], 1e-9 * ref[5]);
  // A state of the other mode is refused when --mode says otherwise.
  EXPECT_EQ(testing::run_superion("grade " + pot + " " + (dir / "s.als").string() + " " + fresh +
                                      " -o " + (dir / "n.cfg").string() + " --mode nbh",
                                  &log),
            2)
      << log;
  // Neighbourhood grades: one per atom, the configuration's grade is their maximum.
  const std::vector<double> nref = hiprec_grades("li_grade_nbh_new.txt");
  ASSERT_EQ(testing::run_superion("grade " + pot + " " + train + " " + fresh + " -o " +
                                      (dir / "n.cfg").string() + " --mode nbh",
                                  &log),
            0)
      << log;
  const Dataset n = io::read_cfg(dir / "n.cfg");
  for (std::size_t k = 0; k < n.size(); ++k) {
    ASSERT_TRUE(n.configs[k].nbh_grades);
    double m = 0;
    for (double a : *n.configs[k].nbh_grades) m = std::max(m, a);
    EXPECT_NEAR(m, stored_grade(n.configs[k]), 1e-9 * m);  // both written to 10 digits
    EXPECT_NEAR(stored_grade(n.configs[k]), nref[k], 1e-9 * nref[k]);
  }
}

TEST(SelectCli, ChoosesMlipsConfigurationsInMlipsOrder) {
  SUPERION_REQUIRE_SHARED(al, "mtp/active_learning");
  testing::TempDir dir;
  const std::string pot = (al / "../trained/Li_L10_mlip2.mtp").string();
  const std::string args =
      "select " + pot + " " + (al / "li/train.cfg").string() + " " + (al / "li/new.cfg").string();
  std::string log;
  ASSERT_EQ(
      testing::run_superion(args + " -o " + (dir / "new.cfg").string() + " --selected " +
                                (dir / "sel.cfg").string() + " --als " + (dir / "s.als").string(),
                            &log),
      0)
      << log;
  EXPECT_NE(log.find("15 configurations selected from both sets"), std::string::npos) << log;
  const Dataset ours = io::read_cfg(dir / "new.cfg"),
                mlip = io::read_cfg(al / "li/select-add/diff.cfg");
  ASSERT_EQ(ours.size(), mlip.size());
  for (std::size_t k = 0; k < ours.size(); ++k)
    for (std::size_t i = 0; i < ours.configs[k].size(); ++i)
      EXPECT_NEAR(ours.configs[k].structure.positions[i].x,
                  mlip.configs[k].structure.positions[i].x, 1e-6);
  EXPECT_EQ(io::read_cfg(dir / "sel.cfg").size(), 15u);
  ASSERT_EQ(
      testing::run_superion(args + " -o " + (dir / "three.cfg").string() + " --limit 3", &log), 0)
      << log;
  EXPECT_EQ(io::read_cfg(dir / "three.cfg").size(), 3u);
  EXPECT_NE(log.find("stopped at --limit 3"), std::string::npos) << log;
}

class LearnCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string all;
    for (const char* f : {"md_1100K_strain+0.00", "md_800K_strain+0.05", "md_800K_strain-0.05"})
      all += " " + src_ + "/data/reference/Na3ClSO4/" + f + ".xyz";
    ASSERT_EQ(std::system(("cat" + all + " > " + (dir_ / "frames.xyz").string()).c_str()), 0);
    std::string log;
    ASSERT_EQ(testing::run_superion("label " + (dir_ / "frames.xyz").string() +
                                        " --species Na,Cl,S,O -o " + (dir_ / "train.xyz").string() +
                                        " --quiet --calculator " + teacher_,
                                    &log),
              0)
        << log;
  }
  std::string learn(const std::string& out, const std::string& extra, bool plots = false) const {
    return "learn --out " + (dir_ / out).string() + " --train " + (dir_ / "train.xyz").string() +
           " --species Na,Cl,S,O --structure " + src_ +
           "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz --supercell 2 2 1 --init " + pot_ +
           " --train-args '--max-iter 3' --temperatures 300,600 --time 0.2ps --max-new 3 " +
           (plots ? "" : "--no-plots ") + "--calculator " + teacher_ + " " + extra;
  }
  const std::string src_ = SUPERION_SOURCE_DIR;
  const std::string pot_ = src_ + "/tests/data/pso/na3clso4_level10.mtp";
  const std::string teacher_ = "mtp:" + pot_ + ":Na,Cl,S,O";
  testing::TempDir dir_;
};

TEST_F(LearnCli, IterationsSelectLabelAndRetrainAndARerunContinues) {
  std::string log;
  EXPECT_EQ(testing::run_superion(learn("run", "--max-iterations 1", true), &log), 3) << log;
  EXPECT_NE(log.find("not converged after 1 iterations"), std::string::npos) << log;
  const fs::path run = dir_ / "run";
  // history.png is drawn after every iteration (where Debian's Python has matplotlib), renamed
  // into place: a PNG signature, and no temporary file left behind.
  if (std::system("/usr/bin/python3 -c 'import matplotlib, numpy' >/dev/null 2>&1") == 0) {
    std::ifstream png(run / "history.png", std::ios::binary);
    char magic[8] = {};
    png.read(magic, 8);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");
    EXPECT_FALSE(fs::exists(run / "history.tmp.png"));
  }
  const Dataset t0 = io::read_dataset(run / "train_000.xyz", "auto", {{"Na", "Cl", "S", "O"}});
  const Dataset t1 = io::read_dataset(run / "train_001.xyz", "auto", {{"Na", "Cl", "S", "O"}});
  EXPECT_EQ(t0.size(), 15u);
  EXPECT_GT(t1.size(), t0.size());
  EXPECT_LE(t1.size(), t0.size() + 3);  // --max-new 3
  for (std::size_t k = t0.size(); k < t1.size(); ++k) {
    EXPECT_TRUE(t1.configs[k].energy && t1.configs[k].forces && t1.configs[k].virial);
    EXPECT_EQ(t1.configs[k].size(), 36u);  // the 2×2×1 MD cell
  }
  EXPECT_TRUE(fs::exists(run / "iter_000/state.als"));
  const auto trained0 = fs::last_write_time(run / "iter_000/pot.mtp");
  // Continue: iteration 0 is not redone, iteration 1 runs.
  EXPECT_EQ(testing::run_superion(learn("run", "--max-iterations 2"), &log), 3) << log;
  EXPECT_NE(log.find("continuing"), std::string::npos) << log;
  EXPECT_EQ(fs::last_write_time(run / "iter_000/pot.mtp"), trained0);
  EXPECT_TRUE(fs::exists(run / "iter_001/labelled.xyz"));
  // Iteration 0's replicas were stopped by their grades: iteration 1 relays them from there.
  std::ifstream rec(run / "iter_001/md/T300_s+0.000_r0.json");
  const std::string text((std::istreambuf_iterator<char>(rec)), {});
  EXPECT_NE(text.find("\"from_start\": false"), std::string::npos) << text;
  std::ifstream h(run / "history.csv");
  std::string line;
  int rows = -1;
  while (std::getline(h, line)) ++rows;
  EXPECT_EQ(rows, 2);
  // Other settings in the same folder are refused.
  EXPECT_EQ(testing::run_superion(learn("run", "--max-iterations 2 --grade-threshold 3"), &log), 2)
      << log;
  EXPECT_NE(log.find("other settings"), std::string::npos) << log;
}

TEST_F(LearnCli, ConvergesWhenNoGradeExceedsTheThreshold) {
  std::string log;
  // --valid with the training set itself: the validation errors must equal the training errors.
  const std::string easy =
      learn("easy", "--max-iterations 2 --grade-threshold 1e30 --grade-break 0 --valid " +
                        (dir_ / "train.xyz").string());
  ASSERT_EQ(testing::run_superion(easy, &log), 0) << log;
  EXPECT_NE(log.find("converged at iteration 0"), std::string::npos) << log;
  EXPECT_TRUE(fs::exists(dir_ / "easy/final.mtp"));
  EXPECT_TRUE(fs::exists(dir_ / "easy/final_state.als"));
  std::ifstream md(dir_ / "easy/history.md");
  const std::string table((std::istreambuf_iterator<char>(md)), {});
  EXPECT_NE(table.find("valid E (meV/at) | valid F (eV/A)"), std::string::npos) << table;
  std::ifstream csv(dir_ / "easy/history.csv");
  std::string head, row;
  ASSERT_TRUE(std::getline(csv, head) && std::getline(csv, row));
  std::map<std::string, double> v;
  std::istringstream hs(head), rs(row);
  for (std::string h, x; std::getline(hs, h, ',') && std::getline(rs, x, ',');)
    if (!x.empty()) v[h] = std::stod(x);
  ASSERT_TRUE(v.count("valid_e_rmse_meV_atom") && v.count("valid_f_rmse_eV_A")) << head << row;
  EXPECT_NEAR(v["valid_e_rmse_meV_atom"], v["train_e_rmse_meV_atom"],
              1e-7 * v["train_e_rmse_meV_atom"] + 1e-12);  // 8 digits in the csv
  EXPECT_NEAR(v["valid_f_rmse_eV_A"], v["train_f_rmse_eV_A"], 1e-7 * v["train_f_rmse_eV_A"]);
  EXPECT_GT(v["train_f_rmse_eV_A"], 0.0);
  // learn.json records the converged iteration; rerunning a converged run changes nothing.
  const auto mtime = fs::last_write_time(dir_ / "easy/iter_000/pot.mtp");
  ASSERT_EQ(testing::run_superion(easy, &log), 0) << log;
  EXPECT_NE(log.find("converged at iteration 0"), std::string::npos) << log;
  EXPECT_EQ(fs::last_write_time(dir_ / "easy/iter_000/pot.mtp"), mtime);
  std::ifstream state(dir_ / "easy/learn.json");
  const std::string js((std::istreambuf_iterator<char>(state)), {});
  std::size_t rows = 0;
  for (std::size_t at = js.find("\"train_configs\""); at != std::string::npos;
       at = js.find("\"train_configs\"", at + 1))
    ++rows;
  EXPECT_EQ(rows, 2u) << js;  // the history row and the running row, both iteration 0
  std::ifstream csv2(dir_ / "easy/history.csv");
  std::string l;
  int lines = 0;
  while (std::getline(csv2, l)) ++lines;
  EXPECT_EQ(lines, 2);  // header + iteration 0
  EXPECT_FALSE(fs::exists(dir_ / "easy/final.mtp.tmp"));
}

}  // namespace
}  // namespace superion
