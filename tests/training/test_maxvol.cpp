// MaxVol and the active set on their own terms (no MLIP data needed):
//  * the rows are exact parameter derivatives: Σ_i row_i = ∂E/∂θ by central finite differences of
//    the energy in every parameter (4-species level-10 potential, radial and linear parameters);
//  * greedy selection ends in a local maximum of |det A|: afterwards no candidate coefficient
//    exceeds the swap threshold, every swap multiplied |det A| by its pivot, A·A⁻¹ = I;
//  * grades: 1 for a row of A, max|c| for Σ c_j a_j (MLIP and data scope alike); data grades do
//    not depend on the placeholder value ε while MLIP's do;
//  * select_add's limit on new configurations, and state.als round trips.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "active_set.hpp"
#include "als_file.hpp"
#include "core/error.hpp"
#include "grade_rows.hpp"
#include "io/formats.hpp"
#include "maxvol.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;

fs::path source(const std::string& rel) {
  return fs::path(SUPERION_SOURCE_DIR) / rel;
}

Dataset na3clso4_frames() {
  io::ReadOptions ro;
  ro.species = {"Na", "Cl", "S", "O"};
  return io::read_dataset(source("data/reference/Na3ClSO4/md_1100K_strain+0.00.xyz"), "auto", ro);
}

TEST(GradeRows, SumOfSiteRowsIsTheEnergyGradientByFiniteDifferences) {
  const Mtp m = read_mtp(source("tests/data/pso/na3clso4_level10.mtp"));
  const Structure s = na3clso4_frames().configs.back().structure;
  GradeRows rows(m);
  RowMatrix site;
  rows.site_rows(s, site);
  const Eigen::RowVectorXd g = GradeRows::energy_row(site, 1.0, WeightingScheme::kMolecules);
  const std::vector<double> theta = m.parameters();
  ASSERT_EQ(static_cast<int>(theta.size()), g.size());
  // Central differences; the energy is a polynomial of degree ≤ 4 in the radial coefficients
  // (contractions of ≤ 4 moments) and linear in the others, so the O(h²) truncation is
  // ~|∂³E| h² and h = 1e-4·max(1,|θ_k|) keeps it and the rounding (~1e-16·|E|/h) below 1e-6 of
  // the largest gradient entry.
  double worst = 0.0;
  const double scale = g.cwiseAbs().maxCoeff();
  for (std::size_t k = 0; k < theta.size(); ++k) {
    const double h = 1e-4 * std::max(1.0, std::fabs(theta[k]));
    Mtp p = m, q = m;
    std::vector<double> tp = theta, tq = theta;
    tp[k] += h;
    tq[k] -= h;
    p.set_parameters(tp);
    q.set_parameters(tq);
    const double fd =
        (MtpEvaluator(p).evaluate(s).energy - MtpEvaluator(q).evaluate(s).energy) / (2 * h);
    worst = std::max(worst, std::fabs(fd - g(static_cast<Eigen::Index>(k))));
  }
  EXPECT_LT(worst, 1e-6 * scale) << "largest |FD - row| over " << theta.size() << " parameters";
}

RowMatrix random_rows(int m, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d;
  RowMatrix B(m, n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) B(i, j) = d(rng);
  return B;
}

TEST(MaxVol, GreedySelectionEndsInALocalMaximumOfTheVolume) {
  const int n = 8, m = 40;
  MaxVol mv(n, 1e-5);
  RowMatrix B = random_rows(m, n, 3);
  const RowMatrix B0 = B;
  std::vector<long> tags(m);
  for (int i = 0; i < m; ++i) tags[i] = i;
  const MaxVol::Stats st = mv.select(B, tags, 1.1, 1.0000001);
  EXPECT_GE(st.swaps, n);
  EXPECT_EQ(mv.placeholder_rows(), 0);
  // A holds the candidate rows its tags say, and the inverse is right.
  for (int j = 0; j < n; ++j) EXPECT_EQ(mv.matrix().row(j), B0.row(mv.tags()[j]));
  EXPECT_LT((mv.matrix() * mv.inverse() - RowMatrix::Identity(n, n)).cwiseAbs().maxCoeff(), 1e-9);
  // No remaining candidate can increase |det A| by more than the swap threshold.
  const std::vector<double> g = mv.grades(B);
  for (int i = 0; i < m; ++i) EXPECT_LE(g[i], 1.0000001 + 1e-9) << "candidate " << i;
  // Brute force: replacing any row of A by any original candidate does not increase |det A|.
  const double det = std::fabs(mv.matrix().determinant());
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      RowMatrix a = mv.matrix();
      a.row(j) = B0.row(i);
      EXPECT_LE(std::fabs(a.determinant()), det * (1.0000001 + 1e-9));
    }
}

