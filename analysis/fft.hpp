// Minimal in-place radix-2 complex FFT (power-of-two lengths) with precomputed twiddles and
// bit-reversal, used for all-time-origin correlations (Wiener–Khinchin). A plan is read-only
// after construction, so one plan serves all OpenMP threads.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

namespace superion::analysis {

class FftPlan {
 public:
  explicit FftPlan(std::size_t n);  // n must be a power of two >= 1
  std::size_t size() const { return n_; }
  // In-place forward (e^{-2πi jk/n}) or inverse (unnormalised, e^{+2πi jk/n}) transform.
  void forward(std::complex<double>* data) const { transform(data, false); }
  void inverse(std::complex<double>* data) const { transform(data, true); }

 private:
  void transform(std::complex<double>* data, bool inverse) const;
  std::size_t n_;
  std::vector<std::complex<double>> twiddle_;  // e^{-2πi k/n}, k < n/2
  std::vector<std::size_t> bitrev_;
};

// Smallest power of two >= n.
std::size_t next_pow2(std::size_t n);

}  // namespace superion::analysis
