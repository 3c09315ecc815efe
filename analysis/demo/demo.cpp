// `superion demo` pipeline; see demo.hpp. Stages (a)-(e) call the training, MD and analysis
// libraries (and `superion train` / `errors` in this process); only the PNG plots run a Python
// script (scripts/plot_demo.py, Debian's matplotlib).
#include "demo.hpp"

#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/duration_text.hpp"
#include "core/error.hpp"
#include "demo_analysis.hpp"
#include "demo_md.hpp"
#include "demo_reference.hpp"
#include "demo_report.hpp"
#include "demo_train.hpp"
#include "io/formats.hpp"

namespace superion::demo {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// CPU time of this process (user + system, all threads), for run times that do not depend on
// how busy a shared machine is.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Stage lines: "[demo 0:02:14 | ETA 0:05:10] (c) ...". The ETA comes from the measured MD speed.
class Progress {
 public:
  void eta(double remaining_s) { eta_ = remaining_s; }
  void say(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    std::printf("[demo %s | ETA %s] ", duration_hms(seconds_since(t0_)).c_str(),
                duration_hms(eta_).c_str());
    va_list ap;
    va_start(ap, fmt);
    std::vprintf(fmt, ap);
    va_end(ap);
    std::printf("\n");
    std::fflush(stdout);
  }
  double elapsed() const { return seconds_since(t0_); }

 private:
  Clock::time_point t0_ = Clock::now();
  double eta_ = -1;
};

fs::path exe_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path(".") : exe.parent_path();
}

// Source-tree folder `rel`: <exe dir>/../rel (the build folder lives inside the source tree),
// else relative to the working directory.
fs::path source_path(const std::string& rel) {
  const fs::path p = exe_dir().parent_path() / rel;
  return fs::exists(p) ? p : fs::path(rel);
}

std::string g3(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", x);
  return b;
}

std::string tag(double T) {
  char b[32];
  std::snprintf(b, sizeof b, "T%g", T);
  return b;
}

json read_json_or_null(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return nullptr;
  json j;
  try {
    in >> j;
  } catch (const std::exception&) {
    return nullptr;
  }
  return j;
}

json settings_json(const DemoSettings& s) {
  json plan = json::array();
  for (const auto& p : s.plan)
    plan.push_back({{"T_K", p.T}, {"replicas", p.replicas}, {"ps", p.ps}});
  return {{"mode", s.mode},
          {"level", s.level},
          {"max_iter", s.max_iter},
          {"radial_basis_size", s.radial_basis_size},
          {"rcut_A", s.rcut},
          {"test_fraction", s.test_fraction},
          {"frame_stride", s.frame_stride},
          {"timestep_ps", s.timestep_ps},
          {"thermostat", s.thermostat},
          {"tdamp_ps", s.tdamp_ps},
          {"equilibration_ps", s.equilibration_ps},
          {"frame_interval_ps", s.frame_interval_ps},
          {"plan", plan},
          {"mechanism_T_K", s.mechanism_T},
          {"mechanism_ps", s.mechanism_ps},
          {"mechanism_frame_ps", s.mechanism_frame_ps},
          {"frozen_run", s.frozen_run},
          {"resolve_rel_err", s.resolve_rel_err}};
}

// OUT/manifest.json: every parameter of the run. A folder with another manifest is refused
// (its results would mix), unless --restart clears it.
void check_manifest(const fs::path& out, const json& manifest, bool restart) {
  const fs::path m = out / "manifest.json";
  if (fs::exists(m)) {
    const json old = read_json_or_null(m);
    if (old != manifest) {
      if (!restart)
        throw InputError(m.string(), 0,
                         "this run folder was made with other settings (seed, mode, compound, "
                         "data or options): give another --out, or --restart to discard it");
    }
  }
  if (restart)
    for (const char* sub : {"data", "train", "md", "analysis", "plots"}) fs::remove_all(out / sub);
  fs::create_directories(out);
  std::ofstream(m) << manifest.dump(1) << '\n';
}

