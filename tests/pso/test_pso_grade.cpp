// The extrapolation-grade filter of `superion pso` and `superion relax` (--grade-als/--grade-train,
// --max-grade; host/cli/structure_grader.hpp, learn/structure_grader_factory.cpp): the grade they
// report is `superion grade`'s for the same structure and active set, --max-grade rejects
// candidates (all of them: the command fails naming the cause, no ranking is written; none: the
// ranking is the unfiltered one), and bad input is one clear error before anything is written.
// Potential: the PSO level-10 Na3ClSO4 MTP and its 22 training frames (tests/data/pso,
// data/reference), whose cfg active set fills 18 of 404 rows, so searched structures grade 1e4-1e8.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "als_file.hpp"
#include "cli/structure_grader.hpp"
#include "grade_format.hpp"
#include "io/formats.hpp"
#include "learn_cli.hpp"
#include "na3clso4_active_set.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;

const std::string kSrc = SUPERION_SOURCE_DIR;
const std::string kPot = kSrc + "/tests/data/pso/na3clso4_level10.mtp";
const std::string kCalc = "mtp:" + kPot + ":Na,Cl,S,O";

std::vector<std::vector<std::string>> read_csv(const fs::path& p) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream f(p);
  std::string line;
  while (std::getline(f, line)) {
    std::vector<std::string> r;
    std::stringstream ss(line);
    std::string item;
    while (std::getline(ss, item, ',')) r.push_back(item);
    if (!line.empty() && line.back() == ',') r.push_back("");
    rows.push_back(r);
  }
  return rows;
}

// A cubic Na3ClSO4 antiperovskite (a = 5.2 Å) with its atoms shifted by up to 0.05 Å and its
// elements listed in another order than the potential's (O, S, Cl, Na): the grade must map them
// by name.
Structure shuffled_antiperovskite() {
  const double a = 5.2, d = 1.48 / std::sqrt(3.0);
  Structure s;
  s.cell = a * Mat3::identity();
  s.cell[0][1] = 0.1;
  s.species_symbols = {"O", "S", "Cl", "Na"};
  s.positions = {{a / 2, a / 2, 0},     {a / 2, 0, a / 2}, {0, a / 2, a / 2},
                 {a / 2, a / 2, a / 2}, {0, 0, 0},         {d, d, d},
                 {d, -d, -d},           {-d, d, -d},       {-d, -d, d}};
  s.types = {3, 3, 3, 2, 1, 0, 0, 0, 0};
  for (std::size_t i = 0; i < s.size(); ++i)
    s.positions[i] += Vec3{0.05 * std::sin(1.0 + i), 0.05 * std::cos(2.0 * i), 0.03 * (i % 3)};
  return s;
}

class PsoGrade : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::make_na3clso4_active_set(kPot, train(), als(), (dir_ / "g.cfg").string()));
  }
  std::string als() const { return (dir_ / "state.als").string(); }
  std::string train() const { return (dir_ / "train.xyz").string(); }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }
  std::string pso(const std::string& out_dir, const std::string& extra) const {
    return "pso --composition Na3ClSO4 --clusters SO4 --calculator " + kCalc +
           " --population 4 --generations 2 --seed 3 --symprec 0.3 -o " + out(out_dir) + " " +
           extra;
  }
  // `superion grade` of one structure file against the state.
  double grade_command(const std::string& file) const {
    std::string log;
    const std::string graded = out("regraded.xyz");
    EXPECT_EQ(testing::run_superion("grade " + kPot + " " + als() + " " + file + " -o " + graded +
                                        " --species Na,Cl,S,O",
                                    &log),
              0)
        << log;
    const Dataset d = io::read_dataset(graded);
    EXPECT_EQ(d.size(), 1u);
    return d.size() == 1 ? stored_grade(d.configs[0]) : NAN;
  }
  testing::TempDir dir_;
};

