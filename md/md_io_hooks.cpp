// The I/O hooks of the MD driver on top of md/checkpoint (binary checkpoints), md/h5md_writer
// (H5MD trajectories) and md/rigid_clusters (frozen-rotation clusters).
#include "md_io_hooks.hpp"

#include <cstdio>
#include <sstream>

#include "checkpoint.hpp"
#include "core/error.hpp"
#include "h5md_writer.hpp"
#include "rigid_clusters.hpp"

namespace superion::md {
namespace {

constexpr const char* kRngPrefix = "philox4x32-10 seed ";

class H5mdSink : public FrameSink {
 public:
  H5mdSink(H5mdWriter w, bool velocities) : w_(std::move(w)), velocities_(velocities) {}
  void write(Simulation& sim) override { write(frame_of(sim)); }
  void write(const FrameData& f) override {
    wrap_positions(*f.positions, f.structure->cell, f.structure->pbc, pos_, img_);
    const ThermoSample& t = f.thermo;
    w_.append(f.step, f.time_ps, f.structure->cell, pos_, img_,
              velocities_ ? f.velocities : nullptr,
              {t.potential_eV, t.kinetic_eV, t.temperature_K, t.pressure_GPa});
  }
  void flush() override { w_.flush(); }
  void commit() override { w_.close(); }

 private:
  H5mdWriter w_;
  bool velocities_;
  std::vector<Vec3> pos_;
  std::vector<std::array<int, 3>> img_;
};

// Rigid clusters that translate without rotating. State for checkpoints:
// [n_clusters, n_0 .. n_{C-1}, atoms (CSR order), offsets (3 per atom entry)].
class RotationFreeze : public VelocityConstraint {
 public:
  explicit RotationFreeze(RigidClusters rc) : rc_(std::move(rc)) {}
  std::string name() const override { return "freeze-rotation"; }
  void project_velocities(std::vector<Vec3>& v) const override { rc_.project_velocities(v); }
  void project_forces(std::vector<Vec3>& f) const override { rc_.project_forces(f); }
  Mat3 internal_virial(const std::vector<Vec3>& f) const override { return rc_.internal_virial(f); }
  double correct_positions(std::vector<Vec3>& x, const Mat3& cell,
                           const std::array<bool, 3>& pbc) const override {
    return rc_.restore_positions(x, cell, pbc);
  }
  double removed_dof() const override { return static_cast<double>(rc_.removed_dof()); }
  std::vector<double> state() const override { return rigid_cluster_state(rc_); }

