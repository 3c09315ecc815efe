// LDFC (low-frequency dynamic-coupling descriptor; docs/analysis.md §ldfc):
//   ν_Na  = centroid Σ ν S(ν) / Σ S(ν) of the Na VACF power spectrum over 0 <= ν <= ν_c
//   ν_rot = the same centroid of the cluster angular-velocity ACF spectrum
//   LDFC  = ν_Na − ν_rot   (THz)
// Spectra from correlate.hpp (Hann-windowed, unit area); negative spectral values are clipped to
// 0 in the centroid. ν_c (cutoff) is a user option (default 5 THz): the low-frequency band where
// hopping and libration/rotation modes live, below the internal S–O stretching/bending modes.
#pragma once

#include <string>

#include "mechanism/correlate.hpp"
#include "mechanism/series.hpp"

namespace superion::mechanism {

struct LdfcOptions {
  std::string mobile = "Na";
  std::string centre = "S";
  std::string ligand = "O";
  double bond_cutoff = 1.9;  // Å
  double max_lag_ps = 0.0;   // correlation length; 0 → half the trajectory
  double cutoff_thz = 5.0;
};
struct LdfcResult {
  Spectrum na, rot;
  double nu_na = 0, nu_rot = 0, ldfc = 0;
  int n_clusters = 0;
};
LdfcResult compute_ldfc(const FrameSeries& s, const LdfcOptions& opt);

// Per-atom velocity series [atom][frame] for a set of atoms (stored or finite-difference).
std::vector<std::vector<Vec3>> velocity_series(const FrameSeries& s, const std::vector<int>& atoms);
// Lag count for a correlation length in ps (0 → half the trajectory), clamped to [1, T−1].
std::size_t lag_frames(const FrameSeries& s, double max_lag_ps);

}  // namespace superion::mechanism
