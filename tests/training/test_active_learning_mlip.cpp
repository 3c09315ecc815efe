// Active learning against MLIP-2 2.1.2's own outputs (../shared/data/mtp/active_learning): the
// parameter-derivative rows, the active set built from the training set (the same configuration
// in the same row), the grades (MLIP's full-precision values, hiprec/), select-add (the same new
// configurations in the same order for the weightings vibrations, molecules and structures), and
// MLIP's state.als read here and ours laid out as MLIP's.
//
// Tolerances: rows 1e-9 relative to the largest entry of the row (MLIP's own code, different
// summation order: agreement is ~1e-14); grades 1e-6 relative (the bound; observed
// ≤ 2.1e-10, the accumulated rounding of ~10–70 rank-1 updates on matrices with condition ~1e10).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "active_set.hpp"
#include "als_file.hpp"
#include "grade_rows.hpp"
#include "io/cfg.hpp"
#include "io/text_input.hpp"
#include "mtp/mtp_file.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;

fs::path al_dir() {
  return testing::shared_data() / "mtp/active_learning";
}

struct Setup {
  const char* name;       // li | ex2sp
  const char* potential;  // relative to al_dir()
};
const Setup kLi{"li", "../trained/Li_L10_mlip2.mtp"};
const Setup kEx{"ex2sp", "../trained/example2sp_L06_mlip2.mtp"};

Mtp potential(const Setup& s) {
  return read_mtp(al_dir() / s.potential);
}
Dataset data(const Setup& s, const std::string& which) {
  return io::read_cfg(al_dir() / s.name / (which + ".cfg"));
}

// hiprec/<name>_grade_<mode>_<set>.txt: "row j cfg k" (k 1-based, 0 = placeholder) and
// "grade i g".
struct HiprecGrades {
  std::vector<long> row_cfg;
  std::vector<double> grades;
};
HiprecGrades read_hiprec(const std::string& file) {
  std::ifstream in(al_dir() / "hiprec" / file);
  EXPECT_TRUE(in.good()) << file;
  HiprecGrades h;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string key;
    ss >> key;
    if (key == "row") {
      long j, k;
      std::string c;
      ss >> j >> c >> k;
      EXPECT_EQ(j, static_cast<long>(h.row_cfg.size()));
      h.row_cfg.push_back(k);
    } else if (key == "grade") {
      long i;
      double g;
      ss >> i >> g;
      h.grades.push_back(g);
    }
  }
  return h;
}

AlsWeights weights_for(bool nbh) {
  return nbh ? AlsWeights{1.0, 0.0, 0.0, 0.0} : AlsWeights{0.0, 1.0, 0.0, 0.0};
}

// MLIP calc-grade: training pass with entry threshold 1.1.
ActiveSet calc_grade_set(const Setup& s, bool nbh) {
  ActiveSet set(potential(s), weights_for(nbh), 1e-5);
  set.select_training(data(s, "train"), 1.1, 1.0000001);
  return set;
}

std::vector<long> row_map(const ActiveSet& set) {
  std::vector<long> m;
  for (int j = 0; j < set.size(); ++j) {
    const RowSource src = set.row_source(j);
    m.push_back(src.origin == RowOrigin::kNone ? 0 : src.index + 1);
  }
  return m;
}

void expect_grades(const ActiveSet& set, const Dataset& d, const std::vector<double>& ref,
                   const std::string& what) {
  ASSERT_EQ(d.size(), ref.size()) << what;
  double worst = 0.0;
  for (std::size_t k = 0; k < d.size(); ++k) {
    const double g = set.grade(d.configs[k].structure);
    EXPECT_NEAR(g, ref[k], 1e-6 * ref[k]) << what << " configuration " << k + 1;
    worst = std::max(worst, std::fabs(g - ref[k]) / ref[k]);
  }
  std::printf("  %s: %zu grades, largest relative difference to MLIP-2 %.2e\n", what.c_str(),
              d.size(), worst);
}

// ---- rows ----

