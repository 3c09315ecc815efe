// The device path of `superion md` (--device emu|gpu): all replicas (temperatures × copies) in one
// DeviceMd, advancing in the same launches. Thermo rows every --thermo-every steps and trajectory
// frames every --traj-every / --dump-every steps are requested as asynchronous samples and written
// by the same writers as the CPU path once they have arrived, so the device never waits for the
// files; checkpoints (every --restart-every steps and at the end) are in the CPU engine's format,
// one file per replica, so either engine can resume them.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "device_md.hpp"
#include "md_io_hooks.hpp"
#include "md_output.hpp"
#include "md_run.hpp"

namespace superion::md {
namespace {

using Clock = std::chrono::steady_clock;

struct ReplicaOutputs {
  std::string tag;
  double temperature = 0;
  std::optional<ThermoCsv> thermo;
  std::optional<XyzDump> xyz;
  std::unique_ptr<FrameSink> h5md;
  ThermoSample last;
  double max_wall_energy = 0, max_violation = 0;
  std::vector<Vec3> last_positions;  // of the last sample that carried positions
  std::int64_t last_positions_step = -1;
  void commit_all() {
    if (thermo) thermo->commit();
    if (xyz) xyz->commit();
    if (h5md) h5md->commit();
  }
};

// The likely cause of a blow-up, as on the CPU path (DomainGuard::likely_cause), from the last
// positions sampled of each replica (every --domain-check-every steps while the guard is on; the
// device state itself cannot be read back after a failure): the first replica outside the training
// domain is named, else replica 0's verdict (inside the domain: time step or thermostat; no stored
// domain: said so). Replicas without finite sampled positions are skipped.
std::string likely_cause(const Structure& start, const DomainGuard& guard,
                         const std::deque<ReplicaOutputs>& outs) {
  std::string first;
  for (const ReplicaOutputs& out : outs) {
    bool finite = !out.last_positions.empty();
    for (const Vec3& x : out.last_positions)
      finite = finite && std::isfinite(x[0]) && std::isfinite(x[1]) && std::isfinite(x[2]);
    if (!finite) continue;
    Structure current = start;
    current.positions = out.last_positions;
    const std::string cause = guard.likely_cause(current) + " (positions of step " +
                              std::to_string(out.last_positions_step) +
                              (outs.size() > 1 ? ", replica " + out.tag + ")" : ")");
    if (cause.find("left its training domain") != std::string::npos) return cause;
    if (first.empty()) first = cause;
  }
  if (!first.empty()) return first;
  const std::string unchecked = guard.likely_cause(start);  // structure-independent when no domain
  if (unchecked.find("stores no training domain") != std::string::npos) return unchecked;
  return "likely cause: a too large time step, a too weak thermostat or the potential outside its "
         "training data (no positions were sampled to tell which: the domain check is off)";
}

}  // namespace

std::vector<MdRunResult> run_md_device(const MdRunOptions& o, const std::string& device_kind,
                                       const Mtp& model, const Structure& start,
                                       const std::vector<double>& temps, const DomainWalls* walls,
                                       DomainGuard guard) {
  const DeviceKind kind = resolve_device(device_kind);
  if (o.barostat != "none")
    throw Error("--barostat " + o.barostat +
                " is not available on the device engine; use --device cpu for NPT equilibration");
  DeviceMdSetup setup;
  setup.model = model;
  setup.timestep = o.timestep_ps;
  setup.thermostat = o.thermostat;
  setup.tdamp = o.tdamp_ps;
  setup.skin = o.skin;
  setup.freeze_rotation = o.freeze_rotation;
  if (walls) {
    std::vector<std::string> symbols = start.species_symbols;
    if (symbols.size() < static_cast<std::size_t>(model.species_count))
      symbols.resize(static_cast<std::size_t>(model.species_count));
    setup.walls = type_walls(*walls, symbols);
  }

  // Replicas, their tags, seeds and (when resuming) checkpoints.
  std::deque<ReplicaOutputs> outs;  // (deque: the writers cannot move)
  std::vector<ReplicaSpec> specs;
  std::vector<MdSnapshot> snaps;
  std::uint64_t k = 0;
  for (double T : temps)
    for (int r = 0; r < o.replicas; ++r, ++k) {
      outs.emplace_back();
      outs.back().tag = replica_tag(T, temps.size(), r, o.replicas);
      outs.back().temperature = T;
      specs.push_back(
          {T, o.seed + k, o.max_temperature > 0 ? o.max_temperature : 5.0 * T + 1000.0});
    }
  if (!o.resume.empty()) {
    snaps.reserve(outs.size());
    for (const auto& out : outs) snaps.push_back(load_checkpoint(replica_path(o.resume, out.tag)));
    for (std::size_t r = 0; r < specs.size(); ++r) specs[r].resume = &snaps[r];
  }
  DeviceMd dmd(kind, setup, start, specs);
  const std::int64_t start_step = dmd.step_index();
  if (o.steps < start_step)
    throw Error("the checkpoint is at step " + std::to_string(start_step) +
                ", beyond the requested run length of " + std::to_string(o.steps) + " steps");
  const std::size_t n = dmd.atoms();
  const int R = dmd.replicas();

  for (auto& out : outs) {
    if (!o.thermo_csv.empty())
      out.thermo.emplace(replica_path(o.thermo_csv, out.tag), o.resume.empty() ? -1 : start_step);
    if (!o.dump_xyz.empty()) out.xyz.emplace(replica_path(o.dump_xyz, out.tag));
    if (!o.traj.empty())
      out.h5md = open_h5md(replica_path(o.traj, out.tag), start, o.traj_velocities,
                           o.resume.empty() ? -1 : start_step);
  }
  const std::int64_t dump_every = o.dump_every > 0 ? o.dump_every : o.traj_every;
  if (!o.quiet)
    std::printf(
        "# md on device %s: %d replicas x %zu atoms in one batch, thermostat %s (tdamp %g ps), "
        "dt = %g fs, steps %lld..%lld, N_f = %g\n",
        device_description(kind).c_str(), R, n, dmd.thermostat_name().c_str(), o.tdamp_ps,
        o.timestep_ps * 1e3, static_cast<long long>(start_step), static_cast<long long>(o.steps),
        dmd.dof(0));

  // Progress on stderr (core/progress.hpp): in place on a terminal, every few seconds in a log.
  Progress progress(o.quiet ? nullptr : stderr, "md (" + std::to_string(R) + " replicas)",
                    static_cast<double>(std::max<std::int64_t>(1, o.steps - start_step)));
  // Samples: requested at their steps, written when they have arrived.
  auto due = [&](std::int64_t step, bool force_thermo, bool& thermo, bool& pos, bool& vel) {
    thermo = force_thermo || (o.thermo_every > 0 && step % o.thermo_every == 0);
    const bool h5 = !o.traj.empty() && step % o.traj_every == 0;
    const bool xyz = !o.dump_xyz.empty() && step % dump_every == 0;
    // Positions also every guard.every() steps: the training-domain check runs on the host.
    pos = h5 || xyz || (guard.active() && step % guard.every() == 0);
    vel = xyz || (h5 && o.traj_velocities);
    return thermo || pos;
  };
  const std::int64_t last_step = o.steps;
  auto write_ready = [&](bool wait) {
    std::int64_t step = 0;
    double time = 0;
    std::vector<ReplicaSample> s;
    while (dmd.next_sample(step, time, s, wait)) {
      bool thermo = false, pos = false, vel = false;
      due(step, step == last_step || (step == start_step && o.resume.empty()), thermo, pos, vel);
      for (int r = 0; r < R; ++r) {
        ReplicaOutputs& out = outs[static_cast<std::size_t>(r)];
        const ReplicaSample& x = s[static_cast<std::size_t>(r)];
        out.last = x.thermo;
        out.max_wall_energy = x.max_wall_energy;
        out.max_violation = x.max_violation;
        if (thermo) {
          if (out.thermo) out.thermo->write(x.thermo);
          if (!o.quiet) progress.interrupt();
          if (!o.quiet)
            std::printf("%s%s\n", R > 1 ? (out.tag + " ").c_str() : "",
                        thermo_line(x.thermo).c_str());
        }
        if (out.h5md && step % o.traj_every == 0) {
          FrameData f;
          f.step = step;
          f.time_ps = time;
          f.structure = &start;
          f.positions = &x.positions;
          f.velocities = x.velocities.empty() ? nullptr : &x.velocities;
          f.thermo = x.thermo;
          out.h5md->write(f);
        }
        if (out.xyz && step % dump_every == 0)
          out.xyz->write(step, time, start, x.positions, x.velocities);
        if (!x.positions.empty()) {
          out.last_positions = x.positions;
          out.last_positions_step = step;
        }
        if (!x.positions.empty() && guard.active() && step % guard.every() == 0) {
          Structure current = start;
          current.positions = x.positions;
          guard.check(current, step, R > 1 ? " (replica " + out.tag + ")" : "");
        }
      }
    }
  };
  auto sample = [&](bool force_thermo) {
    bool thermo = false, pos = false, vel = false;
    if (due(dmd.step_index(), force_thermo, thermo, pos, vel)) dmd.request_sample(pos, vel);
  };
  const std::map<std::string, std::string> meta{{"potential", o.potential},
                                                {"structure", o.structure},
                                                {"thermostat", o.thermostat},
                                                {"timestep_ps", std::to_string(o.timestep_ps)},
                                                {"engine", device_label(kind)}};
  std::string last_ckpt = "none";
  auto checkpoint = [&]() {
    if (o.checkpoint.empty()) return;
    write_ready(true);
    for (int r = 0; r < R; ++r) {
      ReplicaOutputs& out = outs[static_cast<std::size_t>(r)];
      if (out.h5md) out.h5md->flush();
      if (out.thermo) out.thermo->publish();
      auto m = meta;
      m["temperature_K"] = std::to_string(out.temperature);
      save_checkpoint(replica_path(o.checkpoint, out.tag), dmd.snapshot(r), m);
    }
    last_ckpt = o.checkpoint + " (step " + std::to_string(dmd.step_index()) + ")";
  };

  if (!o.quiet) std::printf("%s\n", thermo_header().c_str());
  if (o.resume.empty()) sample(true);
  const auto t0 = Clock::now();
  try {
    while (dmd.step_index() < o.steps) {
      dmd.step();
      const std::int64_t step = dmd.step_index();
      sample(step == o.steps);
      write_ready(false);
      if (o.restart_every > 0 && step % o.restart_every == 0 && step != o.steps) checkpoint();
      if (progress.due()) {
        const double el = progress.elapsed_seconds();
        char detail[96];
        std::snprintf(detail, sizeof detail, "step %lld, %.4g atom*step/s",
                      static_cast<long long>(step),
                      el > 0 ? static_cast<double>(step - start_step) * n * R / el : 0.0);
        progress.update(static_cast<double>(step - start_step), detail);
      }
    }
    write_ready(true);
    progress.finish({}, static_cast<double>(dmd.step_index() - start_step));
  } catch (const OutsideDomainError& e) {
    for (auto& out : outs) out.commit_all();
    throw OutsideDomainError(std::string(e.what()) + "; outputs kept up to step " +
                             std::to_string(dmd.step_index()) + ", last checkpoint: " + last_ckpt);
  } catch (const SimulationError& e) {
    try {
      write_ready(true);
    } catch (const SimulationError&) {
    }
    for (auto& out : outs) out.commit_all();
    throw SimulationError(std::string(e.what()) + "; " + likely_cause(start, guard, outs) +
                          "; outputs kept up to the last sample before step " +
                          std::to_string(dmd.step_index()) + ", last checkpoint: " + last_ckpt);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!o.checkpoint.empty()) checkpoint();
  for (auto& out : outs) out.commit_all();

  const std::int64_t done = dmd.step_index() - start_step;
  const double total_rate = seconds > 0 ? static_cast<double>(n) * R * done / seconds : 0.0;
  std::vector<MdRunResult> results;
  for (int r = 0; r < R; ++r) {
    const ReplicaOutputs& out = outs[static_cast<std::size_t>(r)];
    MdRunResult res;
    res.last = out.last;
    res.steps_done = done;
    res.seconds = seconds;
    res.n_atoms = n;
    res.atom_steps_per_second = total_rate / R;
    res.list_builds = dmd.engine().list_builds();
    res.max_wall_energy = out.max_wall_energy;
    res.max_domain_violation = out.max_violation;
    if (walls)
      std::printf(
          "domain wall%s: largest energy %.6g eV, largest violation %.4f A%s\n", out.tag.c_str(),
          res.max_wall_energy, res.max_domain_violation,
          res.max_domain_violation > 0 ? " (the MD left the data's distance range there)" : "");
    results.push_back(res);
  }
  std::printf(
      "device %s: %d replicas, %zu list builds, device memory %.1f MB (peak %.1f MB, %.0f "
      "bytes/atom)\n",
      device_label(kind).c_str(), R, dmd.engine().list_builds(),
      dmd.engine().device_bytes() / 1048576.0, dmd.engine().peak_device_bytes() / 1048576.0,
      static_cast<double>(dmd.engine().peak_device_bytes()) / (static_cast<double>(n) * R));
  if (guard.exits() > 0)
    std::printf(
        "outside the training domain in %lld of %lld replica checks (--outside-domain warn)\n",
        static_cast<long long>(guard.exits()), static_cast<long long>(guard.checks()));
  std::printf("Speed of this run = %.6g atom*step/second\n", total_rate);
  std::fflush(stdout);
  return results;
}

}  // namespace superion::md
