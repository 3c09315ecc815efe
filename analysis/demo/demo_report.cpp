// Report stage of `superion demo`; see demo_report.hpp.
#include "demo_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "core/atomic_file.hpp"

namespace superion::demo {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json fin(double x) {
  return std::isfinite(x) ? json(x) : json(nullptr);
}

std::string num(double x) {
  if (!std::isfinite(x)) return "";
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", x);
  return b;
}

void write_text(const fs::path& p, const std::string& text) {
  AtomicFile f(p);
  f.stream() << text;
  f.commit();
}

json temperature_json(const TemperatureD& t) {
  return {{"replicas", t.replicas},
          {"D_cm2_s", fin(t.D)},
          {"D_err_cm2_s", fin(t.D_err)},
          {"D_replicas_cm2_s", t.D_replicas},
          {"sigma_mS_cm", fin(t.D * t.ne_factor)},
          {"sigma_err_mS_cm", fin(t.D_err * t.ne_factor)},
          {"hop_events", t.hop_events},
          {"max_msd_A2", t.max_msd_A2},
          {"diffusive", t.diffusive}};
}

json fit_json(const ArrheniusSummary& a) {
  if (!a.fitted)
    return {{"fitted", false},
            {"resolved", false},
            {"reason", a.reason},
            {"temperatures_excluded", a.temperatures_excluded}};
  return {{"fitted", true},
          {"resolved", a.resolved},
          {"reason", a.reason},
          {"Ea_eV", fin(a.fit.Ea_eV)},
          {"Ea_err_eV", fin(a.fit.Ea_err_eV)},
          {"Ea_rel_err", fin(a.fit.Ea_err_eV / a.fit.Ea_eV)},
          {"prefactor_cm2_s", fin(a.fit.prefactor_cm2_s)},
          {"chi2_reduced", fin(a.fit.chi2_reduced)},
          {"weighted", a.fit.weighted},
          {"temperatures_used", a.temperatures_used},
          {"temperatures_excluded", a.temperatures_excluded},
          {"D_300K_cm2_s", fin(a.D300)},
          {"D_300K_err_cm2_s", fin(a.D300_err)},
          {"sigma_300K_mS_cm", fin(a.sigma300)},
          {"sigma_300K_err_mS_cm", fin(a.sigma300_err)}};
}

}  // namespace

