// The learn-on-the-fly loop; see learn_loop.hpp.
#include "learn_loop.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "active_set_source.hpp"
#include "als_file.hpp"
#include "calculators/calculator.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "io/cfg.hpp"
#include "io/extxyz.hpp"
#include "io/formats.hpp"
#include "labeling.hpp"
#include "md_run.hpp"
#include "md_setup.hpp"
#include "mtp/error_metrics.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "self_process.hpp"
#include "simulation.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string fmt(const char* f, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

// Settings that define the run: a resumed run must have the same ones.
json settings_json(const LearnOptions& o) {
  return json{{"train", fs::absolute(o.train).string()},
              {"valid", o.valid.empty() ? "" : fs::absolute(o.valid).string()},
              {"species", o.species},
              {"init", o.init.empty() ? "" : fs::absolute(o.init).string()},
              {"level", o.level},
              {"train_args", o.train_args},
              {"structure", fs::absolute(o.structure).string()},
              {"supercell", o.supercell},
              {"temperatures", o.temperatures},
              {"strains", o.strains},
              {"replicas", o.replicas},
              {"time_ps", o.time_ps},
              {"timestep_ps", o.timestep_ps},
              {"tdamp_ps", o.tdamp_ps},
              {"thermostat", o.thermostat},
              {"seed", o.seed},
              {"grade_every", o.grade_every},
              {"grade_threshold", o.grade_threshold},
              {"grade_break", o.grade_break},
              {"grade_mode", o.grade_mode},
              {"grade_scope", o.grade_scope},
              {"max_new", o.max_new},
              {"calculator", o.calculator},
              {"attempts", o.attempts}};
}

