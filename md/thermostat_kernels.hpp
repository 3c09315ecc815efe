// Scalar thermostat kernels (SUPERION_HD) shared by the CPU thermostats (thermostat.cpp) and the
// device MD engine (device/md_engine.cpp, one thread per replica): the Nosé–Hoover chain half step
// and the CSVR kinetic-energy resampling with its normal numbers. The per-atom parts (velocity
// scaling, Langevin O step) are in integrator_kernels.hpp.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/hd.hpp"
#include "rng.hpp"

namespace superion::md {

// One outer half step (length h) of a Nosé–Hoover chain of length m (Martyna et al., Mol. Phys.
// 87, 1117, 1996), masses Q1 = N_f kT τ², Qj = kT τ². Updates xi[m] and vxi[m] and returns the
// velocity scale factor; `kinetic` is the kinetic energy before the scaling (eV).
SUPERION_HD inline double nhc_half_step(double* xi, double* vxi, int m, double dof, double kT,
                                        double tdamp, double h, double kinetic) {
  const double tau2 = tdamp * tdamp;
  const double q0 = dof * kT * tau2, qj = kT * tau2;
  // Force on thermostat j: G1 = (2K − N_f kT)/Q1, Gj = (Q_{j−1} v_{j−1}² − kT)/Qj.
  auto q = [&](int j) { return j == 0 ? q0 : qj; };
  auto g = [&](int j, double ke) {
    return j == 0 ? (2.0 * ke - dof * kT) / q(0) : (q(j - 1) * vxi[j - 1] * vxi[j - 1] - kT) / q(j);
  };
  const double h2 = 0.5 * h, h4 = 0.25 * h;
  // Chain velocities from the top down, each damped by the one above it.
  vxi[m - 1] += h2 * g(m - 1, kinetic);
  for (int j = m - 1; j-- > 0;) {
    const double e = exp(-h4 * vxi[j + 1]);
    vxi[j] = e * (e * vxi[j] + h2 * g(j, kinetic));
  }
  const double scale = exp(-h * vxi[0]);
  kinetic *= scale * scale;
  for (int j = 0; j < m; ++j) xi[j] += h * vxi[j];
  for (int j = 0; j + 1 < m; ++j) {
    const double e = exp(-h4 * vxi[j + 1]);
    vxi[j] = e * (e * vxi[j] + h2 * g(j, kinetic));
  }
  vxi[m - 1] += h2 * g(m - 1, kinetic);
  return scale;
}

// CSVR draws N_f normal numbers per half step (counter 2·step + half) in Philox pairs k = 0 …
// ⌈N_f/2⌉ − 1: R1 is the first number of pair 0, and the squares of the other N_f − 1 are summed
// (chi-squared with N_f − 1 degrees of freedom). The sum is a fixed-shape sum over the per-pair
// terms below (core/fixed_sum.hpp), so the device sums them in parallel with the CPU's bits.
SUPERION_HD inline std::uint64_t csvr_pairs(std::uint64_t nf) {
  return (nf + 1) / 2;
}

SUPERION_HD inline double csvr_term(std::uint64_t seed, std::uint64_t counter, std::uint64_t k,
                                    std::uint64_t nf) {
  const NormalPair p = normal_pair(seed, RngStream::kCsvr, counter, k);
  const double a2 = k == 0 ? 0.0 : p.a * p.a;
  return 2 * k + 1 < nf ? a2 + p.b * p.b : a2;
}

SUPERION_HD inline double csvr_r1(std::uint64_t seed, std::uint64_t counter) {
  return normal_pair(seed, RngStream::kCsvr, counter, 0).a;
}

// New kinetic energy of a CSVR step (Bussi et al. eq. A7): K' from K, target K̄ = N_f kT/2,
// c = exp(−h/τ), R1 a normal number and s2 a chi-squared(N_f − 1) number.
SUPERION_HD inline double csvr_resample(double kinetic, double target, double dof, double c,
                                        double r1, double s2) {
  return kinetic + (1.0 - c) * (target * (r1 * r1 + s2) / dof - kinetic) +
         2.0 * r1 * sqrt(c * (1.0 - c) * kinetic * target / dof);
}

// Velocity scale of a CSVR half step from K, the drawn R1 and s2 (1 when K is not positive).
SUPERION_HD inline double csvr_scale(double kinetic, double kT, double dof, double decay, double r1,
                                     double s2) {
  if (!(kinetic > 0)) return 1.0;
  const double target = 0.5 * dof * kT;
  const double k_new = csvr_resample(kinetic, target, dof, decay, r1, s2);
  return sqrt((k_new > 0.0 ? k_new : 0.0) / kinetic);
}

}  // namespace superion::md
