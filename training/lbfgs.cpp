// L-BFGS two-loop recursion and the strong-Wolfe line search.
#include "lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace superion {
namespace {

double dotp(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Minimiser of the cubic through (a, fa, da), (b, fb, db); NaN when it does not exist.
double cubic_min(double a, double fa, double da, double b, double fb, double db) {
  const double d1 = da + db - 3.0 * (fa - fb) / (a - b);
  const double disc = d1 * d1 - da * db;
  if (!(disc >= 0.0)) return std::numeric_limits<double>::quiet_NaN();
  const double d2 = std::copysign(std::sqrt(disc), b - a);
  return b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2);
}

}  // namespace

std::vector<double> Lbfgs::direction(const std::vector<double>& g) const {
  const std::size_t m = state_.s.size();
  std::vector<double> q = g, alpha(m), rho(m);
  for (std::size_t k = m; k-- > 0;) {
    rho[k] = 1.0 / dotp(state_.y[k], state_.s[k]);
    alpha[k] = rho[k] * dotp(state_.s[k], q);
    for (std::size_t i = 0; i < q.size(); ++i) q[i] -= alpha[k] * state_.y[k][i];
  }
  if (m > 0) {
    const double gamma =
        dotp(state_.s[m - 1], state_.y[m - 1]) / dotp(state_.y[m - 1], state_.y[m - 1]);
    for (double& v : q) v *= gamma;
  }
  for (std::size_t k = 0; k < m; ++k) {
    const double beta = rho[k] * dotp(state_.y[k], q);
    for (std::size_t i = 0; i < q.size(); ++i) q[i] += (alpha[k] - beta) * state_.s[k][i];
  }
  for (double& v : q) v = -v;
  return q;
}

bool Lbfgs::line_search(const std::vector<double>& x, double f0, const std::vector<double>& g0,
                        const std::vector<double>& p, double a0, std::vector<double>& x_new,
                        double& f_new, std::vector<double>& g_new) {
  const double d0 = dotp(g0, p);
  const double inf = std::numeric_limits<double>::infinity();
  int evals = 0;
  std::vector<double> xt(x.size()), gt(x.size());
  // Best point with sufficient decrease seen so far (fallback when Wolfe is not reached).
  double best_f = inf;
  auto phi = [&](double a, double& d) {
    for (std::size_t i = 0; i < x.size(); ++i) xt[i] = x[i] + a * p[i];
    double f = f_(xt, gt);
    ++evals;
    ++evaluations_;
    if (!std::isfinite(f)) {
      d = std::numeric_limits<double>::quiet_NaN();
      return inf;
    }
    d = dotp(gt, p);
    if (f <= f0 + opt_.c1 * a * d0 && f < best_f) {
      best_f = f;
      x_new = xt;
      g_new = gt;
      f_new = f;
    }
    return f;
  };
  auto wolfe = [&](double a, double f, double d) {
    return f <= f0 + opt_.c1 * a * d0 && std::fabs(d) <= -opt_.c2 * d0;
  };
  auto zoom = [&](double lo, double flo, double dlo, double hi, double fhi, double dhi) {
    while (evals < opt_.max_evaluations) {
      double a = std::isfinite(fhi) ? cubic_min(lo, flo, dlo, hi, fhi, dhi)
                                    : std::numeric_limits<double>::quiet_NaN();
      const double left = std::min(lo, hi), right = std::max(lo, hi), w = right - left;
      if (!(a > left + 0.1 * w && a < right - 0.1 * w)) a = 0.5 * (lo + hi);
      double d = 0.0;
      const double f = phi(a, d);
      if (!(f <= f0 + opt_.c1 * a * d0) || f >= flo) {
        hi = a;
        fhi = f;
        dhi = d;
      } else {
        if (std::fabs(d) <= -opt_.c2 * d0) return true;
        if (d * (hi - lo) >= 0.0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = a;
        flo = f;
        dlo = d;
      }
    }
    return false;
  };
  double a_prev = 0.0, f_prev = f0, d_prev = d0, a = a0;
  bool ok = false;
  for (int i = 0; evals < opt_.max_evaluations; ++i) {
    double d = 0.0;
    const double f = phi(a, d);
    if (!(f <= f0 + opt_.c1 * a * d0) || (i > 0 && f >= f_prev)) {
      ok = zoom(a_prev, f_prev, d_prev, a, f, d);
      break;
    }
    if (wolfe(a, f, d)) {
      ok = true;
      break;
    }
    if (d >= 0.0) {
      ok = zoom(a, f, d, a_prev, f_prev, d_prev);
      break;
    }
    a_prev = a;
    f_prev = f;
    d_prev = d;
    a *= 2.0;
  }
  (void)ok;  // the best sufficient-decrease point is accepted even without the curvature test
  return best_f < inf;
}

bool Lbfgs::iterate(std::vector<double>& x, double& fx, std::vector<double>& gx) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<double> p = direction(gx);
    double gp = dotp(gx, p);
    if (!(gp < 0.0)) {  // not a descent direction: restart from steepest descent
      state_.s.clear();
      state_.y.clear();
      p = direction(gx);
      gp = dotp(gx, p);
      if (!(gp < 0.0)) return false;
    }
    double a0 = 1.0;
    if (state_.s.empty()) {
      const double gn = std::sqrt(dotp(gx, gx));
      a0 = opt_.first_step * std::max(1.0, std::sqrt(dotp(x, x))) / gn;
    }
    std::vector<double> xn, gn;
    double fn = 0.0;
    if (line_search(x, fx, gx, p, a0, xn, fn, gn)) {
      std::vector<double> s(x.size()), y(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        s[i] = xn[i] - x[i];
        y[i] = gn[i] - gx[i];
      }
      if (dotp(s, y) > 1e-12 * std::sqrt(dotp(s, s) * dotp(y, y))) {  // keep H positive definite
        state_.s.push_back(std::move(s));
        state_.y.push_back(std::move(y));
        if (static_cast<int>(state_.s.size()) > opt_.memory) {
          state_.s.erase(state_.s.begin());
          state_.y.erase(state_.y.begin());
        }
      }
      x = std::move(xn);
      fx = fn;
      gx = std::move(gn);
      return true;
    }
    if (state_.s.empty()) return false;
    state_.s.clear();
    state_.y.clear();
  }
  return false;
}

}  // namespace superion