 private:
  RigidClusters rc_;
};

}  // namespace

void save_checkpoint(const std::filesystem::path& path, const MdSnapshot& snap,
                     const std::map<std::string, std::string>& metadata) {
  Checkpoint c;
  c.step = snap.step;
  c.time_ps = snap.time_ps;
  c.cell = snap.structure.cell;
  c.pbc = snap.structure.pbc;
  c.positions = snap.structure.positions;  // continuous (never wrapped during a run)
  c.velocities = snap.velocities;
  c.types = snap.structure.types;
  c.species_symbols = snap.structure.species_symbols;
  c.masses = snap.structure.masses;
  c.thermostat_type = snap.thermostat;
  c.thermostat_state = snap.thermostat_state;
  c.rng_state = kRngPrefix + std::to_string(snap.seed);
  if (!snap.constraint_state.empty()) c.arrays["constraint_state"] = snap.constraint_state;
  c.metadata = metadata;
  c.metadata["positions"] = "continuous (unwrapped)";
  write_checkpoint(path, c);
}

MdSnapshot load_checkpoint(const std::filesystem::path& path) {
  const Checkpoint c = read_checkpoint(path);
  MdSnapshot s;
  s.step = c.step;
  s.time_ps = c.time_ps;
  s.structure.cell = c.cell;
  s.structure.pbc = c.pbc;
  s.structure.positions = c.positions;
  s.structure.types = c.types;
  s.structure.species_symbols = c.species_symbols;
  s.structure.masses = c.masses;
  s.velocities = c.velocities;
  s.thermostat = c.thermostat_type;
  s.thermostat_state = c.thermostat_state;
  if (c.rng_state.rfind(kRngPrefix, 0) != 0)
    throw InputError(path.string(), 0, "the random-number state is not a superion md seed");
  try {
    s.seed = std::stoull(c.rng_state.substr(std::string(kRngPrefix).size()));
  } catch (const std::exception&) {
    throw InputError(path.string(), 0, "the random-number seed cannot be read");
  }
  const auto it = c.arrays.find("constraint_state");
  if (it != c.arrays.end()) s.constraint_state = it->second;
  return s;
}

FrameData frame_of(Simulation& sim) {
  FrameData f;
  f.step = sim.step_index();
  f.time_ps = sim.time_ps();
  f.structure = &sim.structure();
  f.positions = &sim.structure().positions;
  f.velocities = &sim.velocities();
  f.thermo = sim.thermo();
  return f;
}

std::unique_ptr<FrameSink> open_h5md(const std::filesystem::path& path, const Structure& s,
                                     bool velocities, std::int64_t resume_step) {
  H5mdOptions o;
  o.velocities = velocities;
  o.observables = {"potential_energy", "kinetic_energy", "temperature", "pressure"};
  if (resume_step >= 0)
    return std::make_unique<H5mdSink>(H5mdWriter::resume(path, s, o, resume_step), velocities);
  return std::make_unique<H5mdSink>(H5mdWriter(path, s, o), velocities);
}

std::unique_ptr<FrameSink> open_h5md(const std::filesystem::path& path, const Simulation& sim,
                                     bool velocities, std::int64_t resume_step) {
  return open_h5md(path, sim.structure(), velocities, resume_step);
}

std::vector<double> rigid_cluster_state(const RigidClusters& rc) {
  std::vector<double> s{static_cast<double>(rc.size())};
  for (std::size_t c = 0; c < rc.size(); ++c)
    s.push_back(static_cast<double>(rc.atoms_of(c).size()));
  for (int a : rc.atoms()) s.push_back(static_cast<double>(a));
  const std::vector<double> off = rc.flat_offsets();
  s.insert(s.end(), off.begin(), off.end());
  return s;
}

RigidClusters rotation_clusters(const Structure& s, const std::string& spec,
                                const std::vector<double>* state) {
  if (state && !state->empty()) {
    const auto& v = *state;
    const auto n = static_cast<std::size_t>(v.at(0));
    std::vector<std::vector<int>> atoms(n);
    std::size_t k = 1 + n, total = 0;
    for (std::size_t c = 0; c < n; ++c) total += static_cast<std::size_t>(v.at(1 + c));
    if (v.size() != 1 + n + total + 3 * total)
      throw Error("the checkpoint's rigid-cluster state has the wrong size");
    for (std::size_t c = 0; c < n; ++c)
      for (std::size_t a = 0; a < static_cast<std::size_t>(v[1 + c]); ++a)
        atoms[c].push_back(static_cast<int>(v[k++]));
    const std::vector<double> offsets(v.begin() + static_cast<long>(k), v.end());
    return RigidClusters::from_atoms_and_offsets(s, atoms, offsets);
  }
  RigidClusters rc = RigidClusters::find(s, parse_cluster_spec(spec));
  if (rc.empty()) throw Error("--freeze-rotation " + spec + ": no such cluster in the structure");
  std::printf(
      "# freeze-rotation %s: %zu rigid clusters, %zu atoms, %ld degrees of freedom removed\n",
      spec.c_str(), rc.size(), rc.constrained_atoms(), rc.removed_dof());
  return rc;
}

std::unique_ptr<VelocityConstraint> make_rotation_freeze(const Structure& s,
                                                         const std::string& spec,
                                                         const std::vector<double>* state) {
  return std::make_unique<RotationFreeze>(rotation_clusters(s, spec, state));
}

}  // namespace superion::md
