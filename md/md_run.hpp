// One `superion md` job: load the potential and structure, set up the Simulation, run it with
// progress/ETA, thermo log, trajectories and checkpoints, and report the speed. Used by the CLI
// and by tests. Replicas (a list of temperatures, --replicas copies each) run one after another.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "calculators/domain_wall.hpp"
#include "domain_guard.hpp"
#include "md_grading.hpp"
#include "mtp/mtp_model.hpp"
#include "simulation.hpp"

namespace superion::md {

struct MdRunOptions {
  std::string potential, structure, format = "auto";
  std::vector<std::string> species;  // MTP type order (type 0 first); empty = structure's order
  std::array<int, 3> supercell{1, 1, 1};
  double temperature = 300.0;        // K
  std::vector<double> temperatures;  // replicas; overrides `temperature` when not empty
  int replicas = 1;                  // independent copies per temperature (seeds seed + k)
  double timestep_ps = 0.001;
  std::int64_t steps = 0;  // total length of the run in steps (incl. resumed part)
  std::string thermostat = "nose-hoover";
  double tdamp_ps = 0.1;
  std::uint64_t seed = 1;
  std::string barostat = "none";  // none | berendsen | berendsen-aniso
  double pressure_gpa = 0.0;
  double pdamp_ps = 1.0;
  double bulk_modulus_gpa = 25.0;
  double skin = 1.0;             // Å
  double max_temperature = 0.0;  // K; 0 = automatic (5 T + 1000 K)
  std::string traj;              // H5MD trajectory
  std::int64_t traj_every = 50;
  bool traj_velocities = false;
  std::string dump_xyz;         // extxyz trajectory
  std::int64_t dump_every = 0;  // 0 = traj_every
  std::int64_t thermo_every = 100;
  std::string thermo_csv;
  std::int64_t restart_every = 0;
  std::string checkpoint;       // file written every restart_every and at the end
  std::string resume;           // checkpoint to continue from
  std::string freeze_rotation;  // cluster spec, e.g. SO4
  std::string domain;           // training data of the MTP: wall below its shortest pair distances
  double domain_scale = 1.0;    // wall position = scale x shortest distance
  double wall_stiffness = 1000.0;  // eV/Å³
  GradingOptions grading;          // extrapolation grades every N steps (md_grading.hpp)
  // Training-domain guard (domain_guard.hpp): stop | warn | off | auto (= stop, or warn when the
  // --domain walls keep the run inside), tolerance (Å) and steps between checks.
  std::string outside_domain = "auto";
  double domain_tolerance = 0.1;
  std::int64_t domain_check_every = 10;
  int threads = 0;              // OpenMP threads (0 = default)
  std::string device = "auto";  // auto | gpu | cpu | emu (md/device_choice.hpp)
  bool quiet = false;           // no thermo lines / progress on the terminal
};

struct MdRunResult {
  ThermoSample last;
  std::int64_t steps_done = 0;
  double seconds = 0.0;
  double atom_steps_per_second = 0.0;
  std::size_t n_atoms = 0;
  std::size_t list_builds = 0;
  double max_wall_energy = 0.0;       // eV, largest domain-wall energy of a step (--domain)
  double max_domain_violation = 0.0;  // Å, largest r_w − r seen (--domain)
  GradingStats grading;               // --grade-every
  std::string stop_reason;            // non-empty: an observer stopped the run early
  std::int64_t domain_exits = 0;      // guard checks that found the run outside (warn policy)
};

// Runs every replica; returns one result per replica. On the CPU engine replicas run one after
// another; on a device (emu, gpu) all replicas advance together (md_run_device.cpp). Throws
// InputError for bad input and SimulationError when a run fails physically (after committing its
// outputs). A replica stopped by --grade-break returns normally with stop_reason set (and a
// checkpoint written); grading runs on the CPU engine.
std::vector<MdRunResult> run_md(const MdRunOptions& options);

// The device path of run_md (md_run_device.cpp): every replica (temperature × copy) batched.
// The training-domain guard is checked on every replica's positions every guard.every() steps
// (they are fetched from the device for it).
std::vector<MdRunResult> run_md_device(const MdRunOptions& options, const std::string& device_kind,
                                       const Mtp& model, const Structure& start,
                                       const std::vector<double>& temperatures,
                                       const DomainWalls* walls, DomainGuard guard);

// "out.h5" + "_T600_r1" → "out_T600_r1.h5" (replica file names); unchanged for an empty tag.
// Tags: _T<K> when several temperatures are given, _r<k> when --replicas > 1.
std::string replica_path(const std::string& path, const std::string& tag);

// The tag of copy `copy` at `temperature` (both paths name replicas alike): "_T<K>" when there are
// several temperatures, then "_r<copy>" when there are several copies; empty for a single run.
std::string replica_tag(double temperature, std::size_t temperatures, int copy, int copies);

}  // namespace superion::md
