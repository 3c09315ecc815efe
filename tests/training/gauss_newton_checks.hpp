// Shared assertions on a reduced Gauss–Newton matrix H of the radial coefficients c (VarPro):
// symmetric, positive semidefinite up to rounding of the cancellation JtJ − YᵀY (eigenvalues
// ≥ −1e-9 of the largest), and rescaling radial function μ (direction c_μ) is absorbed by the
// linear coefficients, so c_μᵀHc_μ/‖c_μ‖² ≤ 1e-6 of the largest eigenvalue (FD error ~1e-7
// relative in J_c, squared in H, plus the rounding above). Used by the plain and ridge tests.
#pragma once

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <vector>

#include "mtp/mtp_model.hpp"

namespace superion::testing {

// emax (optional) receives the largest eigenvalue.
inline void expect_psd_with_rescaling_null_space(const Eigen::MatrixXd& H, const Mtp& m,
                                                 const std::vector<double>& c,
                                                 double* emax_out = nullptr) {
  EXPECT_EQ((H - H.transpose()).cwiseAbs().maxCoeff(), 0.0);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(H);
  const double emax = es.eigenvalues().maxCoeff();
  if (emax_out) *emax_out = emax;
  ASSERT_GT(emax, 0.0);
  EXPECT_GT(es.eigenvalues().minCoeff(), -1e-9 * emax);
  const int C = m.species_count, K = m.radial_funcs_count, R = m.radial_basis_size;
  for (int mu = 0; mu < K; ++mu) {
    Eigen::VectorXd d = Eigen::VectorXd::Zero(H.rows());
    for (int q = 0; q < C * C; ++q)
      for (int b = 0; b < R; ++b) d((q * K + mu) * R + b) = c[(q * K + mu) * R + b];
    EXPECT_LT(d.dot(H * d) / d.squaredNorm(), 1e-6 * emax) << "radial function " << mu;
  }
}

}  // namespace superion::testing
