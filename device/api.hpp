// What the rest of superion sees of the device backend: plain C++ types, no Thrust. Both builds
// of device/ implement these functions, each in its own namespace:
//   superion::device::emu_backend   (superion_device_emu: host compiler, OpenMP; always built)
//   superion::device::cuda_backend  (superion_cuda: nvcc; built when the CUDA toolkit is found)
// md/device_choice.hpp picks one from `--device auto|gpu|cpu|emu`.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calculators/domain_wall.hpp"
#include "core/structure.hpp"
#include "core/vec3.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_model.hpp"

namespace superion::device {

// One MD system (a replica): the state to start from and its own thermostat target and seed.
struct MdSystemInput {
  std::vector<Vec3> positions;   // continuous (never wrapped), Å
  std::vector<Vec3> velocities;  // Å/ps; empty: drawn from Maxwell–Boltzmann at `temperature`
  std::vector<int> types;        // MTP species types
  std::vector<double> masses;    // amu
  Mat3 cell;                     // rows = lattice vectors (3-D periodic)
  double temperature = 300.0;    // K
  std::uint64_t seed = 1;
  double max_temperature = 0.0;          // K; 0 = no check
  double dof = 0.0;                      // degrees of freedom N_f
  bool momentum_removed = true;          // zero total momentum when drawing velocities
  std::vector<double> thermostat_state;  // as Thermostat::state(); empty = fresh
  // Rigid non-rotating clusters (md/rigid_clusters.hpp), local atom indices, CSR; empty = none.
  std::vector<int> cluster_begin, cluster_atoms;
  std::vector<double> cluster_weights;
  std::vector<Vec3> cluster_offsets;
};

struct MdEngineConfig {
  Mtp model;
  double skin = 1.0;                   // Å
  double timestep = 0.001;             // ps
  std::string thermostat = "none";     // none | nose-hoover | csvr | langevin
  double tdamp = 0.1;                  // ps
  int chain_length = 3;                // Nosé–Hoover chain
  double max_step_displacement = 1.0;  // Å per step
  std::optional<TypeWalls> walls;
};

// Per-system numbers of one sample (all at the same step).
struct MdScalars {
  double potential = 0.0, kinetic = 0.0;          // eV (kinetic recomputed from the velocities)
  Mat3 virial;                                    // eV, PlusStress, constraint part removed
  double wall_energy = 0.0, max_violation = 0.0;  // of this step
  double max_wall_energy = 0.0, max_violation_run = 0.0;  // over the run so far
  std::vector<double> thermostat_state;
};

struct MdSample {
  std::int64_t step = 0;
  double time_ps = 0.0;
  std::vector<MdScalars> systems;
  std::vector<std::vector<Vec3>> positions, velocities;  // per system when requested
};

// The batched MD engine: every system advances in the same launches. Velocity Verlet with the
// CPU engine's splitting (md/simulation.cpp) and its thermostats; throws md::SimulationError.
class MdEngine {
 public:
  virtual ~MdEngine() = default;
  virtual int systems() const = 0;
  // Draws velocities for the systems given without them (Maxwell–Boltzmann, momentum removed,
  // scaled to the exact temperature), as Simulation::initialize_velocities.
  virtual void initialize_velocities() = 0;
  virtual void set_clock(std::int64_t step, double time_ps) = 0;
  virtual std::int64_t step_index() const = 0;
  virtual double time_ps() const = 0;
  virtual void step() = 0;
  // Asks for the scalars (and coordinates / velocities) of the current step, copied to the host
  // while the device goes on; next_sample() hands out finished samples in order.
  virtual void request_sample(bool positions, bool velocities) = 0;
  virtual bool next_sample(MdSample& out, bool wait) = 0;
  // The full state of system s now (synchronous): positions, velocities, thermostat state.
  virtual void state(int s, std::vector<Vec3>& x, std::vector<Vec3>& v,
                     std::vector<double>& thermostat_state) = 0;
  virtual std::size_t list_builds() const = 0;
  virtual std::size_t device_bytes() const = 0;       // device memory now (counted)
  virtual std::size_t peak_device_bytes() const = 0;  // since the engine was made
  virtual std::string device_name() const = 0;
};

namespace emu_backend {
std::unique_ptr<MdEngine> make_md_engine(const MdEngineConfig& config,
                                         const std::vector<MdSystemInput>& systems);
// Energies, site energies, forces and virials of many structures at once (3-D periodic).
std::vector<MtpPrediction> evaluate(const Mtp& model, const std::vector<Structure>& structures,
                                    const std::optional<TypeWalls>& walls = std::nullopt);
int device_count();
std::string device_name();
}  // namespace emu_backend

namespace cuda_backend {
std::unique_ptr<MdEngine> make_md_engine(const MdEngineConfig& config,
                                         const std::vector<MdSystemInput>& systems);
std::vector<MtpPrediction> evaluate(const Mtp& model, const std::vector<Structure>& structures,
                                    const std::optional<TypeWalls>& walls = std::nullopt);
int device_count();
std::string device_name();
}  // namespace cuda_backend

}  // namespace superion::device
