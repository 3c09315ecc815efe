// Pair functions of a trajectory (docs/analysis.md §vanhove, §rdf).
// Van Hove (pymatgen-analysis-diffusion VanHoveAnalysis normalisation, Gaussian smearing σ):
//   4πr² G_s(r,t) = 1/N Σ_i < δ_σ(r − |r_i(t0+t) − r_i(t0)|) >_t0          (∫ 4πr² G_s dr = 1)
//   G_d(r,t) = 1/(N_ref ρ 4πr²) Σ_{i∈ref} Σ_{j∈sp, j≠i} < δ_σ(r − |r_j(t0+t) − r_i(t0)|_mic) >   (→
//   1 at large r; ρ = N_sp/V; all periodic images within r_max counted, so any r_max is exact in
//   any triclinic cell)
// Partial RDF: g_ab(r) = V/(N_a N_b') Σ_{i∈a} Σ_{j∈b, j≠i} < n_ij(shell) > / V_shell, N_b' = N_b −
// δ_ab, exact spherical shell volumes, all images (neighbour list), averaged over frames. The
// probability density grid is in mechanism/density.hpp.
#pragma once

#include <string>
#include <vector>

#include "mechanism/series.hpp"

namespace superion::mechanism {

struct VanHoveOptions {
  double r_max = 10.0;  // Å
  int n_grid = 101;     // r = r_max·k/(n_grid−1)
  double sigma = 0.1;  // Gaussian smearing (Å); 0 → plain histogram (bin width r_max/(n_grid−1))
  std::vector<int> lags;  // time lags in frames
  int origin_stride = 1;  // use every origin_stride-th frame as a time origin
  bool distinct = true;   // G_d costs O(origins · N_ref · N · images); switch off for G_s only
};
struct VanHoveResult {
  std::vector<double> r;
  std::vector<std::vector<double>> gs_4pir2;  // [lag][r]: 4πr² G_s
  std::vector<std::vector<double>> gd;        // [lag][r]
};
VanHoveResult van_hove(const FrameSeries& s, const std::vector<int>& species_atoms,
                       const std::vector<int>& reference_atoms, const VanHoveOptions& opt);

struct RdfResult {
  std::vector<double> r;  // bin centres
  std::vector<double> g;
};
RdfResult partial_rdf(const FrameSeries& s, const std::vector<int>& a_atoms,
                      const std::vector<int>& b_atoms, double r_max, int n_bins,
                      int frame_stride = 1);

}  // namespace superion::mechanism