void write_text(const fs::path& p, const std::string& text) {
  AtomicFile f(p);
  f.stream() << text;
  f.commit();
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Run {
 public:
  explicit Run(const LearnOptions& o) : o_(o), out_(o.out) {}

  LearnResult run();

 private:
  fs::path iter_dir(int k) const {
    char b[32];
    std::snprintf(b, sizeof b, "iter_%03d", k);
    return out_ / b;
  }
  fs::path train_file(int k) const {
    char b[32];
    std::snprintf(b, sizeof b, "train_%03d.xyz", k);
    return out_ / b;
  }
  fs::path potential(int k) const { return iter_dir(k) / "pot.mtp"; }

  Dataset read(const fs::path& p) const {
    io::ReadOptions ro;
    ro.species = o_.species;
    return io::read_dataset(p, "auto", ro);
  }
  void write(const fs::path& p, const Dataset& d) const {
    io::WriteOptions wo;
    wo.lossless = true;
    wo.species = o_.species;
    io::write_dataset(p, d, "auto", wo);
  }

  void save_state() const {
    write_text(out_ / "learn.json", json{{"settings", settings_json(o_)},
                                         {"iteration", iteration_},
                                         {"stage", stage_},
                                         {"row", row_},
                                         {"history", history_}}
                                            .dump(1) +
                                        "\n");
  }
  void done(const std::string& stage) {
    stage_ = stage;
    save_state();
  }
  void log(const std::string& line) const {
    std::printf("[learn] %s\n", line.c_str());
    std::fflush(stdout);
  }

  void setup();
  void train(int k);
  void build_active_set(int k);
  bool run_md(int k);  // true: converged
  void select(int k);
  void label(int k);
  void merge(int k);
  void finish_row();
  void write_history() const;
  void plot_history();

  const LearnOptions& o_;
  fs::path out_;
  int iteration_ = 0;
  std::string stage_ = "start";
  json row_ = json::object();  // the running iteration's history row
  json history_ = json::array();
  std::vector<std::string> start_structures_;  // per strain
  std::unique_ptr<Calculator> calc_;
  int plotter_ = -1;  // -1: not yet looked for; 0: no matplotlib or no script; 1: usable
};

void Run::setup() {
  fs::create_directories(out_);
  const fs::path state = out_ / "learn.json";
  if (fs::exists(state)) {
    json j;
    try {
      j = json::parse(read_text(state));
    } catch (const std::exception& e) {
      throw InputError(state.string(), 0, std::string("unreadable state: ") + e.what());
    }
    if (j.value("settings", json()) != settings_json(o_))
      throw InputError(state.string(), 0,
                       "this folder holds a learn run with other settings: use a new --out, or "
                       "the same options to continue it");
    iteration_ = j.value("iteration", 0);
    stage_ = j.value("stage", std::string("start"));
    row_ = j.value("row", json::object());
    history_ = j.value("history", json::array());
    log("continuing " + out_.string() + " at iteration " + std::to_string(iteration_) +
        " after stage '" + stage_ + "'");
  }
  calc_ = make_calculator(o_.calculator);
  // Start structures, one per strain.
  Dataset start = read(o_.structure);
  if (start.size() == 0) throw InputError(o_.structure, 0, "no structure");
  Structure s = start.configs.front().structure;
  if (!s.periodic()) throw InputError(o_.structure, 0, "the MD start structure must be periodic");
  if (s.species_symbols.empty()) s.species_symbols = o_.species;
  s = md::make_supercell(s, o_.supercell);
  fs::create_directories(out_ / "structures");
  for (double e : o_.strains) {
    if (!(e > -0.5 && e < 0.5)) throw InputError("--strains", 0, "strains must be within ±0.5");
    Structure x = s;
    x.cell = (1.0 + e) * x.cell;
    for (auto& p : x.positions) p = (1.0 + e) * p;
    const fs::path f = out_ / "structures" / ("start" + fmt("_s%+.3f", e) + ".xyz");
    Dataset d;
    d.configs.emplace_back();
    d.configs.back().structure = x;
    d.species = o_.species;
    if (!fs::exists(f)) write(f, d);
    start_structures_.push_back(f.string());
  }
  if (stage_ == "start") {
    const Dataset t = read(o_.train);
    if (t.size() == 0) throw InputError(o_.train, 0, "no training configurations");
    for (std::size_t k = 0; k < t.size(); ++k)
      if (!t.configs[k].energy || !t.configs[k].forces)
        throw InputError(o_.train, 0,
                         "configuration " + std::to_string(k + 1) +
                             " has no energy or forces: label it first (superion label)");
    write(train_file(0), t);
    iteration_ = 0;
    row_ = json::object();
    done("merge");  // train_000 exists: iteration 0 begins with training
  }
}

void Run::train(int k) {
  const fs::path dir = iter_dir(k);
  fs::create_directories(dir);
  const auto t0 = Clock::now();
  const fs::path ckpt = dir / "pot.mtp.ckpt";
  std::string species;
  for (const auto& s : o_.species) species += (species.empty() ? "" : ",") + s;
  std::vector<std::string> args{"train",
                                "--data",
                                fs::absolute(train_file(k)).string(),
                                "--species",
                                species,
                                "-o",
                                fs::absolute(potential(k)).string(),
                                "--checkpoint",
                                fs::absolute(ckpt).string(),
                                "--checkpoint-every",
                                "10",
                                "--threads",
                                std::to_string(o_.threads)};
  if (fs::exists(ckpt)) {
    args.insert(args.end(), {"--resume", fs::absolute(ckpt).string()});
  } else if (k > 0) {
    args.insert(args.end(), {"--init", fs::absolute(potential(k - 1)).string()});
  } else if (!o_.init.empty()) {
    args.insert(args.end(), {"--init", fs::absolute(o_.init).string()});
  } else {
    args.insert(args.end(), {"--level", std::to_string(o_.level)});
  }
  // The selected configurations are the ones the potential must learn: fit all of them (the
  // last iterate, as MLIP's loop), unless the train arguments choose a validation set themselves.
  bool own_validation = false;
  for (const auto& s : o_.train_args) own_validation = own_validation || s.rfind("--valid", 0) == 0;
  if (!own_validation) args.insert(args.end(), {"--valid-fraction", "0"});
  args.insert(args.end(), o_.train_args.begin(), o_.train_args.end());
  const Dataset t = read(train_file(k));
  log("iteration " + std::to_string(k) + ": training on " + std::to_string(t.size()) +
      " configurations (log " + (dir / "train.log").string() + ")");
  const CommandOutcome r = run_self(args, dir, dir / "train.log");
  if (!r.ok() || !fs::exists(potential(k)))
    throw Error("training failed with " + r.describe() + "; see " + (dir / "train.log").string() +
                ":\n" + file_tail(dir / "train.log"));
  const ErrorReport e = evaluate_errors(MtpEvaluator(read_mtp(potential(k))), t);
  row_ = json{{"iteration", k},
              {"train_configs", t.size()},
              {"train_atoms", t.total_atoms()},
              {"train_e_rmse_meV_atom", 1e3 * e.energy_pa_rmse},
              {"train_f_rmse_eV_A", e.force_component_rmse},
              {"seconds_train", seconds_since(t0)}};
  if (!o_.valid.empty()) {
    const ErrorReport v = evaluate_errors(MtpEvaluator(read_mtp(potential(k))), read(o_.valid));
    row_["valid_e_rmse_meV_atom"] = 1e3 * v.energy_pa_rmse;
    row_["valid_f_rmse_eV_A"] = v.force_component_rmse;
  }
  log("iteration " + std::to_string(k) + ": trained in " + fmt("%.0f s", seconds_since(t0)) +
      "; training errors " + fmt("%.3g meV/atom", 1e3 * e.energy_pa_rmse) + ", " +
      fmt("%.3g eV/A", e.force_component_rmse));
  done("train");
}

void Run::build_active_set(int k) {
  const Mtp pot = read_mtp(potential(k));
  ActiveSetSource src;
  src.path = train_file(k).string();
  src.mode = o_.grade_mode;
  src.species = o_.species;
  const ActiveSet set = load_active_set(pot, potential(k).string(), src, true);
  write_als(iter_dir(k) / "state.als", set);
  row_["als_rows_with_data"] = set.size() - set.placeholder_rows();
  row_["als_rows"] = set.size();
  log("iteration " + std::to_string(k) + ": active set (" + o_.grade_mode +
      " rows): " + std::to_string(set.size() - set.placeholder_rows()) + " of " +
      std::to_string(set.size()) + " rows hold configurations");
  done("als");
}

bool Run::run_md(int k) {
  const fs::path dir = iter_dir(k) / "md";
  fs::create_directories(dir);
  const auto t0 = Clock::now();
  const std::int64_t steps = std::llround(o_.time_ps / o_.timestep_ps);
  int n_rep = 0, completed = 0, from_start = 0;
  double reached_ps = 0.0, max_grade = 0.0;
  long above = 0;
  double grade_seconds = 0.0, md_seconds = 0.0;
  std::string failures;
  std::uint64_t seed = o_.seed + 1000ull * static_cast<std::uint64_t>(k);
  for (std::size_t si = 0; si < o_.strains.size(); ++si)
    for (double T : o_.temperatures)
      for (int r = 0; r < o_.replicas; ++r, ++seed, ++n_rep) {
        const std::string name =
            "T" + fmt("%g", T) + fmt("_s%+.3f", o_.strains[si]) + "_r" + std::to_string(r);
        const fs::path rec = dir / (name + ".json");
        json j;
        if (fs::exists(rec)) {
          j = json::parse(read_text(rec));
        } else {
          // Relay: a replica that the previous iteration stopped by its grade continues from
          // that configuration (now in the training set, graded by the new potential), so the
          // exploration front advances from iteration to iteration. A replica that ran to the end
          // or failed starts again from the start structure; only replicas that started there
          // count for convergence.
          fs::path relay;
          std::int64_t relay_step = 0;
          if (k > 0) {
            const fs::path prev = iter_dir(k - 1) / "md" / (name + ".json");
            const fs::path ckpt = iter_dir(k - 1) / "md" / (name + ".ckpt");
            if (fs::exists(prev) && fs::exists(ckpt)) {
              const json p = json::parse(read_text(prev));
              relay_step = p.value("end_step", std::int64_t{0});
              if (p.value("stop", std::string()).rfind("extrapolation grade", 0) == 0 &&
                  relay_step < steps)
                relay = ckpt;
            }
          }
          md::MdRunOptions m;
          if (!relay.empty()) m.resume = relay.string();
          m.potential = potential(k).string();
          m.structure = start_structures_[si];
          m.species = o_.species;
          m.temperature = T;
          // A potential that heats up far beyond its thermostat has left physics; stop it before
          // its configurations become absurd (their candidates would be chosen first by MaxVol).
          m.max_temperature = 2.0 * T + 500.0;
          m.timestep_ps = o_.timestep_ps;
          m.steps = steps;
          m.thermostat = o_.thermostat;
          m.tdamp_ps = o_.tdamp_ps;
          m.seed = seed;
          m.thermo_csv = (dir / (name + ".thermo.csv")).string();
          m.thermo_every = std::max<std::int64_t>(1, std::llround(0.1 / o_.timestep_ps));
          m.checkpoint = (dir / (name + ".ckpt")).string();
          m.dump_xyz = (dir / (name + ".traj.xyz")).string();  // a frame every 0.1 ps
          m.dump_every = m.thermo_every;
          m.threads = o_.threads;
          m.quiet = true;
          // The MaxVol grade is this loop's measure of extrapolation: leaving the training data's
          // pair-distance range is what the replicas are here to find, not a reason to stop.
          m.outside_domain = "off";
          m.grading.source = (iter_dir(k) / "state.als").string();
          m.grading.scope = o_.grade_scope;
          m.grading.every = o_.grade_every;
          m.grading.threshold = o_.grade_threshold;
          m.grading.break_at = o_.grade_break;
          m.grading.selected = (dir / (name + ".selected.cfg")).string();
          const auto r0 = Clock::now();
          try {
            const md::MdRunResult res = md::run_md(m).front();
            j = json{{"steps", res.steps_done},
                     {"time_ps", res.steps_done * o_.timestep_ps},
                     {"from_start", relay.empty()},
                     {"end_step", res.last.step},
                     {"completed", res.last.step >= steps && res.stop_reason.empty()},
                     {"stop", res.stop_reason},
                     {"max_grade", res.grading.max_grade},
                     {"above_threshold", res.grading.above_threshold},
                     {"grade_seconds", res.grading.seconds},
                     {"seconds", seconds_since(r0)}};
          } catch (const md::SimulationError& e) {
            // The run failed physically (atoms too close, T blow-up): its preselected
            // configurations are kept; how far it got is in its thermo log.
            double t_last = 0.0;
            std::ifstream th(m.thermo_csv);
            std::string line, last;
            while (std::getline(th, line))
              if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) last = line;
            if (!last.empty()) t_last = std::atof(last.substr(last.find(',') + 1).c_str());
            j = json{{"steps", std::llround(t_last / o_.timestep_ps)},
                     {"time_ps", t_last},
                     {"from_start", relay.empty()},
                     {"end_step", std::llround(t_last / o_.timestep_ps)},
                     {"completed", false},
                     {"stop", std::string("MD failed: ") + e.what()},
                     {"max_grade", nullptr},
                     {"above_threshold", 0},
                     {"grade_seconds", 0.0},
                     {"seconds", seconds_since(r0)}};
          }
          write_text(rec, j.dump(1) + "\n");
        }
        const bool ok = j.value("completed", false);
        completed += ok;
        from_start += j.value("from_start", true) && ok;
        const double end_ps = j.value("end_step", std::int64_t{0}) * o_.timestep_ps;
        reached_ps += end_ps;  // where the (relayed) trajectory has got to
        if (j["max_grade"].is_number())
          max_grade = std::max(max_grade, j["max_grade"].get<double>());
        above += j.value("above_threshold", 0L);
        grade_seconds += j.value("grade_seconds", 0.0);
        md_seconds += j.value("seconds", 0.0);
        if (!ok) failures += "\n    " + name + ": " + j.value("stop", std::string());
        log("iteration " + std::to_string(k) + ": MD " + name +
            (j.value("from_start", true) ? " from the start: " : " relayed: ") +
            fmt("%.4g ps", j.value("time_ps", 0.0)) + fmt(" (t = %.4g ps)", end_ps) +
            ", largest grade " +
            (j["max_grade"].is_number() ? fmt("%.4g", j["max_grade"].get<double>()) : "-") +
            (ok ? "" : "; " + j.value("stop", std::string())));
      }
  row_["md_replicas"] = n_rep;
  row_["md_completed"] = completed;
  row_["md_time_ps"] = reached_ps;
  row_["md_time_requested_ps"] = n_rep * steps * o_.timestep_ps;
  row_["max_grade"] = max_grade;
  row_["preselected"] = above;
  row_["seconds_md"] = seconds_since(t0);
  row_["grading_fraction"] = md_seconds > 0 ? grade_seconds / md_seconds : 0.0;
  row_["md_completed_from_start"] = from_start;
  const bool converged = from_start == n_rep && max_grade <= o_.grade_threshold;
  log("iteration " + std::to_string(k) + ": MD " + std::to_string(completed) + "/" +
      std::to_string(n_rep) + " replicas ran the whole " + fmt("%g ps", o_.time_ps) +
      ", largest grade " + fmt("%.4g", max_grade) + ", " + std::to_string(above) +
      " configurations above " + fmt("%g", o_.grade_threshold) +
      (failures.empty() ? "" : "; stopped:" + failures));
  done(converged ? "converged" : "md");
  return converged;
}

