// FFT correlation functions and windowed cosine-transform spectra (see correlate.hpp).
#include "mechanism/correlate.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace superion::mechanism {

void fft_inplace(std::vector<std::complex<double>>& a, bool inverse) {
  const std::size_t n = a.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const double ang = 2.0 * M_PI / static_cast<double>(len) * (inverse ? 1.0 : -1.0);
    const std::complex<double> wl(std::cos(ang), std::sin(ang));
    for (std::size_t i = 0; i < n; i += len) {
      std::complex<double> w(1.0, 0.0);
      for (std::size_t k = 0; k < len / 2; ++k) {
        const auto u = a[i + k], v = a[i + k + len / 2] * w;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
        w *= wl;
      }
    }
  }
}

void accumulate_raw_acf(const std::vector<double>& x, std::vector<double>& raw) {
  const std::size_t T = x.size();
  std::size_t n = 1;
  while (n < 2 * T) n <<= 1;
  std::vector<std::complex<double>> a(n);
  for (std::size_t t = 0; t < T; ++t) a[t] = x[t];
  fft_inplace(a, false);
  for (auto& z : a) z = std::norm(z);
  fft_inplace(a, true);
  for (std::size_t k = 0; k < raw.size() && k < T; ++k)
    raw[k] += a[k].real() / static_cast<double>(n);
}

std::vector<double> vector_acf(const std::vector<std::vector<Vec3>>& series, std::size_t max_lag) {
  if (series.empty()) throw Error("vector_acf: no series");
  const std::size_t T = series[0].size();
  if (max_lag >= T) max_lag = T - 1;
  std::vector<double> total(max_lag + 1, 0.0);
#pragma omp parallel
  {
    std::vector<double> raw(max_lag + 1, 0.0), x(T);
#pragma omp for schedule(dynamic, 4)
    for (long it = 0; it < static_cast<long>(series.size()); ++it)
      for (int c = 0; c < 3; ++c) {
        for (std::size_t t = 0; t < T; ++t) x[t] = series[it][t][c];
        accumulate_raw_acf(x, raw);
      }
#pragma omp critical
    for (std::size_t k = 0; k <= max_lag; ++k) total[k] += raw[k];
  }
  for (std::size_t k = 0; k <= max_lag; ++k)
    total[k] /= static_cast<double>(series.size() * (T - k));
  return total;
}

std::vector<double> vector_acf_direct(const std::vector<std::vector<Vec3>>& series,
                                      std::size_t max_lag) {
  const std::size_t T = series.at(0).size();
  if (max_lag >= T) max_lag = T - 1;
  std::vector<double> c(max_lag + 1, 0.0);
  for (const auto& x : series)
    for (std::size_t k = 0; k <= max_lag; ++k)
      for (std::size_t t = 0; t + k < T; ++t) c[k] += dot(x[t], x[t + k]);
  for (std::size_t k = 0; k <= max_lag; ++k) c[k] /= static_cast<double>(series.size() * (T - k));
  return c;
}

Spectrum power_spectrum(const std::vector<double>& acf, double dt_ps, std::size_t n_freq,
                        double nu_max_thz) {
  if (acf.size() < 2 || !(acf[0] != 0.0) || !(dt_ps > 0.0))
    throw Error("power_spectrum: need >= 2 lags, C(0) != 0 and dt > 0");
  const std::size_t L = acf.size() - 1;
  if (nu_max_thz <= 0.0) nu_max_thz = 0.5 / dt_ps;
  if (n_freq == 0) n_freq = 2 * L + 1;  // grid spacing ≈ half the resolution 1/(L·dt)
  std::vector<double> wc(L + 1);
  for (std::size_t k = 0; k <= L; ++k)
    wc[k] = acf[k] / acf[0] * 0.5 *
            (1.0 + std::cos(M_PI * static_cast<double>(k) / static_cast<double>(L)));
  Spectrum s;
  s.freq_thz.resize(n_freq);
  s.power.resize(n_freq);
#pragma omp parallel for
  for (long f = 0; f < static_cast<long>(n_freq); ++f) {
    const double nu =
        nu_max_thz * static_cast<double>(f) / static_cast<double>(n_freq > 1 ? n_freq - 1 : 1);
    double sum = 0.5 * wc[0];
    for (std::size_t k = 1; k <= L; ++k)
      sum += wc[k] * std::cos(2.0 * M_PI * nu * static_cast<double>(k) * dt_ps);
    s.freq_thz[f] = nu;
    s.power[f] = 4.0 * dt_ps * sum;
  }
  return s;
}

double spectrum_peak(const Spectrum& s) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < s.power.size(); ++k)
    if (s.power[k] > s.power[best]) best = k;
  return s.freq_thz.at(best);
}

double spectrum_centroid(const Spectrum& s, double cutoff_thz) {
  double num = 0.0, den = 0.0;
  for (std::size_t k = 0; k < s.power.size(); ++k)
    if (s.freq_thz[k] <= cutoff_thz) {
      const double p = std::max(s.power[k], 0.0);  // windowed transforms can dip slightly below 0
      num += s.freq_thz[k] * p;
      den += p;
    }
  if (!(den > 0.0)) throw Error("spectrum_centroid: no spectral weight below the cutoff");
  return num / den;
}

}  // namespace superion::mechanism
