// The `superion md` job driver.
#include "md_run.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "device_choice.hpp"
#include "domain_guard.hpp"
#include "domain_wall_backend.hpp"
#include "io/formats.hpp"
#include "md_io_hooks.hpp"
#include "md_output.hpp"
#include "md_setup.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp_backend.hpp"

namespace superion::md {
namespace {

using Clock = std::chrono::steady_clock;

// Opens the outputs of one replica; commit_all() renames them onto their final names.
struct Outputs {
  std::optional<ThermoCsv> thermo;
  std::optional<XyzDump> xyz;
  std::unique_ptr<FrameSink> h5md;
  void commit_all() {
    if (thermo) thermo->commit();
    if (xyz) xyz->commit();
    if (h5md) h5md->commit();
  }
};

MdRunResult run_one(const MdRunOptions& o, const Mtp& model, const Structure& start, double T,
                    std::uint64_t seed, const std::string& tag, const DomainWalls* walls,
                    std::shared_ptr<const ActiveSet> grading_set, DomainGuard guard) {
  SimulationConfig cfg;
  cfg.timestep = o.timestep_ps;
  cfg.temperature = T;
  cfg.seed = seed;
  cfg.max_temperature = o.max_temperature > 0 ? o.max_temperature : 5.0 * T + 1000.0;
  cfg.barostat = o.barostat;
  cfg.pressure_gpa = o.pressure_gpa;
  cfg.tau_p = o.pdamp_ps;
  cfg.bulk_modulus_gpa = o.bulk_modulus_gpa;
  // Domain walls are evaluated on the MTP's own neighbour list (as on the device engine).
  std::optional<TypeWalls> type_wall_table;
  if (walls) {
    std::vector<std::string> symbols = start.species_symbols;  // type -> element ("" = unknown)
    if (symbols.size() < static_cast<std::size_t>(model.species_count))
      symbols.resize(static_cast<std::size_t>(model.species_count));
    type_wall_table = type_walls(*walls, symbols);
  }
  auto mtp_backend = std::make_unique<MtpCpuBackend>(
      model, o.skin, "mtp:" + o.potential + (walls ? "+domain-wall" : ""), type_wall_table);
  const MtpCpuBackend* wall_view = walls ? mtp_backend.get() : nullptr;
  std::unique_ptr<ForceBackend> backend = std::move(mtp_backend);
  Simulation sim(start, std::move(backend), make_thermostat(o.thermostat, o.tdamp_ps), cfg);
  const std::string ckpt = replica_path(o.checkpoint, tag);
  std::int64_t start_step = 0;
  if (!o.resume.empty()) {
    const MdSnapshot snap = load_checkpoint(replica_path(o.resume, tag));
    if (!o.freeze_rotation.empty())
      sim.set_constraint(
          make_rotation_freeze(snap.structure, o.freeze_rotation, &snap.constraint_state));
    sim.restore(snap);
    start_step = sim.step_index();
  } else {
    if (!o.freeze_rotation.empty())
      sim.set_constraint(make_rotation_freeze(start, o.freeze_rotation));
    sim.initialize_velocities(T);
  }
  if (o.steps < start_step)
    throw Error("the checkpoint is at step " + std::to_string(start_step) +
                ", beyond the requested run length of " + std::to_string(o.steps) + " steps");

  Outputs out;
  if (!o.thermo_csv.empty())
    out.thermo.emplace(replica_path(o.thermo_csv, tag), o.resume.empty() ? -1 : start_step);
  if (!o.dump_xyz.empty()) out.xyz.emplace(replica_path(o.dump_xyz, tag));
  if (!o.traj.empty())
    out.h5md = open_h5md(replica_path(o.traj, tag), sim, o.traj_velocities,
                         o.resume.empty() ? -1 : start_step);
  const std::int64_t dump_every = o.dump_every > 0 ? o.dump_every : o.traj_every;
  std::unique_ptr<GradeMonitor> monitor;
  if (grading_set)
    monitor = std::make_unique<GradeMonitor>(
        grading_set, o.grading, replica_path(o.grading.selected, tag), !o.resume.empty(), tag);

  const std::size_t n = sim.structure().size();
  if (!o.quiet)
    std::printf(
        "# %s: %zu atoms, T = %g K, thermostat %s (tdamp %g ps), barostat %s, dt = %g fs, "
        "steps %lld..%lld, %d threads, N_f = %g\n",
        tag.empty() ? "md" : ("replica" + tag).c_str(), n, T, sim.thermostat().name().c_str(),
        o.tdamp_ps, o.barostat.c_str(), o.timestep_ps * 1e3, static_cast<long long>(start_step),
        static_cast<long long>(o.steps), omp_get_max_threads(), sim.dof());

  // Progress on stderr (core/progress.hpp): in place on a terminal, every few seconds in a log.
  Progress progress(o.quiet ? nullptr : stderr, tag.empty() ? "md" : "md replica" + tag,
                    static_cast<double>(std::max<std::int64_t>(1, o.steps - start_step)));
  auto speed = [&](std::int64_t k) {
    const double el = progress.elapsed_seconds();
    char buf[96];
    std::snprintf(buf, sizeof buf, "step %lld, %.4g atom*step/s", static_cast<long long>(k),
                  el > 0 ? static_cast<double>(k - start_step) * n / el : 0.0);
    return std::string(buf);
  };
  auto sample = [&](bool force_thermo) {
    const std::int64_t k = sim.step_index();
    if (force_thermo || (o.thermo_every > 0 && k % o.thermo_every == 0)) {
      const ThermoSample t = sim.thermo();
      if (out.thermo) out.thermo->write(t);
      if (!o.quiet) {
        progress.interrupt();
        std::printf("%s\n", thermo_line(t).c_str());
      }
    }
    if (out.xyz && k % dump_every == 0) out.xyz->write(sim);
    if (out.h5md && k % o.traj_every == 0) out.h5md->write(sim);
  };
  const std::map<std::string, std::string> meta{{"potential", o.potential},
                                                {"structure", o.structure},
                                                {"thermostat", o.thermostat},
                                                {"temperature_K", std::to_string(T)},
                                                {"timestep_ps", std::to_string(o.timestep_ps)}};
  std::string last_ckpt = "none";
  auto checkpoint = [&]() {
    if (ckpt.empty()) return;
    if (out.h5md) out.h5md->flush();
    if (out.thermo) out.thermo->publish();
    if (monitor) monitor->flush();
    save_checkpoint(ckpt, sim.snapshot(), meta);
    last_ckpt = ckpt + " (step " + std::to_string(sim.step_index()) + ")";
  };

  if (!o.quiet) std::printf("%s\n", thermo_header().c_str());
  if (o.resume.empty()) sample(true);
  const auto t0 = Clock::now();
  std::string stop_reason;
  auto observe = [&]() {
    const ObserverVerdict v = monitor->observe(sim);
    if (v.stop) stop_reason = v.reason;
    return v.stop;
  };
  try {
    if (monitor && o.resume.empty()) observe();      // the start structure too
    guard.check(sim.structure(), sim.step_index());  // the start (or resumed) structure
    while (stop_reason.empty() && sim.step_index() < o.steps) {
      sim.step();
      const std::int64_t k = sim.step_index();
      if (monitor && k % monitor->every() == 0 && observe()) {
        sample(true);
        break;
      }
      sample(k == o.steps);
      guard.check(sim.structure(), k);
      if (o.restart_every > 0 && k % o.restart_every == 0 && k != o.steps) checkpoint();
      if (progress.due()) progress.update(static_cast<double>(k - start_step), speed(k));
    }
  } catch (const OutsideDomainError& e) {
    out.commit_all();
    throw OutsideDomainError(std::string(e.what()) + "; outputs kept up to step " +
                             std::to_string(sim.step_index()) + ", last checkpoint: " + last_ckpt);
  } catch (const SimulationError& e) {
    out.commit_all();
    throw SimulationError(std::string(e.what()) + "; " + guard.likely_cause(sim.structure()) +
                          "; outputs kept up to step " + std::to_string(sim.step_index()) +
                          ", last checkpoint: " + last_ckpt);
  }
  progress.finish(speed(sim.step_index()), static_cast<double>(sim.step_index() - start_step));
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!ckpt.empty() && (o.restart_every > 0 || !o.checkpoint.empty() || !stop_reason.empty()))
    checkpoint();
  if (monitor) monitor->flush();
  out.commit_all();

