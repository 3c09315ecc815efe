// Velocity-Verlet driver with thermostat splitting, constraints and failure checks.
#include "simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/fixed_sum.hpp"
#include "core/geometry.hpp"
#include "core/units.hpp"
#include "integrator_kernels.hpp"

namespace superion::md {

double degrees_of_freedom(std::size_t n_atoms, bool momentum_removed, double constrained) {
  return 3.0 * static_cast<double>(n_atoms) - (momentum_removed ? 3.0 : 0.0) - constrained;
}

Simulation::Simulation(Structure s, std::unique_ptr<ForceBackend> backend,
                       std::unique_ptr<Thermostat> thermostat, SimulationConfig config)
    : s_(std::move(s)),
      backend_(std::move(backend)),
      thermostat_(std::move(thermostat)),
      cfg_(config) {
  s_.validate();
  if (s_.size() == 0) throw Error("the structure has no atoms");
  if (!backend_) throw Error("no force backend");
  if (!thermostat_) thermostat_ = std::make_unique<NoThermostat>();
  // Nosé–Hoover masses and the CSVR target scale with kT: a zero target is meaningless there.
  if ((thermostat_->name() == "nose-hoover" || thermostat_->name() == "csvr") &&
      !(cfg_.temperature > 0))
    throw Error("thermostat " + thermostat_->name() + " needs a temperature above 0 K");
  if (!(cfg_.timestep > 0)) throw Error("the time step must be positive");
  if (cfg_.barostat != "none") {
    if (cfg_.barostat != "berendsen" && cfg_.barostat != "berendsen-aniso")
      throw Error("unknown barostat '" + cfg_.barostat +
                  "' (expected none, berendsen or berendsen-aniso)");
    if (!(s_.pbc[0] && s_.pbc[1] && s_.pbc[2])) throw Error("a barostat needs a 3-D periodic cell");
    if (!(cfg_.tau_p > 0) || !(cfg_.bulk_modulus_gpa > 0))
      throw Error("the barostat needs positive --pdamp and --bulk-modulus");
  }
  masses_ = s_.atom_masses();
  for (std::size_t i = 0; i < masses_.size(); ++i)
    if (!(masses_[i] > 0))
      throw Error("atom " + std::to_string(i + 1) + " (" + s_.symbol(i) + ") has no positive mass");
  v_.assign(s_.size(), Vec3{});
  // Langevin noise and tethering forces do not conserve the total momentum.
  momentum_dof_removed_ = backend_->translation_invariant() && !thermostat_->has_middle();
  dof_ = degrees_of_freedom(s_.size(), momentum_dof_removed_, 0.0);
}

void Simulation::set_constraint(std::unique_ptr<VelocityConstraint> c) {
  constraint_ = std::move(c);
  have_forces_ = false;
  dof_ = degrees_of_freedom(s_.size(), momentum_dof_removed_,
                            constraint_ ? constraint_->removed_dof() : 0.0);
  if (!(dof_ > 0)) throw Error("no degrees of freedom left after the constraints");
  if (constraint_) constraint_->correct_positions(s_.positions, s_.cell, s_.pbc);
  project();
}

void Simulation::project() {
  if (constraint_) constraint_->project_velocities(v_);
}

void Simulation::initialize_velocities(double T) {
  const double kT = units::kBoltzmann_eV_K * T;
  for (std::size_t i = 0; i < v_.size(); ++i)
    v_[i] = maxwell_boltzmann_velocity(cfg_.seed, i, kT, masses_[i]);
  if (momentum_dof_removed_) {
    // Fixed-shape sums (core/fixed_sum.hpp), as the device engine computes them.
    const std::size_t n = v_.size();
    std::vector<double> mv(4 * n);
    for (std::size_t i = 0; i < n; ++i) {
      const Vec3 p = masses_[i] * v_[i];
      mv[4 * i] = p.x;
      mv[4 * i + 1] = p.y;
      mv[4 * i + 2] = p.z;
      mv[4 * i + 3] = masses_[i];
    }
    const auto ln = static_cast<long>(n);
    const Vec3 p{fixed_sum(mv.data(), ln, 4), fixed_sum(mv.data() + 1, ln, 4),
                 fixed_sum(mv.data() + 2, ln, 4)};
    const Vec3 vcm = (1.0 / fixed_sum(mv.data() + 3, ln, 4)) * p;
    for (Vec3& v : v_) v -= vcm;
  }
  project();
  const double ke = kinetic_energy();
  if (T > 0 && ke > 0) {
    const double scale = std::sqrt(0.5 * dof_ * kT / ke);
    for (Vec3& v : v_) scale_velocity(v, scale);
  } else {
    for (Vec3& v : v_) v = Vec3{};
  }
}

void Simulation::set_velocities(std::vector<Vec3> v) {
  if (v.size() != s_.size()) throw Error("velocity count differs from the atom count");
  v_ = std::move(v);
  project();
}

void Simulation::compute_forces() {
  backend_->compute(s_, f_);
  if (!std::isfinite(f_.energy))
    throw SimulationError("the potential energy is not finite at step " + std::to_string(step_));
  for (std::size_t i = 0; i < f_.forces.size(); ++i) {
    const Vec3& f = f_.forces[i];
    if (!std::isfinite(f.x) || !std::isfinite(f.y) || !std::isfinite(f.z))
      throw SimulationError("the force on atom " + std::to_string(i + 1) + " (" + s_.symbol(i) +
                            ") is not finite at step " + std::to_string(step_));
  }
  if (constraint_) {
    const Mat3 internal = constraint_->internal_virial(f_.forces);
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) f_.virial[a][b] -= internal[a][b];
    constraint_->project_forces(f_.forces);
  }
  have_forces_ = true;
}

