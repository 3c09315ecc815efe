// MD step of `superion demo`; see demo_md.hpp.
#include "demo_md.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

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

}  // namespace superion::demo