// (a) training frames of the reference, every `stride`-th of each file, split train/test.
void make_split(const Reference& ref, const DemoSettings& st, std::uint64_t seed,
                const fs::path& dir, std::size_t& n_train, std::size_t& n_test) {
  fs::create_directories(dir);
  Dataset all;
  all.species = ref.species;
  io::ReadOptions ro;
  ro.species = ref.species;
  for (const auto& f : ref.train_files) {
    Dataset d = io::read_dataset(f, "auto", ro);
    for (std::size_t i = 0; i < d.size(); i += static_cast<std::size_t>(st.frame_stride)) {
      if (!d.configs[i].energy || !d.configs[i].forces)
        throw InputError(f.string(), 0, "a configuration without energy or forces");
      all.configs.push_back(std::move(d.configs[i]));
    }
  }
  auto [train, test] = all.split(st.test_fraction, seed);
  n_train = train.size();
  n_test = test.size();
  if (n_train < 5 || n_test < 1)
    throw InputError(ref.dir.string(), 0, "too few training frames to train and test");
  io::WriteOptions wo;
  wo.lossless = true;
  if (!fs::exists(dir / "train.xyz")) io::write_dataset(dir / "train.xyz", train, "extxyz", wo);
  if (!fs::exists(dir / "test.xyz")) io::write_dataset(dir / "test.xyz", test, "extxyz", wo);
}

std::size_t count_species(const fs::path& cell, const std::vector<std::string>& species,
                          const std::string& symbol, double& volume) {
  io::ReadOptions ro;
  ro.species = species;
  const Dataset d = io::read_dataset(cell, "auto", ro);
  const Structure& s = d.configs.at(0).structure;
  volume = std::abs(det(s.cell));
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) n += s.symbol(i) == symbol;
  return n;
}

// The five stages over one run folder; members carry what later stages need.
class Pipeline {
 public:
  explicit Pipeline(const DemoOptions& o)
      : o_(o),
        st_(settings_for(o)),
        out_(o.out),
        data_dir_(o.data.empty() ? source_path("data/reference/" + o.compound + "-chgnet")
                                 : fs::path(o.data)) {
    res_.settings = st_;
    res_.settings_json = settings_json(st_);
    res_.compound = o.compound;
    res_.seed = o.seed;
    res_.threads = omp_get_max_threads();
    res_.data_dir = data_dir_.string();
    res_.reference_kind =
        "CHGNet 0.3.0 (pretrained universal ML potential, PBE/PBE+U Materials Project data), "
        "a stand-in for the paper's PBE+D3 AIMD: NOT DFT";
  }

  int run() {
    stage_data();
    stage_train();
    stage_md();
    stage_analyze();
    return stage_report();
  }

 private:
  std::string run_name(double T, int rep) const { return tag(T) + "_r" + std::to_string(rep); }
  std::string frozen_name() const { return "frozen_" + centre_ + "O4_" + tag(st_.mechanism_T); }
  std::string mechanism_name() const { return "mechanism_" + tag(st_.mechanism_T); }

  // (a) the reference, the manifest, the train/test split.
  void stage_data() {
    const auto t = Clock::now();
    ref_ = load_reference(data_dir_, o_.compound);
    centre_ = ref_.species.at(2);  // S or Se
    json files = json::array();
    for (const auto& f : ref_.train_files)
      files.push_back({{"file", f.filename().string()}, {"bytes", fs::file_size(f)}});
    const json manifest = {{"compound", o_.compound},        {"data", data_dir_.string()},
                           {"train_files", files},           {"seed", o_.seed},
                           {"settings", settings_json(st_)}, {"superion", SUPERION_VERSION_STRING}};
    check_manifest(out_, manifest, o_.restart);
    make_split(ref_, st_, o_.seed, out_ / "data", res_.train_configs, res_.test_configs);
    io::ReadOptions ro;
    ro.species = ref_.species;
    res_.md_atoms = io::read_dataset(ref_.start_cell, "auto", ro).configs.at(0).structure.size();
    res_.timings["data_s"] = seconds_since(t);
    pr_.say(
        "(a) %s: %zu CHGNet-labelled frames from %zu files in %s (CHGNet stand-in for the "
        "paper's AIMD, not DFT); split %zu train / %zu test (seed %llu)",
        o_.compound.c_str(), res_.train_configs + res_.test_configs, ref_.train_files.size(),
        data_dir_.string().c_str(), res_.train_configs, res_.test_configs,
        static_cast<unsigned long long>(o_.seed));
  }