void Simulation::ensure_forces() {
  if (!have_forces_) compute_forces();
}

const std::vector<Vec3>& Simulation::forces() {
  ensure_forces();
  return f_.forces;
}

ThermostatContext Simulation::context() {
  return ThermostatContext{v_,   masses_,   units::kBoltzmann_eV_K * cfg_.temperature,
                           dof_, cfg_.seed, static_cast<std::uint64_t>(step_)};
}

void Simulation::step() {
  ensure_forces();
  const double dt = cfg_.timestep, h = 0.5 * dt;
  const std::size_t n = s_.size();
  ThermostatContext ctx = context();
  const bool barostat = cfg_.barostat != "none";
  const Mat3 pressure = barostat ? pressure_tensor_gpa() : Mat3{};  // state at the step start

  double ke = kinetic_energy();
  const double ke_th = thermostat_->outer_half(ctx, h, false, ke);
  thermostat_->exchanged(ke_th - ke);

  for (std::size_t i = 0; i < n; ++i) kick(v_[i], f_.forces[i], kick_factor(masses_[i], h));
  project();
  const double max_disp = cfg_.max_step_displacement;
  auto check_drift = [&](std::size_t i, double t) {
    if (moved_beyond(Vec3{}, t * v_[i], max_disp) || !std::isfinite(v_[i].x + v_[i].y + v_[i].z)) {
      char buf[200];
      std::snprintf(
          buf, sizeof buf,
          "atom %zu (%s) would move %.3g A in one step at step %lld (lost atom; limit %.3g A)",
          i + 1, s_.symbol(i).c_str(), norm(dt * v_[i]), static_cast<long long>(step_), max_disp);
      throw SimulationError(buf);
    }
  };
  if (thermostat_->has_middle()) {
    for (std::size_t i = 0; i < n; ++i) {
      check_drift(i, dt);
      drift(s_.positions[i], v_[i], h);
    }
    const double ke0 = kinetic_energy();
    thermostat_->middle(ctx, dt);
    project();
    thermostat_->exchanged(kinetic_energy() - ke0);
    for (std::size_t i = 0; i < n; ++i) {
      check_drift(i, dt);
      drift(s_.positions[i], v_[i], h);
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      check_drift(i, dt);
      drift(s_.positions[i], v_[i], dt);
    }
  }
  if (barostat) apply_barostat(pressure);
  if (constraint_) {
    const double moved = constraint_->correct_positions(s_.positions, s_.cell, s_.pbc);
    // Corrections are rounding-sized in a correct run (the barostat's scaling of the offsets is
    // undone here on purpose: clusters move with their centres); a large one means a broken
    // cluster.
    if (!barostat && !(moved < 1e-6))
      throw SimulationError("a rigid cluster was distorted by " + std::to_string(moved) +
                            " A at step " + std::to_string(step_));
  }

  compute_forces();
  for (std::size_t i = 0; i < n; ++i) kick(v_[i], f_.forces[i], kick_factor(masses_[i], h));
  project();

  ke = kinetic_energy();
  const double ke_end = thermostat_->outer_half(ctx, h, true, ke);
  thermostat_->exchanged(ke_end - ke);
  ++step_;
  time_ += dt;
  check_temperature(ke_end);
}

