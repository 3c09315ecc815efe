// Radix-2 decimation-in-time FFT; see fft.hpp.
#include "fft.hpp"

#include <cmath>
#include <stdexcept>

namespace superion::analysis {

std::size_t next_pow2(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

FftPlan::FftPlan(std::size_t n) : n_(n) {
  if (n == 0 || (n & (n - 1)) != 0)
    throw std::invalid_argument("FftPlan: size must be a power of two");
  twiddle_.resize(n / 2);
  const double pi = std::acos(-1.0);
  for (std::size_t k = 0; k < n / 2; ++k) {
    const double a = -2.0 * pi * static_cast<double>(k) / static_cast<double>(n);
    twiddle_[k] = {std::cos(a), std::sin(a)};
  }
  bitrev_.resize(n);
  int bits = 0;
  while ((std::size_t{1} << bits) < n) ++bits;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t r = 0;
    for (int b = 0; b < bits; ++b)
      if (i & (std::size_t{1} << b)) r |= std::size_t{1} << (bits - 1 - b);
    bitrev_[i] = r;
  }
}

void FftPlan::transform(std::complex<double>* a, bool inverse) const {
  const std::size_t n = n_;
  for (std::size_t i = 0; i < n; ++i)
    if (i < bitrev_[i]) std::swap(a[i], a[bitrev_[i]]);
  // Plain double arithmetic: std::complex operator* carries NaN/Inf recovery branches.
  double* d = reinterpret_cast<double*>(a);
  const double sign = inverse ? -1.0 : 1.0;
  for (std::size_t len = 2; len <= n; len <<= 1) {
    const std::size_t half = len / 2, stride = n / len;
    for (std::size_t i = 0; i < n; i += len) {
      for (std::size_t j = 0; j < half; ++j) {
        const double wr = twiddle_[j * stride].real(), wi = sign * twiddle_[j * stride].imag();
        double* u = d + 2 * (i + j);
        double* v = d + 2 * (i + j + half);
        const double vr = v[0] * wr - v[1] * wi, vi = v[0] * wi + v[1] * wr;
        v[0] = u[0] - vr;
        v[1] = u[1] - vi;
        u[0] += vr;
        u[1] += vi;
      }
    }
  }
}

}  // namespace superion::analysis