  // (b) `superion train` + `superion errors` on the held-out frames.
  void stage_train() {
    const auto t = Clock::now();
    const double c0 = cpu_seconds();
    TrainStage ts;
    ts.train_data = out_ / "data" / "train.xyz";
    ts.test_data = out_ / "data" / "test.xyz";
    ts.species = ref_.species;
    ts.level = st_.level;
    ts.max_iter = st_.max_iter;
    ts.radial_basis_size = st_.radial_basis_size;
    ts.rcut = st_.rcut;
    ts.seed = o_.seed;
    ts.threads = o_.threads;
    ts.device = o_.device;
    pr_.say(
        "(b) training an MTP of level %d (energy:force:stress = 1:0.01:0.001, at most %d "
        "iterations)%s",
        st_.level, st_.max_iter,
        fs::exists(out_ / "train" / "done.json") ? " (checking the earlier run)" : "");
    res_.train = run_train_stage(ts, out_ / "train");
    res_.timings["train_s"] = seconds_since(t);
    res_.timings["train_cpu_s"] = cpu_seconds() - c0;
    const json& te = res_.train.test_errors;
    const PaperValues p = paper_values(o_.compound);
    pr_.say(
        "(b) %s: held-out errors energy %.3g meV/atom MAE (%.3g RMSE), forces %.3g eV/A MAE "
        "(%.3g RMSE) on %zu frames; the paper's MTP: %.3g meV/atom, %.3g eV/A",
        res_.train.reused ? "reused the trained potential" : "trained",
        te.value("energy_per_atom_mae_meV", NAN), te.value("energy_per_atom_rmse_meV", NAN),
        te.value("force_component_mae_eV_A", NAN), te.value("force_component_rmse_eV_A", NAN),
        res_.test_configs, p.mtp_energy_err_meV_atom, p.mtp_force_err_eV_A);
  }

  // Every MD run of the mode: the plan's replicas, the mechanism run, the frozen-SO4 run.
  std::vector<MdJob> md_jobs() const {
    std::vector<MdJob> jobs;
    std::uint64_t k = 0;
    for (const auto& p : st_.plan)
      for (int rep = 0; rep < p.replicas; ++rep, ++k) {
        MdJob j;
        j.name = run_name(p.T, rep);
        j.T = p.T;
        j.lattice = ref_.lattice_at(p.T);
        j.production_ps = p.ps;
        j.frame_interval_ps = st_.frame_interval_ps;
        j.seed = o_.seed * 1000 + k;
        jobs.push_back(j);
      }
    MdJob mech;
    mech.name = mechanism_name();
    mech.T = st_.mechanism_T;
    mech.lattice = ref_.lattice_at(st_.mechanism_T);
    mech.production_ps = st_.mechanism_ps;
    mech.frame_interval_ps = st_.mechanism_frame_ps;
    mech.velocities = true;
    mech.seed = o_.seed * 1000 + 900;
    jobs.push_back(mech);
    if (st_.frozen_run) {
      MdJob fr = mech;
      fr.name = frozen_name();
      fr.frame_interval_ps = st_.frame_interval_ps;
      fr.velocities = false;
      fr.freeze_rotation = centre_ + "O4";
      fr.seed = o_.seed * 1000 + 901;
      jobs.push_back(fr);
    }
    return jobs;
  }

