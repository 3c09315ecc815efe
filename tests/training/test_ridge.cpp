// Ridge penalty of the VarPro trainer (training/ridge.hpp): the penalised linear solve is the
// minimiser of loss + penalty, the projected objective's gradient matches central finite
// differences, the objective is invariant under rescaling a radial function, the penalty's
// residual Jacobian matches finite differences, and the Gauss–Newton model with the penalty rows
// is consistent with the exact gradient (2J_extᵀr_ext = ∇Φ, symmetric PSD, rescaling null space).
#include <gtest/gtest.h>

#include <cmath>

#include "cpu_backend.hpp"
#include "gauss_newton_checks.hpp"
#include "model_setup.hpp"
#include "ridge.hpp"
#include "training_set.hpp"
#include "training_test_helpers.hpp"
#include "varpro.hpp"

namespace superion {
namespace {

// λ relative to the normal matrix's diagonal at the reference: 1e-2 shrinks the moment
// coefficients visibly (the penalty is ~1e-3..1e-1 of the loss on these problems).
constexpr double kLambda = 1e-2;

struct Problem : testing::TrainingProblem {
  RidgePenalty ridge;
};

// Random structures and labels, `species` species, all three loss terms (as the gradient tests).
std::unique_ptr<Problem> make_problem(int level, int species, double lambda = kLambda) {
  std::mt19937 rng(7);
  auto p =
      testing::make_training_problem<Problem>(level, species, rng, testing::all_terms_weights());
  p->ridge = RidgePenalty(p->model);
  p->ridge.set_lambda(lambda);
  return p;
}

double max_abs(const std::vector<double>& v) {
  double m = 0.0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

// Radial coefficients with radial function μ multiplied by t.
std::vector<double> rescaled(const Mtp& m, std::vector<double> c, int mu, double t) {
  const int C = m.species_count, K = m.radial_funcs_count, R = m.radial_basis_size;
  for (int q = 0; q < C * C; ++q)
    for (int b = 0; b < R; ++b) c[(q * K + mu) * R + b] *= t;
  return c;
}

TEST(RidgeDegrees, SumToTheFactorCountsOfTheBasisFunctions) {
  for (int level : {6, 10, 16}) {
    const Mtp m = testing::small_model(level, 2, 1.4, 4.2, 6);
    const auto d = linear_radial_degrees(m);
    const auto nf = scalar_factor_counts(m);
    ASSERT_EQ(d.size(), 2 + nf.size());
    for (int s = 0; s < 2; ++s)
      for (int x : d[s]) EXPECT_EQ(x, 0);
    for (std::size_t a = 0; a < nf.size(); ++a) {
      int sum = 0;
      for (int x : d[2 + a]) sum += x;
      EXPECT_EQ(sum, nf[a]) << "level " << level << " basis function " << a;
    }
  }
}

class Ridge : public ::testing::TestWithParam<std::tuple<int, int>> {};

// At ξ*(c) the gradient of loss + penalty with respect to ξ vanishes: ∂L/∂ξ + 2λωξ = 0, up to the
// 1e-12 regularisation and rounding of the normal equations (compared with ∂L/∂ξ at ξ = 0, the
// natural scale of each component, like the unpenalised test in test_training_gradient.cpp).
TEST_P(Ridge, PenalisedSolveMinimisesLossPlusPenalty) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend, &p->ridge);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue v = obj.evaluate(c);
  EXPECT_GT(v.penalty, 1e-6 * v.loss);
  EXPECT_EQ(v.loss, v.stats.loss + v.penalty);
  std::vector<double> gr, gl, gr0, gl0;
  p->backend->evaluate(c, v.linear, &gr, &gl);
  p->backend->evaluate(c, std::vector<double>(v.linear.size(), 0.0), &gr0, &gl0);
  const Eigen::VectorXd w = p->ridge.weights(c);
  for (std::size_t l = 0; l < gl.size(); ++l) {
    const double total = gl[l] + 2.0 * kLambda * w(l) * v.linear[l];
    EXPECT_LT(std::fabs(total), 1e-6 * std::fabs(gl0[l]) + 1e-12) << "linear " << l;
  }
  // The penalty is switched on relative to the diagonal of the normal matrix at the first point.
  LinearSystem sys;
  p->backend->assemble(c, sys);
  for (Eigen::Index l = p->model.species_count; l < w.size(); ++l)
    EXPECT_NEAR(w(l), sys.normal(l, l), 1e-12 * sys.normal(l, l)) << "linear " << l;
}

// Central differences with step 1e-5·max(1,|c|) (truncation ~1e-10, rounding ~1e-11 relative);
// tolerance 1e-6 of the largest gradient component, as for the unpenalised projected gradient.
TEST_P(Ridge, ProjectedGradientMatchesFiniteDifferences) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend, &p->ridge);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue v = obj.evaluate(c);
  const double gmax = max_abs(v.grad);
  ASSERT_GT(gmax, 0.0);
  // The penalty's own share of the gradient is not negligible (else the test would not see it).
  std::vector<double> share(c.size(), 0.0);
  p->ridge.add_gradient(c, p->ridge.weights(c), v.linear, share);
  EXPECT_GT(max_abs(share), 1e-4 * gmax);
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double h = 1e-5 * std::max(1.0, std::fabs(c[i]));
    std::vector<double> cp = c, cm = c;
    cp[i] += h;
    cm[i] -= h;
    const double fd = (obj.evaluate(cp, false).loss - obj.evaluate(cm, false).loss) / (2.0 * h);
    EXPECT_NEAR(v.grad[i], fd, 1e-6 * gmax) << "radial " << i;
  }
}