TEST_F(PsoGrade, GraderMapsSpeciesByNameAndEqualsTheGradeCommand) {
  cli::register_structure_grader();  // what the superion executable does at start-up
  GraderRequest r;
  r.potential = kPot;
  r.species = {"Na", "Cl", "S", "O"};
  r.source = als();
  const StructureGrader grader = make_structure_grader(r);
  const Structure s = shuffled_antiperovskite();
  const double g = grader(s);
  // The same structure with MTP types (Na=0 Cl=1 S=2 O=3), graded directly: bit-identical.
  Structure typed = s;
  const std::vector<int> to_mtp = {3, 2, 1, 0};  // O S Cl Na -> MTP type
  for (int& t : typed.types) t = to_mtp[static_cast<std::size_t>(t)];
  typed.species_symbols = {"Na", "Cl", "S", "O"};
  EXPECT_EQ(g, read_als(als()).grade(typed));
  EXPECT_GT(g, 2.0);  // a distorted cell is outside these 22 MD frames' 18 filled rows
  // `superion grade` of the structure written losslessly: its MV_grade has 10 significant digits,
  // so two roundings of one value differ by at most 1e-9 relative.
  Dataset d;
  Configuration c;
  c.structure = s;
  d.configs.push_back(c);
  d.species = s.species_symbols;
  io::WriteOptions wo;
  wo.lossless = true;
  io::write_dataset(out("shuffled.xyz"), d, "auto", wo);
  EXPECT_NEAR(grade_command(out("shuffled.xyz")), g, 1e-9 * g);
}

TEST_F(PsoGrade, RelaxPrintsTheGradeOfItsOutputAndWarnsAboveTheLimit) {
  // The shuffled cell as the relax input (lossless: the relaxation starts from exactly it).
  Dataset d;
  Configuration c;
  c.structure = shuffled_antiperovskite();
  d.configs.push_back(c);
  d.species = c.structure.species_symbols;
  io::WriteOptions wo;
  wo.lossless = true;
  io::write_dataset(out("start.xyz"), d, "auto", wo);
  auto relax = [&](const std::string& grade_opts, std::string* log) {
    return testing::run_superion("relax " + out("start.xyz") + " -o " + out("relaxed.xyz") +
                                     " --calculator " + kCalc + " --clusters SO4 " + grade_opts,
                                 log);
  };
  std::string log;
  ASSERT_EQ(relax("--grade-als " + als(), &log), 0) << log;
  const auto at = log.find("\nextrapolation grade ");
  ASSERT_NE(at, std::string::npos) << log;
  const std::string printed = log.substr(at + 21, log.find(' ', at + 21) - at - 21);
  const double g = std::stod(printed);
  EXPECT_NE(log.find("(--max-grade 2)"), std::string::npos) << log;
  EXPECT_GT(g, 2.0);
  EXPECT_NE(log.find("warning: the relaxed structure's extrapolation grade"), std::string::npos)
      << log;
  // `superion grade` of the written structure (extxyz, 10 decimals: positions rounded to 5e-11
  // A) against the grade printed with 10 significant digits: 1e-8 relative covers both
  // roundings (measured difference of such files' grades: 2e-9 at grade 3e7).
  EXPECT_NEAR(grade_command(out("relaxed.xyz")), g, 1e-8 * g);
  // The active set built from the training set by --grade-train is the state's (same pass,
  // same entry threshold 1.1): the same printed grade. Above a huge limit: no warning.
  ASSERT_EQ(relax("--grade-train " + train() + " --max-grade 1e300", &log), 0) << log;
  EXPECT_NE(log.find("\nextrapolation grade " + printed + " "), std::string::npos) << log;
  EXPECT_EQ(log.find("warning: the relaxed structure's extrapolation"), std::string::npos) << log;
}

