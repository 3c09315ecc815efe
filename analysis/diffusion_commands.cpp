// `superion analyze diffusion|arrhenius` and `superion bench msd`.
#include <omp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "arrhenius.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/uncertainty_text.hpp"
#include "diffusion.hpp"
#include "io/text_input.hpp"
#include "synthetic_trajectory.hpp"
#include "trajectory.hpp"
#include "trajectory_window_options.hpp"

namespace superion::cli {
namespace {

using namespace superion::analysis;

// Peak resident memory of this process (VmHWM), MiB; -1 when /proc is unavailable.
double peak_rss_mib() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmHWM:") {
      double kb = 0;
      in >> kb;
      return kb / 1024.0;
    }
    std::string rest;
    std::getline(in, rest);
  }
  return -1;
}

// scripts/ of the source tree: $SUPERION_SCRIPTS_DIR, else <dir of the executable>/../scripts
// (the build directory lives inside the source tree).
std::string scripts_dir() {
  if (const char* e = std::getenv("SUPERION_SCRIPTS_DIR")) return e;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("scripts") : (exe.parent_path().parent_path() / "scripts").string();
}

void print_result(const DiffusionResult& r) {
  std::printf(
      "species %s  T = %g K  frames %ld (t = %g–%g ps)  Δt = %g ps  ions %zu  smoothing %s  fit "
      "%g–%g ps (%zu points)\n",
      r.species.c_str(), r.temperature_K, r.n_frames, r.first_frame_time_ps, r.last_frame_time_ps,
      r.frame_interval_ps, r.n_ions, to_string(r.smoothing).c_str(), r.lag_ps.front(),
      r.lag_ps.back(), r.lag_ps.size());
  // Errors that cannot be estimated are said so, with the reason once below (never "± nan").
  const bool no_ion_error = !std::isfinite(r.D_err),
             no_block_error = !std::isfinite(r.D_charge_err);
  std::printf("D        = %s (fit s.e. as pymatgen: %.2e)\n",
              value_pm(r.D, r.D_err, "%.6e", "%.2e", "cm^2/s", "").c_str(), r.D_err_fit);
  std::printf("sigma    = %s\n",
              value_pm(r.sigma, r.sigma_err, "%.6g", "%.2g", "mS/cm", "").c_str());
  std::printf("D_xyz    = %.4e %.4e %.4e cm^2/s\n", r.D_xyz[0], r.D_xyz[1], r.D_xyz[2]);
  std::printf("sigma_xyz= %.5g %.5g %.5g mS/cm\n", r.sigma_xyz[0], r.sigma_xyz[1], r.sigma_xyz[2]);
  std::printf("D_charge = %s   sigma_charge = %s\n",
              value_pm(r.D_charge, r.D_charge_err, "%.6e", "%.2e", "cm^2/s", "").c_str(),
              value_pm(r.sigma_charge, r.sigma_charge_err, "%.6g", "%.2g", "mS/cm", "").c_str());
  std::printf("Haven    = %s   max framework displacement %.3f Å\n",
              value_pm(r.haven_ratio, r.haven_ratio_err, "%.4f", "%.4f", "", "").c_str(),
              r.max_framework_displacement);
  if (no_ion_error)
    std::printf("no error estimate for D, sigma, Haven: one diffusing ion, no spread over ions\n");
  if (no_block_error)
    std::printf(
        "no error estimate for D_charge, sigma_charge, Haven: the run is too short for 2 "
        "independent blocks of the collective MSD\n");
  if (r.D_clipped)
    std::printf(
        "D not resolved: the MSD slope in the fit window is <= 0, so D is pymatgen's floor (an "
        "upper bound), not a measurement\n");
}

}  // namespace

