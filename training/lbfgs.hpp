// L-BFGS with a strong-Wolfe line search (Nocedal & Wright, Numerical Optimization, Alg. 7.4,
// 3.5 and 3.6 with safeguarded cubic interpolation). Non-finite function values are treated as
// +∞ (the line search backs off), so a NaN never becomes the accepted point.
#pragma once

#include <functional>
#include <vector>

namespace superion {

struct LbfgsOptions {
  int memory = 20;           // stored (s, y) pairs
  double c1 = 1e-4;          // sufficient decrease
  double c2 = 0.9;           // curvature (strong Wolfe)
  int max_evaluations = 25;  // per line search
  double first_step = 1e-2;  // first iteration: step length = first_step·max(1,‖x‖)/‖g‖
};

// Optimiser memory (enough to resume bit-identically).
struct LbfgsState {
  std::vector<std::vector<double>> s, y;  // oldest first
};

class Lbfgs {
 public:
  // f(x, g) returns the function value and writes the gradient into g.
  using Function = std::function<double(const std::vector<double>&, std::vector<double>&)>;
  Lbfgs(Function f, LbfgsOptions options = {}) : f_(std::move(f)), opt_(options) {}

  // One iteration from (x, fx, gx), which are replaced by the accepted point. Returns false when
  // no step satisfying sufficient decrease was found (then x, fx, gx are unchanged); the
  // history has then been cleared and a steepest-descent step was tried as well.
  bool iterate(std::vector<double>& x, double& fx, std::vector<double>& gx);
  long evaluations() const { return evaluations_; }
  LbfgsState& state() { return state_; }
  const LbfgsState& state() const { return state_; }

 private:
  bool line_search(const std::vector<double>& x, double fx, const std::vector<double>& gx,
                   const std::vector<double>& p, double a0, std::vector<double>& x_new,
                   double& f_new, std::vector<double>& g_new);
  std::vector<double> direction(const std::vector<double>& g) const;
  Function f_;
  LbfgsOptions opt_;
  LbfgsState state_;
  long evaluations_ = 0;
};

}  // namespace superion
