// Tracer and charge (collective) diffusion from a streamed trajectory, following the conventions
// of pymatgen's DiffusionAnalyzer (drift removal, smoothing modes, weighted fit, Nernst–Einstein
// conductivity), plus uncertainty estimates that pymatgen does not give (see docs/diffusion.md).
//
// Memory: pass 1 streams the trajectory once and keeps only the drift-corrected displacements of
// the diffusing atoms (float64, frame-major). They stay in RAM up to `memory_budget_bytes`, beyond
// that they are spilled to an anonymous temporary file. Pass 2 reads atom chunks sized to the
// budget and runs the FFT correlator per atom and direction (OpenMP over series). Peak memory ≈
// budget + threads × ~32·P bytes (P = next power of two ≥ 2·frames) + O(frames) for the charge
// series.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "msd.hpp"
#include "trajectory.hpp"
#include "trajectory_window.hpp"

namespace superion::analysis {

struct DiffusionOptions {
  std::string species;       // diffusing species symbol, e.g. "Li"
  double temperature_K = 0;  // for the Nernst–Einstein conductivity
  Smoothing smoothing = Smoothing::Max;
  int min_obs = 30;
  int avg_nsteps = 1000;         // origins for "constant" smoothing
  bool drift_correction = true;  // subtract the mean framework displacement
  double charge = 0;             // ion charge z (e); 0 = from the species (Li, Na, … = 1)
  std::size_t memory_budget_bytes = std::size_t{512} << 20;
  int charge_blocks = 5;  // blocks for the charge-D block-average error
};

// Weighted least squares y = slope·t + intercept; residual = Σ w (y − fit)² (numpy lstsq's value
// on √w-scaled rows). slope_se_pymatgen is pymatgen's "std dev" formula (see docs/diffusion.md).
struct LineFit {
  double slope = 0, intercept = 0, residual = 0;
  std::size_t n = 0;
};
LineFit fit_line(const std::vector<double>& t, const std::vector<double>& y,
                 const std::vector<double>& w);

struct DiffusionResult {
  std::string species;
  std::string formula;  // reduced formula of the cell, elements in order of appearance
  Smoothing smoothing = Smoothing::Max;
  double temperature_K = 0, frame_interval_ps = 0, volume_A3 = 0, charge = 0;
  long n_frames = 0;
  double first_frame_time_ps = 0, last_frame_time_ps = 0;  // absolute times of the frames used
  TimeWindow window;  // set by the caller when it windowed the reader (recorded in the JSON)
  std::size_t n_ions = 0, n_framework = 0;
  double ne_factor = 0;  // mS/cm per cm²/s
  // MSD curves at the lags used (Å², ps)
  std::vector<double> lag_ps, msd, mscd;
  std::array<std::vector<double>, 3> msd_xyz;  // cartesian components (as pymatgen)
  // The whole curve from lag 0 (same estimator; the fit lags are among them, curve_in_fit = 1).
  std::vector<double> curve_lag_ps, curve_msd, curve_mscd;
  std::array<std::vector<double>, 3> curve_msd_xyz;
  std::vector<int> curve_in_fit;
  double fit_slope_A2_ps = 0, fit_intercept_A2 = 0;  // tracer MSD ≈ slope·t + intercept
  // Tracer
  double D = 0, D_err = 0, D_err_fit = 0, sigma = 0, sigma_err = 0;
  bool D_clipped = false;  // slope <= pymatgen's floor: D is the floor, not a measurement
  std::array<double, 3> D_xyz{}, D_xyz_err{}, D_xyz_err_fit{}, sigma_xyz{}, sigma_xyz_err{};
  // Charge (collective)
  double D_charge = 0, D_charge_err = 0, D_charge_err_fit = 0, sigma_charge = 0,
         sigma_charge_err = 0;
  double haven_ratio = 0, haven_ratio_err = 0;
  double max_framework_displacement = 0;  // Å
  bool spilled_to_disk = false;
  std::size_t stored_bytes = 0;
};

// Ion charge used by default for a species (alkali/coinage metals 1, alkaline earths 2, halides
// −1, O −2 …); 0 when unknown (the caller must then give one).
double default_ion_charge(const std::string& symbol);

// Nernst–Einstein factor σ/D (mS/cm per cm²/s) for n ions of charge z in V Å³ at T K:
// 1000·n/(V·N_A)·z²·(N_A·e)²/(R·T) with V in cm³, R = N_A·k_B (pymatgen's expression).
double nernst_einstein_factor(std::size_t n_ions, double volume_A3, double charge,
                              double temperature_K);

DiffusionResult analyze_diffusion(TrajectoryReader& reader, const DiffusionOptions& options);

// Outputs (AtomicFile). JSON keys documented in docs/diffusion.md.
void write_diffusion_json(const DiffusionResult& r, const std::string& path);
void write_msd_csv(const DiffusionResult& r, const std::string& path);

}  // namespace superion::analysis