void Run::select(int k) {
  const fs::path dir = iter_dir(k);
  Dataset cand;
  cand.species = o_.species;
  for (const auto& e : fs::directory_iterator(dir / "md")) {
    const std::string n = e.path().filename().string();
    if (n.size() > 13 && n.substr(n.size() - 13) == ".selected.cfg") {
      Dataset d = io::read_cfg(e.path());
      for (auto& c : d.configs) {  // the replica's name, for a reproducible order below
        c.features.erase(std::remove_if(c.features.begin(), c.features.end(),
                                        [](const auto& kv) { return kv.first == "md_replica"; }),
                         c.features.end());
        c.features.emplace_back("md_replica", n.substr(0, n.size() - 13));
        cand.configs.push_back(std::move(c));
      }
    }
  }
  // A replica that failed physically (blow-up) before any grade passed the threshold offers its
  // last trajectory frame (at most 0.1 ps before the failure) as a candidate.
  for (const auto& e : fs::directory_iterator(dir / "md")) {
    const std::string n = e.path().filename().string();
    if (n.size() < 6 || n.substr(n.size() - 5) != ".json") continue;
    const json j = json::parse(read_text(e.path()));
    const std::string stem = n.substr(0, n.size() - 5);
    const fs::path traj = dir / "md" / (stem + ".traj.xyz");
    if (j.value("stop", std::string()).rfind("MD failed", 0) != 0 || !fs::exists(traj)) continue;
    Dataset t = read(traj);
    if (t.size() == 0) continue;
    Configuration c = t.configs.back();
    c.features.clear();
    c.features.emplace_back("md_replica", stem);
    c.features.emplace_back("md_step", "-1");
    cand.configs.push_back(std::move(c));
  }
  // Directory order is arbitrary: sort by replica and step for a reproducible selection.
  auto key = [](const Configuration& c) {
    std::string rep, step;
    for (const auto& [k, v] : c.features) {
      if (k == "md_replica") rep = v;
      if (k == "md_step") step = v;
    }
    return std::make_pair(rep, std::atol(step.c_str()));
  };
  std::stable_sort(cand.configs.begin(), cand.configs.end(),
                   [&](const Configuration& a, const Configuration& b) { return key(a) < key(b); });
  // At most kPerReplica candidates per replica, evenly spaced in time and always including the
  // last (the one that stopped the run): consecutive MD steps are nearly the same configuration,
  // and the candidate matrix (72 rows per configuration in nbh mode) must stay small.
  constexpr std::size_t kPerReplica = 50;
  Dataset thinned;
  thinned.species = cand.species;
  for (std::size_t b = 0; b < cand.size();) {
    std::size_t e = b;
    while (e < cand.size() && key(cand.configs[e]).first == key(cand.configs[b]).first) ++e;
    const std::size_t n = e - b;
    for (std::size_t m = 0; m < std::min(n, kPerReplica); ++m) {
      const std::size_t pick =
          n <= kPerReplica ? m : (n - 1) - (kPerReplica - 1 - m) * (n - 1) / (kPerReplica - 1);
      thinned.configs.push_back(cand.configs[b + pick]);
    }
    b = e;
  }
  if (thinned.size() < cand.size())
    log("iteration " + std::to_string(k) + ": " + std::to_string(cand.size()) +
        " preselected configurations thinned to " + std::to_string(thinned.size()) + " (at most " +
        std::to_string(kPerReplica) + " per replica, evenly spaced)");
  cand = std::move(thinned);
  for (auto& c : cand.configs) c.structure.species_symbols = o_.species;
  ActiveSet set = read_als(dir / "state.als");
  const SelectOutcome out =
      set.select_add(cand, 1.1, 1.0000001, WeightingScheme::kVibrations, o_.max_new);
  Dataset chosen;
  chosen.species = o_.species;
  for (long i : out.added) chosen.configs.push_back(cand.configs[static_cast<std::size_t>(i)]);
  write(dir / "selected.cfg", chosen);
  row_["selected"] = chosen.size();
  log("iteration " + std::to_string(k) + ": selected " + std::to_string(chosen.size()) + " of " +
      std::to_string(cand.size()) + " preselected configurations" +
      (out.limited ? " (--max-new " + std::to_string(o_.max_new) + ")" : ""));
  if (chosen.size() == 0)
    throw Error("iteration " + std::to_string(k) +
                ": MD did not converge but nothing was selected (no configuration above the "
                "threshold adds to the active set); see " +
                (dir / "md").string());
  done("select");
}

