// Thermostats for the velocity-Verlet driver. The driver splits one step as
//   outer_half(dt/2) · B(dt/2) · A(dt/2) · middle(dt) · A(dt/2) · force · B(dt/2) ·
//   outer_half(dt/2)
// NVE and the Nosé–Hoover chain / CSVR act in the outer half steps (Trotter splitting); Langevin
// acts in the middle (BAOAB). Each thermostat reports the energy that makes KE + PE + energy() the
// conserved quantity: the chain energy for Nosé–Hoover, minus the kinetic energy exchanged with
// the bath for CSVR and Langevin. state()/set_state() serialise everything needed for a
// bit-identical restart (random numbers are counter-based, see rng.hpp, so no generator state).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/vec3.hpp"
#include "thermostat_kernels.hpp"  // csvr_resample, nhc_half_step

namespace superion::md {

struct ThermostatContext {
  std::vector<Vec3>& velocities;
  const std::vector<double>& masses;
  double kT;           // target k_B T (eV)
  double dof;          // degrees of freedom N_f
  std::uint64_t seed;  // run seed (counter-based RNG key)
  std::uint64_t step;  // index of the step being made (RNG counter)
};

class Thermostat {
 public:
  virtual ~Thermostat() = default;
  virtual std::string name() const = 0;
  // Outer half step of length h (= dt/2); `second` tells the closing half step from the opening
  // one. `kinetic` is the current kinetic energy (eV). Returns the new kinetic energy.
  virtual double outer_half(ThermostatContext& c, double h, bool second, double kinetic) {
    return kinetic;
  }
  virtual bool has_middle() const { return false; }
  // Middle step of length dt (between the two half drifts).
  virtual void middle(ThermostatContext& c, double dt) {}
  // Kinetic energy change made by this thermostat (after constraints), reported by the driver.
  virtual void exchanged(double delta_kinetic) { reservoir_ -= delta_kinetic; }
  // Extra energy so that KE + PE + energy() is conserved (eV).
  virtual double energy(double kT, double dof) const { return reservoir_; }
  virtual std::vector<double> state() const { return {reservoir_}; }
  virtual void set_state(const std::vector<double>& s);

 protected:
  double reservoir_ = 0.0;  // −(kinetic energy put into the system by the bath) (eV)
};

// No thermostat (NVE).
class NoThermostat : public Thermostat {
 public:
  std::string name() const override { return "none"; }
};

// Nosé–Hoover chain of length M (Martyna, Klein, Tuckerman 1992), integrated with the Trotter
// scheme of Martyna et al. (Mol. Phys. 87, 1117, 1996): masses Q1 = N_f kT τ², Qj = kT τ².
// Conserved: KE + PE + Σ ½ Q_j v_ξj² + N_f kT ξ1 + kT Σ_{j≥2} ξj.
class NoseHooverChain : public Thermostat {
 public:
  NoseHooverChain(double tdamp, int chain_length = 3);
  std::string name() const override { return "nose-hoover"; }
  double outer_half(ThermostatContext& c, double h, bool second, double kinetic) override;
  void exchanged(double) override {}
  double energy(double kT, double dof) const override;
  std::vector<double> state() const override;
  void set_state(const std::vector<double>& s) override;

 private:
  double tdamp_;
  std::vector<double> xi_, vxi_;  // positions (dimensionless) and velocities (1/ps)
};

// Bussi–Donadio–Parrinello stochastic velocity rescaling (J. Chem. Phys. 126, 014101, 2007): the
// kinetic energy is resampled exactly from its Ornstein–Uhlenbeck propagator over each half step
// (the sum of N_f − 1 squared normals is drawn as such, no approximation).
class CsvrThermostat : public Thermostat {
 public:
  explicit CsvrThermostat(double tdamp) : tdamp_(tdamp) {}
  std::string name() const override { return "csvr"; }
  double outer_half(ThermostatContext& c, double h, bool second, double kinetic) override;

 private:
  double tdamp_;
};

// Langevin dynamics with the BAOAB splitting (Leimkuhler & Matthews 2013), friction γ = 1/tdamp.
class LangevinThermostat : public Thermostat {
 public:
  explicit LangevinThermostat(double tdamp) : tdamp_(tdamp) {}
  std::string name() const override { return "langevin"; }
  bool has_middle() const override { return true; }
  void middle(ThermostatContext& c, double dt) override;

 private:
  double tdamp_;
};

// "none" | "nve" | "nose-hoover" | "nh" | "langevin" | "csvr" | "bussi"; tdamp in ps.
std::unique_ptr<Thermostat> make_thermostat(const std::string& kind, double tdamp);

}  // namespace superion::md
