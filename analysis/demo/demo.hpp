// `superion demo`: the paper's workflow (Guan et al., ACS Appl. Mater. Interfaces 16, 70665
// (2024): AIMD at 300–1100 K and strains 0, ±5 % → MTP (energy:force 100:1) → MTP-MD → Na
// diffusion, Arrhenius Ea, σ(300 K) → SO4 rotation mechanism) on the bundled CHGNet stand-in
// reference data (data/reference/<compound>-chgnet: CHGNet-labelled NVT frames and CHGNet's own
// Na diffusion; CHGNet is a universal ML potential, NOT DFT: see that folder's README).
// A thin pipeline of the library calls that `train`, `md` and `analyze` use:
//   (a) data    training frames → seeded train/test split (OUT/data)
//   (b) train   MTP of the mode's level, held-out errors next to the paper's (OUT/train)
//   (c) md      NVT MD (CSVR, 2 fs) of the reference's defective 2×2×2 cell at the reference's
//               zero-pressure volume for each T, independent replicas, `md --domain` wall;
//               a fine-grained run and a frozen-SO4 run at one T for the mechanism (OUT/md)
//   (d) analyze D(Na) per replica and T (`analyze diffusion` after the equilibration), the
//               teacher's trajectories with the same estimator, MTP-vs-teacher comparison,
//               Arrhenius Ea ± error, D and σ at 300 K; hops, van Hove, C1/C2(t), A(θ,φ), LDFC
//   (e) report  summary.json, CSV, labelled PNGs (scripts/plot_demo.py), exit status
// Each stage writes into the run folder; training and every MD run resume from their
// checkpoints (re-run the same command), finished ones are skipped. OUT/manifest.json records
// every parameter; a run folder made with other parameters is refused (use --restart).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace superion::demo {

enum class Mode { kQuick, kDefault, kFull };

// Exit status of `superion demo` (also in `demo --help` and docs/reproducing-the-paper.md).
constexpr int kExitResolved = 0;    // every stage ran and Ea is resolved
constexpr int kExitUnresolved = 3;  // finished, but Ea is not resolved: summary.json says why
// Bad input and failed stages throw (exit status 1 or 2 from the CLI, with the message).

struct DemoOptions {
  Mode mode = Mode::kDefault;
  std::string compound = "Na3ClSO4";
  std::string out = "demo-results";
  std::string data;     // reference folder; empty = data/reference/<compound>-chgnet
  std::string scripts;  // folder of plot_demo.py; empty = found from the executable
  std::uint64_t seed = 1;
  int threads = 0;  // 0 = OpenMP default
  std::string device =
      "auto";  // trainer and MD engine: auto | gpu | cpu | emu (md/device_choice.hpp)
  bool plots = true;
  bool restart = false;  // discard what an earlier run left in `out`
  // Overrides of the mode's defaults (0 = keep).
  int level = 0, max_iter = 0, replicas = 0;
  double md_scale = 0;  // multiplies every production length
};

// One temperature of the MTP-MD plan: `replicas` independent runs of `ps` production each.
struct MdPlanEntry {
  double T = 0;
  int replicas = 1;
  double ps = 0;
};

// Everything the mode decides (written to manifest.json and summary.json).
struct DemoSettings {
  std::string mode;
  int level = 8, max_iter = 200;
  int radial_basis_size = 8;
  double rcut = 5.0;  // Å
  double test_fraction = 0.1;
  int frame_stride = 1;  // training frames: every n-th of each file (quick: a subset)
  // MD protocol: the teacher's (scripts/teacher/chgnet_teacher.py)
  double timestep_ps = 0.002, tdamp_ps = 0.1, equilibration_ps = 1.0, frame_interval_ps = 0.1;
  std::string thermostat = "csvr";
  std::vector<MdPlanEntry> plan;
  // Mechanism: one run with fine frames (and velocities) and one with frozen SO4 rotation.
  double mechanism_T = 900, mechanism_ps = 10, mechanism_frame_ps = 0.01;
  bool frozen_run = true;
  double resolve_rel_err = 0.2;  // Ea is resolved when Ea_err <= this x Ea (and >= 3 T used)
};
DemoSettings settings_for(const DemoOptions& options);

// Runs the pipeline; returns kExitResolved or kExitUnresolved. Throws InputError / Error for bad
// input or a failed stage.
int run_demo(const DemoOptions& options);

}  // namespace superion::demo
