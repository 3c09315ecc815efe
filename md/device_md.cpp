// DeviceMd: host bookkeeping around the device MD engine; see device_md.hpp.
#include "device_md.hpp"

#include "core/error.hpp"
#include "core/units.hpp"
#include "md_io_hooks.hpp"

namespace superion::md {

DeviceMd::DeviceMd(DeviceKind kind, const DeviceMdSetup& setup, const Structure& start,
                   const std::vector<ReplicaSpec>& replicas)
    : setup_(setup), start_(start) {
  start_.validate();
  if (start_.size() == 0) throw Error("the structure has no atoms");
  if (!(start_.pbc[0] && start_.pbc[1] && start_.pbc[2]))
    throw Error("the device engine needs a 3-D periodic cell");
  if (replicas.empty()) throw Error("no replicas");
  masses_ = start_.atom_masses();
  device::MdEngineConfig cfg;
  cfg.model = setup.model;
  cfg.skin = setup.skin;
  cfg.timestep = setup.timestep;
  cfg.thermostat = setup.thermostat;
  cfg.tdamp = setup.tdamp;
  cfg.max_step_displacement = setup.max_step_displacement;
  cfg.walls = setup.walls;
  std::vector<device::MdSystemInput> in;
  std::int64_t step = 0;
  double time = 0.0;
  std::optional<RigidClusters> fresh_clusters;  // found once for the replicas that start fresh
  for (const ReplicaSpec& spec : replicas)
    if (!spec.resume && !setup.freeze_rotation.empty() && !fresh_clusters)
      fresh_clusters = rotation_clusters(start_, setup.freeze_rotation);
  for (std::size_t k = 0; k < replicas.size(); ++k) {
    const ReplicaSpec& spec = replicas[k];
    Replica rep;
    rep.temperature = spec.temperature;
    rep.seed = spec.seed;
    rep.thermostat = make_thermostat(setup.thermostat, setup.tdamp);
    const bool momentum_removed = !rep.thermostat->has_middle();  // MTP + walls conserve momentum
    device::MdSystemInput q;
    q.cell = start_.cell;
    q.types = start_.types;
    q.masses = masses_;
    q.temperature = spec.temperature;
    q.seed = spec.seed;
    q.max_temperature = spec.max_temperature;
    q.momentum_removed = momentum_removed;
    std::optional<RigidClusters> rc;
    if (spec.resume) {
      const MdSnapshot& s = *spec.resume;
      if (s.structure.size() != start_.size() || s.velocities.size() != start_.size())
        throw Error("the checkpoint has " + std::to_string(s.structure.size()) +
                    " atoms, this run has " + std::to_string(start_.size()));
      if (s.thermostat != rep.thermostat->name())
        throw Error("the checkpoint was written with thermostat '" + s.thermostat +
                    "', this run uses '" + rep.thermostat->name() + "'");
      rep.thermostat->set_state(s.thermostat_state);  // validates the size
      q.positions = s.structure.positions;
      q.cell = s.structure.cell;
      q.types = s.structure.types;
      if (!s.structure.masses.empty()) q.masses = s.structure.masses;
      q.velocities = s.velocities;
      q.thermostat_state = s.thermostat_state;
      q.seed = s.seed;
      rep.seed = s.seed;
      step = s.step;
      time = s.time_ps;
      if (!setup.freeze_rotation.empty())
        rc = rotation_clusters(s.structure, setup.freeze_rotation, &s.constraint_state);
    } else {
      q.positions = start_.positions;
      if (fresh_clusters) {
        rc = *fresh_clusters;
        rc->restore_positions(q.positions, q.cell, start_.pbc);  // as Simulation::set_constraint
      }
    }
    double constrained = 0.0;
    if (rc) {
      rep.constraint_state = rigid_cluster_state(*rc);
      constrained = static_cast<double>(rc->removed_dof());
      q.cluster_begin = rc->begin();
      q.cluster_atoms = rc->atoms();
      q.cluster_weights = rc->weights();
      q.cluster_offsets = rc->offsets();
    }
    rep.dof = degrees_of_freedom(start_.size(), momentum_removed, constrained);
    if (!(rep.dof > 0)) throw Error("no degrees of freedom left after the constraints");
    q.dof = rep.dof;
    in.push_back(std::move(q));
    reps_.push_back(std::move(rep));
  }
  engine_ = make_device_engine(kind, cfg, in);
  engine_->set_clock(step, time);
  engine_->initialize_velocities();
}

void DeviceMd::run(std::int64_t n) {
  for (std::int64_t k = 0; k < n; ++k) engine_->step();
}

ReplicaSample DeviceMd::to_sample(int r, std::int64_t step, double time, const device::MdScalars& m,
                                  std::vector<Vec3>* x, std::vector<Vec3>* v) {
  Replica& rep = reps_[static_cast<std::size_t>(r)];
  rep.thermostat->set_state(m.thermostat_state);
  ReplicaSample s;
  s.thermo =
      make_thermo_sample(step, time, m.potential, m.kinetic, rep.dof,
                         rep.thermostat->energy(units::kBoltzmann_eV_K * rep.temperature, rep.dof),
                         m.virial, start_.volume(), start_.periodic());
  if (x) s.positions = std::move(*x);
  if (v) s.velocities = std::move(*v);
  s.wall_energy = m.wall_energy;
  s.max_wall_energy = m.max_wall_energy;
  s.max_violation = m.max_violation_run;
  return s;
}

bool DeviceMd::next_sample(std::int64_t& step, double& time_ps, std::vector<ReplicaSample>& out,
                           bool wait) {
  device::MdSample m;
  if (!engine_->next_sample(m, wait)) return false;
  step = m.step;
  time_ps = m.time_ps;
  out.clear();
  for (int r = 0; r < replicas(); ++r)
    out.push_back(
        to_sample(r, m.step, m.time_ps, m.systems[static_cast<std::size_t>(r)],
                  m.positions.empty() ? nullptr : &m.positions[static_cast<std::size_t>(r)],
                  m.velocities.empty() ? nullptr : &m.velocities[static_cast<std::size_t>(r)]));
  return true;
}

ThermoSample DeviceMd::thermo(int r) {
  engine_->request_sample(false, false);
  std::int64_t step = 0;
  double time = 0;
  std::vector<ReplicaSample> s;
  while (next_sample(step, time, s, true)) {
  }
  return s.at(static_cast<std::size_t>(r)).thermo;
}

std::vector<Vec3> DeviceMd::positions(int r) {
  std::vector<Vec3> x, v;
  std::vector<double> th;
  engine_->state(r, x, v, th);
  return x;
}

std::vector<Vec3> DeviceMd::velocities(int r) {
  std::vector<Vec3> x, v;
  std::vector<double> th;
  engine_->state(r, x, v, th);
  return v;
}

MdSnapshot DeviceMd::snapshot(int r) {
  const Replica& rep = reps_[static_cast<std::size_t>(r)];
  MdSnapshot snap;
  std::vector<Vec3> x, v;
  std::vector<double> th;
  engine_->state(r, x, v, th);
  snap.step = engine_->step_index();
  snap.time_ps = engine_->time_ps();
  snap.structure = start_;
  snap.structure.positions = std::move(x);
  snap.structure.masses = masses_;
  snap.velocities = std::move(v);
  snap.thermostat = rep.thermostat->name();
  snap.thermostat_state = std::move(th);
  snap.seed = rep.seed;
  snap.constraint_state = rep.constraint_state;
  return snap;
}

}  // namespace superion::md