void Run::label(int k) {
  const fs::path dir = iter_dir(k);
  const auto t0 = Clock::now();
  const Dataset sel = read(dir / "selected.cfg");
  Dataset out;
  LabelOptions lo;
  lo.attempts = o_.attempts;
  lo.batch = o_.label_batch;
  lo.journal = (dir / "labelled.journal.cfg").string();
  log("iteration " + std::to_string(k) + ": labelling " + std::to_string(sel.size()) +
      " configurations with " + calc_->name());
  const LabelReport r = label_configurations(sel, *calc_, lo, out);
  for (auto& c : out.configs) {
    c.nbh_grades.reset();
    c.features.emplace_back("learn_iteration", std::to_string(k));
  }
  write(dir / "labelled.xyz", out);
  if (!r.failures.empty())
    write_text(dir / "label_failures.txt", format_failures(r, "selected.cfg"));
  fs::remove(lo.journal);
  row_["labelled"] = out.size();
  row_["label_failed"] = r.failures.size();
  row_["seconds_label"] = seconds_since(t0);
  if (out.size() > 0) {
    const ErrorReport e = evaluate_errors(MtpEvaluator(read_mtp(potential(k))), out);
    row_["new_e_rmse_meV_atom"] = 1e3 * e.energy_pa_rmse;
    row_["new_f_rmse_eV_A"] = e.force_component_rmse;
    log("iteration " + std::to_string(k) + ": errors of this potential on the new configurations " +
        fmt("%.3g meV/atom", 1e3 * e.energy_pa_rmse) + ", " +
        fmt("%.3g eV/A", e.force_component_rmse));
  }
  if (out.size() == 0)
    throw Error("iteration " + std::to_string(k) + ": no configuration could be labelled; see " +
                (dir / "label_failures.txt").string());
  done("label");
}

