// Ridge penalty on the moment coefficients for the VarPro trainer, applied inside the exact
// linear solve:
//
//   Φ(c) = min_ξ [ L(c, ξ) + λ Σ_α ω_α(c) ξ_α² ],   ω_α(c) = ω̂_α Π_μ ‖c_μ‖^(2 d_αμ),
//
// where d_αμ is the degree of scalar basis function α in radial function μ (the number of its
// moment factors built on μ; B_α is homogeneous of that degree in c_μ = all coefficients of μ over
// the species pairs) and ω̂_α is fixed when the penalty is switched on, at a reference point c⁰:
// ω_α(c⁰) = N_αα(c⁰), the diagonal of the normal matrix. So at c⁰ the penalty is the standard
// "standardised" ridge λ Σ N_αα ξ_α² (λ relative to the data's own scale of each coefficient, as
// the 1e-12 regularisation of the plain solve), and for every c the penalty, like the loss, is
// invariant under rescaling a radial function (c_μ → t c_μ, ξ_α → t^(−d_αμ) ξ_α): the optimiser
// cannot shrink it by inflating radial functions. Species coefficients are not penalised.
//
// Because ω depends on c only through the norms ‖c_μ‖, the exact gradient and Gauss–Newton terms
// need no pass over the data (VarPro / envelope theorem at ξ = ξ*(c)):
//   ∂Φ/∂c = ∂L/∂c + λ Σ_α ξ_α² ∂ω_α/∂c,   ∂ω_α/∂c_(pμβ) = 2 d_αμ ω_α c_(pμβ) / ‖c_μ‖²,
// and the penalty is the sum of squares of the residual rows ρ_α = √(λω_α) ξ_α.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "mtp/mtp_model.hpp"

namespace superion {

// Degree of every linear coefficient (species first: all zero; then the scalar basis functions)
// in every radial function μ: result[l][μ]. Throws Error if a contraction mixes terms of
// different degrees (the basis would not be homogeneous in the radial functions).
std::vector<std::vector<int>> linear_radial_degrees(const Mtp& m);

class RidgePenalty {
 public:
  RidgePenalty() = default;
  // `model` gives the basis (degrees) and the layout of the radial coefficients.
  explicit RidgePenalty(const Mtp& model);

  double lambda() const { return lambda_; }
  bool active() const { return lambda_ > 0.0 && !base_.empty(); }
  void set_lambda(double lambda) { lambda_ = lambda; }
  // Fixes ω̂ so that ω(radial) = normal_diagonal (moment coefficients; species get 0).
  void set_reference(const std::vector<double>& radial, const Eigen::VectorXd& normal_diagonal);
  bool has_reference() const { return !base_.empty(); }
  const std::vector<double>& base() const { return base_; }  // ω̂ (checkpoints)
  void set_base(std::vector<double> base) { base_ = std::move(base); }

  // ω(c) (size n_linear).
  Eigen::VectorXd weights(const std::vector<double>& radial) const;
  // λ Σ ω_α ξ_α².
  double value(const Eigen::VectorXd& weights, const std::vector<double>& linear) const;
  // grad += λ Σ_α ξ_α² ∂ω_α/∂c.
  void add_gradient(const std::vector<double>& radial, const Eigen::VectorXd& weights,
                    const std::vector<double>& linear, std::vector<double>& grad) const;
  // ∂ρ/∂c (n_linear × n_radial) of the residual rows ρ_α = √(λω_α(c)) ξ_α at fixed ξ.
  Eigen::MatrixXd residual_jacobian(const std::vector<double>& radial,
                                    const Eigen::VectorXd& weights,
                                    const std::vector<double>& linear) const;

 private:
  std::vector<double> radial_norms_sq(const std::vector<double>& radial) const;  // ‖c_μ‖²
  int C_ = 0, K_ = 0, R_ = 0;
  std::vector<std::vector<int>> degrees_;  // [l][μ]
  double lambda_ = 0.0;
  std::vector<double> base_;  // ω̂ (empty: no reference yet)
};

}  // namespace superion
