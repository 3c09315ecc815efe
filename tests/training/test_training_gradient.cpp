// Trainer derivatives: design rows against the evaluator, the loss gradient with respect to all
// parameters and the projected (VarPro) gradient against central finite differences.
#include <gtest/gtest.h>

#include <cmath>

#include "cpu_backend.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "training_set.hpp"
#include "training_test_helpers.hpp"
#include "varpro.hpp"

namespace superion {
namespace {

struct Problem : testing::TrainingProblem {
  std::vector<double> radial, linear;
};

// 2 species, level 8 (contractions of up to 4 moments, ranks up to 2) plus all three loss
// terms with non-default weighting, so every code path of the kernels is exercised.
std::unique_ptr<Problem> make_problem(int level, WeightingScheme scheme) {
  std::mt19937 rng(7);
  LossWeights w = testing::all_terms_weights();
  w.energy = 1.0;
  w.scheme = scheme;
  auto p = testing::make_training_problem<Problem>(level, 2, rng, w);
  p->radial = p->model.radial_coeffs;
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  p->linear.resize(p->backend->n_linear());
  for (auto& x : p->linear) x = 0.3 * u(rng);
  return p;
}

TEST(TrainingDesign, RowsTimesCoefficientsEqualEvaluator) {
  auto p = make_problem(8, WeightingScheme::kVibrations);
  Mtp m = p->model;
  m.species_coeffs.assign(p->linear.begin(), p->linear.begin() + 2);
  m.moment_coeffs.assign(p->linear.begin() + 2, p->linear.end());
  m.trained = true;
  const MtpEvaluator ev(m);
  const Eigen::Map<const Eigen::VectorXd> xi(p->linear.data(), p->linear.size());
  for (std::size_t k = 0; k < p->data.size(); ++k) {
    const Eigen::VectorXd pred = p->backend->design(k, p->radial) * xi;
    const MtpPrediction ref = ev.evaluate(p->data.configs[k].structure);
    const std::size_t n = p->data.configs[k].size();
    ASSERT_EQ(pred.size(), static_cast<long>(1 + 3 * n + 9));
    // Same sums in a different order: agreement to rounding (1e-10 relative to O(1) values).
    EXPECT_NEAR(pred(0), ref.energy, 1e-10 * (1 + std::fabs(ref.energy)));
    for (std::size_t i = 0; i < n; ++i)
      for (int d = 0; d < 3; ++d) EXPECT_NEAR(pred(1 + 3 * i + d), ref.forces[i][d], 1e-10);
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) EXPECT_NEAR(pred(1 + 3 * n + 3 * a + b), ref.virial[a][b], 1e-10);
  }
}

TEST(TrainingDesign, NormalEquationsReproduceTheLoss) {
  auto p = make_problem(8, WeightingScheme::kStructures);
  LinearSystem sys;
  p->backend->assemble(p->radial, sys);
  const Eigen::Map<const Eigen::VectorXd> xi(p->linear.data(), p->linear.size());
  const double quad = xi.dot(sys.normal * xi) - 2.0 * xi.dot(sys.rhs) + sys.yy;
  const double loss = p->backend->evaluate(p->radial, p->linear, nullptr, nullptr).loss;
  EXPECT_NEAR(quad, loss, 1e-10 * loss);  // rounding of O(1) sums
}

// Central differences with step h·max(1,|θ|); truncation error O(h²) ~ 1e-10 relative for
// h = 1e-5, rounding ~ 1e-16/1e-5 = 1e-11 relative; tolerance 1e-6 relative to the largest
// gradient component leaves a wide margin while catching any missing term.
void check_gradient(const std::function<double(const std::vector<double>&)>& f,
                    const std::vector<double>& x, const std::vector<double>& g, const char* what) {
  double gmax = 0.0;
  for (double v : g) gmax = std::max(gmax, std::fabs(v));
  ASSERT_GT(gmax, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double h = 1e-5 * std::max(1.0, std::fabs(x[i]));
    std::vector<double> xp = x, xm = x;
    xp[i] += h;
    xm[i] -= h;
    const double fd = (f(xp) - f(xm)) / (2.0 * h);
    EXPECT_NEAR(g[i], fd, 1e-6 * gmax) << what << " parameter " << i;
  }
}

class TrainingGradient : public ::testing::TestWithParam<std::tuple<int, WeightingScheme>> {};

TEST_P(TrainingGradient, AllParametersMatchFiniteDifferences) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  std::vector<double> gr, gl;
  p->backend->evaluate(p->radial, p->linear, &gr, &gl);
  check_gradient(
      [&](const std::vector<double>& r) {
        return p->backend->evaluate(r, p->linear, nullptr, nullptr).loss;
      },
      p->radial, gr, "radial");
  check_gradient(
      [&](const std::vector<double>& l) {
        return p->backend->evaluate(p->radial, l, nullptr, nullptr).loss;
      },
      p->linear, gl, "linear");
}

TEST_P(TrainingGradient, ProjectedGradientMatchesFiniteDifferences) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend);
  const ProjectedValue v = obj.evaluate(p->radial);
  // At ξ*(c) the linear gradient vanishes (up to the ridge and rounding).
  std::vector<double> gr, gl;
  p->backend->evaluate(p->radial, v.linear, &gr, &gl);
  for (std::size_t i = 0; i < gr.size(); ++i) EXPECT_EQ(gr[i], v.grad[i]);
  // Compared with the linear gradient at the random ξ of the problem (natural scale of each
  // component); the ridge (1e-12) and rounding of the normal equations leave ~1e-9 of it.
  std::vector<double> gr0, gl0;
  p->backend->evaluate(p->radial, p->linear, &gr0, &gl0);
  for (std::size_t i = 0; i < gl.size(); ++i)
    EXPECT_LT(std::fabs(gl[i]), 1e-6 * std::fabs(gl0[i]) + 1e-12) << "linear " << i;
  check_gradient([&](const std::vector<double>& r) { return obj.evaluate(r, false).loss; },
                 p->radial, v.grad, "projected radial");
}

INSTANTIATE_TEST_SUITE_P(LevelsAndWeighting, TrainingGradient,
                         ::testing::Values(std::make_tuple(6, WeightingScheme::kVibrations),
                                           std::make_tuple(8, WeightingScheme::kMolecules),
                                           std::make_tuple(10, WeightingScheme::kStructures)));

}  // namespace
}  // namespace superion
