// `superion demo [--quick|--full] [--compound C] [--out DIR] ...`: the paper's workflow on the
// bundled CHGNet stand-in reference; see demo.hpp.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>

#include "cli/commands.hpp"
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
      "the paper's workflow on the bundled CHGNet stand-in reference (not DFT): train an MTP, "
      "MTP-MD at 500-1100 K, D(Na) vs the reference's, Arrhenius Ea and sigma(300 K), SO4 "
      "mechanism; writes DIR/summary.json, CSV, PNG");
  c->footer(
      // generated:demo-times-help (scripts/update-docs.py; do not edit by hand)
      "Run times measured for Na3ClSO4 on a shared 2-core CPU, wall (CPU) "
      "(docs/reproducing-the-paper.md):\n"
      "  --quick    9 s (13 s CPU) (CI size; Ea may stay unresolved and says so)\n"
      "  default    2 min 34 s (3 min 56 s CPU) (resolves Ea to <= 20 %)\n"
      "  --full     the paper's 100 ns per temperature at 300-500 K: days on a CPU\n"
      // end generated:demo-times-help
      "Exit status: 0 = Ea resolved; 3 = finished but Ea not resolved (the reason is printed and\n"
      "in summary.json); 2 = bad input; 1 = a stage failed. Re-running the same command resumes\n"
      "an interrupted run (finished stages and MD runs are reused).");
  auto* q = c->add_flag("--quick", a->quick, "CI size (about a minute)");
  auto* f = c->add_flag("--full", a->full, "the paper's run lengths (100 ns per temperature)");
  q->excludes(f);
  c->add_option("--compound", a->o.compound,
                "Na3ClSO4, Na3BrSO4 or Na3BrSeO4 (needs its "
                "data/reference/<compound>-chgnet)")
      ->capture_default_str();
  c->add_option("--out", a->o.out, "results folder")->capture_default_str();
  c->add_option("--seed", a->o.seed, "seed of the train/test split, the MTP initialisation and MD")
      ->capture_default_str();
  c->add_option("--threads", a->o.threads,
                "OpenMP threads (default: training all, MD 1: the 70-atom cell gains nothing "
                "from a second thread)");
  c->add_option("--device", a->o.device,
                "trainer and MD engine of every run (as train/md --device): auto (gpu when a CUDA "
                "device is present, else cpu), gpu, cpu, or emu (the device code on the CPU)")
      ->check(CLI::IsMember({"auto", "gpu", "cpu", "emu"}));
  c->add_option("--data", a->o.data,
                "reference folder (default data/reference/<compound>-chgnet): train/*.xyz.gz, "
                "start_schottky.xyz, volumes.json, diffusion/*.xyz.gz")
      ->check(CLI::ExistingDirectory);
  c->add_option("--level", a->o.level, "MTP level (default: 6 quick, 8, 12 full)");
  c->add_option("--max-iter", a->o.max_iter,
                "training iterations (default: 40 quick, 150, 1000 full)");
  c->add_option("--replicas", a->o.replicas, "independent MD runs per temperature (default: mode)");
  c->add_option("--md-scale", a->o.md_scale, "multiply every MD production length by this");
  c->add_flag("--restart", a->o.restart, "discard what an earlier run left in --out");
  c->add_flag("--no-plots", a->no_plots, "skip the PNG plots");
  c->callback([a] {
    a->o.mode = a->quick ? demo::Mode::kQuick : a->full ? demo::Mode::kFull : demo::Mode::kDefault;
    a->o.plots = !a->no_plots;
    const int rc = demo::run_demo(a->o);
    if (rc != 0) std::exit(rc);
  });
}

}  // namespace superion::cli
