// MD stage of `superion demo`: one NVT run through md::run_md (the library call of `superion
// md`, with its --domain wall, checkpoints and H5MD output) in its own folder OUT/md/NAME/:
// start.xyz (the reference cell at the run's lattice parameter), traj.h5, thermo.csv, md.ckpt
// while running, done.json when finished. A finished run is not repeated; an interrupted one
// resumes from its checkpoint.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace superion::demo {

struct MdContext {
  std::filesystem::path potential;   // trained MTP
  std::filesystem::path domain;      // training data: the `md --domain` wall
  std::filesystem::path start_cell;  // reference cell at lattice parameter a0
  double a0 = 0;                     // Å
  std::vector<std::string> species;  // MTP type order
  double timestep_ps = 0.002, tdamp_ps = 0.1, equilibration_ps = 1.0;
  std::string thermostat = "csvr";
  int threads = 0;
  std::string device = "auto";  // md --device of every run
};

struct MdJob {
  std::string name;    // folder name, e.g. T700_r0
  double T = 0;        // K
  double lattice = 0;  // Å: the cell is start_cell scaled by lattice / a0
  double production_ps = 0;
  double frame_interval_ps = 0.1;
  bool velocities = false;
  std::string freeze_rotation;  // e.g. "SO4": rigid, non-rotating anions
  std::uint64_t seed = 1;
};

struct MdJobResult {
  bool ok = false, reused = false;
  std::string error;  // the run's failure (SimulationError), when !ok
  std::filesystem::path dir, traj;
  std::int64_t steps = 0;
  double seconds = 0, atom_steps_per_s = 0;
  double mean_temperature_K = 0;  // thermo samples after the equilibration
  double max_wall_energy_eV = 0, max_violation_A = 0;
};

MdJobResult run_md_job(const MdJob& job, const MdContext& ctx, const std::filesystem::path& md_dir);

}  // namespace superion::demo
