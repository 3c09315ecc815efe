// CPU evaluator of an MTP: energy, site energies, forces and virial (MLIP PlusStress, eV).
// OpenMP over central atoms; each atom writes only its own site energy and the gradients of its
// own neighbour pairs, and the forces/virial are then summed serially in a fixed order, so results
// are bitwise identical for any thread count.
#pragma once

#include <vector>

#include "core/configuration.hpp"
#include "core/structure.hpp"
#include "core/vec3.hpp"
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
  // Uses a given FULL neighbour list (cutoff >= max_dist; pairs beyond max_dist are skipped).
  // Throws superion::Error for species outside 0..C-1 or a half list.
  void evaluate(const Structure& s, const NeighborList& full, MtpPrediction& out) const;
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