void Run::merge(int k) {
  Dataset t = read(train_file(k));
  const Dataset add = read(iter_dir(k) / "labelled.xyz");
  t.configs.insert(t.configs.end(), add.configs.begin(), add.configs.end());
  write(train_file(k + 1), t);
  finish_row();
  iteration_ = k + 1;
  row_ = json::object();
  done("merge");
}

void Run::finish_row() {
  history_.push_back(row_);
  write_history();
  plot_history();
}

// history.png after every finished iteration (a killed run keeps the plot of what it did),
// drawn to a temporary file and renamed so that a kill never leaves half a PNG.
void Run::plot_history() {
  if (!o_.plots || plotter_ == 0) return;
  const char* env = std::getenv("SUPERION_SCRIPTS_DIR");
  const fs::path script =
      (env ? fs::path(env) : self_executable().parent_path().parent_path() / "scripts") /
      "plot_learn.py";
  if (plotter_ < 0)
    plotter_ = fs::exists(script) && std::system(
                                         "/usr/bin/python3 -c 'import matplotlib, "
                                         "numpy' >/dev/null 2>&1") == 0
                   ? 1
                   : 0;
  if (plotter_ == 0) return;
  const fs::path png = out_ / "history.png", tmp = out_ / "history.tmp.png";
  const std::string cmd = "/usr/bin/python3 '" + script.string() + "' '" +
                          (out_ / "history.csv").string() + "' '" + tmp.string() +
                          "' >/dev/null 2>&1";
  std::error_code ec;
  if (std::system(cmd.c_str()) == 0) fs::rename(tmp, png, ec);
  fs::remove(tmp, ec);
}

