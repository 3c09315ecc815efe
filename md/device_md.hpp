// Replicas of one MD setup on the device engine (device/api.hpp), with the bookkeeping of the CPU
// engine around it: degrees of freedom, rigid clusters (--freeze-rotation), domain walls
// (--domain), thermostat energies, thermo samples, snapshots in the checkpoint format of
// md_io_hooks (so a run can move between engines), wrapped frames for the trajectory writers.
// All replicas start from the same structure with their own temperature and seed (or their own
// snapshot) and advance in the same launches.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calculators/domain_wall.hpp"
#include "device_choice.hpp"
#include "rigid_clusters.hpp"
#include "simulation.hpp"
#include "thermostat.hpp"

namespace superion::md {

struct DeviceMdSetup {
  Mtp model;
  double timestep = 0.001;  // ps
  std::string thermostat = "nose-hoover";
  double tdamp = 0.1;  // ps
  double skin = 1.0;   // Å
  double max_step_displacement = 1.0;
  std::optional<TypeWalls> walls;
  std::string freeze_rotation;  // cluster spec, "" = none
};

struct ReplicaSpec {
  double temperature = 300.0;  // K
  std::uint64_t seed = 1;
  double max_temperature = 0.0;        // K, 0 = no check
  const MdSnapshot* resume = nullptr;  // continue from this state instead of drawing velocities
};

// One replica's view at a sample: what the writers need (FrameView of simulation.hpp).
struct ReplicaSample {
  ThermoSample thermo;
  std::vector<Vec3> positions, velocities;  // continuous; empty unless requested
  double wall_energy = 0.0, max_wall_energy = 0.0, max_violation = 0.0;
};

class DeviceMd {
 public:
  DeviceMd(DeviceKind kind, const DeviceMdSetup& setup, const Structure& start,
           const std::vector<ReplicaSpec>& replicas);
  int replicas() const { return static_cast<int>(reps_.size()); }
  std::size_t atoms() const { return start_.size(); }
  double dof(int r) const { return reps_[static_cast<std::size_t>(r)].dof; }
  const Structure& structure() const { return start_; }
  std::int64_t step_index() const { return engine_->step_index(); }
  double time_ps() const { return engine_->time_ps(); }
  void step() { engine_->step(); }
  void run(std::int64_t n);

  // Asynchronous samples (thermo, and coordinates/velocities when asked) of all replicas.
  void request_sample(bool positions, bool velocities) {
    engine_->request_sample(positions, velocities);
  }
  // The oldest finished sample: step, time and one entry per replica; false when none is ready.
  bool next_sample(std::int64_t& step, double& time_ps, std::vector<ReplicaSample>& out, bool wait);

  // Synchronous: thermo sample and positions/velocities now (tests, end of run).
  ThermoSample thermo(int r);
  std::vector<Vec3> positions(int r);
  std::vector<Vec3> velocities(int r);
  // Everything for a checkpoint of replica r (md_io_hooks' format).
  MdSnapshot snapshot(int r);

  device::MdEngine& engine() { return *engine_; }
  std::string thermostat_name() const { return reps_.front().thermostat->name(); }

 private:
  ReplicaSample to_sample(int r, std::int64_t step, double time, const device::MdScalars& m,
                          std::vector<Vec3>* x, std::vector<Vec3>* v);
  struct Replica {
    double temperature = 0, dof = 0;
    std::uint64_t seed = 0;
    std::unique_ptr<Thermostat> thermostat;  // host mirror: name, energy(), state format
    std::vector<double> constraint_state;
  };
  DeviceMdSetup setup_;
  Structure start_;
  std::vector<double> masses_;
  std::vector<Replica> reps_;
  std::unique_ptr<device::MdEngine> engine_;
};

}  // namespace superion::md
