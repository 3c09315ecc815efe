// Levenberg–Marquardt for a (projected) sum of squares L(x): the caller supplies the exact value
// and gradient g and a Gauss–Newton matrix H with L(x + δ) ≈ L(x) + gᵀδ + δᵀHδ. Each iteration
// solves (H + λ diag(H)) δ = −g/2 (Marquardt's scaling), accepts the step when the exact loss
// decreases and adapts λ by the gain ratio ρ = actual / predicted decrease (Nielsen's rule:
// accepted → λ ·= max(1/3, 1 − (2ρ − 1)³), ν = 2; rejected → λ ·= ν, ν ·= 2). Non-finite trial
// losses count as rejections, so a NaN is never accepted.
#pragma once

#include <Eigen/Dense>
#include <functional>
#include <vector>

namespace superion {

struct LmOptions {
  double initial_lambda = 1e-3;  // relative to diag(H)
  int max_rejections = 30;       // consecutive rejected trials before giving up (λ grew 2^465×)
};

// Optimiser memory (enough to resume bit-identically; H is recomputed at x).
struct LmState {
  double lambda = -1.0;  // < 0: not started (initial_lambda is used)
  double nu = 2.0;
};

class LevenbergMarquardt {
 public:
  // f(x, g): loss and its exact gradient; gauss_newton(x): H at the last accepted point x.
  using Function = std::function<double(const std::vector<double>&, std::vector<double>&)>;
  using Model = std::function<Eigen::MatrixXd(const std::vector<double>&)>;
  LevenbergMarquardt(Function f, Model gauss_newton, LmOptions options = {})
      : f_(std::move(f)), h_(std::move(gauss_newton)), opt_(options) {}

  // One accepted step from (x, fx, gx), which are replaced by the new point. Returns false when
  // max_rejections trials in a row failed to decrease the loss (x, fx, gx unchanged).
  bool iterate(std::vector<double>& x, double& fx, std::vector<double>& gx);
  LmState& state() { return state_; }
  const LmState& state() const { return state_; }
  long evaluations() const { return evaluations_; }

 private:
  Function f_;
  Model h_;
  LmOptions opt_;
  LmState state_;
  long evaluations_ = 0;
};

}  // namespace superion