void expect_rows_match(const Setup& s, const std::string& rows_file, bool nbh) {
  const Mtp m = potential(s);
  GradeRows rows(m);
  const Dataset all = [&] {
    Dataset a = data(s, "train");
    const Dataset b = data(s, "new");
    a.configs.insert(a.configs.end(), b.configs.begin(), b.configs.end());
    return a;
  }();
  std::istringstream in(io::read_text_file(al_dir() / "hiprec" / rows_file));
  std::string line;
  std::size_t cfg = 0, atom = 0, checked = 0;
  RowMatrix site;
  double worst = 0.0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    long k = 0, a = 0, type = 0;
    if (nbh) {
      ss >> k >> a >> type;
    } else {
      long natoms = 0;
      ss >> k >> natoms;
      a = 1;
    }
    std::vector<double> ref;
    double x;
    while (ss >> x) ref.push_back(x);
    ASSERT_EQ(static_cast<int>(ref.size()), rows.n_params()) << rows_file << ": " << line;
    if (static_cast<std::size_t>(k) != cfg) {
      cfg = static_cast<std::size_t>(k);
      rows.site_rows(all.configs.at(cfg - 1).structure, site);
    }
    atom = static_cast<std::size_t>(a);
    const Eigen::RowVectorXd ours =
        nbh ? Eigen::RowVectorXd(site.row(static_cast<Eigen::Index>(atom - 1)))
            : GradeRows::energy_row(site, 1.0, WeightingScheme::kVibrations);
    double scale = 0.0, diff = 0.0;
    for (int p = 0; p < rows.n_params(); ++p) {
      scale = std::max(scale, std::fabs(ref[p]));
      diff = std::max(diff, std::fabs(ref[p] - ours(p)));
    }
    worst = std::max(worst, diff / scale);
    ++checked;
  }
  EXPECT_GT(checked, 0u);
  EXPECT_LT(worst, 1e-9) << rows_file << ": largest difference relative to the row's largest entry";
}

TEST(ActiveLearningMlip, EnergyRowsEqualMlipGradients) {
  SUPERION_REQUIRE_SHARED(p, "mtp/active_learning/hiprec/li_energy_rows_73cfg.txt");
  expect_rows_match(kLi, "li_energy_rows_73cfg.txt", false);
  expect_rows_match(kEx, "ex2sp_energy_rows_5cfg.txt", false);
}

TEST(ActiveLearningMlip, NeighbourhoodRowsEqualMlipGradients) {
  SUPERION_REQUIRE_SHARED(p, "mtp/active_learning/hiprec/li_nbh_rows_73cfg.txt.gz");
  expect_rows_match(kEx, "ex2sp_nbh_rows_5cfg.txt", true);
  expect_rows_match(kLi, "li_nbh_rows_73cfg.txt.gz", true);
}

// ---- active set and grades (calc-grade) ----

struct GradeCase {
  const Setup* setup;
  bool nbh;
  const char* hiprec_prefix;  // hiprec/<prefix>_{new,train}.txt
};

class CalcGrade : public ::testing::TestWithParam<GradeCase> {};

TEST_P(CalcGrade, SameActiveSetAndGradesAsMlip) {
  SUPERION_REQUIRE_SHARED(p, "mtp/active_learning/hiprec/li_grade_new.txt");
  const GradeCase& c = GetParam();
  const ActiveSet set = calc_grade_set(*c.setup, c.nbh);
  for (const char* which : {"new", "train"}) {
    const HiprecGrades h = read_hiprec(std::string(c.hiprec_prefix) + "_" + which + ".txt");
    EXPECT_EQ(row_map(set), h.row_cfg) << "active set row -> training configuration";
    expect_grades(set, data(*c.setup, which), h.grades, std::string(c.hiprec_prefix) + "_" + which);
  }
}

