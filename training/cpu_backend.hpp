// CpuTrainerBackend: TrainerBackend on the CPU, OpenMP over configurations.
// Configurations are processed in chunks; each configuration's contribution (normal matrix, loss,
// gradient) is computed by one thread into its own slot and the slots are summed serially in
// configuration order, so the result is bitwise identical for any number of threads.
#pragma once

#include <memory>

#include "mtp/mtp_evaluator.hpp"
#include "trainer_backend.hpp"
#include "training_set.hpp"

namespace superion {

class CpuTrainerBackend : public TrainerBackend {
 public:
  // `model` fixes the basis (contraction tables, C, K, R, scaling, min/max dist); its coefficients
  // are ignored. The training set must have been cached with the model's min_dist and R.
  CpuTrainerBackend(const Mtp& model, const TrainingSet& data);
  int n_radial() const override { return n_radial_; }
  int n_linear() const override { return n_linear_; }
  void assemble(const std::vector<double>& radial, LinearSystem& out) override;
  LossStats evaluate(const std::vector<double>& radial, const std::vector<double>& linear,
                     std::vector<double>* grad_radial, std::vector<double>* grad_linear) override {
    return evaluate_impl(radial, linear, grad_radial, grad_linear, nullptr);
  }
  LossStats evaluate_per_config(const std::vector<double>& radial,
                                const std::vector<double>& linear,
                                std::vector<double>& per_config) override {
    return evaluate_impl(radial, linear, nullptr, nullptr, &per_config);
  }
  // J_c exactly by forward mode in c (mtp_train_radial_jacobian), or, after
  // use_finite_difference_jacobian(true) (reference for the tests), by forward differences of the
  // site energies and gradients (step kJacobianStep × the norm of each radial function; truncation
  // error O(step), far below what the Gauss–Newton matrix needs; rounding ≈ 1e-16/1e-7).
  void gauss_newton(const std::vector<double>& radial, const std::vector<double>& linear,
                    GaussNewtonBlocks& out) override;
  void use_finite_difference_jacobian(bool on) { fd_jacobian_ = on; }
  static constexpr double kJacobianStep = 1e-7;

  // Raw design rows of one configuration (for tests): rows = [energy] [3N forces] [9 virial]
  // (present quantities only), columns = linear parameters; prediction = J·ξ.
  Eigen::MatrixXd design(std::size_t config, const std::vector<double>& radial) const;

 private:
  MtpView view(const std::vector<double>& radial, const std::vector<double>* linear) const;
  LossStats evaluate_impl(const std::vector<double>& radial, const std::vector<double>& linear,
                          std::vector<double>* grad_radial, std::vector<double>* grad_linear,
                          std::vector<double>* per_config);
  std::unique_ptr<MtpEvaluator> structure_;  // flat basis tables
  const TrainingSet& data_;
  int n_radial_ = 0, n_linear_ = 0;
  std::vector<double> zeros_;  // placeholder linear coefficients for design views
  // Raw design rows of the last assemble() (predictions J·ξ in evaluate() at the same radial).
  bool cache_designs_ = false;
  std::vector<Eigen::MatrixXd> design_cache_;
  std::vector<double> cached_radial_;
  bool fd_jacobian_ = false;
};

}  // namespace superion
