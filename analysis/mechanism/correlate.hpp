// Time correlation functions over ALL time origins via FFT (Wiener–Khinchin with zero padding, so
// the result equals the direct sum exactly up to rounding):
//   C(τ) = 1/N Σ_items 1/(T-τ) Σ_{t0=0}^{T-1-τ} x(t0)·x(t0+τ),  τ = 0 .. max_lag
// and their one-sided power spectra in THz (docs/analysis.md §vacf):
//   S(ν) = 4 Δt [ ½ w(0) c(0) + Σ_{k≥1} w(k) c(k) cos(2πν kΔt) ],  c = C/C(0),  w = Hann window
// normalised so ∫_0^{ν_Nyquist} S dν ≈ 1.
#pragma once

#include <complex>
#include <vector>

#include "core/vec3.hpp"

namespace superion::mechanism {

// In-place radix-2 complex FFT (size a power of two); inverse when `inverse` (unnormalised).
void fft_inplace(std::vector<std::complex<double>>& a, bool inverse);
// Sum over items of the all-origin autocorrelation of a scalar series (NOT divided by (T-τ) or N):
// raw[τ] = Σ_items Σ_t0 x(t0) x(t0+τ), added into `raw` (size max_lag+1).
void accumulate_raw_acf(const std::vector<double>& x, std::vector<double>& raw);
// Vector ACF averaged over items and origins: series[item][t].
std::vector<double> vector_acf(const std::vector<std::vector<Vec3>>& series, std::size_t max_lag);
// Direct O(N T L) version of vector_acf (the test oracle; also fine for short series).
std::vector<double> vector_acf_direct(const std::vector<std::vector<Vec3>>& series,
                                      std::size_t max_lag);

struct Spectrum {
  std::vector<double> freq_thz;
  std::vector<double> power;  // 1/THz, ∫ power dν ≈ 1
};
// Power spectrum of an ACF sampled every dt_ps; n_freq points on [0, ν_max] (ν_max <= 0: Nyquist).
Spectrum power_spectrum(const std::vector<double>& acf, double dt_ps, std::size_t n_freq = 0,
                        double nu_max_thz = 0.0);
// Frequency of the largest value; centroid Σ ν S / Σ S over ν <= cutoff.
double spectrum_peak(const Spectrum& s);
double spectrum_centroid(const Spectrum& s, double cutoff_thz);

}  // namespace superion::mechanism
