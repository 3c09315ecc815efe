// MD step of `superion demo`: one NVT replica of the MTP (+ the reference-data wall of
// wall_backend.hpp) with H5MD output, a thermo CSV and progress lines with ETA.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/structure.hpp"
#include "device_choice.hpp"
#include "mtp/mtp_model.hpp"
#include "wall_backend.hpp"

namespace superion::demo {

struct ReplicaOptions {
  double temperature = 700;  // K
  double timestep_ps = 0.001;
  std::int64_t steps = 0;
  std::int64_t traj_every = 10;
  std::string thermostat = "csvr";
  double tdamp_ps = 0.1;
  std::uint64_t seed = 1;
  std::string traj;        // H5MD
  std::string thermo_csv;  // thermo every traj_every * 10 steps
};

struct ReplicaResult {
  bool ok = false;
  std::string error;  // the SimulationError when !ok (outputs are then removed)
  std::int64_t steps = 0;
  double seconds = 0, atom_steps_per_second = 0;
  double mean_temperature_K = 0;  // over the run (thermo samples)
  double max_wall_energy_eV = 0;  // largest wall energy seen at a thermo sample
};

ReplicaResult run_replica(const Structure& start, const Mtp& model, const PairWalls& walls,
                          const ReplicaOptions& options);

// All replicas in one batch on the device engine (md/device_md.hpp); the walls are evaluated on the
// MTP's neighbour list (the same wall, all images). The options may differ only in temperature,
// seed and output paths. A physical failure stops every replica (each result then says so).
std::vector<ReplicaResult> run_replicas_on_device(const Structure& start, const Mtp& model,
                                                  const PairWalls& walls,
                                                  const std::vector<ReplicaOptions>& options,
                                                  md::DeviceKind device);

}  // namespace superion::demo