void Run::write_history() const {
  static const char* cols[] = {"iteration",
                               "train_configs",
                               "train_e_rmse_meV_atom",
                               "train_f_rmse_eV_A",
                               "valid_e_rmse_meV_atom",
                               "valid_f_rmse_eV_A",
                               "als_rows_with_data",
                               "als_rows",
                               "md_replicas",
                               "md_completed",
                               "md_completed_from_start",
                               "md_time_ps",
                               "md_time_requested_ps",
                               "max_grade",
                               "preselected",
                               "selected",
                               "labelled",
                               "label_failed",
                               "new_e_rmse_meV_atom",
                               "new_f_rmse_eV_A",
                               "grading_fraction",
                               "seconds_train",
                               "seconds_md",
                               "seconds_label"};
  std::string csv;
  for (const char* c : cols) csv += std::string(csv.empty() ? "" : ",") + c;
  csv += '\n';
  for (const auto& r : history_) {
    std::string line;
    bool first = true;
    for (const char* c : cols) {
      if (!first) line += ',';
      first = false;
      if (r.contains(c) && r[c].is_number()) line += fmt("%.8g", r[c].get<double>());
    }
    csv += line + '\n';
  }
  write_text(out_ / "history.csv", csv);
  // The table for humans.
  const bool valid = !o_.valid.empty();
  std::string t =
      "| iter | train cfgs | added | max grade | MD done | MD time (ps) | train E (meV/at) | "
      "train F (eV/A) | " +
      std::string(valid ? "valid E (meV/at) | valid F (eV/A) | " : "") +
      "new-cfg E (meV/at) | new-cfg F (eV/A) |\n|---|---|---|---|---|---|---|---|---|---|" +
      (valid ? "---|---|" : "") + "\n";
  for (const auto& r : history_) {
    auto num = [&](const char* c, const char* f) {
      return r.contains(c) && r[c].is_number() ? fmt(f, r[c].get<double>()) : std::string("-");
    };
    t += "| " + num("iteration", "%.0f") + " | " + num("train_configs", "%.0f") + " | " +
         num("labelled", "%.0f") + " | " + num("max_grade", "%.4g") + " | " +
         num("md_completed", "%.0f") + "/" + num("md_replicas", "%.0f") + " | " +
         num("md_time_ps", "%.4g") + "/" + num("md_time_requested_ps", "%.4g") + " | " +
         num("train_e_rmse_meV_atom", "%.3g") + " | " + num("train_f_rmse_eV_A", "%.3g") + " | " +
         (valid ? num("valid_e_rmse_meV_atom", "%.3g") + " | " + num("valid_f_rmse_eV_A", "%.3g") +
                      " | "
                : std::string()) +
         num("new_e_rmse_meV_atom", "%.3g") + " | " + num("new_f_rmse_eV_A", "%.3g") + " |\n";
  }
  write_text(out_ / "history.md", t);
}

