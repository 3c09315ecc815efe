// Linear solve of the normal equations and the projected (VarPro) objective.
#include "varpro.hpp"

#include <cmath>

#include "core/error.hpp"

namespace superion {

std::vector<double> solve_linear_system(const LinearSystem& sys, const Eigen::VectorXd* penalty) {
  const Eigen::Index n = sys.normal.rows();
  Eigen::VectorXd d(n);
  for (Eigen::Index l = 0; l < n; ++l) {
    const double a = sys.normal(l, l);
    d(l) = a > 0.0 ? std::sqrt(a) : 0.0;
  }
  Eigen::VectorXd inv = d.unaryExpr([](double x) { return x > 0.0 ? 1.0 / x : 0.0; });
  Eigen::MatrixXd A = inv.asDiagonal() * sys.normal * inv.asDiagonal();
  for (Eigen::Index l = 0; l < n; ++l) A(l, l) = (d(l) > 0.0 ? A(l, l) : 1.0) + kRidge;
  if (penalty)
    for (Eigen::Index l = 0; l < n; ++l) A(l, l) += (*penalty)(l)*inv(l) * inv(l);
  const Eigen::VectorXd b = inv.cwiseProduct(sys.rhs);
  const Eigen::VectorXd z = A.ldlt().solve(b);
  const Eigen::VectorXd x = inv.cwiseProduct(z);
  return std::vector<double>(x.data(), x.data() + n);
}

void TrainerBackend::gauss_newton(const std::vector<double>&, const std::vector<double>&,
                                  GaussNewtonBlocks&) {
  throw Error("this training backend has no Gauss-Newton matrix (use --optimizer lbfgs)");
}

LossStats TrainerBackend::evaluate_per_config(const std::vector<double>& radial,
                                              const std::vector<double>& linear,
                                              std::vector<double>& per_config) {
  per_config.clear();  // not available: the loss alone (no noise allowance possible)
  return evaluate(radial, linear, nullptr, nullptr);
}

Eigen::MatrixXd reduced_gauss_newton(const LinearSystem& sys, const GaussNewtonBlocks& gn,
                                     const RidgeTerms* ridge) {
  const Eigen::Index n = sys.normal.rows();
  Eigen::VectorXd inv(n);
  for (Eigen::Index l = 0; l < n; ++l) {
    const double a = sys.normal(l, l);
    inv(l) = a > 0.0 ? 1.0 / std::sqrt(a) : 0.0;
  }
  Eigen::MatrixXd A = inv.asDiagonal() * sys.normal * inv.asDiagonal();
  for (Eigen::Index l = 0; l < n; ++l) A(l, l) = (inv(l) > 0.0 ? A(l, l) : 1.0) + kRidge;
  Eigen::MatrixXd B = inv.asDiagonal() * gn.AtJ;
  // H = JtJ − Yᵀ Y with Y = L⁻¹ D⁻¹ AtJ (A = LLᵀ), symmetrised exactly (the products are
  // symmetric only up to rounding).
  Eigen::MatrixXd H = gn.JtJ;
  if (ridge) {
    for (Eigen::Index l = 0; l < n; ++l) A(l, l) += ridge->diagonal(l) * inv(l) * inv(l);
    const Eigen::VectorXd root = ridge->diagonal.cwiseSqrt();
    B.noalias() += (inv.cwiseProduct(root)).asDiagonal() * ridge->jacobian;
    H.noalias() += ridge->jacobian.transpose() * ridge->jacobian;
  }
  const Eigen::LLT<Eigen::MatrixXd> llt(A);
  if (llt.info() == Eigen::Success) {
    const Eigen::MatrixXd Y = llt.matrixL().solve(B);
    H.noalias() -= Y.transpose() * Y;
  } else {  // numerically indefinite scaled matrix: LDLᵀ as in solve_linear_system
    H.noalias() -= B.transpose() * A.ldlt().solve(B);
  }
  return 0.5 * (H + H.transpose());
}

Eigen::MatrixXd ProjectedObjective::gauss_newton(const std::vector<double>& radial,
                                                 const std::vector<double>& linear) {
  if (sys_radial_ != radial) {
    backend_.assemble(radial, sys_);
    sys_radial_ = radial;
  }
  ++jacobians_;
  GaussNewtonBlocks gn;
  backend_.gauss_newton(radial, linear, gn);
  if (ridge_ && ridge_->active()) {
    const Eigen::VectorXd w = ridge_->weights(radial);
    RidgeTerms terms{ridge_->lambda() * w, ridge_->residual_jacobian(radial, w, linear)};
    return reduced_gauss_newton(sys_, gn, &terms);
  }
  return reduced_gauss_newton(sys_, gn);
}

const LinearSystem& ProjectedObjective::system_at(const std::vector<double>& radial) {
  if (sys_radial_ != radial) {
    backend_.assemble(radial, sys_);
    sys_radial_ = radial;
  }
  return sys_;
}

ProjectedValue ProjectedObjective::evaluate(const std::vector<double>& radial, bool gradient) {
  ++evaluations_;
  backend_.assemble(radial, sys_);
  sys_radial_ = radial;
  ProjectedValue out;
  const bool ridge = ridge_ && ridge_->lambda() > 0.0;
  if (!ridge) {
    out.linear = solve_linear_system(sys_);
    out.stats = backend_.evaluate(radial, out.linear, gradient ? &out.grad : nullptr, nullptr);
    out.loss = out.stats.loss;
    return out;
  }
  if (!ridge_->has_reference()) ridge_->set_reference(radial, sys_.normal.diagonal());
  const Eigen::VectorXd w = ridge_->weights(radial);
  const Eigen::VectorXd penalty = ridge_->lambda() * w;
  out.linear = solve_linear_system(sys_, &penalty);
  out.stats = backend_.evaluate(radial, out.linear, gradient ? &out.grad : nullptr, nullptr);
  out.penalty = ridge_->value(w, out.linear);
  out.loss = out.stats.loss + out.penalty;
  if (gradient) ridge_->add_gradient(radial, w, out.linear, out.grad);
  return out;
}

}  // namespace superion
