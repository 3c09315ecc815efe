// MD benchmark (NVE, velocity Verlet, CPU MTP backend).
#include "md_bench.hpp"

#include <omp.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>

#include "md_setup.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp_backend.hpp"

namespace superion::md {

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // kB on Linux
}

MdBenchResult run_md_bench(const MdRunOptions& o) {
  if (o.threads > 0) omp_set_num_threads(o.threads);
  const Mtp model = read_mtp(o.potential);
  Structure s = load_md_structure(o.structure, o.format, o.species, model, o.potential);
  if (o.supercell != std::array<int, 3>{1, 1, 1}) s = make_supercell(s, o.supercell);
  SimulationConfig cfg;
  cfg.timestep = o.timestep_ps;
  cfg.temperature = o.temperature;
  cfg.seed = o.seed;
  auto backend = std::make_unique<MtpCpuBackend>(model, o.skin);
  const int level = model.level();
  Simulation sim(s, std::move(backend), std::make_unique<NoThermostat>(), cfg);
  sim.initialize_velocities(o.temperature);
  sim.run(2);  // warm-up: first list build, allocations
  const std::size_t builds0 = sim.backend().list_builds();
  const auto t0 = std::chrono::steady_clock::now();
  sim.run(o.steps);
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  MdBenchResult r;
  r.n_atoms = s.size();
  r.steps = o.steps;
  r.seconds = sec;
  r.atom_steps_per_second = static_cast<double>(r.n_atoms) * o.steps / sec;
  r.peak_rss_kb = peak_rss_kb();
  std::printf(
      "MTP level %d, %d species, cutoff %.3g A, skin %.3g A: %zu atoms (%s), dt %g fs, NVE\n",
      level, model.species_count, model.max_dist, o.skin, r.n_atoms, s.formula().c_str(),
      o.timestep_ps * 1e3);
  std::printf(
      "threads %d, %lld steps in %.3f s: %.4g atom*step/s, %.3f us/(atom*step), %zu list "
      "builds, T %.1f K, peak memory %.1f MB\n",
      omp_get_max_threads(), static_cast<long long>(o.steps), sec, r.atom_steps_per_second,
      1e6 / r.atom_steps_per_second, sim.backend().list_builds() - builds0, sim.temperature(),
      r.peak_rss_kb / 1024.0);
  std::printf("Speed of this run = %.6g atom*step/second\n", r.atom_steps_per_second);
  return r;
}

}  // namespace superion::md
