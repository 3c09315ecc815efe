// Linear solve of the normal equations and the projected (VarPro) objective.
#include "varpro.hpp"

#include <cmath>

namespace superion {

std::vector<double> solve_linear_system(const LinearSystem& sys) {
  const Eigen::Index n = sys.normal.rows();
  Eigen::VectorXd d(n);
  for (Eigen::Index l = 0; l < n; ++l) {
    const double a = sys.normal(l, l);
    d(l) = a > 0.0 ? std::sqrt(a) : 0.0;
  }
  Eigen::VectorXd inv = d.unaryExpr([](double x) { return x > 0.0 ? 1.0 / x : 0.0; });
  Eigen::MatrixXd A = inv.asDiagonal() * sys.normal * inv.asDiagonal();
  for (Eigen::Index l = 0; l < n; ++l) A(l, l) = (d(l) > 0.0 ? A(l, l) : 1.0) + kRidge;
  const Eigen::VectorXd b = inv.cwiseProduct(sys.rhs);
  const Eigen::VectorXd z = A.ldlt().solve(b);
  const Eigen::VectorXd x = inv.cwiseProduct(z);
  return std::vector<double>(x.data(), x.data() + n);
}

ProjectedValue ProjectedObjective::evaluate(const std::vector<double>& radial, bool gradient) {
  ++evaluations_;
  backend_.assemble(radial, sys_);
  ProjectedValue out;
  out.linear = solve_linear_system(sys_);
  out.stats = backend_.evaluate(radial, out.linear, gradient ? &out.grad : nullptr, nullptr);
  out.loss = out.stats.loss;
  return out;
}

}  // namespace superion