  // (c) md::run_md per job, with an ETA from the measured speed.
  void stage_md() {
    const auto t = Clock::now();
    const double c0 = cpu_seconds();
    MdContext ctx;
    ctx.potential = res_.train.potential;
    ctx.domain = out_ / "data" / "train.xyz";
    ctx.start_cell = ref_.start_cell;
    ctx.a0 = ref_.a0;
    ctx.species = ref_.species;
    ctx.timestep_ps = st_.timestep_ps;
    ctx.tdamp_ps = st_.tdamp_ps;
    ctx.equilibration_ps = st_.equilibration_ps;
    ctx.thermostat = st_.thermostat;
    // 70 atoms: a second OpenMP thread gains nothing in MD (and loses much on a shared machine).
    ctx.threads = o_.threads > 0 ? o_.threads : 1;
    ctx.device = o_.device;
    const std::vector<MdJob> jobs = md_jobs();
    auto steps_of = [&](const MdJob& j) {
      return (st_.equilibration_ps + j.production_ps) / st_.timestep_ps;
    };
    double total_steps = 0;
    for (const auto& j : jobs) total_steps += steps_of(j);
    pr_.say(
        "(c) NVT MD (%s, tdamp %g ps, dt %g fs) of the reference's defective 2x2x2 cell (%zu "
        "atoms) at its zero-pressure lattice parameter per T; %zu runs, %.0f ps in all "
        "(equilibration %g ps each), `md --domain` wall at the training data's shortest "
        "distances",
        st_.thermostat.c_str(), st_.tdamp_ps, st_.timestep_ps * 1e3, res_.md_atoms, jobs.size(),
        total_steps * st_.timestep_ps, st_.equilibration_ps);
    double done_steps = 0, run_seconds = 0, run_steps = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const MdJob& j = jobs[i];
      const MdJobResult r = run_md_job(j, ctx, out_ / "md");
      done_steps += steps_of(j);
      if (!r.reused && r.ok) run_seconds += r.seconds, run_steps += steps_of(j);
      if (run_steps > 0) pr_.eta((total_steps - done_steps) * run_seconds / run_steps);
      if (!r.ok) res_.notes.push_back("MD " + j.name + " failed: " + r.error);
      pr_.say(
          "(c) %zu/%zu %s (%g K, a = %.4f A, %g ps%s): %s%s, mean T %.0f K, wall energy max "
          "%.3g eV, %.3g atom*step/s",
          i + 1, jobs.size(), j.name.c_str(), j.T, j.lattice, j.production_ps,
          j.freeze_rotation.empty() ? "" : (", frozen " + j.freeze_rotation).c_str(),
          r.ok ? "done" : "FAILED", r.reused ? " (from the earlier run)" : "", r.mean_temperature_K,
          r.max_wall_energy_eV, r.atom_steps_per_s);
      md_[j.name] = r;
    }
    res_.timings["md_s"] = seconds_since(t);
    res_.timings["md_cpu_s"] = cpu_seconds() - c0;
    pr_.eta(-1);
  }

  // One temperature of the plan: its replicas' D, status, MD statistics and C_l(t).
  TemperatureRow plan_row(const MdPlanEntry& p, const fs::path& adir) {
    TemperatureRow row;
    row.T = p.T;
    row.in_plan = true;
    row.replicas_planned = p.replicas;
    std::vector<RunDiffusion> runs;
    double tsum = 0, tn = 0;
    for (int rep = 0; rep < p.replicas; ++rep) {
      const std::string name = run_name(p.T, rep);
      const MdJobResult& r = md_.at(name);
      if (!r.ok) {
        ++row.replicas_failed;
        continue;
      }
      RunDiffusion d = analyze_run(r.traj, name, p.T, st_.equilibration_ps, centre_, adir);
      if (!d.ok) res_.notes.push_back("diffusion analysis of " + name + " failed: " + d.error);
      runs.push_back(std::move(d));
      if (std::isfinite(r.mean_temperature_K)) tsum += r.mean_temperature_K, ++tn;
      row.max_wall_energy_eV = std::max(row.max_wall_energy_eV, r.max_wall_energy_eV);
      row.max_violation_A = std::max(row.max_violation_A, r.max_violation_A);
      row.md_seconds += r.seconds;
      row.atom_steps_per_s = r.atom_steps_per_s;
    }
    row.mean_temperature_K = tn > 0 ? tsum / tn : NAN;
    row.mtp = combine(runs);
    if (row.replicas_failed == p.replicas)
      row.status = "MD failed";
    else if (row.mtp.diffusive)
      row.status = "diffusive";
    else
      row.status = "not diffusive (" + std::to_string(row.mtp.hop_events) +
                   " Na hop events, need " + std::to_string(kMinHops) + ")";
    const MdJobResult& first = md_.at(run_name(p.T, 0));
    if (first.ok) {
      try {
        row.rotation = reorientation_of(first.traj, st_.equilibration_ps, centre_);
        row.have_rotation = true;
      } catch (const Error& e) {
        res_.notes.push_back("reorientation at " + tag(p.T) + " failed: " + e.what());
      }
    }
    return row;
  }

  // The mechanism run's analyses and D(free) / D(frozen rotation).
  void mechanism(const fs::path& adir) {
    const MdJobResult& mr = md_.at(mechanism_name());
    if (!mr.ok) return;
    const double T = st_.mechanism_T, skip = st_.equilibration_ps;
    try {
      res_.mechanism = mechanism_of(mr.traj, T, skip, centre_, adir / "mechanism");
      const RunDiffusion f = analyze_run(mr.traj, mechanism_name(), T, skip, centre_, adir);
      res_.mechanism["free_D_cm2_s"] = f.ok ? json(f.d.D) : json(nullptr);
      res_.mechanism["free_D_err_cm2_s"] = f.ok ? json(f.d.D_err) : json(nullptr);
      res_.mechanism["free_hop_events"] = f.hop_events;
      if (!st_.frozen_run || !md_.at(frozen_name()).ok) return;
      const RunDiffusion z =
          analyze_run(md_.at(frozen_name()).traj, frozen_name(), T, skip, centre_, adir);
      res_.mechanism["frozen"] = {
          {"freeze", centre_ + "O4"},
          {"D_cm2_s", z.ok ? json(z.d.D) : json(nullptr)},
          {"D_err_cm2_s", z.ok ? json(z.d.D_err) : json(nullptr)},
          {"hop_events", z.hop_events},
          {"max_msd_A2", z.max_msd_A2},
          {"D_free_over_frozen", z.ok && f.ok && z.d.D > 0 ? json(f.d.D / z.d.D) : json(nullptr)}};
    } catch (const Error& e) {
      res_.notes.push_back(std::string("mechanism analysis failed: ") + e.what());
    }
  }

  // (d) diffusion per temperature (MTP and reference), comparison, Arrhenius fits, mechanism.
  void stage_analyze() {
    const auto t = Clock::now();
    const fs::path adir = out_ / "analysis";
    fs::create_directories(adir);
    std::map<double, TemperatureRow> rows;
    for (const auto& p : st_.plan) rows[p.T] = plan_row(p, adir);
    std::map<double, std::vector<RunDiffusion>> by_T;  // the reference, same estimator
    for (const auto& tr : ref_.teacher) {
      const std::string name = "reference_" + run_name(tr.T, tr.replica);
      RunDiffusion d = analyze_run(tr.file, name, tr.T, 0.0, centre_, adir);
      if (!d.ok) res_.notes.push_back("analysis of " + tr.file.string() + " failed: " + d.error);
      by_T[tr.T].push_back(std::move(d));
    }
    for (auto& [T, runs] : by_T) {
      TemperatureRow& row = rows[T];
      row.T = T;
      row.have_teacher = true;
      row.teacher = combine(runs);
      if (!row.in_plan) row.status = "reference only";
      if (row.in_plan && row.mtp.diffusive && row.teacher.diffusive)
        row.agreement = compare_D(row.mtp, row.teacher);
    }
    if (ref_.teacher.empty())
      res_.notes.push_back(
          "the reference folder has no diffusion trajectories: no MTP-vs-reference comparison");
    std::vector<TemperatureD> mtp_T, ref_T;
    for (auto& [T, row] : rows) {
      if (row.in_plan) mtp_T.push_back(row.mtp);
      if (row.have_teacher) ref_T.push_back(row.teacher);
      res_.rows.push_back(row);
    }
    // sigma(300 K): Na count and volume of the reference cell at a(300 K).
    double v0 = 0;
    const std::size_t n_na = count_species(ref_.start_cell, ref_.species, "Na", v0);
    const double v300 = v0 * std::pow(ref_.lattice_at(300.0) / ref_.a0, 3);
    const double ne300 = analysis::nernst_einstein_factor(n_na, v300, 1.0, 300.0);
    res_.mtp_fit = arrhenius_of(mtp_T, ne300, st_.resolve_rel_err, out_ / "arrhenius.json");
    res_.teacher_fit =
        arrhenius_of(ref_T, ne300, st_.resolve_rel_err, adir / "reference_arrhenius.json");
    res_.teacher_committed = read_json_or_null(ref_.dir / "teacher_diffusion.json");
    mechanism(adir);
    res_.timings["analysis_s"] = seconds_since(t);
    for (const auto& row : res_.rows) {
      if (!row.in_plan) continue;
      std::string line = row.status + "; D(MTP) = ";
      line += row.mtp.diffusive ? g3(row.mtp.D) + " +- " + g3(row.mtp.D_err) + " cm^2/s"
                                : "not shown (no diffusion)";
      if (row.have_teacher && row.teacher.diffusive) {
        line += ", reference " + g3(row.teacher.D) + " +- " + g3(row.teacher.D_err);
        if (row.mtp.diffusive)
          line += std::string(", z = ") + g3(row.agreement.z) +
                  (row.agreement.agree ? " (agree)" : " (DISAGREE)");
      }
      pr_.say("(d) %g K: %s; max wall energy %.3g eV", row.T, line.c_str(), row.max_wall_energy_eV);
    }
  }

  // (e) summary.json, CSV, plots, the closing lines; returns the exit status.
  int stage_report() {
    const auto t = Clock::now();
    res_.md_protocol = {
        {"cell", "the reference's defective 2x2x2 cell (one Na + halide Schottky pair)"},
        {"atoms", res_.md_atoms},
        {"lattice", "zero-pressure lattice parameter of the reference at each T"},
        {"thermostat", st_.thermostat},
        {"tdamp_ps", st_.tdamp_ps},
        {"timestep_ps", st_.timestep_ps},
        {"equilibration_ps", st_.equilibration_ps},
        {"frame_interval_ps", st_.frame_interval_ps},
        {"domain_wall", "superion md --domain data/train.xyz"}};
    res_.timings["report_s"] = 0;
    res_.timings["total_s"] = pr_.elapsed();
    write_report(res_, out_);  // the plots read it
    if (o_.plots) {
      const fs::path scripts = o_.scripts.empty() ? source_path("scripts") : fs::path(o_.scripts);
      res_.plots = make_plots(out_, scripts, res_.notes);
    } else {
      res_.notes.push_back("PNG plots switched off (--no-plots)");
    }
    res_.timings["report_s"] = seconds_since(t);
    res_.timings["total_s"] = pr_.elapsed();
    res_.timings["total_cpu_s"] = cpu_seconds();
    const int status = write_report(res_, out_);

    const ArrheniusSummary& a = res_.mtp_fit;
    if (a.fitted && a.resolved)
      pr_.say(
          "(e) Ea = %.3f +- %.3f eV (MTP-MD, %zu temperatures); D(300 K) = %.3g +- %.2g "
          "cm^2/s, sigma(300 K) = %.3g +- %.2g mS/cm",
          a.fit.Ea_eV, a.fit.Ea_err_eV, a.temperatures_used.size(), a.D300, a.D300_err, a.sigma300,
          a.sigma300_err);
    else
      pr_.say("(e) Ea NOT RESOLVED: %s%s", a.reason.c_str(),
              a.fitted ? (" (the fit gave " + g3(a.fit.Ea_eV) + " +- " + g3(a.fit.Ea_err_eV) +
                          " eV: not a result)")
                             .c_str()
                       : "");
    const ArrheniusSummary& r = res_.teacher_fit;
    if (r.fitted)
      pr_.say(
          "(e) reference (CHGNet MD): Ea = %.3f +- %.3f eV, D(300 K) = %.3g +- %.2g cm^2/s, "
          "sigma(300 K) = %.3g +- %.2g mS/cm (extrapolated from %zu temperatures)",
          r.fit.Ea_eV, r.fit.Ea_err_eV, r.D300, r.D300_err, r.sigma300, r.sigma300_err,
          r.temperatures_used.size());
    const PaperValues p = paper_values(o_.compound);
    pr_.say("(e) paper (%s): Ea %.3g eV (AIMD)%s, sigma(300 K) %.3g mS/cm", p.citation,
            p.Ea_aimd_eV,
            std::isfinite(p.Ea_mtp_eV) ? (", " + g3(p.Ea_mtp_eV) + " eV (MTP-MD)").c_str() : "",
            p.sigma300_mS_cm);
    pr_.say("done in %s (CPU %s): %s/summary.json, %zu plots; exit status %d (%s)",
            duration_hms(pr_.elapsed()).c_str(), duration_hms(cpu_seconds()).c_str(),
            out_.string().c_str(), res_.plots.size(), status,
            status == kExitResolved ? "Ea resolved" : "Ea not resolved");
    for (const auto& n : res_.notes) std::printf("  note: %s\n", n.c_str());
    return status;
  }

  const DemoOptions& o_;
  const DemoSettings st_;
  const fs::path out_, data_dir_;
  Progress pr_;
  DemoResults res_;
  Reference ref_;
  std::string centre_;
  std::map<std::string, MdJobResult> md_;
};

}  // namespace

int run_demo(const DemoOptions& o) {
  if (o.threads > 0) omp_set_num_threads(o.threads);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  return Pipeline(o).run();
}

}  // namespace superion::demo