void Simulation::run(std::int64_t n_steps) {
  for (std::int64_t k = 0; k < n_steps; ++k) step();
}

void Simulation::check_temperature(double kinetic) const {
  const double T = 2.0 * kinetic / (dof_ * units::kBoltzmann_eV_K);
  if (!std::isfinite(T))
    throw SimulationError("the kinetic energy is not finite at step " + std::to_string(step_));
  if (cfg_.max_temperature > 0 && T > cfg_.max_temperature) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "temperature blow-up: T = %.1f K at step %lld exceeds the limit %.1f K "
                  "(time step too large, or the potential left its training domain)",
                  T, static_cast<long long>(step_), cfg_.max_temperature);
    throw SimulationError(buf);
  }
}

double Simulation::kinetic_energy() const {
  ke_scratch_.resize(v_.size());
  for (std::size_t i = 0; i < v_.size(); ++i) ke_scratch_[i] = kinetic_energy_of(v_[i], masses_[i]);
  return fixed_sum(ke_scratch_);
}

double Simulation::temperature() const {
  return 2.0 * kinetic_energy() / (dof_ * units::kBoltzmann_eV_K);
}

double Simulation::potential_energy() {
  ensure_forces();
  return f_.energy;
}

double Simulation::conserved_energy() {
  return potential_energy() + kinetic_energy() +
         thermostat_->energy(units::kBoltzmann_eV_K * cfg_.temperature, dof_);
}

Mat3 Simulation::virial() {
  ensure_forces();
  return f_.virial;
}

Mat3 Simulation::pressure_tensor_gpa() {
  Mat3 p = virial();
  for (std::size_t i = 0; i < v_.size(); ++i)
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) p[a][b] += masses_[i] * units::kMvv2e * v_[i][a] * v_[i][b];
  return (units::kEVPerA3ToGPa / s_.volume()) * p;
}

// Berendsen: μ = [1 − (β dt/τ_P)(P0 − P)]^{1/3} per cartesian axis (one μ from the mean pressure
// when isotropic); positions and cell are scaled by diag(μ), velocities are not.
void Simulation::apply_barostat(const Mat3& pressure) {
  const double k = cfg_.timestep / (cfg_.tau_p * cfg_.bulk_modulus_gpa);
  const double p_mean = (pressure[0][0] + pressure[1][1] + pressure[2][2]) / 3.0;
  double mu[3];
  for (int a = 0; a < 3; ++a) {
    const double p = cfg_.barostat == "berendsen" ? p_mean : pressure[a][a];
    // At most 1% per step: a huge pressure (bad start structure) must not invert the cell.
    const double x = std::min(0.03, std::max(-0.03, k * (cfg_.pressure_gpa - p)));
    mu[a] = std::cbrt(1.0 - x);
  }
  for (Vec3& r : s_.positions)
    for (int a = 0; a < 3; ++a) r[a] *= mu[a];
  for (int row = 0; row < 3; ++row)
    for (int a = 0; a < 3; ++a) s_.cell[row][a] *= mu[a];
}

