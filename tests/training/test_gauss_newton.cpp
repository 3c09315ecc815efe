// Levenberg–Marquardt ingredients: the forward-difference Jacobian blocks of the CPU backend
// (J_cᵀr equals the exact VarPro gradient; JtJ and AtJ reproduce the fixed-ξ loss of a
// zero-residual problem), the reduced Gauss–Newton matrix (symmetric, PSD, the radial-function
// rescaling directions in its null space) and LM against L-BFGS on a small real problem.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "cpu_backend.hpp"
#include "gauss_newton_checks.hpp"
#include "io/formats.hpp"
#include "lbfgs.hpp"
#include "levenberg_marquardt.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "test_util.hpp"
#include "training_set.hpp"
#include "training_test_helpers.hpp"
#include "varpro.hpp"

namespace superion {
namespace {

using Problem = testing::TrainingProblem;

// Random structures and labels, `species` species, all three loss terms.
std::unique_ptr<Problem> make_problem(int level, int species, unsigned seed = 7) {
  std::mt19937 rng(seed);
  return testing::make_training_problem(level, species, rng, testing::all_terms_weights());
}

double max_abs(const Eigen::VectorXd& v) {
  return v.cwiseAbs().maxCoeff();
}

class GaussNewton : public ::testing::TestWithParam<std::tuple<int, int>> {};

// J_Kᵀr = J_cᵀr − AtJᵀN⁻¹Aᵀr with Aᵀr = Nξ* − b ≈ 0, and ∇L = 2J_cᵀr at ξ* (VarPro). The
// exact (forward-mode) Jacobian and the gradient's reverse sweep differ only by rounding of sums
// in different order (~1e-14 relative): 2J_cᵀr = g to 1e-10 of the largest component. Aᵀr is
// only what the 1e-12 ridge leaves; these tiny random design matrices are ill-conditioned, so
// its projection reaches ~1e-7 of the gradient (observed): tolerance 1e-6 for J_Kᵀr.
TEST_P(GaussNewton, JacobianTimesResidualEqualsProjectedGradient) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue v = obj.evaluate(c);
  GaussNewtonBlocks gn;
  p->backend->gauss_newton(c, v.linear, gn);
  LinearSystem sys;
  p->backend->assemble(c, sys);
  const Eigen::Map<const Eigen::VectorXd> xi(v.linear.data(), v.linear.size());
  const Eigen::VectorXd Atr = sys.normal * xi - sys.rhs;
  LinearSystem corr = sys;  // N⁻¹Aᵀr with the trainer's regularised solve
  corr.rhs = Atr;
  const std::vector<double> z = solve_linear_system(corr);
  const Eigen::Map<const Eigen::VectorXd> zv(z.data(), z.size());
  const Eigen::VectorXd JKtr = gn.Jtr - gn.AtJ.transpose() * zv;
  const Eigen::Map<const Eigen::VectorXd> g(v.grad.data(), v.grad.size());
  ASSERT_GT(max_abs(g), 0.0);
  for (Eigen::Index i = 0; i < g.size(); ++i) {
    EXPECT_NEAR(2.0 * gn.Jtr(i), g(i), 1e-10 * max_abs(g)) << "radial " << i;
    EXPECT_NEAR(2.0 * JKtr(i), g(i), 1e-6 * max_abs(g)) << "radial " << i;
  }
}

// The exact Jacobian blocks equal the forward-difference ones (step 1e-7 relative: truncation
// error ~1e-7 of the entries, rounding ~1e-9): tolerance 1e-5 of each block's largest entry.
TEST_P(GaussNewton, ExactJacobianMatchesFiniteDifferences) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue v = obj.evaluate(c);
  GaussNewtonBlocks exact, fd;
  p->backend->gauss_newton(c, v.linear, exact);
  p->backend->use_finite_difference_jacobian(true);
  p->backend->gauss_newton(c, v.linear, fd);
  const auto check = [](const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const char* what) {
    const double scale = b.cwiseAbs().maxCoeff();
    ASSERT_GT(scale, 0.0) << what;
    EXPECT_LT((a - b).cwiseAbs().maxCoeff(), 1e-5 * scale) << what;
  };
  check(exact.JtJ, fd.JtJ, "JtJ");
  check(exact.AtJ, fd.AtJ, "AtJ");
  check(exact.Jtr, fd.Jtr, "Jtr");
}

// H is symmetric and positive semidefinite: the joint Gram matrix [A J]ᵀ[A J] is PSD and its
// Schur complement (with the ridge making N only larger) is too, up to rounding of the
// cancellation JtJ − YᵀY: eigenvalues ≥ −1e-9 of the largest. Rescaling radial function μ
// (direction c_μ) is absorbed by ξ, so J_K c_μ ≈ 0: c_μᵀHc_μ/‖c_μ‖² ≤ 1e-6 of the largest
// eigenvalue (FD error ~1e-7 relative in J_c, squared in H, plus the rounding above).
TEST_P(GaussNewton, ReducedMatrixIsSymmetricPsdWithRescalingNullSpace) {
  auto p = make_problem(std::get<0>(GetParam()), std::get<1>(GetParam()));
  ProjectedObjective obj(*p->backend);
  const std::vector<double> c = p->model.radial_coeffs;
  const ProjectedValue v = obj.evaluate(c);
  const Eigen::MatrixXd H = obj.gauss_newton(c, v.linear);
  testing::expect_psd_with_rescaling_null_space(H, p->model, c);
}

INSTANTIATE_TEST_SUITE_P(LevelsAndSpecies, GaussNewton,
                         ::testing::Values(std::make_tuple(6, 1), std::make_tuple(8, 2),
                                           std::make_tuple(10, 1), std::make_tuple(10, 2)));

