// Arrhenius fit ln D = ln D0 − Ea/(k_B·T) from several (T, D ± err), with the full 2×2 covariance
// propagated to extrapolated D and Nernst–Einstein σ at any temperature.
// Weighted by 1/σ_lnD² (σ_lnD = D_err/D) when every point has an error (absolute weights: the
// covariance is (XᵀWX)⁻¹, scaled by χ²/(n−2) when the scatter exceeds the errors); otherwise
// unweighted as pymatgen's fit_arrhenius, with the covariance scaled by the residual variance
// RSS/(n−2) (undefined, NaN, for n = 2).
#pragma once

#include <string>
#include <vector>

namespace superion::analysis {

struct ArrheniusPoint {
  double T = 0, D = 0, D_err = 0;  // K, cm²/s, cm²/s (0 = unknown)
  // σ/D·T (mS/cm·K per cm²/s): Nernst–Einstein factor times T (T-independent); 0 = unknown.
  double ne_factor_times_T = 0;
  // From a diffusion JSON: D is pymatgen's floor, not a measurement (no diffusion resolved);
  // `analyze arrhenius` leaves such points out of the fit and plots them as upper bounds.
  bool clipped = false;
  std::string species{}, formula{}, source{};  // source: the file it came from
};

struct ArrheniusFit {
  double Ea_eV = 0, Ea_err_eV = 0;
  double ln_D0 = 0, prefactor_cm2_s = 0, prefactor_err_cm2_s = 0;
  double cov_aa = 0, cov_ab = 0, cov_bb = 0;  // of (ln D0, −Ea/k_B)
  bool weighted = false;
  double chi2_reduced = 0;  // weighted: χ²/(n−2); the covariance is scaled by it when > 1
  std::size_t n = 0;
  double ne_factor_times_T = 0;  // mean over points that carry it, 0 = none
  // Extrapolation: D(T) with 1σ error from the covariance; σ(T) needs ne_factor_times_T.
  double D_at(double T) const;
  double D_err_at(double T) const;
  double sigma_at(double T) const;      // mS/cm, NaN without the factor
  double sigma_err_at(double T) const;  // mS/cm
};

ArrheniusFit fit_arrhenius(const std::vector<ArrheniusPoint>& points);

// Reads a diffusion JSON written by `superion analyze diffusion` (temperature_K, D_cm2_s,
// D_err_cm2_s, nernst_einstein_factor_mS_cm_per_cm2_s).
ArrheniusPoint read_arrhenius_point_json(const std::string& path);
// CSV with a header naming T_K and D_cm2_s columns (optional D_err_cm2_s, sigma_factor_T).
std::vector<ArrheniusPoint> read_arrhenius_table(const std::string& path);

void write_arrhenius_json(const ArrheniusFit& fit, const std::vector<ArrheniusPoint>& points,
                          double extrapolation_T, const std::string& path,
                          const std::vector<ArrheniusPoint>& excluded = {});

}  // namespace superion::analysis