LearnResult Run::run() {
  setup();
  LearnResult res;
  while (true) {
    const int k = iteration_;
    if (stage_ == "converged") {
      res.converged = true;
      break;
    }
    if (stage_ == "merge") {
      if (k >= o_.max_iterations) {
        res.message = "not converged after " + std::to_string(o_.max_iterations) + " iterations";
        break;
      }
      train(k);
    }
    if (stage_ == "train") build_active_set(k);
    if (stage_ == "als" && run_md(k)) continue;
    if (stage_ == "md") select(k);
    if (stage_ == "select") label(k);
    if (stage_ == "label") merge(k);
  }
  if (res.converged) {
    const int k = iteration_;
    if (history_.empty() || history_.back().value("iteration", -1) != k) {
      finish_row();
      save_state();  // learn.json's history holds the converged iteration too
    }
    // Copied to a temporary name and renamed: a kill never leaves half a final potential.
    for (const auto& [from, to] :
         {std::pair{potential(k), out_ / "final.mtp"},
          std::pair{iter_dir(k) / "state.als", out_ / "final_state.als"}}) {
      const fs::path tmp = fs::path(to.string() + ".tmp");
      fs::copy_file(from, tmp, fs::copy_options::overwrite_existing);
      fs::rename(tmp, to);
    }
    res.final_potential = (out_ / "final.mtp").string();
    res.message = "converged at iteration " + std::to_string(k) + ": every MD replica ran " +
                  fmt("%g ps", o_.time_ps) + " with no grade above " +
                  fmt("%g", o_.grade_threshold) + "; potential " + res.final_potential;
  }
  write_history();
  res.iterations = static_cast<int>(history_.size());
  plot_history();
  if (plotter_ == 1 && fs::exists(out_ / "history.png"))
    log("history plot: " + (out_ / "history.png").string());
  log(res.message);
  return res;
}

}  // namespace

LearnResult run_learn(const LearnOptions& o) {
  if (o.out.empty()) throw InputError("--out", 0, "give the run folder");
  if (o.species.empty()) throw InputError("--species", 0, "give the element symbols in MTP order");
  if (o.calculator.empty()) throw InputError("--calculator", 0, "give the reference calculator");
  if (o.init.empty() && o.level <= 0)
    throw InputError("learn", 0, "give --init POT.mtp or --level N for the first training");
  if (!(o.time_ps > 0) || !(o.timestep_ps > 0) || o.grade_every <= 0 || o.replicas < 1 ||
      o.temperatures.empty() || o.strains.empty() || o.max_iterations < 1 || o.max_new < 0)
    throw InputError("learn", 0,
                     "--time, --timestep, --grade-every, --replicas, --max-iterations must be "
                     "positive; give at least one temperature and strain");
  return Run(o).run();
}

}  // namespace superion
