// MD step of `superion demo`; see demo_md.hpp.
#include "demo_md.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "device_md.hpp"
#include "md_io_hooks.hpp"
#include "md_output.hpp"
#include "mtp_backend.hpp"
#include "simulation.hpp"

namespace superion::demo {

ReplicaResult run_replica(const Structure& start, const Mtp& model, const PairWalls& walls,
                          const ReplicaOptions& o) {
  using Clock = std::chrono::steady_clock;
  md::SimulationConfig cfg;
  cfg.timestep = o.timestep_ps;
  cfg.temperature = o.temperature;
  cfg.seed = o.seed;
  cfg.max_temperature = 5.0 * o.temperature + 1000.0;  // as `superion md`
  auto wall =
      std::make_unique<WallBackend>(std::make_unique<md::MtpCpuBackend>(model, 1.0, "mtp"), walls);
  WallBackend* wall_view = wall.get();
  md::Simulation sim(start, std::move(wall), md::make_thermostat(o.thermostat, o.tdamp_ps), cfg);
  sim.initialize_velocities(o.temperature);

  ReplicaResult r;
  const std::size_t n = sim.structure().size();
  std::unique_ptr<md::FrameSink> traj = md::open_h5md(o.traj, sim, false);
  md::ThermoCsv thermo(o.thermo_csv);
  const std::int64_t thermo_every = o.traj_every * 10;
  double t_sum = 0;
  long t_n = 0;
  auto sample = [&]() {
    const std::int64_t k = sim.step_index();
    if (k % o.traj_every == 0) traj->write(sim);
    if (k % thermo_every == 0 || k == o.steps) {
      const md::ThermoSample t = sim.thermo();
      thermo.write(t);
      if (k > 0) t_sum += t.temperature_K, ++t_n;
      r.max_wall_energy_eV = std::max(r.max_wall_energy_eV, wall_view->last_wall_energy());
    }
  };
  const auto t0 = Clock::now();
  auto last = t0;
  try {
    sample();
    while (sim.step_index() < o.steps) {
      sim.step();
      sample();
      const auto now = Clock::now();
      if (std::chrono::duration<double>(now - last).count() > 15.0) {
        last = now;
        const double el = std::chrono::duration<double>(now - t0).count();
        const double rate = sim.step_index() / el;
        std::printf(
            "    %g K: step %lld/%lld, T = %.0f K, %.3g atom*step/s, ETA of this replica %.0f s\n",
            o.temperature, static_cast<long long>(sim.step_index()),
            static_cast<long long>(o.steps), sim.temperature(), rate * n,
            (o.steps - sim.step_index()) / rate);
        std::fflush(stdout);
      }
    }
  } catch (const md::SimulationError& e) {
    r.error = std::string(e.what()) + " (at step " + std::to_string(sim.step_index()) + ")";
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.steps = sim.step_index();
    return r;  // the writers' destructors drop the unfinished files
  }
  traj->commit();
  thermo.commit();
  r.ok = true;
  r.steps = sim.step_index();
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.atom_steps_per_second = r.seconds > 0 ? static_cast<double>(n) * r.steps / r.seconds : 0;
  r.mean_temperature_K = t_n ? t_sum / t_n : 0;
  return r;
}

std::vector<ReplicaResult> run_replicas_on_device(const Structure& start, const Mtp& model,
                                                  const PairWalls& walls,
                                                  const std::vector<ReplicaOptions>& options,
                                                  md::DeviceKind device) {
  using Clock = std::chrono::steady_clock;
  const ReplicaOptions& o = options.front();
  md::DeviceMdSetup setup;
  setup.model = model;
  setup.timestep = o.timestep_ps;
  setup.thermostat = o.thermostat;
  setup.tdamp = o.tdamp_ps;
  if (walls.n_species > 0 && walls.k > 0) {
    TypeWalls w;
    w.n_types = walls.n_species;
    w.rw = walls.rw;
    w.k = walls.k;
    setup.walls = w;
  }
  std::vector<md::ReplicaSpec> specs;
  for (const auto& r : options)
    specs.push_back({r.temperature, r.seed, 5.0 * r.temperature + 1000.0});
  std::vector<ReplicaResult> results(options.size());
  md::DeviceMd dmd(device, setup, start, specs);
  const std::size_t n = start.size();
  std::vector<std::unique_ptr<md::FrameSink>> traj;
  std::vector<std::unique_ptr<md::ThermoCsv>> thermo;
  for (const auto& r : options) {
    traj.push_back(md::open_h5md(r.traj, start, false));
    thermo.push_back(std::make_unique<md::ThermoCsv>(r.thermo_csv));
  }
  const std::int64_t thermo_every = o.traj_every * 10;
  std::vector<double> t_sum(options.size(), 0.0);
  std::vector<long> t_n(options.size(), 0);
  auto drain = [&](bool wait) {
    std::int64_t step;
    double time;
    std::vector<md::ReplicaSample> s;
    while (dmd.next_sample(step, time, s, wait))
      for (std::size_t r = 0; r < s.size(); ++r) {
        if (step % o.traj_every == 0) {
          md::FrameData f;
          f.step = step;
          f.time_ps = time;
          f.structure = &start;
          f.positions = &s[r].positions;
          f.thermo = s[r].thermo;
          traj[r]->write(f);
        }
        if (step % thermo_every == 0 || step == o.steps) {
          thermo[r]->write(s[r].thermo);
          if (step > 0) t_sum[r] += s[r].thermo.temperature_K, ++t_n[r];
          results[r].max_wall_energy_eV = std::max(results[r].max_wall_energy_eV, s[r].wall_energy);
        }
      }
  };
  const auto t0 = Clock::now();
  auto last = t0;
  try {
    dmd.request_sample(true, false);
    while (dmd.step_index() < o.steps) {
      dmd.step();
      const std::int64_t k = dmd.step_index();
      if (k % o.traj_every == 0 || k == o.steps) dmd.request_sample(k % o.traj_every == 0, false);
      drain(false);
      const auto now = Clock::now();
      if (std::chrono::duration<double>(now - last).count() > 15.0) {
        last = now;
        const double el = std::chrono::duration<double>(now - t0).count();
        const double rate = k / el;
        std::printf("    %zu temperatures: step %lld/%lld, %.3g atom*step/s, ETA %.0f s\n",
                    options.size(), static_cast<long long>(k), static_cast<long long>(o.steps),
                    rate * n * options.size(), (o.steps - k) / rate);
        std::fflush(stdout);
      }
    }
    drain(true);
  } catch (const md::SimulationError& e) {
    for (auto& r : results) {
      r.error = std::string(e.what()) + " (at step " + std::to_string(dmd.step_index()) +
                ", all temperatures of the batch stopped)";
      r.steps = dmd.step_index();
      r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    }
    return results;  // the writers' destructors drop the unfinished files
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (std::size_t r = 0; r < options.size(); ++r) {
    traj[r]->commit();
    thermo[r]->commit();
    results[r].ok = true;
    results[r].steps = dmd.step_index();
    results[r].seconds = seconds;
    results[r].atom_steps_per_second =
        seconds > 0 ? static_cast<double>(n) * results[r].steps / seconds : 0;
    results[r].mean_temperature_K = t_n[r] ? t_sum[r] / t_n[r] : 0;
  }
  return results;
}

}  // namespace superion::demo