  MdRunResult r;
  r.last = sim.thermo();
  r.steps_done = sim.step_index() - start_step;
  r.seconds = seconds;
  r.n_atoms = n;
  r.atom_steps_per_second = seconds > 0 ? static_cast<double>(n) * r.steps_done / seconds : 0.0;
  r.list_builds = sim.backend().list_builds();
  if (wall_view) {
    r.max_wall_energy = wall_view->max_wall_energy();
    r.max_domain_violation = wall_view->max_violation();
    std::printf("domain wall: largest energy %.6g eV, largest violation %.4f A%s\n",
                r.max_wall_energy, r.max_domain_violation,
                r.max_domain_violation > 0 ? " (the MD left the data's distance range there)" : "");
  }
  if (monitor) {
    r.grading = monitor->stats();
    r.stop_reason = stop_reason;
    const GradingStats& g = r.grading;
    std::printf(
        "extrapolation grades: %ld every %lld steps, largest %.6g at step %lld, %ld above %g%s%s; "
        "grading took %.3g s = %.1f %% of the run\n",
        g.grades, static_cast<long long>(o.grading.every), g.max_grade,
        static_cast<long long>(g.max_step), g.above_threshold, o.grading.threshold,
        o.grading.selected.empty() ? "" : " (written to ",
        o.grading.selected.empty() ? "" : (replica_path(o.grading.selected, tag) + ")").c_str(),
        g.seconds, seconds > 0 ? 100.0 * g.seconds / seconds : 0.0);
    if (!stop_reason.empty())
      std::printf("stopped: %s; checkpoint %s\n", stop_reason.c_str(), last_ckpt.c_str());
  }
  r.domain_exits = guard.exits();
  if (guard.exits() > 0)
    std::printf("outside the training domain in %lld of %lld checks (--outside-domain warn)\n",
                static_cast<long long>(guard.exits()), static_cast<long long>(guard.checks()));
  std::printf("Speed of this run = %.6g atom*step/second\n", r.atom_steps_per_second);
  std::fflush(stdout);
  return r;
}

}  // namespace