// Rescaling radial function μ by t is absorbed by ξ in the loss and by ω in the penalty: the
// objective and the penalty are unchanged up to the rounding of the solve (1e-9 relative with
// these ill-conditioned random problems; t = 3 and 0.2 change the coefficients by up to t⁴).
TEST_P(Ridge, ObjectiveInvariantUnderRadialRescaling) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend, &p->ridge);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue v = obj.evaluate(c, false);
  for (int mu = 0; mu < p->model.radial_funcs_count; ++mu)
    for (double t : {3.0, 0.2}) {
      const ProjectedValue s = obj.evaluate(rescaled(p->model, c, mu, t), false);
      EXPECT_NEAR(s.loss, v.loss, 1e-9 * v.loss) << "mu " << mu << " t " << t;
      EXPECT_NEAR(s.penalty, v.penalty, 1e-8 * v.penalty) << "mu " << mu << " t " << t;
    }
}

// ∂ρ/∂c at fixed ξ against central differences of ρ_α = √(λω_α(c)) ξ_α (smooth, analytic in c:
// step 1e-6 relative, tolerance 1e-7 of the largest entry).
TEST_P(Ridge, ResidualJacobianMatchesFiniteDifferences) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend, &p->ridge);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue v = obj.evaluate(c, false);
  const Eigen::MatrixXd J = p->ridge.residual_jacobian(c, p->ridge.weights(c), v.linear);
  auto rho = [&](const std::vector<double>& x) {
    const Eigen::VectorXd w = p->ridge.weights(x);
    Eigen::VectorXd r(w.size());
    for (Eigen::Index l = 0; l < w.size(); ++l) r(l) = std::sqrt(kLambda * w(l)) * v.linear[l];
    return r;
  };
  const double scale = J.cwiseAbs().maxCoeff();
  ASSERT_GT(scale, 0.0);
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double h = 1e-6 * std::max(1.0, std::fabs(c[i]));
    std::vector<double> cp = c, cm = c;
    cp[i] += h;
    cm[i] -= h;
    const Eigen::VectorXd fd = (rho(cp) - rho(cm)) / (2.0 * h);
    EXPECT_LT((J.col(static_cast<Eigen::Index>(i)) - fd).cwiseAbs().maxCoeff(), 1e-7 * scale)
        << "radial " << i;
  }
}

// Gauss–Newton with the penalty rows: 2(J_cᵀr + J_ρᵀρ) equals the exact gradient of Φ (to
// rounding, 1e-10 of the largest component, as without the ridge); the reduced matrix is
// symmetric PSD and the rescaling directions stay in its null space (same tolerances as
// test_gauss_newton.cpp).
TEST_P(Ridge, GaussNewtonModelConsistentWithTheGradient) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend, &p->ridge);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue v = obj.evaluate(c);
  GaussNewtonBlocks gn;
  p->backend->gauss_newton(c, v.linear, gn);
  const Eigen::VectorXd w = p->ridge.weights(c);
  const Eigen::MatrixXd Jr = p->ridge.residual_jacobian(c, w, v.linear);
  Eigen::VectorXd rho(w.size());
  for (Eigen::Index l = 0; l < w.size(); ++l) rho(l) = std::sqrt(kLambda * w(l)) * v.linear[l];
  const Eigen::VectorXd g2 = 2.0 * (gn.Jtr + Jr.transpose() * rho);
  const double gmax = max_abs(v.grad);
  for (std::size_t i = 0; i < v.grad.size(); ++i)
    EXPECT_NEAR(g2(static_cast<Eigen::Index>(i)), v.grad[i], 1e-10 * gmax) << "radial " << i;

  const Eigen::MatrixXd H = obj.gauss_newton(c, v.linear);
  double emax = 0.0;
  testing::expect_psd_with_rescaling_null_space(H, p->model, c, &emax);
  // The penalty changes H (it is not the unpenalised matrix).
  ProjectedObjective plain(*p->backend);
  const ProjectedValue v0 = plain.evaluate(c);
  EXPECT_GT((H - plain.gauss_newton(c, v0.linear)).cwiseAbs().maxCoeff(), 1e-8 * emax);
}

INSTANTIATE_TEST_SUITE_P(LevelsAndSpecies, Ridge,
                         ::testing::Values(std::make_tuple(6, 1), std::make_tuple(8, 2),
                                           std::make_tuple(10, 1), std::make_tuple(10, 2)));

// λ = 0 takes the unpenalised path: the same bits as without a penalty object.
TEST(Ridge, ZeroLambdaIsExactlyTheUnpenalisedObjective) {
  auto p = make_problem(8, 2, 0.0);
  ProjectedObjective with(*p->backend, &p->ridge), without(*p->backend);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue a = with.evaluate(c), b = without.evaluate(c);
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.penalty, 0.0);
  EXPECT_EQ(a.grad, b.grad);
  EXPECT_EQ(a.linear, b.linear);
  EXPECT_EQ(with.gauss_newton(c, a.linear), without.gauss_newton(c, b.linear));
}

}  // namespace
}  // namespace superion
