// MaxVol active set as MLIP-2 2.1.2 runs it (../shared/docs/MLIP_ACTIVE_LEARNING.md §3–4):
// an n×n matrix A of "active" rows and its inverse, updated only by rank-1 (Sherman–Morrison)
// steps, started from A = ε·I where every row is an empty placeholder.
//
// Selection from candidate rows B (m×n): G = B·A⁻¹; if max|G| exceeds the entry threshold, the
// greedy loop runs while max|G_{i0 j0}| > the swap threshold: row j0 of A is replaced by candidate
// i0, the old row j0 becomes candidate i0 (so it can come back), A⁻¹ and G get rank-1 updates
// (with c = G_{i0 j0}, v = G[i0,:] − e_{j0}: A⁻¹ ← A⁻¹ − A⁻¹[:,j0] vᵀ/c; G ← G − u vᵀ with
// u = G[:,j0]/c + e_{i0}/c). The winner is the first largest |entry| in row-major order (cblas
// idamax). Each swap multiplies |det A| by |c| > 1.
//
// Every row carries a tag (the caller's identity of the configuration it came from; −1 for a
// placeholder row) that moves with the row.
//
// Grade of a row b: max_j |(b·A⁻¹)_j|, the largest coefficient of b in the basis of the active
// rows (MLIP-2). Data grade: the largest coefficient of b's least-squares projection onto the span
// of the rows that hold data (tag ≥ 0), c = argmin ‖b − Σ_{j data} c_j a_j‖₂. It equals MLIP's
// grade whenever b lies in that span (MLIP's coefficients along placeholder rows are then 0), does
// not depend on ε, and ignores the part of b outside the span (returned as a relative residual).
#pragma once

#include <Eigen/QR>
#include <functional>
#include <vector>

#include "grade_rows.hpp"

namespace superion {

class MaxVol {
 public:
  // A = init·I, every row a placeholder (tag −1).
  MaxVol(int n, double init);
  // A state read from a file: A, its inverse and the row tags (checked for sizes only).
  MaxVol(RowMatrix a, RowMatrix a_inv, std::vector<long> tags);

  int size() const { return static_cast<int>(a_.rows()); }
  const RowMatrix& matrix() const { return a_; }
  const RowMatrix& inverse() const { return a_inv_; }
  const std::vector<long>& tags() const { return tags_; }
  void set_tags(std::vector<long> tags);

  struct Stats {
    double first_max = 0.0;  // max|B A⁻¹| before any swap
    long swaps = 0;
    bool stopped_by_caller = false;
  };
  // Greedy selection from the rows of B (tags: one per row of B). On return B and `tags` hold the
  // rows that were swapped out in place of the ones that came in. `before_swap(tag_in, tag_out)`
  // may veto a swap (return false): the selection then stops there.
  Stats select(RowMatrix& B, std::vector<long>& tags, double entry_threshold, double swap_threshold,
               const std::function<bool(long tag_in, long tag_out)>& before_swap = {});

  // c = b·A⁻¹ for every row of B.
  RowMatrix coordinates(const RowMatrix& B) const;
  // MLIP-2's grade max_j |c_j| of every row of B.
  std::vector<double> grades(const RowMatrix& B) const;
  // The rows of A⁻¹ with the given indices (for rows that are zero outside those columns:
  // c = B[:, columns]·inverse_rows(columns), |columns|/n of the work).
  RowMatrix inverse_rows(const std::vector<Eigen::Index>& columns) const;
  // Data grade of every row of B (see above); `residual` (optional) receives ‖b − Pb‖/‖b‖.
  std::vector<double> data_grades(const RowMatrix& B,
                                  std::vector<double>* residual = nullptr) const;
  // Rows still holding the initial placeholder (tag −1).
  int placeholder_rows() const;
  // max |A·A⁻¹ − I|: the drift of the rank-1-updated inverse (MLIP never re-inverts).
  double inverse_defect() const;

 private:
  // QR factorisation of the data rows (as columns) for data_grades(); rebuilt after changes.
  void refresh_data_basis();

  RowMatrix a_, a_inv_;
  std::vector<long> tags_;
  std::vector<Eigen::Index> data_rows_;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> data_qr_;
};

}  // namespace superion
