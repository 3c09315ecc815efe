// Variable projection (VarPro) objective: for fixed radial coefficients c the loss is quadratic in
// the linear coefficients ξ (species + moment coefficients), so ξ*(c) is solved exactly by
// weighted least squares and the optimiser only sees the projected loss L(c) = L(c, ξ*(c)).
// By the VarPro theorem (Golub & Pereyra) its gradient equals the partial gradient ∂L/∂c at
// ξ = ξ*(c) (∂L/∂ξ vanishes there), so one backend gradient pass gives it exactly.
#pragma once

#include <vector>

#include "ridge.hpp"
#include "trainer_backend.hpp"

namespace superion {

// Solves the normal equations with Jacobi scaling (D = sqrt(diag)) and a tiny relative ridge
// (kRidge on the unit diagonal of the scaled matrix) by LDLᵀ. Columns with a zero diagonal
// (e.g. a species absent from the data) get coefficient 0. `penalty`, when given, is the diagonal
// λω of a ridge penalty Σ λω_l ξ_l² added to the normal matrix (RidgePenalty).
std::vector<double> solve_linear_system(const LinearSystem& sys,
                                        const Eigen::VectorXd* penalty = nullptr);
constexpr double kRidge = 1e-12;

// The ridge penalty's share of the Gauss–Newton model at (c, ξ): its diagonal λω (added to the
// normal matrix) and the Jacobian ∂ρ/∂c of its residual rows ρ = √(λω) ξ.
struct RidgeTerms {
  Eigen::VectorXd diagonal;  // λω
  Eigen::MatrixXd jacobian;  // ∂ρ/∂c, n_linear × n_radial
};

// Reduced (Kaufman) Gauss–Newton matrix of the projected residual, J_K = (I − P_A) J_c:
//   H = J_KᵀJ_K = JtJ − AtJᵀ N⁻¹ AtJ   (Schur complement of the joint normal matrix of (ξ, c)),
// with N⁻¹ applied with the Jacobi scaling and ridge of solve_linear_system. Symmetric PSD up to
// rounding; the projected loss is L(c + δ) ≈ L(c) + gᵀδ + δᵀHδ (g = exact gradient).
// With a ridge penalty its residual rows ρ join the data rows: N → N + diag(λω),
// AtJ → AtJ + diag(√(λω)) ∂ρ/∂c, JtJ → JtJ + (∂ρ/∂c)ᵀ ∂ρ/∂c.
Eigen::MatrixXd reduced_gauss_newton(const LinearSystem& sys, const GaussNewtonBlocks& gn,
                                     const RidgeTerms* ridge = nullptr);

struct ProjectedValue {
  double loss = 0.0;           // objective: data loss (stats.loss) + ridge penalty
  double penalty = 0.0;        // ridge penalty λ Σ ω ξ² (0 without a ridge)
  std::vector<double> grad;    // d loss / d c (radial)
  std::vector<double> linear;  // ξ*(c)
  LossStats stats;
};

class ProjectedObjective {
 public:
  // `ridge` (optional, not owned) adds its penalty to the objective while it is active; if it has
  // no reference yet, the first evaluated point becomes its reference (RidgePenalty).
  explicit ProjectedObjective(TrainerBackend& backend, RidgePenalty* ridge = nullptr)
      : backend_(backend), ridge_(ridge) {}
  // Projected objective at c (and its gradient when `gradient`); counts evaluations.
  ProjectedValue evaluate(const std::vector<double>& radial, bool gradient = true);
  // Normal equations at `radial` (assembled unless they are the last ones).
  const LinearSystem& system_at(const std::vector<double>& radial);
  long evaluations() const { return evaluations_; }
  // Reduced Gauss–Newton matrix at `radial` with linear coefficients ξ*(radial) = `linear` (the
  // normal equations of the last evaluate() are reused when it was at `radial`).
  Eigen::MatrixXd gauss_newton(const std::vector<double>& radial,
                               const std::vector<double>& linear);
  long jacobians() const { return jacobians_; }
  TrainerBackend& backend() { return backend_; }

 private:
  TrainerBackend& backend_;
  RidgePenalty* ridge_;
  LinearSystem sys_;
  std::vector<double> sys_radial_;  // radial coefficients of sys_
  long evaluations_ = 0, jacobians_ = 0;
};

}  // namespace superion