// With labels equal to the model's own predictions at (c, ξ) the residual vanishes, so the
// fixed-(c, ξ) loss along a direction (δ, η) is ε²‖J_cδ + Aη‖² + O(ε³):
//   L(c + εδ, ξ + εη)/ε² = δᵀ JtJ δ + 2 ηᵀ AtJ δ + ηᵀ N η + O(ε).
// ε = 1e-4 gives a relative error ~1e-4 (third-order term); tolerance 1e-3.
TEST(GaussNewtonBlocks, ReproduceZeroResidualQuadratic) {
  auto p = make_problem(8, 2, 3);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<double> xi(p->backend->n_linear());
  for (auto& x : xi) x = 0.3 * u(rng);
  Mtp m = p->model;
  m.species_coeffs.assign(xi.begin(), xi.begin() + m.species_count);
  m.moment_coeffs.assign(xi.begin() + m.species_count, xi.end());
  m.trained = true;
  const MtpEvaluator ev(m);
  for (auto& cfg : p->data.configs) {
    const MtpPrediction pr = ev.evaluate(cfg.structure);
    cfg.energy = pr.energy;
    cfg.forces = pr.forces;
    cfg.virial = pr.virial;
  }
  LossWeights w;
  w.force = 0.3;
  w.stress = 0.05;
  TrainingSet set(p->data, m.max_dist, w, "self-labelled");
  set.cache_radial_basis(m.min_dist, m.radial_basis_size);
  CpuTrainerBackend backend(m, set);
  const std::vector<double>& c = m.radial_coeffs;
  EXPECT_LT(backend.evaluate(c, xi, nullptr, nullptr).loss, 1e-20);
  GaussNewtonBlocks gn;
  backend.gauss_newton(c, xi, gn);
  LinearSystem sys;
  backend.assemble(c, sys);
  for (int trial = 0; trial < 3; ++trial) {
    Eigen::VectorXd d(c.size()), e(xi.size());
    for (auto& x : d) x = u(rng);
    for (auto& x : e) x = trial == 0 ? 0.0 : 0.3 * u(rng);
    const double eps = 1e-4;
    std::vector<double> cp = c, xp = xi;
    for (std::size_t i = 0; i < c.size(); ++i) cp[i] += eps * d(i);
    for (std::size_t i = 0; i < xi.size(); ++i) xp[i] += eps * e(i);
    const double fd = backend.evaluate(cp, xp, nullptr, nullptr).loss / (eps * eps);
    const double quad = d.dot(gn.JtJ * d) + 2.0 * e.dot(gn.AtJ * d) + e.dot(sys.normal * e);
    EXPECT_NEAR(fd, quad, 1e-3 * quad) << "trial " << trial;
  }
}

// On a fixed small problem (Li 450 K MD, first 12 configurations, level 8, seed 1) LM reaches
// a lower projected loss than L-BFGS within the same number of loss evaluations (L-BFGS is
// given at least as many). Deterministic; no timing.
TEST(LevenbergMarquardt, BeatsLbfgsAtEqualEvaluations) {
  SUPERION_REQUIRE_SHARED(path, "mtp/cfg/Li_T450_73cfg.cfg");
  Dataset all = io::read_dataset(path);
  Dataset data;
  for (int k = 0; k < 12; ++k) data.configs.push_back(all.configs[k]);
  Mtp model = testing::small_model(8, 1, 2.0, 5.0, 8);
  init_radial_coefficients(model, 1);
  TrainingSet set(data, model.max_dist, LossWeights{}, "Li");
  model.min_dist = 0.99 * set.min_distance();
  set.cache_radial_basis(model.min_dist, model.radial_basis_size);
  CpuTrainerBackend backend(model, set);
  ProjectedObjective obj(backend);
  std::vector<std::pair<std::vector<double>, std::vector<double>>> xi_at;
  auto f = [&](const std::vector<double>& x, std::vector<double>& g) {
    const ProjectedValue v = obj.evaluate(x);
    g = v.grad;
    xi_at.emplace_back(x, v.linear);
    return v.loss;
  };
  auto h = [&](const std::vector<double>& x) {
    for (auto it = xi_at.rbegin(); it != xi_at.rend(); ++it)
      if (it->first == x) return obj.gauss_newton(x, it->second);
    throw Error("no ξ for the point");
  };
  const int budget = 20;
  std::vector<double> x = model.radial_coeffs, g;
  double fx = f(x, g);
  const double f0 = fx;
  LevenbergMarquardt lm(f, h);
  while (lm.evaluations() < budget && lm.iterate(x, fx, g)) {
  }
  const double f_lm = fx;
  const long n_lm = lm.evaluations();
  x = model.radial_coeffs;
  fx = f(x, g);
  Lbfgs lbfgs(f);
  while (lbfgs.evaluations() < n_lm && lbfgs.iterate(x, fx, g)) {
  }
  const double f_lbfgs = fx;
  std::printf("loss: initial %.6e, LM %.6e (%ld evaluations), L-BFGS %.6e (%ld evaluations)\n", f0,
              f_lm, n_lm, f_lbfgs, lbfgs.evaluations());
  EXPECT_GE(lbfgs.evaluations(), n_lm);
  EXPECT_LT(f_lm, f0);
  EXPECT_LT(f_lm, f_lbfgs) << "LM " << f_lm << " after " << n_lm << " evaluations, L-BFGS "
                           << f_lbfgs << " after " << lbfgs.evaluations();
}

}  // namespace
}  // namespace superion
