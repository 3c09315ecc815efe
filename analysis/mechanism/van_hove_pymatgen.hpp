// Van Hove functions computed exactly as pymatgen-analysis-diffusion's VanHoveAnalysis does, for
// users who must reproduce published pymatgen numbers (docs/analysis.md §vanhove):
//   - positions: unwrapped trajectory minus the mean displacement of the framework atoms (drift
//     correction of DiffusionAnalyzer), in the first frame's cell;
//   - time origins: the first `avg_nsteps` frames; lags: min(k·step_skip, T − avg_nsteps) frames
//   for
//     k = 0 … ⌊(T − avg_nsteps)/step_skip⌋;
//   - every distance d < r_max is first binned to grid index ⌊d/dr⌋, then smeared with a full
//     Gaussian centred on that grid point, weight 1/(avg_nsteps · N_ref);
//   - G_d: periodic images n ∈ [−cell_range, cell_range]³ of the unwrapped difference (not the
//     minimum image), same atom at n = 0 excluded, each binned sample divided by 4π(k dr)² (π dr²
//     for k = 0) of its bin and by ρ = N_species/V.
// Our default van_hove() (structure_fns.hpp) smears at the exact distance and counts every image
// within r_max; the two agree up to the binning (≈ dr) and the missing far images.
#pragma once

#include <vector>

#include "mechanism/series.hpp"
#include "mechanism/structure_fns.hpp"

namespace superion::mechanism {

struct PymatgenVanHoveOptions {
  int avg_nsteps = 50;  // number of time origins (consecutive first frames)
  int n_grid = 101;
  double r_max = 10.0;  // Å
  int step_skip = 50;   // frames between successive lags
  double sigma = 0.1;   // Å, must be > 0 (as pymatgen)
  int cell_range = 1;   // images per direction in G_d
  bool distinct = true;
};

struct PymatgenVanHoveResult {
  VanHoveResult values;
  std::vector<int> lags;  // frames
};

// `species_atoms` are tracked (G_s and the j of G_d), `reference_atoms` the i of G_d (pass the same
// list for pymatgen's default), `framework_atoms` define the drift (may be empty: no correction).
PymatgenVanHoveResult van_hove_pymatgen(const FrameSeries& s, const std::vector<int>& species_atoms,
                                        const std::vector<int>& reference_atoms,
                                        const std::vector<int>& framework_atoms,
                                        const PymatgenVanHoveOptions& opt);

}  // namespace superion::mechanism
