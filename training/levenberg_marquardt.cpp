// Levenberg–Marquardt step with Marquardt scaling and Nielsen's damping update.
#include "levenberg_marquardt.hpp"

#include <algorithm>
#include <cmath>

namespace superion {

bool LevenbergMarquardt::iterate(std::vector<double>& x, double& fx, std::vector<double>& gx) {
  const Eigen::Index n = static_cast<Eigen::Index>(x.size());
  const Eigen::MatrixXd H = h_(x);
  const Eigen::Map<const Eigen::VectorXd> g(gx.data(), n);
  // Marquardt scaling diag(H); a zero diagonal (a coefficient with no influence on the loss,
  // e.g. of a species pair absent from the data) gets a tiny positive value so the damped matrix
  // stays definite; its gradient is zero, so it does not move.
  const double dmax = std::max(H.diagonal().maxCoeff(), 0.0);
  Eigen::VectorXd D = H.diagonal().cwiseMax(1e-15 * dmax);
  if (dmax == 0.0) D.setOnes();
  if (state_.lambda < 0) state_.lambda = opt_.initial_lambda;
  std::vector<double> xt(x.size()), gt;
  for (int trial = 0; trial < opt_.max_rejections; ++trial) {
    Eigen::MatrixXd M = H;
    M.diagonal() += state_.lambda * D;
    const Eigen::VectorXd delta = M.ldlt().solve(-0.5 * g);
    // Predicted decrease of the model L + gᵀδ + δᵀHδ: δᵀHδ + 2λ δᵀDδ (> 0 for δ ≠ 0).
    const double predicted = -(g.dot(delta) + delta.dot(H * delta));
    for (Eigen::Index i = 0; i < n; ++i) xt[i] = x[i] + delta(i);
    const double ft = f_(xt, gt);
    ++evaluations_;
    const double rho = (fx - ft) / predicted;
    if (std::isfinite(ft) && ft < fx && predicted > 0.0 && std::isfinite(rho)) {
      state_.lambda *= std::max(1.0 / 3.0, 1.0 - std::pow(2.0 * rho - 1.0, 3));
      state_.nu = 2.0;
      x = xt;
      fx = ft;
      gx = gt;
      return true;
    }
    state_.lambda *= state_.nu;
    state_.nu *= 2.0;
  }
  return false;
}

}  // namespace superion
