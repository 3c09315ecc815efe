// ErrorAccumulator and the report formatters.
#include "mtp/error_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/units.hpp"

namespace superion {

void ErrorAccumulator::add(const Configuration& ref, double energy, const std::vector<Vec3>& forces,
                           const Mat3& virial) {
  const std::size_t n = ref.size();
  ++nc_;
  na_ += n;
  if (ref.energy) {
    const double d = std::fabs(energy - *ref.energy);
    ++ne_;
    e_max_ = std::max(e_max_, d);
    e_sum_ += d;
    e_sq_ += d * d;
    const double dpa = n ? d / static_cast<double>(n) : 0.0;
    epa_max_ = std::max(epa_max_, dpa);
    epa_sum_ += dpa;
    epa_sq_ += dpa * dpa;
  }
  if (ref.forces) {
    if (forces.size() != n || ref.forces->size() != n)
      throw Error("error metrics: force arrays do not match the configuration size");
    for (std::size_t i = 0; i < n; ++i) {
      const Vec3 d = forces[i] - (*ref.forces)[i];
      const double dn = norm(d);
      ++nf_;
      f_max_ = std::max(f_max_, dn);
      f_sum_ += dn;
      f_sq_ += dn * dn;
      for (int c = 0; c < 3; ++c) {
        fc_sum_ += std::fabs(d[c]);
        fc_max_ = std::max(fc_max_, std::fabs(d[c]));
      }
      const double fr = norm((*ref.forces)[i]);
      fref_max_ = std::max(fref_max_, fr);
      fref_sq_ += fr * fr;
    }
  }
  if (ref.virial) {
    double d2 = 0, r2 = 0;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) {
        const double d = virial[a][b] - (*ref.virial)[a][b];
        d2 += d * d;
        r2 += (*ref.virial)[a][b] * (*ref.virial)[a][b];
      }
    const double dw = std::sqrt(d2);
    const double v = ref.structure.volume();
    const double dp = v > 0 ? dw * units::kMLIPEVPerA3ToGPa / v : 0.0;
    ++ns_;
    s_max_ = std::max(s_max_, dw);
    s_sum_ += dw;
    s_sq_ += dw * dw;
    p_max_ = std::max(p_max_, dp);
    p_sum_ += dp;
    p_sq_ += dp * dp;
    sref_max_ = std::max(sref_max_, std::sqrt(r2));
    sref_sq_ += r2;
  }
}

ErrorReport ErrorAccumulator::report() const {
  ErrorReport r;
  r.n_configs = nc_;
  r.n_atoms = na_;
  r.n_energy = ne_;
  if (ne_) {
    r.energy_max = e_max_;
    r.energy_mae = e_sum_ / ne_;
    r.energy_rmse = std::sqrt(e_sq_ / ne_);
    r.energy_pa_max = epa_max_;
    r.energy_pa_mae = epa_sum_ / ne_;
    r.energy_pa_rmse = std::sqrt(epa_sq_ / ne_);
  }
  r.n_force_atoms = nf_;
  if (nf_) {
    const double n = static_cast<double>(nf_);
    r.force_vector_max = f_max_;
    r.force_mlip2_average = f_sum_ / (3 * n);
    r.force_component_mae = fc_sum_ / (3 * n);
    r.force_component_rmse = std::sqrt(f_sq_ / (3 * n));
    r.force_component_max = fc_max_;
    r.force_vector_mae = f_sum_ / n;
    r.force_vector_rmse = std::sqrt(f_sq_ / n);
    r.force_rel_max = fref_max_ > 0 ? f_max_ / fref_max_ : 0.0;
    r.force_rel_rms = fref_sq_ > 0 ? std::sqrt(f_sq_ / fref_sq_) : 0.0;
  }
  r.n_stress = ns_;
  if (ns_) {
    const double k = static_cast<double>(ns_);
    r.stress_ev_max = s_max_;
    r.stress_ev_mlip2_average = s_sum_ / (9 * k);
    r.stress_ev_component_rmse = std::sqrt(s_sq_ / (9 * k));
    r.stress_ev_frob_mae = s_sum_ / k;
    r.stress_ev_frob_rmse = std::sqrt(s_sq_ / k);
    r.stress_gpa_max = p_max_;
    r.stress_gpa_mlip2_average = p_sum_ / (9 * k);
    r.stress_gpa_component_rmse = std::sqrt(p_sq_ / (9 * k));
    r.stress_gpa_frob_mae = p_sum_ / k;
    r.stress_gpa_frob_rmse = std::sqrt(p_sq_ / k);
    r.stress_rel_max = sref_max_ > 0 ? s_max_ / sref_max_ : 0.0;
    r.stress_rel_rms = sref_sq_ > 0 ? std::sqrt(s_sq_ / sref_sq_) : 0.0;
  }
  return r;
}

namespace {
void line(std::string& s, const char* fmt, double v) {
  char buf[160];
  std::snprintf(buf, sizeof buf, fmt, v);
  s += buf;
}
void count(std::string& s, const char* what, std::size_t n) {
  s += "\tErrors checked for " + std::to_string(n) + " " + what + "\n";
}
// The start of a block of MLIP-2's calc-errors report: heading, count, and the maximal, average and
// RMS absolute differences (the caller adds any relative lines and the blank line).
void differences(std::string& s, const char* heading, const char* what, std::size_t n, double max,
                 double average, double rms) {
  s += heading;
  count(s, what, n);
  line(s, "\tMaximal absolute difference = %.6g\n", max);
  line(s, "\tAverage absolute difference = %.6g\n", average);
  line(s, "\tRMS     absolute difference = %.6g\n", rms);
}
}  // namespace

