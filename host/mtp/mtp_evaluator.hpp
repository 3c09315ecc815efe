// CPU evaluator of an MTP: energy, site energies, forces and virial (MLIP PlusStress, eV).
// The passes of mtp/mtp_site_kernels.hpp (site pass per atom, pair gradients, per-atom gather of
// forces and virials) in OpenMP loops over atoms, then fixed-shape sums over atoms
// (core/fixed_sum.hpp): results are bitwise identical for any thread count, and identical to the
// device backend's (device/), which runs the same passes.
// Optional domain walls per species-type pair are evaluated on the same neighbour list.
#pragma once

#include <vector>

#include "core/configuration.hpp"
#include "core/structure.hpp"
#include "core/vec3.hpp"
#include "calculators/domain_wall.hpp"
#include "mtp/error_metrics.hpp"
#include "mtp/mtp_kernels.hpp"
#include "mtp/mtp_model.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion {

struct MtpPrediction {
  double energy = 0.0;                // eV
  std::vector<double> site_energies;  // eV per atom
  std::vector<Vec3> forces;           // eV/Å
  Mat3 virial;                        // eV, PlusStress W_ab = −Σ g_a r_b
  std::vector<double> atom_virials;   // 9 per atom (row-major), W_i = −Σ_{j} g_ij ⊗ r_ij
  double wall_energy = 0.0;           // eV, part of `energy` (0 without walls)
  double max_wall_violation = 0.0;    // Å, largest r_w − r over pairs (0 = inside the walls)
};

class MtpEvaluator {
 public:
  // Validates the model and builds its flat representation.
  explicit MtpEvaluator(Mtp model);
  const Mtp& model() const { return model_; }
  double cutoff() const { return model_.max_dist; }
  // Raw view for kernels (valid while the evaluator lives).
  MtpView view() const;

  // Builds a full neighbour list with cutoff max_dist and evaluates.
  MtpPrediction evaluate(const Structure& s) const;
  // Uses a given FULL neighbour list (cutoff >= max_dist and >= the largest wall distance; pairs
  // beyond are skipped), each atom's entries sorted by (j, image) as build_neighbor_list makes
  // them. With `walls` (types of the structure), the wall energy, forces and virial are added.
  // Throws superion::Error for species outside 0..C-1 or a half list.
  void evaluate(const Structure& s, const NeighborList& full, MtpPrediction& out,
                const TypeWalls* walls = nullptr) const;
  // Copies energy, forces, virial (and site energies) of `p` into a configuration.
  static void store(const MtpPrediction& p, Configuration& c);

 private:
  Mtp model_;
  std::vector<MtpBasic> basic_;
  std::vector<MtpTimes> times_;
  std::vector<int> mono_abc_;
  int n_mono_ = 0;
};

// Predictions for every configuration of a dataset (configs evaluated one after another, each
// parallel over atoms).
std::vector<MtpPrediction> predict(const MtpEvaluator& ev, const Dataset& data);

// Errors of the evaluator's potential on every configuration of a labelled dataset (one
// configuration at a time, so memory does not grow with the dataset).
ErrorReport evaluate_errors(const MtpEvaluator& ev, const Dataset& data);

}  // namespace superion
