// Dense two-phase simplex for small linear programs in standard form:
//   minimise c·x  subject to  A x = b,  x >= 0.
// Bland's rule (no cycling on the degenerate programs that convex hulls produce). Sizes here are
// tiny in rows (number of elements) and moderate in columns (number of entries).
#pragma once

#include <vector>

namespace superion {

struct LinearProgramResult {
  bool feasible = false;
  double objective = 0.0;
  std::vector<double> x;  // solution (size n) when feasible
};

// A is row-major m×n. Rows with negative b are negated internally.
LinearProgramResult solve_linear_program(const std::vector<std::vector<double>>& A,
                                         const std::vector<double>& b, const std::vector<double>& c,
                                         double tolerance = 1e-11);

}  // namespace superion