std::string format_error_report(const ErrorReport& r) {
  std::string s =
      "MLIP-2 calc-errors convention (forces: average = sum|dF|/(3N), RMS = component RMSE;\n"
      "stresses: averaged over 9 components per configuration)\n";
  differences(s, "Energy:\n", "configurations", r.n_energy, r.energy_max, r.energy_mae,
              r.energy_rmse);
  s += "\n";
  differences(s, "Energy per atom:\n", "configurations", r.n_energy, r.energy_pa_max,
              r.energy_pa_mae, r.energy_pa_rmse);
  s += "\n";
  differences(s, "Forces:\n", "atoms", r.n_force_atoms, r.force_vector_max, r.force_mlip2_average,
              r.force_component_rmse);
  line(s, "\tMax(ForceDiff) / Max(Force) = %.6g\n", r.force_rel_max);
  line(s, "\tRMS(ForceDiff) / RMS(Force) = %.6g\n\n", r.force_rel_rms);
  for (int gpa = 0; gpa < 2; ++gpa) {
    if (gpa)
      differences(s, "Stresses (in GPa):\n", "configurations", r.n_stress, r.stress_gpa_max,
                  r.stress_gpa_mlip2_average, r.stress_gpa_component_rmse);
    else
      differences(s, "Stresses (in eV):\n", "configurations", r.n_stress, r.stress_ev_max,
                  r.stress_ev_mlip2_average, r.stress_ev_component_rmse);
    line(s, "\tMax(StresDiff) / Max(Stres) = %.6g\n", r.stress_rel_max);
    line(s, "\tRMS(StresDiff) / RMS(Stres) = %.6g\n\n", r.stress_rel_rms);
  }
  s += "Plain statistics (" + std::to_string(r.n_configs) + " configurations, " +
       std::to_string(r.n_atoms) + " atoms):\n";
  line(s, "\tenergy per atom      MAE  %.4f meV/atom\n", 1e3 * r.energy_pa_mae);
  line(s, "\tenergy per atom      RMSE %.4f meV/atom\n", 1e3 * r.energy_pa_rmse);
  line(s, "\tforce component      MAE  %.5f eV/A\n", r.force_component_mae);
  line(s, "\tforce component      RMSE %.5f eV/A\n", r.force_component_rmse);
  line(s, "\tforce component      max  %.5f eV/A\n", r.force_component_max);
  line(s, "\tforce vector |dF|    MAE  %.5f eV/A  (MLIP-3 average)\n", r.force_vector_mae);
  line(s, "\tforce vector |dF|    RMSE %.5f eV/A  (MLIP-3 RMS)\n", r.force_vector_rmse);
  line(s, "\tforce vector |dF|    max  %.5f eV/A\n", r.force_vector_max);
  line(s, "\tstress component     RMSE %.5f GPa\n", r.stress_gpa_component_rmse);
  line(s, "\tstress |dW|_F/config MAE  %.5f GPa  (MLIP-3 average)\n", r.stress_gpa_frob_mae);
  line(s, "\tstress |dW|_F/config RMSE %.5f GPa  (MLIP-3 RMS)\n", r.stress_gpa_frob_rmse);
  return s;
}

std::string error_report_json(const ErrorReport& r) {
  nlohmann::ordered_json j;
  j["n_configs"] = r.n_configs;
  j["n_atoms"] = r.n_atoms;
  j["n_energy_configs"] = r.n_energy;
  j["energy_per_atom_mae_meV"] = 1e3 * r.energy_pa_mae;
  j["energy_per_atom_rmse_meV"] = 1e3 * r.energy_pa_rmse;
  j["energy_per_atom_max_meV"] = 1e3 * r.energy_pa_max;
  j["energy_mae_eV"] = r.energy_mae;
  j["energy_rmse_eV"] = r.energy_rmse;
  j["energy_max_eV"] = r.energy_max;
  j["n_force_atoms"] = r.n_force_atoms;
  j["force_component_mae_eV_A"] = r.force_component_mae;
  j["force_component_rmse_eV_A"] = r.force_component_rmse;
  j["force_component_max_eV_A"] = r.force_component_max;
  j["force_vector_mae_eV_A"] = r.force_vector_mae;
  j["force_vector_rmse_eV_A"] = r.force_vector_rmse;
  j["force_vector_max_eV_A"] = r.force_vector_max;
  j["force_mlip2_average_eV_A"] = r.force_mlip2_average;
  j["force_rel_rms"] = r.force_rel_rms;
  j["n_stress_configs"] = r.n_stress;
  j["stress_rmse_GPa"] = r.stress_gpa_component_rmse;
  j["stress_mlip2_average_GPa"] = r.stress_gpa_mlip2_average;
  j["stress_max_GPa"] = r.stress_gpa_max;
  j["stress_frob_mae_GPa"] = r.stress_gpa_frob_mae;
  j["stress_frob_rmse_GPa"] = r.stress_gpa_frob_rmse;
  j["stress_rmse_eV"] = r.stress_ev_component_rmse;
  j["stress_rel_rms"] = r.stress_rel_rms;
  return j.dump(2) + "\n";
}

}  // namespace superion
