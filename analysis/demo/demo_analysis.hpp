// Analysis stage of `superion demo`: the library calls of `superion analyze` on the demo's MD
// runs and on the reference's own trajectories, and the demo's aggregation rules:
//  * D(Na) of a run: analysis::analyze_diffusion (pymatgen conventions) after the equilibration
//    (analysis::apply_time_window, as `analyze diffusion --start-time`);
//  * D at a temperature: mean over independent replicas, error = standard error of that mean
//    (one replica: the estimator's own error); the same rule for the MTP and the reference;
//  * diffusive: at least kMinHops long-lived Na hop events (mechanism::analyse_hops, t_p = 1 ps,
//    a = 1.5 Å, t_a = 0.5 ps) over the replicas and D > 0; other temperatures stay out of the
//    Arrhenius fit and are never shown as data points;
//  * MTP vs reference: z = (ln D_MTP − ln D_ref) / sqrt(rel_MTP² + rel_ref²), agreement |z| <= 2;
//  * SO4 reorientation time τ: the time at which C_l(t) first falls below 1/e, reported only when
//    it does so within the analysed lags (half the run); otherwise a lower bound τ > t_max.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "arrhenius.hpp"
#include "diffusion.hpp"

namespace superion::demo {

constexpr long kMinHops = 5;

// Diffusion of one trajectory (written as OUT/analysis/diffusion_<tag>.json and msd_<tag>.csv).
struct RunDiffusion {
  std::string tag;
  double T = 0;
  bool ok = false;
  std::string error;
  analysis::DiffusionResult d;
  long hop_events = 0;
  double max_msd_A2 = 0;
};
RunDiffusion analyze_run(const std::filesystem::path& traj, const std::string& tag, double T,
                         double skip_ps, const std::string& species_centre,
                         const std::filesystem::path& out_dir);

// Replicas of one temperature combined.
struct TemperatureD {
  double T = 0;
  int replicas = 0;         // analysed
  double D = 0, D_err = 0;  // cm²/s
  double ne_factor = 0;     // mS/cm per cm²/s (Nernst–Einstein, the runs' volume and Na count)
  long hop_events = 0;
  double max_msd_A2 = 0;
  bool diffusive = false;
  std::vector<double> D_replicas;
};
TemperatureD combine(const std::vector<RunDiffusion>& runs);

// Arrhenius fit over the diffusive temperatures, D and σ at 300 K (σ with the Nernst–Einstein
// factor of the 300 K cell: `ne_factor_300`).
struct ArrheniusSummary {
  bool fitted = false, resolved = false;
  std::string reason;  // why it is not resolved
  analysis::ArrheniusFit fit;
  std::vector<double> temperatures_used, temperatures_excluded;
  double D300 = 0, D300_err = 0, sigma300 = 0, sigma300_err = 0;
};
ArrheniusSummary arrhenius_of(const std::vector<TemperatureD>& temps, double ne_factor_300,
                              double resolve_rel_err, const std::filesystem::path& json_out);

struct Agreement {
  double T = 0, z = 0;
  bool agree = false;
};
Agreement compare_D(const TemperatureD& mtp, const TemperatureD& ref);

// C1/C2(t) of the SO4 (SeO4) orientation vectors and the supported reorientation times.
struct Reorientation {
  double dt_ps = 0;
  std::vector<double> C1, C2;
  int clusters = 0;
  double tau1_ps = 0, tau2_ps = 0;  // 1/e times, or the lower bound when not reached
  bool tau1_reached = false, tau2_reached = false;
  double t_max_ps = 0;
};
Reorientation reorientation_of(const std::filesystem::path& traj, double skip_ps,
                               const std::string& centre);

// The mechanism analyses of one run (written into `out_dir`): hop events (raster CSV), van Hove
// G_s/G_d, C1/C2(t), A(θ,φ), LDFC spectra; a JSON summary is returned.
nlohmann::json mechanism_of(const std::filesystem::path& traj, double T, double skip_ps,
                            const std::string& centre, const std::filesystem::path& out_dir);

}  // namespace superion::demo