std::string replica_path(const std::string& path, const std::string& tag) {
  if (tag.empty() || path.empty()) return path;
  const std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + tag + p.extension().string())).string();
}

std::string replica_tag(double temperature, std::size_t temperatures, int copy, int copies) {
  char tag[64] = "";
  if (temperatures > 1) std::snprintf(tag, sizeof tag, "_T%g", temperature);
  if (copies > 1)
    std::snprintf(tag + std::strlen(tag), sizeof tag - std::strlen(tag), "_r%d", copy);
  return tag;
}

std::vector<MdRunResult> run_md(const MdRunOptions& o) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // thermo lines reach a log file as they are made
  if (o.threads > 0) omp_set_num_threads(o.threads);
  if (o.steps <= 0) throw Error("give the run length with --steps N or --time T");
  if (!(o.timestep_ps > 0)) throw Error("the time step must be positive");
  if (o.traj_every <= 0 || o.thermo_every < 0 || o.restart_every < 0)
    throw Error("--traj-every must be positive, --thermo-every and --restart-every >= 0");
  const Mtp model = read_mtp(o.potential);
  Structure s = load_md_structure(o.structure, o.format, o.species, model, o.potential);
  if (o.supercell != std::array<int, 3>{1, 1, 1}) s = make_supercell(s, o.supercell);
  std::vector<double> temps = o.temperatures;
  if (temps.empty()) temps.push_back(o.temperature);
  for (double T : temps)
    if (!(T >= 0) || !std::isfinite(T)) throw Error("temperatures must be >= 0 K");
  if (o.replicas < 1) throw Error("--replicas must be >= 1");
  std::optional<DomainWalls> walls;
  if (!o.domain.empty()) {
    if (!(o.domain_scale > 0) || !(o.wall_stiffness > 0))
      throw Error("--domain-scale and --wall-stiffness must be positive");
    walls = domain_from_data(io::read_dataset(o.domain), o.domain_scale, o.wall_stiffness, 8.0,
                             o.domain);
    if (!o.quiet)
      std::printf("domain of %s (shortest distances x %.3f, k = %g eV/A^3):%s A\n",
                  o.domain.c_str(), o.domain_scale, o.wall_stiffness, walls->pair_list().c_str());
  }
  std::shared_ptr<const ActiveSet> grading_set;
  if (o.grading.enabled()) {
    std::vector<std::string> species = o.species;
    if (species.empty()) species = s.species_symbols;
    grading_set = load_grading_set(o.grading, model, o.potential, species, o.quiet);
  }
  DomainGuardOptions guard_opt;
  // auto: stop, unless --domain walls keep the run inside or --grade-every watches extrapolation
  // itself (the MaxVol grade then decides; the guard only warns).
  guard_opt.policy =
      o.outside_domain == "auto"
          ? (o.domain.empty() && !o.grading.enabled() ? DomainPolicy::kStop : DomainPolicy::kWarn)
          : parse_domain_policy(o.outside_domain);
  guard_opt.tolerance = o.domain_tolerance;
  guard_opt.every = o.domain_check_every;
  const DomainGuard guard(model, o.potential, guard_opt);
  std::printf("%s\n", guard.describe().c_str());
  MdRunOptions opt = o;
  if ((opt.restart_every > 0 || grading_set) && opt.checkpoint.empty()) opt.checkpoint = "md.ckpt";
  if (resolve_device(o.device) != DeviceKind::kCpu) {
    // The grade observer needs the state every N steps on the host: grading runs on the CPU
    // engine (an explicit --device gpu|emu with grading is refused).
    if (grading_set && o.device != "auto")
      throw Error("--grade-every runs on the CPU engine: use --device cpu (or auto)");
    if (!grading_set)
      return run_md_device(opt, o.device, model, s, temps, walls ? &*walls : nullptr, guard);
  }
  std::vector<MdRunResult> results;
  std::uint64_t k = 0;
  for (double T : temps)
    for (int r = 0; r < o.replicas; ++r, ++k)
      results.push_back(run_one(opt, model, s, T, o.seed + k,
                                replica_tag(T, temps.size(), r, o.replicas),
                                walls ? &*walls : nullptr, grading_set, guard));
  return results;
}

}  // namespace superion::md
