// TrainingSet: a labelled dataset prepared for MTP training. Neighbour lists (strict r < R_cut,
// full lists, self-images included as in MLIP) and the Chebyshev radial-basis values of every pair
// are computed once and reused by every loss evaluation (they do not depend on the parameters).
// Per-configuration loss weights follow MLIP's conventions (MTP_FACTS §5.1):
//   L = (1/Kc) Σ_k w_k [ w_E s_E (Ê−E)² + w_F s_F Σ_i |F̂_i − F_i|² + w_S s_S ‖Ŵ − W‖²_F ]
// with (s_E, s_F, s_S) = (1/N, 1, 1/N) "vibrations", (1, 1, 1) "molecules",
// (1/N², 1/N, 1/N²) "structures"; w_k is the configuration's own weight.
#pragma once

#include <string>
#include <vector>

#include "core/configuration.hpp"

namespace superion {

enum class WeightingScheme { kVibrations, kMolecules, kStructures };

struct LossWeights {
  double energy = 1.0;  // MLIP-2 defaults 1 : 0.01 : 0.001 (eV², (eV/Å)², eV²)
  double force = 0.01;
  double stress = 0.001;
  WeightingScheme scheme = WeightingScheme::kVibrations;
};

// One configuration with its cached pairs. Pairs of central atom i are offsets[i]..offsets[i+1]-1.
struct TrainingConfig {
  int n_atoms = 0;
  std::vector<int> types;     // per atom
  std::vector<int> offsets;   // n_atoms + 1
  std::vector<int> neighbor;  // atom index of the neighbour (image folded back)
  std::vector<int> ntype;     // species of the neighbour
  std::vector<double> disp;   // r_ij, 3 per pair (Å)
  std::vector<double> ru;     // r, ûx, ûy, ûz per pair
  std::vector<double> phi;    // φ_β(r) then φ'_β(r): 2R per pair
  bool has_energy = false, has_forces = false, has_virial = false;
  double energy = 0.0;                                   // eV
  std::vector<double> forces;                            // 3 per atom, eV/Å
  double virial[9] = {};                                 // eV, PlusStress, row-major
  double w_energy = 0.0, w_force = 0.0, w_stress = 0.0;  // full weights incl. 1/Kc (0: term off)
  int max_neighbors = 0;
};

class TrainingSet {
 public:
  // Builds neighbour lists with cutoff `rcut`. Throws InputError naming `name` and the
  // configuration for: no configurations, a configuration without an energy (when the energy
  // weight is > 0) or without forces (when the force weight is > 0), non-finite data.
  TrainingSet(const Dataset& data, double rcut, const LossWeights& weights,
              const std::string& name);
  // The label checks of the constructor alone (cheap; configurations numbered from 1 as in the
  // file), for data that is split before the TrainingSets are built.
  static void check_labels(const Dataset& data, const LossWeights& weights,
                           const std::string& name);

  // (Re)computes the cached Chebyshev values φ_β, φ'_β of every pair for [rmin, rcut), R functions.
  void cache_radial_basis(double rmin, int radial_basis_size);

  const std::vector<TrainingConfig>& configs() const { return configs_; }
  std::size_t size() const { return configs_.size(); }
  std::size_t total_atoms() const { return total_atoms_; }
  int n_species() const { return n_species_; }           // max type + 1
  double min_distance() const { return min_distance_; }  // smallest pair distance (Å); inf if none
  double rcut() const { return rcut_; }
  double rmin() const { return rmin_; }
  int radial_basis_size() const { return radial_basis_size_; }
  int max_neighbors() const { return max_neighbors_; }
  const std::string& name() const { return name_; }

 private:
  std::vector<TrainingConfig> configs_;
  std::size_t total_atoms_ = 0;
  int n_species_ = 0, max_neighbors_ = 0, radial_basis_size_ = 0;
  double min_distance_ = 0.0, rcut_ = 0.0, rmin_ = 0.0;
  std::string name_;
};

}  // namespace superion
