// L-BFGS with strong-Wolfe line search: converges on the Rosenbrock function, accepted points
// satisfy sufficient decrease, and non-finite function values are never accepted.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "lbfgs.hpp"

namespace superion {
namespace {

double rosenbrock(const std::vector<double>& x, std::vector<double>& g) {
  g.assign(x.size(), 0.0);
  double f = 0.0;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i], b = 1.0 - x[i];
    f += 100.0 * a * a + b * b;
    g[i] += -400.0 * a * x[i] - 2.0 * b;
    g[i + 1] += 200.0 * a;
  }
  return f;
}

TEST(Lbfgs, ConvergesOnRosenbrock) {
  Lbfgs opt(rosenbrock);
  std::vector<double> x = {-1.2, 1.0, -1.2, 1.0}, g;
  double f = rosenbrock(x, g);
  for (int it = 0; it < 200 && f > 1e-20; ++it) {
    const double before = f;
    if (!opt.iterate(x, f, g)) break;
    EXPECT_LT(f, before);  // every accepted step decreases f
  }
  // The minimum is x = (1,…,1); 1e-6 is far above what 200 quasi-Newton steps reach.
  for (double v : x) EXPECT_NEAR(v, 1.0, 1e-6);
}

TEST(Lbfgs, NeverAcceptsNonFiniteValues) {
  // Quadratic with its minimum at x = 2 inside a region where the function is NaN (x > 1):
  // the optimiser must stop at finite points and report failure instead of accepting NaN.
  auto f = [](const std::vector<double>& x, std::vector<double>& g) {
    g = {2.0 * (x[0] - 2.0)};
    if (x[0] > 1.0) return std::numeric_limits<double>::quiet_NaN();
    return (x[0] - 2.0) * (x[0] - 2.0);
  };
  Lbfgs opt(f);
  std::vector<double> x = {-3.0}, g;
  double fx = f(x, g);
  for (int it = 0; it < 50; ++it)
    if (!opt.iterate(x, fx, g)) break;
  EXPECT_TRUE(std::isfinite(fx));
  EXPECT_LE(x[0], 1.0);
  EXPECT_LT(fx, 25.0);  // it did make progress from f(−3) = 25
}

}  // namespace
}  // namespace superion