TEST(MaxVol, GradesAreTheLargestCoefficientInTheActiveBasis) {
  const int n = 6;
  MaxVol mv(n, 1e-5);
  RowMatrix B = random_rows(30, n, 5);
  std::vector<long> tags(30);
  for (int i = 0; i < 30; ++i) tags[i] = i;
  mv.select(B, tags, 1.1, 1.0000001);
  RowMatrix test(3, n);
  test.row(0) = mv.matrix().row(2);
  test.row(1) = 0.5 * mv.matrix().row(0) - 3.0 * mv.matrix().row(4);
  test.row(2) = 0.25 * mv.matrix().row(1) + 0.75 * mv.matrix().row(5);
  const std::vector<double> g = mv.grades(test), d = mv.data_grades(test);
  const double expect[3] = {1.0, 3.0, 0.75};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(g[i], expect[i], 1e-9);
    EXPECT_NEAR(d[i], expect[i], 1e-9);
  }
}

TEST(MaxVol, DataGradesDoNotDependOnThePlaceholderValue) {
  // Three data rows in a 6-dimensional space; the other rows are placeholders ε·e_j.
  const int n = 6;
  const RowMatrix data = random_rows(3, n, 11);
  const RowMatrix probe = random_rows(5, n, 12);
  std::vector<double> d[2], g[2];
  const double eps[2] = {1e-5, 1e-7};
  for (int v = 0; v < 2; ++v) {
    MaxVol mv(n, eps[v]);
    RowMatrix B = data;
    std::vector<long> tags{0, 1, 2};
    mv.select(B, tags, 1.1, 1.0000001);
    ASSERT_EQ(mv.placeholder_rows(), n - 3);
    d[v] = mv.data_grades(probe);
    g[v] = mv.grades(probe);
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(d[0][i], d[1][i], 1e-9 * d[0][i]);
    EXPECT_GT(g[1][i], 10.0 * g[0][i]);  // MLIP's grade scales as 1/ε off the data span
  }
  // In the data span, the data grade is MLIP's grade.
  MaxVol mv(n, 1e-5);
  RowMatrix B = data;
  std::vector<long> tags{0, 1, 2};
  mv.select(B, tags, 1.1, 1.0000001);
  RowMatrix in_span(1, n);
  in_span.row(0) = 2.0 * data.row(0) - 0.5 * data.row(2);
  EXPECT_NEAR(mv.data_grades(in_span)[0], mv.grades(in_span)[0], 1e-9);
  EXPECT_NEAR(mv.data_grades(in_span)[0], 2.0, 1e-9);
}

TEST(ActiveSet, LimitCapsTheNumberOfNewConfigurationsInGreedyOrder) {
  const Mtp m = read_mtp(source("tests/data/pso/na3clso4_level10.mtp"));
  Dataset all = na3clso4_frames();
  Dataset train, cand;
  for (std::size_t k = 0; k < all.size(); ++k)
    (k < 3 ? train : cand).configs.push_back(all.configs[k]);
  auto fresh = [&] {
    ActiveSet s(m, AlsWeights{1.0, 0.0, 0.0, 0.0}, 1e-5);
    s.select_training(train, 1.0000001, 1.0000001);
    return s;
  };
  ActiveSet unlimited = fresh();
  const SelectOutcome full = unlimited.select_add(cand, 1.1, 1.0000001);
  ASSERT_GE(full.added.size(), 3u);
  ActiveSet limited = fresh();
  const SelectOutcome two =
      limited.select_add(cand, 1.1, 1.0000001, WeightingScheme::kVibrations, 2);
  EXPECT_TRUE(two.limited);
  EXPECT_LE(two.added.size(), 2u);
  EXPECT_GE(two.added.size(), 1u);
  for (long k : two.added)
    EXPECT_NE(std::find(full.added.begin(), full.added.end(), k), full.added.end());
}

TEST(ActiveSet, StateFileRoundTripKeepsGradesAndRows) {
  const Mtp m = read_mtp(source("tests/data/pso/na3clso4_level10.mtp"));
  const Dataset all = na3clso4_frames();
  ActiveSet set(m, AlsWeights{1.0, 0.0, 0.0, 0.0}, 1e-5);
  set.select_training(all, 1.1, 1.0000001);
  testing::TempDir dir;
  write_als(dir / "s.als", set);
  const ActiveSet back = read_als(dir / "s.als");
  EXPECT_EQ(back.maxvol().matrix(), set.maxvol().matrix());
  EXPECT_EQ(back.maxvol().inverse(), set.maxvol().inverse());
  EXPECT_EQ(back.placeholder_rows(), set.placeholder_rows());
  std::vector<double> a, b;
  for (const auto& c : all.configs) {
    EXPECT_EQ(set.grade(c.structure, &a), back.grade(c.structure, &b));
    EXPECT_EQ(a, b);
    EXPECT_EQ(set.grade(c.structure, nullptr, GradeScope::kDataRows),
              back.grade(c.structure, nullptr, GradeScope::kDataRows));
  }
  // A damaged file is refused with a message naming it.
  std::string text;
  {
    std::ifstream in(dir / "s.als", std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  {
    std::ofstream o(dir / "short.als", std::ios::binary);
    o << text.substr(0, text.size() / 2);
  }
  try {
    read_als(dir / "short.als");
    FAIL() << "a truncated state was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("short.als"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace superion
