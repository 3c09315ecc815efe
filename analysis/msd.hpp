// Mean squared displacement over time origins for scalar time series, via FFT (Wiener–Khinchin):
//   Σ_t (x(t+m) − x(t))² = Σ_{t≥m} x² + Σ_{t<F−m} x² − 2·C(m),  C(m) = Σ_t x(t)·x(t+m),
// with C from |FFT(x)|² zero-padded to a power of two ≥ 2F (no circular wrap). Two real series
// share one complex transform. The three smoothing modes of pymatgen's DiffusionAnalyzer are
// supported:
//   Max      – every time origin (t = 0 … F−1−m) at each lag m;
//   Constant – the first `avg_nsteps` origins only (lags 0 … F−avg_nsteps−1);
//   None     – a single origin t = 0.
#pragma once

#include <complex>
#include <string>
#include <vector>

#include "fft.hpp"

namespace superion::analysis {

enum class Smoothing { Max, Constant, None };
Smoothing parse_smoothing(const std::string& s);  // "max" | "constant" | "none" (also "false")
std::string to_string(Smoothing s);

// Lags (in frames) at which pymatgen's DiffusionAnalyzer evaluates the MSD:
//   Max: min_dt = ⌊1 ps / frame interval⌋ (≥ 1), max_dt = min(n_ions·F // min_obs, F),
//        lags = min_dt, min_dt+s, … < max_dt with s = max(⌊(max_dt − min_dt)/200⌋, 1);
//   Constant: 0 … F−avg_nsteps−1;  None: 0 … F−1.
// Throws superion::Error when the trajectory is too short for the mode.
std::vector<long> pymatgen_lags(Smoothing mode, long n_frames, long n_ions,
                                double frame_interval_ps, int min_obs, int avg_nsteps);

// Scratch buffers for one thread.
struct CorrelatorWorkspace {
  std::vector<std::complex<double>> z, w;
  std::vector<double> prefix_a, prefix_b, xa, xb;
};

// Mean squared displacement (averaged over the origins of the mode) of one series at given lags.
class LagCorrelator {
 public:
  LagCorrelator(long n_frames, Smoothing mode, int avg_nsteps);
  long n_frames() const { return n_; }
  // Series a and b (length n_frames, b may be null). Writes msd_a[k], msd_b[k] for lags[k].
  // The outputs may alias the inputs (results are written after the inputs are consumed).
  void compute(const double* a, const double* b, const std::vector<long>& lags, double* msd_a,
               double* msd_b, CorrelatorWorkspace& ws) const;

 private:
  void compute_max(const double* a, const double* b, const std::vector<long>& lags, double* ma,
                   double* mb, CorrelatorWorkspace& ws) const;
  void compute_constant(const double* a, const std::vector<long>& lags, double* ma,
                        CorrelatorWorkspace& ws) const;
  long n_;
  Smoothing mode_;
  long avg_;
  std::size_t p_ = 1;
  FftPlan plan_;
};

}  // namespace superion::analysis

namespace superion::analysis {

// All-origin ("max") MSD summed over many series, plus each series' linear functional
// Σ_k coef_k·msd(m_k) (its fitted slope), with ONE forward FFT per two series and one inverse FFT
// per group at the end: Σ_series C(m) = IFFT(Σ_series |X|²), and for one series
// Σ_k h_k·C(m_k) = (1/P)·Σ_f |X_f|²·g_f with g_f = Σ_k h_k·cos(2π f m_k/P) precomputed.
// Thread-safe add() with a per-thread slot (0 … n_threads−1).
class SpectralMsdAccumulator {
 public:
  SpectralMsdAccumulator(long n_frames, std::vector<long> lags,
                         const std::vector<double>& slope_coef, int n_groups, int n_threads);
  // Series a in group ga and (optional) b in group gb; returns their slopes.
  void add(const double* a, int ga, const double* b, int gb, double& slope_a, double& slope_b,
           int thread);
  // Per group: Σ over added series of msd(m_k) (average over origins for each series).
  std::vector<std::vector<double>> msd_sums() const;

 private:
  struct Slot {
    std::vector<std::complex<double>> z;
    std::vector<double> pa, pb;
    std::vector<std::vector<double>> spec;  // [group][f], f = 0 … P/2
    std::vector<std::vector<double>> sq;    // [group][k]
  };
  long n_;
  std::vector<long> lags_;
  std::vector<double> h_;  // coef_k / (F − m_k)
  std::size_t p_;
  FftPlan plan_;
  std::vector<double> g_;  // f = 0 … P/2
  int groups_;
  std::vector<Slot> slots_;
};

}  // namespace superion::analysis