TEST_P(CalcGrade, MlipStateFileGivesTheSameGrades) {
  const GradeCase& c = GetParam();
  const std::string run = std::string(c.setup->name) +
                          (c.nbh ? "/calc-grade_nbh_new/state.als" : "/calc-grade_new/state.als");
  SUPERION_REQUIRE_SHARED(als, "mtp/active_learning/" + run);
  const ActiveSet mlip = read_als(als);
  EXPECT_EQ(mlip.weights().nbh, c.nbh ? 1.0 : 0.0);
  const HiprecGrades h = read_hiprec(std::string(c.hiprec_prefix) + "_new.txt");
  expect_grades(mlip, data(*c.setup, "new"), h.grades, "MLIP state.als " + run);
  // The same matrices as ours (rows equal to ~1e-14; the inverse through the same updates).
  const ActiveSet ours = calc_grade_set(*c.setup, c.nbh);
  const double a_scale = mlip.maxvol().matrix().cwiseAbs().maxCoeff();
  EXPECT_LT((ours.maxvol().matrix() - mlip.maxvol().matrix()).cwiseAbs().maxCoeff(),
            1e-10 * a_scale);
  const double inv_scale = mlip.maxvol().inverse().cwiseAbs().maxCoeff();
  EXPECT_LT((ours.maxvol().inverse() - mlip.maxvol().inverse()).cwiseAbs().maxCoeff(),
            1e-7 * inv_scale);
  // Row -> configuration of MLIP's file: the same training configurations as ours.
  const Dataset train = data(*c.setup, "train");
  for (int j = 0; j < ours.size(); ++j) {
    const Configuration* m = mlip.row_configuration(j);
    const RowSource s = ours.row_source(j);
    ASSERT_EQ(m == nullptr, s.origin == RowOrigin::kNone) << "row " << j;
    if (m) {
      const Structure& t = train.configs[s.index].structure;
      ASSERT_EQ(m->size(), t.size());
      for (std::size_t i = 0; i < t.size(); ++i)
        EXPECT_EQ(m->structure.positions[i].x, t.positions[i].x) << "row " << j;
    }
  }
}

TEST_P(CalcGrade, OurStateFileHasMlipsLayoutAndReadsBack) {
  const GradeCase& c = GetParam();
  const std::string run = std::string(c.setup->name) +
                          (c.nbh ? "/calc-grade_nbh_new/state.als" : "/calc-grade_new/state.als");
  SUPERION_REQUIRE_SHARED(als, "mtp/active_learning/" + run);
  const ActiveSet ours = calc_grade_set(*c.setup, c.nbh);
  testing::TempDir dir;
  write_als(dir / "state.als", ours);
  EXPECT_TRUE(looks_like_als(dir / "state.als"));
  EXPECT_FALSE(looks_like_als(al_dir() / c.setup->potential));
  // Byte layout: identical to MLIP's file outside the two binary matrices (the .mtp text, the
  // weights, the row map and the configurations in lossless .cfg).
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const std::string a = slurp(dir / "state.als"), b = slurp(als);
  ASSERT_EQ(a.size(), b.size());
  const std::size_t n = ours.model().n_params(), head = b.find("\n^") + 2 + 32 + 2;
  EXPECT_EQ(a.substr(0, head), b.substr(0, head));
  const std::size_t tail = head + 16 * n * n;
  EXPECT_EQ(a.substr(tail), b.substr(tail));
  // Read back: bit-identical matrices and grades.
  const ActiveSet back = read_als(dir / "state.als");
  EXPECT_EQ(back.maxvol().matrix(), ours.maxvol().matrix());
  EXPECT_EQ(back.maxvol().inverse(), ours.maxvol().inverse());
  for (const auto& cfg : data(*c.setup, "new").configs)
    EXPECT_EQ(back.grade(cfg.structure), ours.grade(cfg.structure));
}

TEST_P(CalcGrade, ExplanationNamesTheLargestCoefficient) {
  SUPERION_REQUIRE_SHARED(p, "mtp/active_learning/hiprec/li_grade_new.txt");
  const GradeCase& c = GetParam();
  const ActiveSet set = calc_grade_set(*c.setup, c.nbh);
  for (const auto& cfg : data(*c.setup, "new").configs) {
    const GradeExplanation e = set.explain(cfg.structure);
    EXPECT_NEAR(e.grade, set.grade(cfg.structure), 1e-12 * e.grade);
    ASSERT_GE(e.active_row, 0);
    EXPECT_EQ(e.placeholder, set.row_source(e.active_row).origin == RowOrigin::kNone);
    EXPECT_EQ(e.atom >= 0, c.nbh);
    if (e.placeholder) EXPECT_EQ(e.parameter, parameter_name(set.model(), e.active_row));
  }
  // Parameter names follow MLIP's order (radial ((s1·C+s2)·K+μ)·R+β, species, moments).
  const Mtp m = potential(kEx);  // C = 2, K = 2, R = 8
  EXPECT_EQ(parameter_name(m, 0), "radial 0-0 mu 0 beta 0");
  EXPECT_EQ(parameter_name(m, ((1 * 2 + 0) * 2 + 1) * 8 + 3), "radial 1-0 mu 1 beta 3");
  EXPECT_EQ(parameter_name(m, 64), "species constant 0");
  EXPECT_EQ(parameter_name(m, 70), "moment coefficient 4");
}