TEST_F(PsoGrade, RankingGradesAndTheLimit) {
  std::string log;
  ASSERT_EQ(testing::run_superion(pso("plain", ""), &log), 0) << log;
  ASSERT_EQ(testing::run_superion(
                pso("huge", "--grade-als " + als() + " --max-grade 1e300 --polish 2"), &log),
            0)
      << log;
  EXPECT_NE(log.find("rejected 0"), std::string::npos) << log;
  EXPECT_NE(log.find("best reliable (grade <= 1e+300): rank 1"), std::string::npos) << log;
  const auto plain = read_csv(fs::path(out("plain")) / "ranking.csv");
  const auto huge = read_csv(fs::path(out("huge")) / "ranking.csv");
  ASSERT_GE(plain.size(), 3u);
  ASSERT_EQ(huge.size(), plain.size());
  EXPECT_EQ(plain[0].size(), 11u);
  EXPECT_EQ(huge[0].back(), "grade");
  // Nothing rejected: the same search, row by row, plus the grade column.
  for (std::size_t k = 0; k < plain.size(); ++k) {
    ASSERT_EQ(huge[k].size(), plain[k].size() + 1) << k;
    EXPECT_EQ(std::vector<std::string>(huge[k].begin(), huge[k].end() - 1), plain[k]) << k;
  }
  // The grade column is `superion grade` of the written structure (POSCAR, fractional
  // coordinates with 10 decimals, i.e. <= 3e-10 A here; 1e-8 relative as for relax).
  std::vector<double> grades;
  for (std::size_t k = 1; k < huge.size(); ++k) {
    const double g = std::stod(huge[k][11]);
    grades.push_back(g);
    if (k <= 3) {
      EXPECT_NEAR(grade_command((fs::path(out("huge")) / huge[k][6]).string()), g, 1e-8 * g) << k;
    }
  }
  // Polished structures (all atoms free) are graded too.
  const auto polished = read_csv(fs::path(out("huge")) / "polished.csv");
  ASSERT_GE(polished.size(), 2u) << log;
  EXPECT_EQ(polished[0].back(), "grade");
  const double gp = std::stod(polished[1][10]);
  EXPECT_NEAR(grade_command((fs::path(out("huge")) / polished[1][9]).string()), gp, 1e-8 * gp);
  EXPECT_TRUE(fs::exists(fs::path(out("huge")) / "best_reliable.vasp"));
  EXPECT_FALSE(fs::exists(fs::path(out("plain")) / "best_reliable.vasp"));

  // A limit below some of these grades: those candidates are rejected (and counted), and every
  // ranked structure is at or below the limit.
  std::sort(grades.begin(), grades.end());
  const double limit = grades[grades.size() / 2];
  char arg[64];
  std::snprintf(arg, sizeof arg, " --max-grade %.17g", limit);
  ASSERT_EQ(testing::run_superion(pso("mid", "--grade-als " + als() + arg), &log), 0) << log;
  EXPECT_NE(log.find("relaxed candidates rejected with a grade above --max-grade"),
            std::string::npos)
      << log;
  const auto mid = read_csv(fs::path(out("mid")) / "ranking.csv");
  ASSERT_GE(mid.size(), 2u) << log;
  for (std::size_t k = 1; k < mid.size(); ++k) EXPECT_LE(std::stod(mid[k][11]), limit) << k;
}

TEST_F(PsoGrade, TinyLimitRejectsEveryCandidateAndFails) {
  std::string log;
  EXPECT_NE(testing::run_superion(pso("tiny", "--grade-als " + als() + " --max-grade 1e-6"), &log),
            0);
  EXPECT_NE(
      log.find(
          "no relaxed structure is reliable: every candidate was rejected or failed, 8 with an "
          "extrapolation grade above --max-grade 1e-06"),
      std::string::npos)
      << log;
  EXPECT_NE(log.find("rejected 4"), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(fs::path(out("tiny")) / "ranking.csv"));
  EXPECT_FALSE(fs::exists(fs::path(out("tiny")) / "best.vasp"));
}

TEST_F(PsoGrade, BadInputIsOneClearErrorBeforeAnyOutput) {
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"--max-grade 5", "--max-grade and --grade-mode need an active set"},
      {"--grade-mode nbh", "--max-grade and --grade-mode need an active set"},
      {"--grade-als " + als() + " --grade-train " + train(),
       "give either --grade-als or --grade-train"},
      {"--grade-als " + out("missing.als"), "File does not exist"},
      {"--grade-als " + train(), "expected a state.als"},
      {"--grade-train " + als(), "this is a state.als, not a training set"},
      {"--grade-als " + als() + " --max-grade 0", "--max-grade must be positive"},
  };
  std::string log;
  for (const Case& c : cases) {
    EXPECT_NE(testing::run_superion(pso("bad", c.args), &log), 0) << c.args;
    EXPECT_NE(log.find(c.message), std::string::npos) << c.args << "\n" << log;
    EXPECT_FALSE(fs::exists(out("bad"))) << c.args;
  }
  // A calculator without an active set.
  EXPECT_NE(testing::run_superion("pso --composition NaCl --calculator classical:NaCl -o " +
                                      out("bad") + " --grade-als " + als(),
                                  &log),
            0);
  EXPECT_NE(log.find("need an mtp:POT.mtp calculator, not 'classical:NaCl'"), std::string::npos)
      << log;
  EXPECT_FALSE(fs::exists(out("bad")));
  // relax: the same checks, and no output file.
  EXPECT_NE(testing::run_superion("relax " + train() + " -o " + out("r.xyz") +
                                      " --calculator classical:Na3OCl --grade-als " + als(),
                                  &log),
            0);
  EXPECT_NE(log.find("need an mtp:POT.mtp calculator"), std::string::npos) << log;
  EXPECT_NE(testing::run_superion("relax " + train() + " -o " + out("r.xyz") + " --calculator " +
                                      kCalc + " --max-grade 3",
                                  &log),
            0);
  EXPECT_NE(log.find("need an active set"), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(out("r.xyz")));
}

}  // namespace
}  // namespace superion
