// Two-phase tableau simplex with Bland's anti-cycling rule.
#include "screening/simplex.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace superion {
namespace {

struct Tableau {
  int m, n;                            // constraints, columns (structural + artificial)
  std::vector<std::vector<double>> t;  // (m+1) × (n+1); last row = reduced costs, last col = rhs
  std::vector<int> basis;              // basic column of each row

  void pivot(int row, int col) {
    const double p = t[row][col];
    for (double& v : t[row]) v /= p;
    for (int r = 0; r <= m; ++r) {
      if (r == row) continue;
      const double f = t[r][col];
      if (f == 0.0) continue;
      for (int k = 0; k <= n; ++k) t[r][k] -= f * t[row][k];
    }
    basis[row] = col;
  }

  // Minimises the objective in the last row over columns < `usable`. Returns false if unbounded.
  bool optimise(int usable, double tol) {
    for (long iter = 0; iter < 100000; ++iter) {
      int col = -1;
      for (int k = 0; k < usable; ++k)
        if (t[m][k] < -tol) {  // Bland: first improving column
          col = k;
          break;
        }
      if (col < 0) return true;
      int row = -1;
      double best = std::numeric_limits<double>::infinity();
      for (int r = 0; r < m; ++r)
        if (t[r][col] > tol) {
          const double ratio = t[r][n] / t[r][col];
          if (row < 0 || ratio < best - 1e-15 ||
              (std::fabs(ratio - best) <= 1e-15 && basis[r] < basis[row])) {
            best = ratio;
            row = r;
          }
        }
      if (row < 0) return false;
      pivot(row, col);
    }
    throw Error("simplex did not converge in 100000 pivots");
  }
};

}  // namespace

LinearProgramResult solve_linear_program(const std::vector<std::vector<double>>& A,
                                         const std::vector<double>& b, const std::vector<double>& c,
                                         double tol) {
  const int m = static_cast<int>(A.size());
  const int n = static_cast<int>(c.size());
  if (static_cast<int>(b.size()) != m) throw Error("linear program: b has the wrong size");
  Tableau T{m, n + m, std::vector<std::vector<double>>(m + 1, std::vector<double>(n + m + 1, 0.0)),
            std::vector<int>(m)};
  for (int r = 0; r < m; ++r) {
    if (static_cast<int>(A[r].size()) != n) throw Error("linear program: A row has the wrong size");
    const double s = b[r] < 0 ? -1.0 : 1.0;
    for (int k = 0; k < n; ++k) T.t[r][k] = s * A[r][k];
    T.t[r][n + r] = 1.0;
    T.t[r][n + m] = s * b[r];
    T.basis[r] = n + r;
  }
  // Phase 1: minimise the sum of artificials (reduced costs = −column sums).
  for (int k = 0; k <= n + m; ++k) {
    double sum = 0;
    for (int r = 0; r < m; ++r) sum += T.t[r][k];
    T.t[m][k] = (k >= n && k < n + m) ? 0.0 : -sum;
  }
  T.optimise(n + m, tol);
  LinearProgramResult res;
  if (-T.t[m][n + m] > 1e-9) return res;  // infeasible
  // Drive remaining (zero-valued) artificials out of the basis where possible.
  for (int r = 0; r < m; ++r)
    if (T.basis[r] >= n)
      for (int k = 0; k < n; ++k)
        if (std::fabs(T.t[r][k]) > tol) {
          T.pivot(r, k);
          break;
        }
  // Phase 2: original costs, reduced with respect to the current basis; artificial columns barred.
  for (int k = 0; k <= n + m; ++k) T.t[m][k] = k < n ? c[k] : 0.0;
  for (int r = 0; r < m; ++r) {
    const int bcol = T.basis[r];
    const double cb = bcol < n ? c[bcol] : 0.0;
    if (cb != 0.0)
      for (int k = 0; k <= n + m; ++k) T.t[m][k] -= cb * T.t[r][k];
  }
  if (!T.optimise(n, tol)) throw Error("linear program is unbounded");
  res.feasible = true;
  res.x.assign(n, 0.0);
  for (int r = 0; r < m; ++r)
    if (T.basis[r] < n) res.x[T.basis[r]] = T.t[r][n + m];
  res.objective = 0;
  for (int k = 0; k < n; ++k) res.objective += c[k] * res.x[k];
  return res;
}

}  // namespace superion