INSTANTIATE_TEST_SUITE_P(Mlip, CalcGrade,
                         ::testing::Values(GradeCase{&kLi, false, "li_grade"},
                                           GradeCase{&kLi, true, "li_grade_nbh"},
                                           GradeCase{&kEx, false, "ex2sp_grade"},
                                           GradeCase{&kEx, true, "ex2sp_grade_nbh"}),
                         [](const auto& info) {
                           return std::string(info.param.setup->name) +
                                  (info.param.nbh ? "_nbh" : "_cfg");
                         });

// ---- select-add ----

// Index (0-based) in `pool` of the configuration with the same positions as `c`.
long find_configuration(const Dataset& pool, const Configuration& c) {
  for (std::size_t k = 0; k < pool.size(); ++k) {
    const Structure& s = pool.configs[k].structure;
    if (s.size() != c.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < s.size() && same; ++i) {
      const Vec3 d = s.positions[i] - c.structure.positions[i];
      same = std::fabs(d.x) + std::fabs(d.y) + std::fabs(d.z) < 1e-5;  // 6-decimal cfg text
    }
    if (same) return static_cast<long>(k);
  }
  return -1;
}

struct SelectCase {
  const Setup* setup;
  const char* run;  // directory with MLIP's diff.cfg / state.als
  WeightingScheme weighting;
};

class SelectAdd : public ::testing::TestWithParam<SelectCase> {};

TEST_P(SelectAdd, SameChoicesInTheSameOrderAsMlip) {
  const SelectCase& c = GetParam();
  SUPERION_REQUIRE_SHARED(
      diff, std::string("mtp/active_learning/") + c.setup->name + "/" + c.run + "/diff.cfg");
  ActiveSet set(potential(*c.setup), weights_for(false), 1e-5);
  set.select_training(data(*c.setup, "train"), 1.0000001, 1.0000001, c.weighting);
  const Dataset fresh = data(*c.setup, "new");
  const SelectOutcome out = set.select_add(fresh, 1.1, 1.0000001, c.weighting);
  std::vector<long> mlip;
  for (const auto& cfg : io::read_cfg(diff).configs) mlip.push_back(find_configuration(fresh, cfg));
  EXPECT_EQ(out.added, mlip);
  EXPECT_FALSE(out.added.empty());
  // The whole state: MLIP's state.als after selection has the same configuration in every row.
  const ActiveSet m = read_als(diff.parent_path() / "state.als");
  const Dataset train = data(*c.setup, "train");
  for (int j = 0; j < set.size(); ++j) {
    const Configuration* mc = m.row_configuration(j);
    const RowSource s = set.row_source(j);
    ASSERT_EQ(mc == nullptr, s.origin == RowOrigin::kNone) << "row " << j;
    if (!mc) continue;
    const Dataset& from = s.origin == RowOrigin::kTraining ? train : fresh;
    EXPECT_EQ(find_configuration(from, *mc), s.index) << "row " << j;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Mlip, SelectAdd,
    ::testing::Values(
        SelectCase{&kLi, "select-add", WeightingScheme::kVibrations},
        SelectCase{&kLi, "select-add_weighting_molecules", WeightingScheme::kMolecules},
        SelectCase{&kLi, "select-add_weighting_structures", WeightingScheme::kStructures},
        SelectCase{&kEx, "select-add", WeightingScheme::kVibrations}),
    [](const auto& info) {
      return superion::testing::test_name(std::string(info.param.setup->name) + "_" +
                                          info.param.run);
    });

}  // namespace
}  // namespace superion
