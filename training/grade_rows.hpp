// Rows of MLIP-2's MaxVol active learning (../shared/docs/MLIP_ACTIVE_LEARNING.md §1–2): the
// derivatives of site energies with respect to ALL parameters θ of an MTP, radial coefficients
// included, in MLIP's parameter order
//   θ = [radial ((s1·C + s2)·K + μ)·R + β] ++ [species constants (C)] ++ [moment coefficients (A)].
// They come from the trainer's kernel file (mtp_site_energy_gradient in
// training/mtp_train_kernels.hpp: the site-energy part of the loss gradient, without the
// force/virial tangents), so training and grading share one derivative code.
//
//  * neighbourhood rows: one per atom, ∂V_i/∂θ (MLIP `--nbh-weight`, no weight factor);
//  * configuration row: w_E · s · Σ_i ∂V_i/∂θ with s = 1/N ("vibrations", MLIP's default, and
//    "structures" in the energy-only branch) or 1 ("molecules").
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "core/structure.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "neighbor/neighbor_list.hpp"
#include "training_set.hpp"

namespace superion {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

class GradeRows {
 public:
  explicit GradeRows(const Mtp& model);
  const Mtp& model() const { return evaluator_.model(); }
  int n_params() const { return n_params_; }

  // ∂V_i/∂θ of every atom (N × P). Throws superion::Error for species outside 0..C−1.
  void site_rows(const Structure& s, RowMatrix& out) const;
  // The same with a given FULL neighbour list (cutoff ≥ max_dist; farther pairs are skipped),
  // e.g. an MD run's Verlet list.
  void site_rows(const Structure& s, const NeighborList& full, RowMatrix& out) const;
  // Columns where the site row of an atom of species t can be non-zero: its radial block
  // (t·C·K·R … (t+1)·C·K·R − 1) and all linear parameters.
  std::vector<Eigen::Index> site_columns(int species) const;
  // The configuration row w_E·s·Σ_i ∂V_i/∂θ from the site rows (fixed summation order).
  static Eigen::RowVectorXd energy_row(const RowMatrix& site_rows, double energy_weight,
                                       WeightingScheme weighting);

 private:
  MtpEvaluator evaluator_;  // flat basis tables and the model's coefficients
  int n_params_ = 0;
};

}  // namespace superion
