// `superion learn`: train → MD with extrapolation grades → select → label → retrain, until a whole
// MD pass ends with no grade above the threshold (learn/learn_loop.hpp).
#include <CLI/CLI.hpp>
#include <cmath>
#include <memory>
#include <sstream>

#include "core/error.hpp"
#include "learn_cli.hpp"
#include "learn_loop.hpp"
#include "md_setup.hpp"

namespace superion::cli {
namespace {

struct LearnArgs {
  LearnOptions o;
  std::vector<int> supercell;
  std::string time = "10ps", timestep = "1fs", tdamp = "0.1ps", train_args;
};

std::vector<std::string> split_args(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

}  // namespace

void register_learn_command(CLI::App& app) {
  auto a = std::make_shared<LearnArgs>();
  LearnOptions& o = a->o;
  CLI::App* c = app.add_subcommand(
      "learn",
      "active learning: train -> MD with extrapolation grades -> select -> label -> retrain, "
      "until a whole MD pass has no grade above the threshold (resumable)");
  c->add_option("--out", o.out, "run folder (rerun the same command to continue after a kill)")
      ->required();
  c->add_option("--train", o.train, "initial labelled configurations")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--species", o.species, "element symbols in MTP type order, e.g. Na,Cl,S,O")
      ->delimiter(',')
      ->required();
  c->add_option("--calculator", o.calculator,
                "reference for new configurations: command[…]:'…', command-batch[…]:'…', "
                "classical:…, mtp:…")
      ->required();
  c->add_option("--structure", o.structure, "MD start structure (first configuration of the file)")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--supercell", a->supercell, "repeat the start structure a b c times")->expected(3);
  c->add_option("--init", o.init, "potential to start the first training from (.mtp)")
      ->check(CLI::ExistingFile);
  c->add_option("--level", o.level, "or: a new MTP of this level");
  c->add_option("--train-args", a->train_args,
                "further options for every `superion train`, e.g. \"--max-iter 300\"");
  c->add_option("--valid", o.valid, "fixed validation set (errors reported per iteration)")
      ->check(CLI::ExistingFile);
  c->add_option("--temperatures", o.temperatures, "MD temperatures, K (default 300)")
      ->delimiter(',');
  c->add_option("--strains", o.strains,
                "isotropic strains of the start cell, e.g. -0.02,0,0.02 (default 0)")
      ->delimiter(',');
  c->add_option("--replicas", o.replicas, "MD copies per temperature and strain")
      ->capture_default_str();
  c->add_option("--time", a->time, "MD length per replica (a pass converges only at full length)")
      ->capture_default_str();
  c->add_option("--timestep", a->timestep, "MD time step")->capture_default_str();
  c->add_option("--thermostat", o.thermostat, "MD thermostat")->capture_default_str();
  c->add_option("--tdamp", a->tdamp, "thermostat time constant")->capture_default_str();
  c->add_option("--seed", o.seed, "seed of the MD velocities and thermostats")
      ->capture_default_str();
  c->add_option("--grade-every", o.grade_every, "steps between grades")->capture_default_str();
  c->add_option("--grade-threshold", o.grade_threshold,
                "preselect above this grade; the loop ends when no MD grade exceeds it")
      ->capture_default_str();
  c->add_option("--grade-break", o.grade_break, "stop a replica above this grade")
      ->capture_default_str();
  c->add_option("--grade-mode", o.grade_mode,
                "nbh (one row per atom, default) or cfg (one per configuration)")
      ->check(CLI::IsMember({"cfg", "nbh"}))
      ->capture_default_str();
  c->add_option("--grade-scope", o.grade_scope, "mlip (default) or data")
      ->check(CLI::IsMember({"mlip", "data"}))
      ->capture_default_str();
  c->add_option("--max-new", o.max_new, "configurations added per iteration at most (0 = all)")
      ->capture_default_str();
  c->add_option("--max-iterations", o.max_iterations, "stop (not converged) after this many")
      ->capture_default_str();
  c->add_option("--attempts", o.attempts, "labelling tries per configuration")
      ->capture_default_str();
  c->add_option("--label-batch", o.label_batch, "configurations per labelling call");
  c->add_option("--threads", o.threads, "threads for training and MD")->capture_default_str();
  c->add_flag("!--no-plots", o.plots, "no history.png");
  c->callback([a] {
    LearnOptions& o = a->o;
    if (!a->supercell.empty()) o.supercell = {a->supercell[0], a->supercell[1], a->supercell[2]};
    o.time_ps = md::parse_time_ps(a->time, "--time");
    o.timestep_ps = md::parse_time_ps(a->timestep, "--timestep");
    o.tdamp_ps = md::parse_time_ps(a->tdamp, "--tdamp");
    o.train_args = split_args(a->train_args);
    const LearnResult r = run_learn(o);
    if (!r.converged) throw StoppedEarly(r.message);
  });
}

}  // namespace superion::cli
