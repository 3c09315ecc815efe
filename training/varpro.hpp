// Variable projection (VarPro) objective: for fixed radial coefficients c the loss is quadratic in
// the linear coefficients ξ (species + moment coefficients), so ξ*(c) is solved exactly by
// weighted least squares and the optimiser only sees the projected loss L(c) = L(c, ξ*(c)).
// By the VarPro theorem (Golub & Pereyra) its gradient equals the partial gradient ∂L/∂c at
// ξ = ξ*(c) (∂L/∂ξ vanishes there), so one backend gradient pass gives it exactly.
#pragma once

#include <vector>

#include "trainer_backend.hpp"

namespace superion {

// Solves the normal equations with Jacobi scaling (D = sqrt(diag)) and a tiny relative ridge
// (kRidge on the unit diagonal of the scaled matrix) by LDLᵀ. Columns with a zero diagonal
// (e.g. a species absent from the data) get coefficient 0.
std::vector<double> solve_linear_system(const LinearSystem& sys);
constexpr double kRidge = 1e-12;

struct ProjectedValue {
  double loss = 0.0;
  std::vector<double> grad;    // d L / d c (radial)
  std::vector<double> linear;  // ξ*(c)
  LossStats stats;
};

class ProjectedObjective {
 public:
  explicit ProjectedObjective(TrainerBackend& backend) : backend_(backend) {}
  // Projected loss at c (and its gradient when `gradient`); counts evaluations.
  ProjectedValue evaluate(const std::vector<double>& radial, bool gradient = true);
  long evaluations() const { return evaluations_; }
  TrainerBackend& backend() { return backend_; }

 private:
  TrainerBackend& backend_;
  LinearSystem sys_;
  long evaluations_ = 0;
};

}  // namespace superion
