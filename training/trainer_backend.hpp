// TrainerBackend: the two heavy operations of MTP training, behind an interface so that a GPU
// backend can replace the CPU one (same inputs, same outputs, same reduction order).
//
// Parameters: `radial` = radial coefficients in the .mtp layout ((i·C+j)·K+μ)·R+β;
// `linear` = [species_coeffs (C), moment_coeffs (A)] (the linear part of θ, MTP_FACTS §2.3).
// The loss is the weighted sum of squares of TrainingSet (MLIP's conventions).
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace superion {

// Normal equations of the linear least squares for fixed radial coefficients:
// loss(ξ) = ξᵀ normal ξ − 2 ξᵀ rhs + yy.
struct LinearSystem {
  Eigen::MatrixXd normal;  // P_lin × P_lin, symmetric (full)
  Eigen::VectorXd rhs;
  double yy = 0.0;
};

// Loss value and unweighted error sums at given parameters.
struct LossStats {
  double loss = 0.0;
  double energy_sq_per_atom = 0.0;  // Σ_k ((Ê−E)/N)²   (eV/atom)²
  std::size_t n_energy = 0;
  double force_sq = 0.0;  // Σ_i |F̂_i − F_i|² ((eV/Å)²)
  std::size_t n_force_atoms = 0;
  double stress_sq = 0.0;  // Σ_k ‖Ŵ − W‖²_F (eV²)
  std::size_t n_stress = 0;
  double energy_abs_per_atom = 0.0;     // Σ_k |Ê−E|/N   (eV/atom)
  double force_abs = 0.0;               // Σ_i Σ_c |F̂_ic − F_ic|   (eV/Å)
  double energy_rmse_per_atom() const;  // eV/atom
  double force_component_rmse() const;  // eV/Å, sqrt(Σ|ΔF|²/(3N)) (MLIP-2 "RMS")
  double energy_mae_per_atom() const;   // eV/atom
  double force_component_mae() const;   // eV/Å, Σ|ΔF_c|/(3N)
};

// Blocks of the Gauss–Newton normal matrix for the radial coefficients c at fixed linear
// coefficients ξ: with weighted residuals r = W^½(A(c)ξ − y), A the raw design rows and
// J_c = ∂r/∂c (at fixed ξ), JtJ = J_cᵀJ_c, AtJ = (W^½A)ᵀJ_c, Jtr = J_cᵀr.
struct GaussNewtonBlocks {
  Eigen::MatrixXd JtJ;  // n_radial × n_radial
  Eigen::MatrixXd AtJ;  // n_linear × n_radial
  Eigen::VectorXd Jtr;  // n_radial
};

class TrainerBackend {
 public:
  virtual ~TrainerBackend() = default;
  virtual int n_radial() const = 0;
  virtual int n_linear() const = 0;
  // Builds the normal equations for the given radial coefficients.
  virtual void assemble(const std::vector<double>& radial, LinearSystem& out) = 0;
  // Loss at (radial, linear); when the pointers are non-null also its exact gradient with respect
  // to the radial (size n_radial) and linear (size n_linear) coefficients.
  virtual LossStats evaluate(const std::vector<double>& radial, const std::vector<double>& linear,
                             std::vector<double>* grad_radial,
                             std::vector<double>* grad_linear) = 0;
  // Loss at (radial, linear) and each configuration's share of it (per_config[k], summing to the
  // loss; the early-stopping noise estimate of validation sets). Backends that do not implement
  // it return evaluate()'s loss with per_config empty.
  virtual LossStats evaluate_per_config(const std::vector<double>& radial,
                                        const std::vector<double>& linear,
                                        std::vector<double>& per_config);
  // Gauss–Newton blocks at (radial, linear) for the Levenberg–Marquardt optimiser. Backends that
  // do not implement it throw.
  virtual void gauss_newton(const std::vector<double>& radial, const std::vector<double>& linear,
                            GaussNewtonBlocks& out);
};

}  // namespace superion
