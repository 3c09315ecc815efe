// `superion demo [--quick|--full] [--out DIR] [--seed S] [--threads T]`: the whole pipeline
// (train -> MD -> analysis) on the bundled Na3ClSO4 reference data; see demo.hpp.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "demo.hpp"

namespace superion::cli {

void register_demo_commands(CLI::App& app, CLI::App& /*bench*/) {
  struct Args {
    demo::DemoOptions o;
    bool quick = false, full = false, no_plots = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand(
      "demo",
      "train an MTP on the bundled Na3ClSO4 CP2K data, run NVT MD at 5 temperatures and analyse "
      "Na diffusion (Arrhenius Ea, sigma(300 K)) and SO4 rotation; writes DIR/summary.json, CSV, "
      "PNG");
  auto* q = c->add_flag("--quick", a->quick, "CI size: a few minutes on one core");
  auto* f = c->add_flag("--full", a->full, "publication length (hours on one core)");
  q->excludes(f);
  c->add_option("--out", a->o.out, "results folder")->capture_default_str();
  c->add_option("--seed", a->o.seed, "seed of the train/test split, the MTP initialisation and MD")
      ->capture_default_str();
  c->add_option("--threads", a->o.threads, "OpenMP threads (default: OMP_NUM_THREADS / all)");
  c->add_option("--device", a->o.device,
                "trainer and MD engine: auto (gpu when a CUDA device is present, else cpu), gpu, "
                "cpu, or emu (the device code on the CPU); on a device all temperatures run in one "
                "batch")
      ->check(CLI::IsMember({"auto", "gpu", "cpu", "emu"}));
  c->add_option(
       "--data", a->o.data,
       "reference dataset: a file, or a folder whose top-level *.xyz/*.cfg AIMD frames are trained "
       "on (relax/relax.xyz gives the MD start cell); default data/reference/Na3ClSO4")
      ->check(CLI::ExistingPath);
  c->add_option("--level", a->o.level, "MTP level (default: 8, 10 with --full)");
  c->add_option("--max-iter", a->o.max_iter,
                "L-BFGS iterations (default: 150 quick, 500, 1000 full)");
  c->add_option("--md-time", a->o.md_time_ps,
                "production MD per temperature in ps (default: 4 quick, 20, 200 full)");
  c->add_option("--temperatures", a->o.temperatures, "MD temperatures in K (default: 5 per mode)")
      ->delimiter(',');
  c->add_option("--supercell", a->o.supercell, "supercell repeats, e.g. 2 2 2")->expected(3);
  c->add_option("--wall-stiffness", a->o.wall_stiffness,
                "k of the MD wall below the data's shortest pair distances, eV/A^3 (0 = off)")
      ->capture_default_str();
  c->add_flag("--no-plots", a->no_plots, "skip the PNG plots");
  c->callback([a] {
    a->o.mode = a->quick ? demo::Mode::kQuick : a->full ? demo::Mode::kFull : demo::Mode::kDefault;
    a->o.plots = !a->no_plots;
    const int rc = demo::run_demo(a->o);
    if (rc != 0) std::exit(rc);
  });
}

}  // namespace superion::cli