void register_analysis_commands(CLI::App& analyze, CLI::App& bench) {
  // ---------------------------------------------------------------- diffusion
  {
    auto* cmd = analyze.add_subcommand(
        "diffusion", "Tracer/charge diffusivity, Nernst–Einstein conductivity, Haven ratio");
    struct Opts {
      std::string traj, species, smoothing = "max", json, csv, format = "auto";
      double T = 0, interval = 0, timestep = 0, charge = 0, memory_mib = 512;
      int min_obs = 30, avg_nsteps = 1000;
      bool no_drift = false;
      std::vector<std::string> type_symbols;
      TimeWindow window;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("TRAJ", o->traj,
                    "trajectory: extxyz, XDATCAR, LAMMPS dump, H5MD or pymatgen DiffusionAnalyzer "
                    "JSON (the text formats may be .gz)")
        ->required();
    cmd->add_option("--species", o->species, "diffusing species (default: the JSON's specie)");
    cmd->add_option("--temperature", o->T, "temperature (K) (default: the JSON's)");
    cmd->add_option("--frame-interval", o->interval,
                    "time between stored frames (ps), for files without times");
    cmd->add_option("--timestep", o->timestep,
                    "MD time step (ps) to convert LAMMPS dump steps to time");
    cmd->add_option("--format", o->format, "auto|extxyz|xdatcar|lammps-dump|h5md|pymatgen-json");
    cmd->add_option("--type-symbols", o->type_symbols, "LAMMPS dump: element per type (1, 2, …)");
    add_time_window_options(cmd, o->window);
    cmd->add_option("--smoothing", o->smoothing, "max (all origins, default) | constant | none")
        ->check(CLI::IsMember({"max", "constant", "none"}));
    cmd->add_option("--min-obs", o->min_obs, "minimum observations per lag for 'max' smoothing");
    cmd->add_option("--avg-nsteps", o->avg_nsteps, "time origins for 'constant' smoothing");
    cmd->add_option("--charge", o->charge, "ion charge z (default from species: Li/Na/K… 1)");
    cmd->add_flag("--no-drift-correction", o->no_drift, "keep the framework drift");
    cmd->add_option(
        "--memory", o->memory_mib,
        "memory budget for stored displacements (MiB); beyond it they spill to a temp file");
    cmd->add_option("--json", o->json, "write results as JSON");
    cmd->add_option("--csv", o->csv, "write MSD(t) per direction and MSCD(t) as CSV");
    cmd->callback([o] {
      TrajectoryOptions to;
      to.format = o->format;
      to.frame_interval_ps = o->interval;
      to.timestep_ps = o->timestep;
      to.type_symbols = o->type_symbols;
      DiffusionOptions d;
      d.species = o->species;
      d.temperature_K = o->T;
      d.min_obs = o->min_obs;
      std::unique_ptr<TrajectoryReader> reader;
      const std::string plain = io::strip_gz_suffix(o->traj);  // d.json.gz is a JSON too
      const bool is_json =
          o->format == "pymatgen-json" ||
          (o->format == "auto" && plain.size() > 5 && plain.substr(plain.size() - 5) == ".json");
      if (is_json) {
        PymatgenAnalyzerInfo info;
        reader = open_pymatgen_json(o->traj, to, &info);
        if (d.species.empty()) d.species = info.specie;
        if (d.temperature_K <= 0) d.temperature_K = info.temperature;
      } else {
        reader = open_trajectory(o->traj, to);
      }
      reader = apply_time_window(std::move(reader), o->window);
      if (d.species.empty()) throw Error("give the diffusing species (--species)");
      if (!(d.temperature_K > 0)) throw Error("give the temperature (--temperature, K)");
      d.smoothing = parse_smoothing(o->smoothing);
      d.avg_nsteps = o->avg_nsteps;
      d.charge = o->charge;
      d.drift_correction = !o->no_drift;
      d.memory_budget_bytes = static_cast<std::size_t>(o->memory_mib * 1024 * 1024);
      DiffusionResult r = analyze_diffusion(*reader, d);
      r.window = o->window;
      print_result(r);
      if (!o->json.empty()) write_diffusion_json(r, o->json);
      if (!o->csv.empty()) write_msd_csv(r, o->csv);
    });
  }
  // ---------------------------------------------------------------- arrhenius
  {
    auto* cmd = analyze.add_subcommand(
        "arrhenius", "Arrhenius fit of D(T): Ea, prefactor, extrapolated D and σ");
    struct Opts {
      std::vector<std::string> files;
      std::string table, json, plot;
      double T = 300;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("FILES", o->files,
                    "diffusion JSON files written by `superion analyze diffusion --json`");
    cmd->add_option("--table", o->table,
                    "CSV with columns T_K,D_cm2_s[,D_err_cm2_s][,sigma_factor_T]");
    cmd->add_option("--extrapolate", o->T,
                    "temperature (K) to extrapolate D and σ to (default 300)");
    cmd->add_option("--json", o->json, "write the fit as JSON");
    cmd->add_option("--plot", o->plot, "write a PNG (via scripts/plot_arrhenius.py; needs --json)");
    cmd->callback([o] {
      std::vector<ArrheniusPoint> all, pts, excluded;
      if (!o->table.empty()) all = read_arrhenius_table(o->table);
      for (const auto& f : o->files) all.push_back(read_arrhenius_point_json(f));
      if (all.empty()) throw Error("give diffusion JSON files or --table");
      // A D clipped at pymatgen's floor is no measurement: left out of the fit, reported.
      for (const auto& p : all) (p.clipped ? excluded : pts).push_back(p);
      for (const auto& p : excluded)
        std::printf(
            "T = %g K left out: no diffusion resolved (D at the fit's floor, %.3g cm^2/s, is "
            "an upper bound) in %s\n",
            p.T, p.D, p.source.c_str());
      if (pts.size() < 2)
        throw Error("only " + std::to_string(pts.size()) +
                    " temperature(s) with resolved diffusion: an Arrhenius fit needs 2 (run "
                    "longer or hotter)");
      const ArrheniusFit f = fit_arrhenius(pts);
      // Without errors on D the scatter about the line is the only error estimate: none for 2.
      const std::string why = "2 temperatures without errors on D leave no scatter to estimate it";
      std::printf(
          "Ea = %s   D0 = %s   (%s fit, %zu temperatures)\n",
          value_pm(f.Ea_eV, f.Ea_err_eV, "%.4f", "%.4f", "eV", why).c_str(),
          value_pm(f.prefactor_cm2_s, f.prefactor_err_cm2_s, "%.4e", "%.2e", "cm^2/s", "as Ea")
              .c_str(),
          f.weighted ? "error-weighted" : "unweighted", f.n);
      std::printf(
          "D(%g K) = %s", o->T,
          value_pm(f.D_at(o->T), f.D_err_at(o->T), "%.4e", "%.2e", "cm^2/s", "as Ea").c_str());
      if (f.ne_factor_times_T > 0)
        std::printf(
            "   sigma(%g K) = %s", o->T,
            value_pm(f.sigma_at(o->T), f.sigma_err_at(o->T), "%.4g", "%.2g", "mS/cm", "as Ea")
                .c_str());
      std::printf("\n");
      if (!o->plot.empty() && o->json.empty())
        throw Error("--plot needs --json (the plot script reads it)");
      if (!o->json.empty()) write_arrhenius_json(f, pts, o->T, o->json, excluded);
      if (!o->plot.empty()) {
        const std::string cmdline = "/usr/bin/python3 '" + scripts_dir() + "/plot_arrhenius.py' '" +
                                    o->json + "' '" + o->plot + "'";
        if (std::system(cmdline.c_str()) != 0) throw Error("plotting failed: " + cmdline);
      }
    });
  }
  // ---------------------------------------------------------------- bench msd
  {
    auto* cmd = bench.add_subcommand(
        "msd", "Time and peak memory of the diffusion analysis on a synthetic trajectory");
    auto frames = std::make_shared<long>(100000);
    auto atoms = std::make_shared<int>(600);
    auto memory = std::make_shared<double>(512);
    cmd->add_option("--frames", *frames, "frames");
    cmd->add_option("--atoms", *atoms, "diffusing atoms (plus a quarter as many framework atoms)");
    cmd->add_option("--memory", *memory, "memory budget (MiB)");
    cmd->callback([frames, atoms, memory] {
      BrownianSpec s;
      s.cell = Mat3{};
      s.cell[0][0] = s.cell[1][1] = s.cell[2][2] = 20.0;
      s.cell[1][0] = 3.0;
      s.symbols = {"Na", "Cl"};
      s.counts = {*atoms, std::max(1, *atoms / 4)};
      s.D_A2_ps = {0.5, 0.0};
      s.frame_interval_ps = 0.01;
      s.n_frames = *frames;
      BrownianTrajectory traj(s);
      DiffusionOptions d;
      d.species = "Na";
      d.temperature_K = 600;
      d.memory_budget_bytes = static_cast<std::size_t>(*memory * 1024 * 1024);
      // Time the generator alone, so the analysis time can be reported without it.
      const auto tg = std::chrono::steady_clock::now();
      {
        Frame fr;
        while (traj.next(fr)) {
        }
        traj.rewind();
      }
      const double gen =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - tg).count();
      const auto t0 = std::chrono::steady_clock::now();
      const DiffusionResult r = analyze_diffusion(traj, d);
      const double sec =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::printf(
          "bench msd: %ld frames x %d atoms (%d threads): %.2f s total, %.2f s without generating "
          "the frames "
          "(%.2f s); peak RSS %.0f MiB, stored %.0f MiB%s; D = %.4e (true %.4e) cm^2/s\n",
          *frames, *atoms, omp_get_max_threads(), sec, sec - gen, gen, peak_rss_mib(),
          r.stored_bytes / 1048576.0, r.spilled_to_disk ? " (spilled to temp file)" : " (in RAM)",
          r.D, 0.5e-4);
    });
  }
}

}  // namespace superion::cli
