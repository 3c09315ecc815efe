// Probability density of a species on a grid (docs/analysis.md §density), in two conventions.
//
// kPymatgen (default) reproduces pymatgen-analysis-diffusion's ProbabilityDensityAnalysis:
//   step_k = spacing / |a_k| (fractional), n_k = ceil(1 / step_k) grid points at k·step_k (the
//   last gap is shorter than the others unless |a_k| is a multiple of the spacing); each sample
//   (fractional coordinates wrapped into [0, 1)) goes to the nearest of the 8 grid points around
//   it, corner c_k = ⌊f_k / step_k⌋ and c_k + 1 (wrapping to 0 after the last point), measured
//   with the minimum-image distance in the first frame's cell (ties: the first of the 8 in the
//   order a, b, c with c fastest, corner before next); ρ = counts / (N_samples · V / n_grid).
// kEven: n_k = ceil(|a_k| / spacing) evenly spaced points k / n_k, each sample counted at its
//   nearest point in fractional coordinates (the parallelepiped voxel centred on the point), the
//   layout cube and CHGCAR files assume.
// Both: ρ in Å⁻³, Σ ρ V / n_grid = 1. Optional framework-drift correction: the mean displacement of
// the `framework` atoms since the first frame is subtracted from every position first (as
// DiffusionAnalyzer.get_drift_corrected_structures, which ProbabilityDensityAnalysis
// .from_diffusion_analyzer uses).
#pragma once

#include <string>
#include <vector>

#include "mechanism/series.hpp"

namespace superion::mechanism {

enum class DensityConvention { kPymatgen, kEven };

struct DensityOptions {
  double spacing = 0.5;  // Å (pymatgen's `interval`)
  DensityConvention convention = DensityConvention::kPymatgen;
  std::vector<int> framework;  // drift reference atoms; empty = no drift correction
};

struct DensityGrid {
  DensityConvention convention = DensityConvention::kPymatgen;
  int n[3] = {0, 0, 0};
  double step[3] = {0, 0, 0};  // fractional distance between grid points along a, b, c
  Mat3 cell;                   // cell of the first frame (grid geometry, cube/CHGCAR)
  std::vector<double> rho;     // index (i·n1 + j)·n2 + k, Å⁻³
  double voxel_volume = 0;     // V / n_grid, Å³
  std::size_t samples = 0;     // atoms × frames counted
  std::size_t size() const { return rho.size(); }
  std::size_t index(int i, int j, int k) const {
    return (static_cast<std::size_t>(i) * n[1] + j) * n[2] + k;
  }
};

struct DensityStats {
  double max = 0, min = 0, integral = 0;  // Å⁻³, Å⁻³, Σ ρ V_voxel (= 1)
  int argmax[3] = {0, 0, 0};              // grid indices of the maximum
};

DensityGrid probability_density(const FrameSeries& s, const std::vector<int>& atoms,
                                const DensityOptions& options);
DensityStats density_stats(const DensityGrid& g);

// Gaussian cube (Bohr; values in Bohr⁻³ so the cube integrates to 1) with the first frame's atoms.
// The grid is written as n_k even steps of a_k / n_k, as the format requires.
void write_cube(const std::string& path, const DensityGrid& g, const FrameSeries& s);
// VASP CHGCAR layout (POSCAR block of the first frame, grid with a fastest, 5 values a line).
// Values: kPymatgen → ρ·V/0.5291772083³ with V in Å³, exactly what pymatgen's
// ProbabilityDensityAnalysis.to_chgcar writes; kEven → ρ·V (VASP's convention: the values
// average to the number of samples per cell, 1).
void write_chgcar(const std::string& path, const DensityGrid& g, const FrameSeries& s);
// CSV: i,j,k,a_frac,b_frac,c_frac,x,y,z,rho_per_A3 (grid point positions in the first frame's
// cell), one row per grid point, full precision.
void write_density_csv(const std::string& path, const DensityGrid& g);

}  // namespace superion::mechanism
