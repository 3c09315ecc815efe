// Simulation: the MD state (structure with continuous positions, velocities, step, time, thermostat
// state) and the velocity-Verlet driver around a ForceBackend, a Thermostat and an optional
// VelocityConstraint. Positions are never wrapped during a run (wrapped positions and image flags
// are derived on output), so forces depend only on positions and a resumed run is bit-identical.
// Reductions over atoms are fixed-shape sums (core/fixed_sum.hpp), so results do not depend on the
// thread count and equal the device engine's (device/md_engine.*) bit for bit.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "constraint.hpp"
#include "core/structure.hpp"
#include "force_backend.hpp"
#include "thermostat.hpp"

namespace superion::md {

struct SimulationConfig {
  double timestep = 0.001;             // ps
  double temperature = 300.0;          // K, thermostat target
  std::uint64_t seed = 1;              // counter-based RNG key (Langevin, CSVR, initial velocities)
  double max_temperature = 0.0;        // K; instantaneous T above this stops the run (0: no check)
  double max_step_displacement = 1.0;  // Å per step; more means a lost atom
  // Berendsen barostat (equilibration only; it does not sample the NPT ensemble exactly):
  // "none", "berendsen" (isotropic) or "berendsen-aniso" (x, y, z scaled independently).
  std::string barostat = "none";
  double pressure_gpa = 0.0;       // target pressure
  double tau_p = 1.0;              // ps
  double bulk_modulus_gpa = 25.0;  // sets the compressibility β = 1/B of the scaling law
};

struct ThermoSample {
  std::int64_t step = 0;
  double time_ps = 0, temperature_K = 0, potential_eV = 0, kinetic_eV = 0, conserved_eV = 0,
         pressure_GPa = 0, volume_A3 = 0;
};

// Everything needed to continue a run bit-identically (maps 1:1 onto md/checkpoint's Checkpoint).
struct MdSnapshot {
  std::int64_t step = 0;
  double time_ps = 0.0;
  Structure structure;  // continuous positions, types, symbols, masses
  std::vector<Vec3> velocities;
  std::string thermostat;
  std::vector<double> thermostat_state;
  std::uint64_t seed = 0;
  std::vector<double> constraint_state;  // e.g. rigid-cluster atoms and body offsets
};

class Simulation {
 public:
  Simulation(Structure s, std::unique_ptr<ForceBackend> backend,
             std::unique_ptr<Thermostat> thermostat, SimulationConfig config);

  // Installs a constraint (before velocities are set; they are projected when set).
  void set_constraint(std::unique_ptr<VelocityConstraint> c);
  // Maxwell–Boltzmann velocities at `T` from the seed: zero total momentum (when the forces
  // conserve it), then scaled so that the instantaneous temperature is exactly T.
  void initialize_velocities(double T);
  void set_velocities(std::vector<Vec3> v);

  // One velocity-Verlet step (with the thermostat's splitting). Throws SimulationError on
  // atoms too close, lost atoms, non-finite energies/forces or temperature blow-up.
  void step();
  void run(std::int64_t n_steps);

  const Structure& structure() const { return s_; }
  const std::vector<Vec3>& velocities() const { return v_; }
  const std::vector<double>& masses() const { return masses_; }
  const std::vector<Vec3>& forces();
  std::int64_t step_index() const { return step_; }
  double time_ps() const { return time_; }
  double timestep() const { return cfg_.timestep; }
  const SimulationConfig& config() const { return cfg_; }
  double dof() const { return dof_; }
  ForceBackend& backend() { return *backend_; }
  const Thermostat& thermostat() const { return *thermostat_; }

  double potential_energy();
  double kinetic_energy() const;
  double temperature() const;  // 2 KE / (N_f k_B)
  double conserved_energy();   // KE + PE + thermostat energy
  Mat3 virial();               // eV (PlusStress of the forces)
  double pressure_gpa();       // (2 KE + tr W) / (3 V)
  Mat3 pressure_tensor_gpa();  // (Σ m v⊗v + W) / V
  ThermoSample thermo();

  // Positions wrapped into the cell and the integer image flags n with r = wrapped + n·cell.
  void wrapped(std::vector<Vec3>& positions, std::vector<std::array<int, 3>>& images) const;

  MdSnapshot snapshot() const;
  // Continues from a snapshot (same atoms and thermostat kind; throws Error otherwise). A
  // constraint must be installed first, rebuilt from snap.constraint_state.
  void restore(const MdSnapshot& snap);

 private:
  void ensure_forces();
  void compute_forces();
  void project();
  void check_temperature(double kinetic) const;
  void apply_barostat(const Mat3& pressure);
  ThermostatContext context();

  Structure s_;
  std::unique_ptr<ForceBackend> backend_;
  std::unique_ptr<Thermostat> thermostat_;
  std::unique_ptr<VelocityConstraint> constraint_;
  SimulationConfig cfg_;
  std::vector<double> masses_;
  std::vector<Vec3> v_;
  mutable std::vector<double> ke_scratch_;  // per-atom kinetic energies for the fixed-shape sum
  ForceResult f_;
  bool have_forces_ = false;
  std::int64_t step_ = 0;
  double time_ = 0.0;
  double dof_ = 0.0;
  bool momentum_dof_removed_ = true;
};

// A thermo sample from the engine's numbers (the one formula for the CPU and device engines):
// T = 2K/(N_f k_B), conserved = U + K + thermostat energy, P = (2K + tr W)/(3V) (0 when not
// periodic).
ThermoSample make_thermo_sample(std::int64_t step, double time_ps, double potential, double kinetic,
                                double dof, double thermostat_energy, const Mat3& virial,
                                double volume, bool periodic);

// Positions wrapped into the cell (periodic directions) and the integer image flags n with
// x = wrapped + n·cell.
void wrap_positions(const std::vector<Vec3>& x, const Mat3& cell, const std::array<bool, 3>& pbc,
                    std::vector<Vec3>& positions, std::vector<std::array<int, 3>>& images);

// Number of degrees of freedom: 3N, minus 3 when the total momentum is conserved and zero (NVE,
// Nosé–Hoover, CSVR with translation-invariant forces), minus the constraint's.
double degrees_of_freedom(std::size_t n_atoms, bool momentum_removed, double constrained);

}  // namespace superion::md
