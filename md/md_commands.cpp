// `superion md` (molecular dynamics with an MTP on the CPU) and `superion bench md`.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "md_bench.hpp"
#include "md_input.hpp"
#include "md_run.hpp"
#include "md_setup.hpp"

namespace superion::cli {
namespace {

struct MdCliArgs {
  md::MdRunOptions run;
  std::string input;
  std::string timestep = "1fs", time;
  std::vector<int> supercell;
  std::vector<double> temperatures;
  std::string tdamp = "0.1ps", pdamp = "1ps";
};

void add_system_args(CLI::App* c, MdCliArgs& a) {
  c->add_option("--potential", a.run.potential, "MTP potential (.mtp) (required)")
      ->check(CLI::ExistingFile);
  c->add_option("--structure", a.run.structure,
                "start structure (POSCAR, extxyz, cfg, LAMMPS data …) (required)")
      ->check(CLI::ExistingFile);
  c->add_option("--format", a.run.format, "structure format (default: from the file name)");
  c->add_option("--species", a.run.species,
                "element symbols in MTP type order (type 0 first), e.g. Na,Y,Zr,Cl; default: the "
                "structure's species order")
      ->delimiter(',');
  c->add_option("--supercell", a.supercell, "repeat the cell a b c times")->expected(3);
  c->add_option("--timestep", a.timestep, "time step: 2fs, 0.002 (ps), … (default 1fs)");
  c->add_option("--seed", a.run.seed, "random seed (initial velocities, Langevin, CSVR)");
  c->add_option("--threads", a.run.threads, "OpenMP threads (default: OMP_NUM_THREADS / all)");
  c->add_option("--skin", a.run.skin, "Verlet skin of the neighbour list, Å (default 1.0)");
  c->add_option(
       "--device", a.run.device,
       "auto | gpu | cpu | emu: gpu = the CUDA device backend (all replicas in one batch), "
       "cpu = the CPU engine, emu = the device code on the CPU (checks); auto = gpu when "
       "a CUDA device is present, else cpu (default auto)")
      ->check(CLI::IsMember({"auto", "gpu", "cpu", "emu"}));
}

// Options from `--input FILE.toml` that were not given on the command line.
void apply_input(CLI::App* c, const std::string& path) {
  for (const auto& e : md::read_md_input(path)) {
    if (e.key == "input") throw InputError(path, e.line, "an input file cannot include another");
    CLI::Option* opt = c->get_option_no_throw("--" + e.key);
    if (!opt)
      throw InputError(path, e.line, "unknown option '" + e.key + "' (see superion md --help)");
    if (opt->count() > 0) continue;  // the command line wins
    try {
      opt->add_result(e.values);
      opt->run_callback();
    } catch (const CLI::Error& err) {
      throw InputError(path, e.line, e.key + ": " + err.what());
    }
  }
}

void finish_args(MdCliArgs& a) {
  if (a.run.potential.empty()) throw Error("--potential is required");
  if (a.run.structure.empty()) throw Error("--structure is required");
  a.run.timestep_ps = md::parse_time_ps(a.timestep, "--timestep");
  if (!a.supercell.empty()) a.run.supercell = {a.supercell[0], a.supercell[1], a.supercell[2]};
  if (!a.time.empty()) {
    if (a.run.steps > 0) throw Error("give either --steps or --time, not both");
    a.run.steps = std::llround(md::parse_time_ps(a.time, "--time") / a.run.timestep_ps);
  }
  if (!a.temperatures.empty()) a.run.temperatures = a.temperatures;
  a.run.tdamp_ps = md::parse_time_ps(a.tdamp, "--tdamp");
  a.run.pdamp_ps = md::parse_time_ps(a.pdamp, "--pdamp");
}

}  // namespace

void register_md_commands(CLI::App& app, CLI::App& bench) {
  static MdCliArgs md_args, bench_args;
  static std::string bench_json;

  auto* c = app.add_subcommand(
      "md", "molecular dynamics with an MTP (NVE, Nosé–Hoover chain, Langevin, CSVR)");
  add_system_args(c, md_args);
  auto& r = md_args.run;
  auto* temp = c->add_option("--temperature", r.temperature,
                             "temperature, K (thermostat target and initial velocities)");
  c->add_option(
       "--temperatures", md_args.temperatures,
       "several temperatures (independent replicas; on a device they run together, on the CPU one "
       "after another; output names get _T<K>)")
      ->delimiter(',')
      ->excludes(temp);
  c->add_option("--replicas", r.replicas,
                "independent copies per temperature (seeds seed+k; output names get _r<k>)");
  auto* steps =
      c->add_option("--steps", r.steps, "total number of steps (a resumed run continues to it)");
  c->add_option("--time", md_args.time, "total simulated time instead of --steps: 100ps, 1ns, …")
      ->excludes(steps);
  c->add_option("--thermostat", r.thermostat,
                "none | nose-hoover | langevin | csvr (default nose-hoover)")
      ->check(CLI::IsMember({"none", "nve", "nose-hoover", "nh", "langevin", "csvr", "bussi"}));
  c->add_option("--tdamp", md_args.tdamp, "thermostat time constant (default 0.1ps = 100 fs)");
  c->add_option("--barostat", r.barostat,
                "none | berendsen (isotropic) | berendsen-aniso: cell scaling towards --pressure "
                "(for equilibration; not an exact NPT ensemble)")
      ->check(CLI::IsMember({"none", "berendsen", "berendsen-aniso"}));
  c->add_option("--pressure", r.pressure_gpa, "target pressure, GPa (default 0)");
  c->add_option("--pdamp", md_args.pdamp, "barostat time constant (default 1ps)");
  c->add_option("--bulk-modulus", r.bulk_modulus_gpa,
                "bulk modulus guess for the scaling, GPa (default 25)");
  c->add_option("--traj", r.traj, "H5MD trajectory file (.h5)");
  c->add_option("--traj-every", r.traj_every, "steps between trajectory frames (default 50)");
  c->add_flag("--traj-velocities", r.traj_velocities, "also store velocities in the trajectory");
  c->add_option("--dump-xyz", r.dump_xyz,
                "extended XYZ trajectory (wrapped positions, velocities, image flags)");
  c->add_option("--dump-every", r.dump_every, "steps between extxyz frames (default --traj-every)");
  c->add_option("--thermo-every", r.thermo_every, "steps between thermo lines (default 100)");
  c->add_option(
      "--thermo", r.thermo_csv,
      "thermo CSV: "
      "step,time_ps,temperature_K,potential_eV,kinetic_eV,conserved_eV,pressure_GPa,volume_A3");
  c->add_option("--restart-every", r.restart_every, "steps between checkpoints (default: none)");
  c->add_option("--checkpoint", r.checkpoint,
                "checkpoint file (default md.ckpt with --restart-every); also written at the end");
  c->add_option("--resume", r.resume, "continue bit-identically from a checkpoint")
      ->check(CLI::ExistingFile);
  c->add_option("--freeze-rotation", r.freeze_rotation,
                "keep anion clusters rigid and non-rotating, e.g. SO4 (clusters found by bonding)");
  c->add_option("--domain", r.domain,
                "training data of the MTP (any dataset format): a repulsive wall keeps every "
                "element pair at or above its shortest distance in these data (zero on the data; "
                "docs/md.md)")
      ->check(CLI::ExistingFile);
  c->add_option("--domain-scale", r.domain_scale, "wall position = scale x shortest distance")
      ->capture_default_str();
  c->add_option("--wall-stiffness", r.wall_stiffness,
                "wall stiffness k (eV/A^3), E = k/3 (rw - r)^3")
      ->capture_default_str();
  c->add_option("--grade-every", r.grading.every,
                "grade the configuration every N steps (MaxVol extrapolation grade, as MLIP's "
                "LAMMPS interface; needs --als)");
  c->add_option("--als", r.grading.source,
                "active set to grade with: a state.als (superion grade/select, MLIP-2) or the "
                "potential's training set")
      ->check(CLI::ExistingFile);
  c->add_option("--grade-mode", r.grading.mode,
                "rows of an active set built from a training set: cfg (default) or nbh")
      ->check(CLI::IsMember({"cfg", "nbh"}));
  c->add_option("--grade-scope", r.grading.scope,
                "mlip (MLIP-2's grade, default) or data (docs/active-learning.md)")
      ->check(CLI::IsMember({"mlip", "data"}));
  c->add_option("--grade-threshold", r.grading.threshold,
                "write configurations with a higher grade to --selected (MLIP: 2)")
      ->capture_default_str();
  c->add_option("--grade-break", r.grading.break_at,
                "stop the run (checkpoint kept, exit status 3) above this grade (MLIP: 10; 0 = "
                "never)")
      ->capture_default_str();
  c->add_option("--selected", r.grading.selected,
                "file (.cfg or .xyz) for the configurations above --grade-threshold (candidates "
                "for superion select); replicas get _T<K>/_r<k>");
  c->add_option("--outside-domain", r.outside_domain,
                "when the run leaves the training domain stored in the potential (a pair closer "
                "than its shortest distance in the training data by more than --domain-tolerance): "
                "stop | warn | off; auto = stop, or warn with --domain walls or --grade-every")
      ->check(CLI::IsMember({"auto", "stop", "warn", "off"}));
  c->add_option("--domain-tolerance", r.domain_tolerance,
                "A a pair may come closer than the training data's shortest distance");
  c->add_option("--domain-check-every", r.domain_check_every, "steps between domain checks");
  c->add_option("--max-temperature", r.max_temperature,
                "stop when T exceeds this, K (default 5 T + 1000)");
  c->add_flag("--quiet", r.quiet, "no thermo lines or progress on the terminal");
  c->add_option("--input", md_args.input,
                "TOML file with these options as keys (temperature = 600, timestep = \"2fs\", "
                "species = [\"Na\", \"Cl\"], supercell = [2, 2, 2], …); the command line wins")
      ->check(CLI::ExistingFile);
  c->callback([c] {
    if (!md_args.input.empty()) apply_input(c, md_args.input);
    finish_args(md_args);
    md_args.run.grading.mode_given = c->count("--grade-mode") > 0;
    if (!md_args.run.grading.source.empty() && md_args.run.grading.every == 0)
      throw Error("--als needs --grade-every N");
    const auto results = md::run_md(md_args.run);
    std::string stops;
    for (const auto& res : results)
      if (!res.stop_reason.empty()) stops += (stops.empty() ? "" : "; ") + res.stop_reason;
    if (!stops.empty()) throw StoppedEarly(stops);
  });

  auto* b = bench.add_subcommand(
      "md",
      "time NVE MD steps of the MTP on the CPU engine or a device (atom*step/s, ns/day, memory)");
  add_system_args(b, bench_args);
  b->add_option("--steps", bench_args.run.steps, "MD steps to time (default 100)");
  b->add_option("--replicas", bench_args.run.replicas,
                "copies of the system advanced together (device) or in turn (cpu)");
  b->add_option("--json", bench_json,
                "write the result as JSON (device, backend, level, atoms, "
                "replicas, atom_steps_per_second, ns_per_day, bytes_per_atom)");
  bench_args.run.steps = 100;
  bench_args.run.temperature = 600.0;
  b->add_option("--temperature", bench_args.run.temperature,
                "initial temperature, K (default 600)");
  b->callback([] {
    finish_args(bench_args);
    md::run_md_bench(bench_args.run, bench_json);
  });
}

}  // namespace superion::cli
