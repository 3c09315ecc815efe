// Anion clusters and their rotation (docs/analysis.md §rotation).
// Clusters: every atom of the centre species (S, Se, B, ...) owns the ligand atoms (O, H, ...)
// closer than `bond_cutoff` in the first frame (minimum image, any triclinic cell). A ligand within
// the cutoff of two centres is an error (ambiguous cutoff). Each later frame, ligand vectors are
// minimum-image centre→ligand displacements, so clusters straddling the cell boundary are
// unwrapped. Orientation vectors u = unit centre→ligand vectors (GEMDAT convention, cartesian lab
// frame). Reorientation: C_l(t) = < P_l(u(t0)·u(t0+t)) > over all ligand vectors and ALL origins
// (FFT: P_1 is a vector ACF, P_2 = 3/2 Σ_ab <u_a u_b (0) u_a u_b (t)> − 1/2).
// Angular velocity ω of a cluster = least-squares rigid rotation: (n I − Σ_k u_k u_kᵀ) ω = Σ_k u_k
// × u̇_k, u̇ by central differences of u (exact for a rigid rotor to O(dt²)).
#pragma once

#include <string>
#include <vector>

#include "mechanism/correlate.hpp"
#include "mechanism/series.hpp"

namespace superion::mechanism {

struct Cluster {
  int centre;
  std::vector<int> ligands;
};

std::vector<Cluster> find_clusters(const FrameSeries& s, const std::string& centre_species,
                                   const std::string& ligand_species, double bond_cutoff);

// u[ligand vector][frame], ligand vectors enumerated cluster by cluster.
std::vector<std::vector<Vec3>> orientation_vectors(const FrameSeries& s,
                                                   const std::vector<Cluster>& clusters);
// ω[cluster][frame] (rad/ps).
std::vector<std::vector<Vec3>> angular_velocities(const FrameSeries& s,
                                                  const std::vector<Cluster>& clusters);

// C_1 and C_2 for lags 0..max_lag (frames).
std::vector<double> reorientation_acf(const std::vector<std::vector<Vec3>>& u, int l,
                                      std::size_t max_lag);

// Relaxation time of a correlation function C(t) (C(0) = 1) sampled at lags k·dt, k < c.size().
// Rule (docs/analysis.md §rotation): a time is reported only when C falls to 1/e or below within
// the analysed window t_w = (c.size() − 1)·dt, i.e. the data contain at least one relaxation
// time; then `resolved` is true, tau_1e_ps is the first 1/e crossing (linear interpolation) and the
// fits below are filled. Otherwise every τ field is 0, points = 0, and τ > lower_bound_ps = t_w is
// what the data say: for any C = exp(−(t/τ)^β) (β > 0), C(t_w) > 1/e ⇔ τ > t_w.
struct RelaxationFit {
  bool resolved = false;
  double window_ps = 0;       // t_w, the longest lag analysed
  double c_end = 1;           // smallest C within the window
  double lower_bound_ps = 0;  // t_w when not resolved (τ > t_w), else 0
  double tau_1e_ps = 0;       // first time C = 1/e (interpolated)
  double tau_exp_ps = 0;      // C = exp(-t/τ), least squares of ln C through the origin
  double tau_kww_ps = 0;      // C = exp(-(t/τ)^β), linear fit of ln(-ln C) vs ln t
  double beta = 0;
  double tau_mean_ps = 0;  // ∫ exp(-(t/τ)^β) dt = τ/β Γ(1/β)
  int points = 0;          // lags used: 0 < t, c_min < C < c_max
};
RelaxationFit fit_relaxation(const std::vector<double>& c, double dt_ps, double c_min = 0.05,
                             double c_max = 0.98);

// Angular density on the sphere: θ polar angle from +z in [0, π], φ azimuth in [-π, π).
// rho[iθ][iφ] = counts / (total · ΔΩ_bin), so Σ rho ΔΩ = 1; free energy A = -kT ln rho (eV),
// shifted so min A = 0; bins without samples have A = +inf.
struct AngularMap {
  int n_theta = 0, n_phi = 0;
  std::vector<std::vector<double>> rho, free_energy;
};
AngularMap angular_map(const std::vector<std::vector<Vec3>>& u, int n_theta, int n_phi,
                       double temperature_k);

}  // namespace superion::mechanism