int write_report(DemoResults& r, const fs::path& out) {
  const PaperValues p = paper_values(r.compound);
  const json& tj = r.train.train_json;
  const json& te = r.train.test_errors;
  json s;
  s["compound"] = r.compound;
  s["mode"] = r.settings.mode;
  s["seed"] = r.seed;
  s["threads"] = r.threads;
  s["reference"] = {{"kind", r.reference_kind}, {"dir", r.data_dir}};
  s["paper"] = {{"citation", p.citation},
                {"Ea_aimd_eV", fin(p.Ea_aimd_eV)},
                {"Ea_mtp_eV", fin(p.Ea_mtp_eV)},
                {"sigma_300K_mS_cm", fin(p.sigma300_mS_cm)},
                {"D_300K_mtp_cm2_s", fin(p.D300_mtp_cm2_s)},
                {"D_300K_aimd_cm2_s", fin(p.D300_aimd_cm2_s)},
                {"mtp_energy_err_meV_atom", fin(p.mtp_energy_err_meV_atom)},
                {"mtp_force_err_eV_A", fin(p.mtp_force_err_eV_A)}};
  s["data"] = {{"train_configurations", r.train_configs},
               {"test_configurations", r.test_configs},
               {"md_atoms", r.md_atoms}};
  s["mtp"] = {{"level", r.settings.level},
              {"max_iter", r.settings.max_iter},
              {"iterations", tj.value("iterations", 0)},
              {"stop_reason", tj.value("stop_reason", std::string())},
              {"train_command", shell_line(r.train.train_command)},
              {"errors_command", shell_line(r.train.errors_command)},
              {"train_errors", tj.value("train", json())},
              {"test_errors", te},
              {"seconds", r.train.seconds},
              {"file", "train/potential.mtp"}};
  s["test_energy_mae_meV_atom"] = te.value("energy_per_atom_mae_meV", json(nullptr));
  s["test_energy_rmse_meV_atom"] = te.value("energy_per_atom_rmse_meV", json(nullptr));
  s["test_force_mae_eV_A"] = te.value("force_component_mae_eV_A", json(nullptr));
  s["test_force_rmse_eV_A"] = te.value("force_component_rmse_eV_A", json(nullptr));
  s["settings"] = r.settings_json;
  s["md"] = r.md_protocol;

  json per = json::array(), cmp = json::array();
  int compared = 0, agreed = 0;
  for (const auto& row : r.rows) {
    json j{{"T_K", row.T}, {"in_plan", row.in_plan}, {"status", row.status}};
    if (row.in_plan) {
      j["mtp"] = temperature_json(row.mtp);
      j["replicas_planned"] = row.replicas_planned;
      j["replicas_failed"] = row.replicas_failed;
      j["mean_temperature_K"] = fin(row.mean_temperature_K);
      j["max_wall_energy_eV"] = row.max_wall_energy_eV;
      j["max_domain_violation_A"] = row.max_violation_A;
      j["md_seconds"] = row.md_seconds;
      j["md_atom_steps_per_s"] = fin(row.atom_steps_per_s);
    }
    if (row.have_teacher) j["reference"] = temperature_json(row.teacher);
    if (row.in_plan && row.have_teacher && row.mtp.diffusive && row.teacher.diffusive) {
      j["z_mtp_vs_reference"] = fin(row.agreement.z);
      j["agree_within_2sigma"] = row.agreement.agree;
      ++compared;
      agreed += row.agreement.agree;
      cmp.push_back({{"T_K", row.T},
                     {"D_mtp", fin(row.mtp.D)},
                     {"D_mtp_err", fin(row.mtp.D_err)},
                     {"D_ref", fin(row.teacher.D)},
                     {"D_ref_err", fin(row.teacher.D_err)},
                     {"z", fin(row.agreement.z)},
                     {"agree", row.agreement.agree}});
    }
    if (row.have_rotation) {
      const Reorientation& q = row.rotation;
      j["SO4"] = {{"clusters", q.clusters},
                  {"tau_C1_ps", q.tau1_reached ? json(q.tau1_ps) : json(nullptr)},
                  {"tau_C1_lower_bound_ps", q.tau1_reached ? json(nullptr) : json(q.tau1_ps)},
                  {"tau_C2_ps", q.tau2_reached ? json(q.tau2_ps) : json(nullptr)},
                  {"tau_C2_lower_bound_ps", q.tau2_reached ? json(nullptr) : json(q.tau2_ps)}};
    }
    per.push_back(j);
  }
  s["per_temperature"] = per;
  s["comparison"] = {
      {"rule", "z = (ln D_MTP - ln D_ref)/sqrt(rel_MTP^2 + rel_ref^2); agree |z| <= 2"},
      {"temperatures", cmp},
      {"compared", compared},
      {"agree", agreed},
      {"all_agree", compared > 0 && compared == agreed}};
  s["arrhenius"] = fit_json(r.mtp_fit);
  s["reference_arrhenius"] = fit_json(r.teacher_fit);
  s["reference_committed_summary"] = r.teacher_committed;
  const bool fitted = r.mtp_fit.fitted;
  s["activation_energy_eV"] = fitted ? fin(r.mtp_fit.fit.Ea_eV) : json(nullptr);
  s["activation_energy_err_eV"] = fitted ? fin(r.mtp_fit.fit.Ea_err_eV) : json(nullptr);
  s["D_300K_cm2_s"] = fitted ? fin(r.mtp_fit.D300) : json(nullptr);
  s["D_300K_err_cm2_s"] = fitted ? fin(r.mtp_fit.D300_err) : json(nullptr);
  s["sigma_300K_mS_cm"] = fitted ? fin(r.mtp_fit.sigma300) : json(nullptr);
  s["sigma_300K_err_mS_cm"] = fitted ? fin(r.mtp_fit.sigma300_err) : json(nullptr);
  s["mechanism"] = r.mechanism;
  const int status = r.mtp_fit.resolved ? kExitResolved : kExitUnresolved;
  s["exit_status"] = status;
  s["exit_status_meaning"] =
      status == kExitResolved ? "Ea resolved" : "Ea NOT resolved: " + r.mtp_fit.reason;
  s["plots"] = r.plots;
  s["timings_s"] = r.timings;
  s["notes"] = r.notes;
  write_text(out / "summary.json", s.dump(1) + "\n");

  // per_temperature.csv: one row per temperature, reference columns empty where absent.
  std::ostringstream csv;
  csv << "T_K,status,replicas,D_cm2_s,D_err_cm2_s,sigma_mS_cm,sigma_err_mS_cm,hop_events,"
         "max_msd_A2,diffusive,mean_temperature_K,max_wall_energy_eV,max_domain_violation_A,"
         "ref_D_cm2_s,ref_D_err_cm2_s,ref_replicas,ref_hop_events,z_mtp_vs_ref,tau_C1_ps,"
         "tau_C2_ps,tau_note\n";
  for (const auto& row : r.rows) {
    const bool m = row.in_plan && row.mtp.replicas > 0;
    const bool show = m && row.mtp.diffusive;  // a non-diffusive D is not data
    csv << row.T << ',' << row.status << ',' << (m ? row.mtp.replicas : 0) << ','
        << (show ? num(row.mtp.D) : "") << ',' << (show ? num(row.mtp.D_err) : "") << ','
        << (show ? num(row.mtp.D * row.mtp.ne_factor) : "") << ','
        << (show ? num(row.mtp.D_err * row.mtp.ne_factor) : "") << ','
        << (m ? std::to_string(row.mtp.hop_events) : "") << ','
        << (m ? num(row.mtp.max_msd_A2) : "") << ',' << (m && row.mtp.diffusive ? "yes" : "no")
        << ',' << (row.in_plan ? num(row.mean_temperature_K) : "") << ','
        << (row.in_plan ? num(row.max_wall_energy_eV) : "") << ','
        << (row.in_plan ? num(row.max_violation_A) : "") << ',';
    const bool t = row.have_teacher && row.teacher.diffusive;
    csv << (t ? num(row.teacher.D) : "") << ',' << (t ? num(row.teacher.D_err) : "") << ','
        << (row.have_teacher ? std::to_string(row.teacher.replicas) : "") << ','
        << (row.have_teacher ? std::to_string(row.teacher.hop_events) : "") << ','
        << (show && t ? num(row.agreement.z) : "") << ',';
    if (row.have_rotation) {
      const Reorientation& q = row.rotation;
      csv << num(q.tau1_ps) << ',' << num(q.tau2_ps) << ','
          << (q.tau1_reached && q.tau2_reached ? "1/e reached"
                                               : "lower bound: C stays above 1/e up to t_max");
    } else {
      csv << ",,";
    }
    csv << '\n';
  }
  write_text(out / "per_temperature.csv", csv.str());

  std::ostringstream e;
  e << "set,configs,energy_mae_meV_atom,energy_rmse_meV_atom,force_mae_eV_A,force_rmse_eV_A\n";
  auto err_row = [&](const char* name, const json& x) {
    if (!x.is_object()) return;
    e << name << ',' << x.value("n_configs", 0) << ','
      << num(x.value("energy_per_atom_mae_meV", NAN)) << ','
      << num(x.value("energy_per_atom_rmse_meV", NAN)) << ','
      << num(x.value("force_component_mae_eV_A", NAN)) << ','
      << num(x.value("force_component_rmse_eV_A", NAN)) << '\n';
  };
  err_row("train", tj.value("train", json()));
  if (tj.contains("valid")) err_row("valid", tj["valid"]);
  err_row("test", te);
  e << "paper,," << num(p.mtp_energy_err_meV_atom) << ",," << num(p.mtp_force_err_eV_A) << ",\n";
  write_text(out / "errors.csv", e.str());
  return status;
}

std::vector<std::string> make_plots(const fs::path& out, const fs::path& scripts,
                                    std::vector<std::string>& notes) {
  std::vector<std::string> made;
  if (std::system("/usr/bin/python3 -c 'import matplotlib, numpy' >/dev/null 2>&1") != 0) {
    notes.push_back(
        "no PNG plots: /usr/bin/python3 with matplotlib and numpy not found (apt-get install "
        "python3-matplotlib); the CSV/JSON files hold every number");
    return made;
  }
  const std::string cmd = "/usr/bin/python3 '" + (scripts / "plot_demo.py").string() + "' '" +
                          out.string() + "' > '" + (out / "plots" / "plot.log").string() + "' 2>&1";
  fs::create_directories(out / "plots");
  if (std::system(cmd.c_str()) != 0) {
    notes.push_back("plot script failed: see " + (out / "plots" / "plot.log").string());
    return made;
  }
  for (const auto& e : fs::directory_iterator(out / "plots"))
    if (e.path().extension() == ".png") made.push_back(fs::relative(e.path(), out).string());
  std::sort(made.begin(), made.end());
  return made;
}

}  // namespace superion::demo
