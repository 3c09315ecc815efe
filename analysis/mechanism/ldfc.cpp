// LDFC and helpers shared by the VACF commands (see ldfc.hpp).
#include "mechanism/ldfc.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "mechanism/rotation.hpp"

namespace superion::mechanism {

std::vector<std::vector<Vec3>> velocity_series(const FrameSeries& s,
                                               const std::vector<int>& atoms) {
  s.require_frames(2, "velocity autocorrelation");
  std::vector<std::vector<Vec3>> v(atoms.size(), std::vector<Vec3>(s.n_frames()));
  for (std::size_t t = 0; t < s.n_frames(); ++t) {
    const auto vt = s.velocities_at(t);
    for (std::size_t k = 0; k < atoms.size(); ++k) v[k][t] = vt[atoms[k]];
  }
  return v;
}

std::size_t lag_frames(const FrameSeries& s, double max_lag_ps) {
  const std::size_t T = s.n_frames();
  std::size_t L =
      max_lag_ps > 0 ? static_cast<std::size_t>(std::lround(max_lag_ps / s.dt_ps)) : T / 2;
  return std::max<std::size_t>(1, std::min(L, T - 1));
}

LdfcResult compute_ldfc(const FrameSeries& s, const LdfcOptions& opt) {
  s.require_frames(4, "LDFC");
  if (!(opt.cutoff_thz > 0)) throw InputError(s.source, 0, "LDFC cutoff frequency must be > 0 THz");
  LdfcResult r;
  const std::size_t L = lag_frames(s, opt.max_lag_ps);
  const auto na = s.atoms_of(opt.mobile);
  r.na = power_spectrum(vector_acf(velocity_series(s, na), L), s.dt_ps);
  const auto clusters = find_clusters(s, opt.centre, opt.ligand, opt.bond_cutoff);
  r.n_clusters = static_cast<int>(clusters.size());
  r.rot = power_spectrum(vector_acf(angular_velocities(s, clusters), L), s.dt_ps);
  r.nu_na = spectrum_centroid(r.na, opt.cutoff_thz);
  r.nu_rot = spectrum_centroid(r.rot, opt.cutoff_thz);
  r.ldfc = r.nu_na - r.nu_rot;
  return r;
}

}  // namespace superion::mechanism