double Simulation::pressure_gpa() {
  if (!s_.periodic()) return 0.0;
  const Mat3 w = virial();
  const double p = (2.0 * kinetic_energy() + w[0][0] + w[1][1] + w[2][2]) / (3.0 * s_.volume());
  return p * units::kEVPerA3ToGPa;
}

ThermoSample make_thermo_sample(std::int64_t step, double time_ps, double potential, double kinetic,
                                double dof, double thermostat_energy, const Mat3& virial,
                                double volume, bool periodic) {
  ThermoSample t;
  t.step = step;
  t.time_ps = time_ps;
  t.potential_eV = potential;
  t.kinetic_eV = kinetic;
  t.temperature_K = 2.0 * kinetic / (dof * units::kBoltzmann_eV_K);
  t.conserved_eV = potential + kinetic + thermostat_energy;
  t.pressure_GPa = periodic ? (2.0 * kinetic + virial[0][0] + virial[1][1] + virial[2][2]) /
                                  (3.0 * volume) * units::kEVPerA3ToGPa
                            : 0.0;
  t.volume_A3 = volume;
  return t;
}

ThermoSample Simulation::thermo() {
  return make_thermo_sample(step_, time_, potential_energy(), kinetic_energy(), dof_,
                            thermostat_->energy(units::kBoltzmann_eV_K * cfg_.temperature, dof_),
                            virial(), s_.volume(), s_.periodic());
}

void wrap_positions(const std::vector<Vec3>& x, const Mat3& cell, const std::array<bool, 3>& pbc,
                    std::vector<Vec3>& positions, std::vector<std::array<int, 3>>& images) {
  const std::size_t n = x.size();
  positions.resize(n);
  images.assign(n, {0, 0, 0});
  const Mat3 inv = inverse(cell);
  for (std::size_t i = 0; i < n; ++i) {
    Vec3 f = to_fractional(x[i], inv);
    for (int k = 0; k < 3; ++k)
      if (pbc[static_cast<std::size_t>(k)]) {
        const double fl = std::floor(f[k]);
        images[i][static_cast<std::size_t>(k)] = static_cast<int>(fl);
        f[k] -= fl;
      }
    positions[i] = to_cartesian(f, cell);
  }
}

void Simulation::wrapped(std::vector<Vec3>& positions,
                         std::vector<std::array<int, 3>>& images) const {
  wrap_positions(s_.positions, s_.cell, s_.pbc, positions, images);
}

MdSnapshot Simulation::snapshot() const {
  MdSnapshot snap;
  snap.step = step_;
  snap.time_ps = time_;
  snap.structure = s_;
  snap.structure.masses = masses_;
  snap.velocities = v_;
  snap.thermostat = thermostat_->name();
  snap.thermostat_state = thermostat_->state();
  snap.seed = cfg_.seed;
  if (constraint_) snap.constraint_state = constraint_->state();
  return snap;
}

void Simulation::restore(const MdSnapshot& snap) {
  if (snap.structure.size() != s_.size() || snap.velocities.size() != s_.size())
    throw Error("the checkpoint has " + std::to_string(snap.structure.size()) +
                " atoms, this run has " + std::to_string(s_.size()));
  if (snap.thermostat != thermostat_->name())
    throw Error("the checkpoint was written with thermostat '" + snap.thermostat +
                "', this run uses '" + thermostat_->name() + "'");
  s_.positions = snap.structure.positions;
  s_.cell = snap.structure.cell;
  s_.types = snap.structure.types;
  if (!snap.structure.masses.empty()) masses_ = snap.structure.masses;
  v_ = snap.velocities;
  thermostat_->set_state(snap.thermostat_state);
  cfg_.seed = snap.seed;
  step_ = snap.step;
  time_ = snap.time_ps;
  have_forces_ = false;
}

}  // namespace superion::md
