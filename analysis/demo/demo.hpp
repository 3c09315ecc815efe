// `superion demo`: the paper's pipeline in one command on the bundled Na3ClSO4 reference data.
//   (a) load the CP2K dataset, split train/test deterministically (seeded);
//   (b) train an MTP (energy:force = 100:1), report test errors;
//   (c) NVT MD of a supercell of the relaxed reference cell at several temperatures (H5MD);
//   (d) diffusion (MSD, D, σ per T), Arrhenius Ea and σ(300 K) with errors, SO4 reorientation
//       C1/C2(t) and the angular free energy A(θ,φ);
//   (e) DIR/summary.json, CSV tables and PNG plots (scripts/plot_*.py when matplotlib exists).
// Every number is computed by the libraries; the plot scripts only draw them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace superion::demo {

enum class Mode { kQuick, kDefault, kFull };

struct DemoOptions {
  Mode mode = Mode::kDefault;
  std::string out = "demo-results";
  std::string data;     // dataset file or folder of *.xyz; empty = data/reference/Na3ClSO4
  std::string scripts;  // folder of plot_*.py; empty = found from the executable
  std::uint64_t seed = 1;
  int threads = 0;  // 0 = OpenMP default
  std::string device =
      "auto";  // trainer and MD engine: auto | gpu | cpu | emu (md/device_choice.hpp)
  bool plots = true;
  double wall_stiffness = 1000.0;  // eV/Å³ (wall_backend.hpp); 0 = no wall
  // Overrides of the mode's defaults (0 / empty = keep).
  int level = 0, max_iter = 0;
  double md_time_ps = 0;
  std::vector<double> temperatures;
  std::array<int, 3> supercell{0, 0, 0};
};

// The per-mode settings actually used (written to summary.json).
struct DemoSettings {
  int level = 8, max_iter = 150;
  double test_fraction = 0.2;
  std::vector<double> temperatures;
  std::array<int, 3> supercell{2, 2, 2};
  double timestep_ps = 0.001, md_time_ps = 4.0, frame_interval_ps = 0.01, equilibration_ps = 0.5;
  std::string thermostat = "csvr";
  double tdamp_ps = 0.1;
};
DemoSettings settings_for(const DemoOptions& options);

// Runs the whole demo; returns the process exit code (0 = every step worked and summary.json is
// complete with finite numbers; 3 = finished but some result is missing, said in the summary's
// "notes"). Throws InputError / Error for bad input or a failed step.
int run_demo(const DemoOptions& options);

}  // namespace superion::demo
