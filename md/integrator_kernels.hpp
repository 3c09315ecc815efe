// Per-atom integrator and thermostat kernels (SUPERION_HD): the one place where the MD update
// formulas live. The CPU Simulation loops over atoms calling these; the CUDA backend calls the same
// functions from its kernels. Metal units: x Å, v Å/ps, F eV/Å, m amu, t ps, E eV.
#pragma once

#include <cmath>

#include "core/hd.hpp"
#include "core/units.hpp"
#include "core/vec3.hpp"
#include "rng.hpp"

namespace superion::md {

// dt/m in (Å/ps)/(eV/Å): a velocity change per unit force. 1/m converted with mvv2e (amu Å²/ps² →
// eV).
SUPERION_HD inline double kick_factor(double mass, double dt) {
  return dt / (mass * units::kMvv2e);
}

// B step: v += (dt/m) F  (pass half the time step for a velocity-Verlet half kick).
SUPERION_HD inline void kick(Vec3& v, const Vec3& f, double dt_over_m) {
  v.x += dt_over_m * f.x;
  v.y += dt_over_m * f.y;
  v.z += dt_over_m * f.z;
}

// A step: x += dt v.
SUPERION_HD inline void drift(Vec3& x, const Vec3& v, double dt) {
  x.x += dt * v.x;
  x.y += dt * v.y;
  x.z += dt * v.z;
}

// ½ m v² in eV.
SUPERION_HD inline double kinetic_energy_of(const Vec3& v, double mass) {
  return 0.5 * mass * units::kMvv2e * (v.x * v.x + v.y * v.y + v.z * v.z);
}

// Thermal velocity scale sqrt(kT/m) in Å/ps.
SUPERION_HD inline double thermal_speed(double kT, double mass) {
  return sqrt(kT / (mass * units::kMvv2e));
}

// Maxwell–Boltzmann velocity draw for one atom (before momentum removal and exact rescaling).
SUPERION_HD inline Vec3 maxwell_boltzmann_velocity(std::uint64_t seed, std::uint64_t atom,
                                                   double kT, double mass) {
  const Normal3 n = normal3(seed, RngStream::kInitialVelocities, 0, atom);
  const double s = thermal_speed(kT, mass);
  return {s * n.x, s * n.y, s * n.z};
}

// Langevin O step (exact Ornstein–Uhlenbeck solution over dt, BAOAB of Leimkuhler & Matthews):
// v ← c1 v + sqrt(1 − c1²) sqrt(kT/m) ξ with c1 = exp(−γ dt). Random numbers are drawn per atom
// from (seed, step, atom), so the result is independent of threads and of restarts.
SUPERION_HD inline void langevin_o(Vec3& v, double c1, double kT, double mass, std::uint64_t seed,
                                   std::uint64_t step, std::uint64_t atom) {
  const Normal3 n = normal3(seed, RngStream::kLangevin, step, atom);
  const double s = sqrt(1.0 - c1 * c1) * thermal_speed(kT, mass);
  v.x = c1 * v.x + s * n.x;
  v.y = c1 * v.y + s * n.y;
  v.z = c1 * v.z + s * n.z;
}

// Uniform velocity scaling (Nosé–Hoover chain and CSVR apply a common factor to all atoms).
SUPERION_HD inline void scale_velocity(Vec3& v, double factor) {
  v.x *= factor;
  v.y *= factor;
  v.z *= factor;
}

// Largest squared displacement test for the Verlet skin: true when |x − x_ref|² > limit².
SUPERION_HD inline bool moved_beyond(const Vec3& x, const Vec3& x_ref, double limit) {
  const double dx = x.x - x_ref.x, dy = x.y - x_ref.y, dz = x.z - x_ref.z;
  return dx * dx + dy * dy + dz * dz > limit * limit;
}

}  // namespace superion::md
