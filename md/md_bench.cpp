// MD benchmark (NVE, velocity Verlet) on the CPU engine or a device.
#include "md_bench.hpp"

#include <omp.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "device_choice.hpp"
#include "device_md.hpp"
#include "md_setup.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp_backend.hpp"

namespace superion::md {

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;  // kB on Linux
}

MdBenchResult run_md_bench(const MdRunOptions& o, const std::string& json_path) {
  if (o.threads > 0) omp_set_num_threads(o.threads);
  if (o.replicas < 1) throw Error("--replicas must be >= 1");
  const Mtp model = read_mtp(o.potential);
  Structure s = load_md_structure(o.structure, o.format, o.species, model, o.potential);
  if (o.supercell != std::array<int, 3>{1, 1, 1}) s = make_supercell(s, o.supercell);
  const DeviceKind kind = resolve_device(o.device);
  MdBenchResult r;
  r.level = model.level();
  r.n_atoms = s.size();
  r.replicas = o.replicas;
  r.steps = o.steps;
  r.backend = device_label(kind);
  r.device = device_description(kind);
  std::size_t builds = 0;
  double temperature = 0.0;
  if (kind == DeviceKind::kCpu) {
    std::vector<std::unique_ptr<Simulation>> sims;
    for (int k = 0; k < o.replicas; ++k) {
      SimulationConfig cfg;
      cfg.timestep = o.timestep_ps;
      cfg.temperature = o.temperature;
      cfg.seed = o.seed + static_cast<std::uint64_t>(k);
      sims.push_back(std::make_unique<Simulation>(s, std::make_unique<MtpCpuBackend>(model, o.skin),
                                                  std::make_unique<NoThermostat>(), cfg));
      sims.back()->initialize_velocities(o.temperature);
      sims.back()->run(2);  // warm-up: first list build, allocations
    }
    std::size_t builds0 = 0;
    for (auto& sim : sims) builds0 += sim->backend().list_builds();
    const auto t0 = std::chrono::steady_clock::now();
    for (std::int64_t k = 0; k < o.steps; ++k)
      for (auto& sim : sims) sim->step();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (auto& sim : sims) builds += sim->backend().list_builds();
    builds -= builds0;
    temperature = sims.front()->temperature();
  } else {
    DeviceMdSetup setup;
    setup.model = model;
    setup.timestep = o.timestep_ps;
    setup.thermostat = "none";
    setup.skin = o.skin;
    std::vector<ReplicaSpec> specs;
    for (int k = 0; k < o.replicas; ++k)
      specs.push_back({o.temperature, o.seed + static_cast<std::uint64_t>(k), 0.0});
    DeviceMd dmd(kind, setup, s, specs);
    dmd.run(2);
    const std::size_t builds0 = dmd.engine().list_builds();
    const auto t0 = std::chrono::steady_clock::now();
    dmd.run(o.steps);
    temperature = dmd.thermo(0).temperature_K;  // waits for the device
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    builds = dmd.engine().list_builds() - builds0;
    r.bytes_per_atom = static_cast<double>(dmd.engine().peak_device_bytes()) /
                       (static_cast<double>(s.size()) * o.replicas);
  }
  const double atom_steps = static_cast<double>(r.n_atoms) * o.replicas * o.steps;
  r.atom_steps_per_second = atom_steps / r.seconds;
  r.ns_per_day = static_cast<double>(o.steps) / r.seconds * o.timestep_ps * 86400.0 * 1e-3;
  r.peak_rss_kb = peak_rss_kb();
  std::printf(
      "MTP level %d, %d species, cutoff %.3g A, skin %.3g A: %zu atoms (%s) x %d replicas, dt %g "
      "fs, NVE, device %s\n",
      r.level, model.species_count, model.max_dist, o.skin, r.n_atoms, s.formula().c_str(),
      o.replicas, o.timestep_ps * 1e3, r.device.c_str());
  std::printf(
      "threads %d, %lld steps in %.3f s: %.4g atom*step/s, %.3f us/(atom*step), %.3g ns/day, %zu "
      "list builds, T %.1f K, peak memory %.1f MB%s\n",
      omp_get_max_threads(), static_cast<long long>(o.steps), r.seconds, r.atom_steps_per_second,
      1e6 / r.atom_steps_per_second, r.ns_per_day, builds, temperature, r.peak_rss_kb / 1024.0,
      r.bytes_per_atom > 0 ? (", device memory " +
                              std::to_string(static_cast<long>(r.bytes_per_atom)) + " bytes/atom")
                                 .c_str()
                           : "");
  std::printf("Speed of this run = %.6g atom*step/second\n", r.atom_steps_per_second);
  if (!json_path.empty()) {
    nlohmann::json j{{"device", r.device},
                     {"backend", r.backend},
                     {"level", r.level},
                     {"atoms", r.n_atoms},
                     {"replicas", r.replicas},
                     {"steps", r.steps},
                     {"timestep_fs", o.timestep_ps * 1e3},
                     {"seconds", r.seconds},
                     {"atom_steps_per_second", r.atom_steps_per_second},
                     {"ns_per_day", r.ns_per_day},
                     {"bytes_per_atom", r.bytes_per_atom},
                     {"threads", omp_get_max_threads()},
                     {"potential", o.potential},
                     {"structure", o.structure},
                     {"supercell", o.supercell}};
    AtomicFile f(json_path);
    f.stream() << j.dump(2) << '\n';
    f.commit();
  }
  return r;
}

}  // namespace superion::md
