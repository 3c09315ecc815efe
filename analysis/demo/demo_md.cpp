// MD stage of `superion demo`; see demo_md.hpp.
#include "demo_md.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "force_backend.hpp"
#include "io/formats.hpp"
#include "md_run.hpp"

namespace superion::demo {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json job_json(const MdJob& j, const MdContext& c) {
  return {{"T_K", j.T},
          {"lattice_A", j.lattice},
          {"production_ps", j.production_ps},
          {"equilibration_ps", c.equilibration_ps},
          {"frame_interval_ps", j.frame_interval_ps},
          {"velocities", j.velocities},
          {"freeze_rotation", j.freeze_rotation},
          {"seed", j.seed},
          {"timestep_ps", c.timestep_ps},
          {"thermostat", c.thermostat},
          {"tdamp_ps", c.tdamp_ps}};
}

// Mean of the thermo CSV's temperature column over rows with time > t0 (NaN when none).
double mean_temperature(const fs::path& csv, double t0) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header: step,time_ps,temperature_K,...
  double sum = 0;
  long n = 0;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string step, t, T;
    if (!std::getline(ss, step, ',') || !std::getline(ss, t, ',') || !std::getline(ss, T, ','))
      continue;
    if (std::stod(t) > t0) sum += std::stod(T), ++n;
  }
  return n ? sum / n : std::nan("");
}

void write_json(const fs::path& p, const json& j) {
  AtomicFile f(p);
  f.stream() << j.dump(1) << '\n';
  f.commit();
}

}  // namespace

MdJobResult run_md_job(const MdJob& job, const MdContext& ctx, const fs::path& md_dir) {
  MdJobResult r;
  r.dir = md_dir / job.name;
  r.traj = r.dir / "traj.h5";
  const fs::path done = r.dir / "done.json", ckpt = r.dir / "md.ckpt";
  const json params = job_json(job, ctx);
  if (fs::exists(done)) {
    std::ifstream in(done);
    json d;
    in >> d;
    if (d.value("params", json()) == params && d.value("ok", false)) {
      r.ok = r.reused = true;
      r.steps = d.at("steps");
      r.seconds = d.at("seconds");
      r.atom_steps_per_s = d.at("atom_steps_per_s");
      r.mean_temperature_K = d.at("mean_temperature_K").is_number()
                                 ? d.at("mean_temperature_K").get<double>()
                                 : std::nan("");
      r.max_wall_energy_eV = d.at("max_wall_energy_eV");
      r.max_violation_A = d.at("max_violation_A");
      return r;
    }
    fs::remove_all(r.dir);  // made with other parameters
  }
  fs::create_directories(r.dir);

  // The reference cell at this run's lattice parameter (fractional coordinates kept).
  const fs::path start = r.dir / "start.xyz";
  if (!fs::exists(start)) {
    io::ReadOptions ro;
    ro.species = ctx.species;
    Dataset d = io::read_dataset(ctx.start_cell, "auto", ro);
    const double s = job.lattice / ctx.a0;
    Structure& st = d.configs.at(0).structure;
    st.cell = s * st.cell;
    for (Vec3& p : st.positions) p *= s;
    d.configs[0].energy.reset();
    d.configs[0].forces.reset();
    d.configs[0].virial.reset();
    io::WriteOptions wo;
    wo.lossless = true;
    io::write_dataset(start, d, "extxyz", wo);
  }

  md::MdRunOptions o;
  o.potential = ctx.potential.string();
  o.structure = start.string();
  o.species = ctx.species;
  o.temperature = job.T;
  o.timestep_ps = ctx.timestep_ps;
  o.steps = std::llround((ctx.equilibration_ps + job.production_ps) / ctx.timestep_ps);
  o.thermostat = ctx.thermostat;
  o.tdamp_ps = ctx.tdamp_ps;
  o.seed = job.seed;
  o.traj = r.traj.string();
  o.traj_every = std::max<std::int64_t>(1, std::llround(job.frame_interval_ps / ctx.timestep_ps));
  o.traj_velocities = job.velocities;
  o.thermo_csv = (r.dir / "thermo.csv").string();
  o.quiet = o.steps < 200000;  // long runs (--full) show md's own progress lines
  o.thermo_every = o.quiet ? std::max<std::int64_t>(1, std::llround(0.1 / ctx.timestep_ps))
                           : std::max<std::int64_t>(1, std::llround(10.0 / ctx.timestep_ps));
  o.restart_every = 10000;
  o.checkpoint = ckpt.string();
  if (fs::exists(ckpt)) o.resume = ckpt.string();
  o.freeze_rotation = job.freeze_rotation;
  o.domain = ctx.domain.string();
  o.threads = ctx.threads;
  o.device = ctx.device;

  try {
    const std::vector<md::MdRunResult> res = md::run_md(o);
    const md::MdRunResult& m = res.at(0);
    r.ok = true;
    r.steps = o.steps;
    r.seconds = m.seconds;
    r.atom_steps_per_s = m.atom_steps_per_second;
    r.max_wall_energy_eV = m.max_wall_energy;
    r.max_violation_A = m.max_domain_violation;
  } catch (const md::SimulationError& e) {
    r.error = e.what();
  }
  r.mean_temperature_K = mean_temperature(r.dir / "thermo.csv", ctx.equilibration_ps);
  if (r.ok) {
    write_json(done,
               {{"params", params},
                {"ok", true},
                {"steps", r.steps},
                {"seconds", r.seconds},
                {"atom_steps_per_s", r.atom_steps_per_s},
                {"mean_temperature_K",
                 std::isfinite(r.mean_temperature_K) ? json(r.mean_temperature_K) : json(nullptr)},
                {"max_wall_energy_eV", r.max_wall_energy_eV},
                {"max_violation_A", r.max_violation_A}});
    fs::remove(ckpt);
    fs::remove(fs::path(ckpt.string() + ".bak"));
    // Temporary files of an earlier, killed attempt (AtomicFile names them NAME.tmp*).
    for (const auto& e : fs::directory_iterator(r.dir))
      if (e.path().filename().string().find(".tmp") != std::string::npos) fs::remove(e.path());
  }
  return r;
}

}  // namespace superion::demo
