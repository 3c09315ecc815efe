// Prediction-error metrics of a potential on a labelled dataset, in both MLIP-2 `calc-errors`
// conventions (MTP_FACTS §8.3: force "average" = Σ|ΔF_i|/(3N), RMS = component RMSE; stress
// averages over 9·K) and plain per-component / per-vector statistics. Reused by the trainer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/configuration.hpp"
#include "core/vec3.hpp"

namespace superion {

struct ErrorReport {
  std::size_t n_configs = 0;  // configurations seen
  std::size_t n_atoms = 0;    // atoms in them
  // Energy (configurations with a reference energy).
  std::size_t n_energy = 0;
  double energy_max = 0, energy_mae = 0, energy_rmse = 0;           // eV per configuration
  double energy_pa_max = 0, energy_pa_mae = 0, energy_pa_rmse = 0;  // eV/atom
  // Forces (atoms with reference forces). ΔF_i = |F̂_i − F_i| (vector norm).
  std::size_t n_force_atoms = 0;
  double force_vector_max = 0;      // max_i ΔF_i (MLIP "Maximal absolute difference")
  double force_mlip2_average = 0;   // Σ ΔF_i / (3N)   (MLIP-2 "Average absolute difference")
  double force_component_mae = 0;   // Σ_i,c |ΔF_ic| / (3N)
  double force_component_rmse = 0;  // sqrt(Σ ΔF_i² / (3N)) (= MLIP-2 "RMS absolute difference")
  double force_component_max = 0;   // max |ΔF_ic|
  double force_vector_mae = 0;      // Σ ΔF_i / N       (MLIP-3 average)
  double force_vector_rmse = 0;     // sqrt(Σ ΔF_i² / N) (MLIP-3 RMS)
  double force_rel_max = 0;         // max ΔF_i / max |F_i|
  double force_rel_rms = 0;         // sqrt(Σ ΔF_i² / Σ |F_i|²)
  // Stress (configurations with a reference virial). ΔW = ‖Ŵ − W‖_F in eV; ΔP = ΔW·160.2176487/V.
  std::size_t n_stress = 0;
  double stress_ev_max = 0, stress_ev_mlip2_average = 0, stress_ev_component_rmse = 0;
  double stress_ev_frob_mae = 0, stress_ev_frob_rmse = 0;  // per configuration (MLIP-3)
  double stress_gpa_max = 0, stress_gpa_mlip2_average = 0, stress_gpa_component_rmse = 0;
  double stress_gpa_frob_mae = 0, stress_gpa_frob_rmse = 0;
  double stress_rel_max = 0, stress_rel_rms = 0;
};

// Accumulates errors configuration by configuration; quantities missing in the reference are
// skipped (as MLIP does).
class ErrorAccumulator {
 public:
  void add(const Configuration& reference, double energy, const std::vector<Vec3>& forces,
           const Mat3& virial);
  ErrorReport report() const;

 private:
  std::size_t nc_ = 0, na_ = 0, ne_ = 0, nf_ = 0, ns_ = 0;
  double e_max_ = 0, e_sum_ = 0, e_sq_ = 0, epa_max_ = 0, epa_sum_ = 0, epa_sq_ = 0;
  double f_max_ = 0, f_sum_ = 0, f_sq_ = 0, fc_sum_ = 0, fc_max_ = 0, fref_max_ = 0, fref_sq_ = 0;
  double s_max_ = 0, s_sum_ = 0, s_sq_ = 0, p_max_ = 0, p_sum_ = 0, p_sq_ = 0, sref_max_ = 0,
         sref_sq_ = 0;
};

// Human-readable report: MLIP-2 calc-errors layout first, then the per-component/per-vector table.
std::string format_error_report(const ErrorReport& r);
// JSON object (keys: energy_per_atom_mae_meV, energy_per_atom_rmse_meV, force_component_mae_eV_A,
// force_component_rmse_eV_A, stress_rmse_GPa, n_configs, n_atoms, and more).
std::string error_report_json(const ErrorReport& r);

}  // namespace superion
