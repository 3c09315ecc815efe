// Proof tests for correlations and spectra: FFT ACF equals the direct all-origin sum; a harmonic
// oscillator trajectory's VACF spectrum peaks at its frequency (to the resolution 1/(L·dt)), with
// stored velocities and with finite-difference velocities from wrapped positions.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "mechanism/correlate.hpp"
#include "mechanism/ldfc.hpp"

using namespace superion;
using namespace superion::mechanism;

TEST(MechanismCorrelate, FftAcfEqualsDirectSum) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> g;
  std::vector<std::vector<Vec3>> x(5, std::vector<Vec3>(777));
  for (auto& s : x)
    for (auto& v : s) v = {g(rng), g(rng), g(rng)};
  const auto a = vector_acf(x, 400), b = vector_acf_direct(x, 400);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k], b[k], 1e-11 * (1 + std::fabs(b[0])));
}

TEST(MechanismCorrelate, SpectrumOfCosineHasUnitAreaAndPeak) {
  const double dt = 0.005, f = 7.3;
  std::vector<double> c(3000);
  for (std::size_t k = 0; k < c.size(); ++k) c[k] = std::cos(2 * M_PI * f * k * dt);
  const Spectrum s = power_spectrum(c, dt);
  double area = 0;
  for (std::size_t k = 1; k < s.power.size(); ++k)
    area += 0.5 * (s.power[k] + s.power[k - 1]) * (s.freq_thz[k] - s.freq_thz[k - 1]);
  EXPECT_NEAR(area, 1.0, 0.01);
  EXPECT_NEAR(spectrum_peak(s), f, 1.0 / (2 * 2999 * dt));  // grid spacing
}

// 20 atoms oscillating as r = r0 + A_i cos(2π f t + φ_i) along random directions in a 10 Å cell
// (crossing the boundary): velocities stored exactly, and from finite differences.
TEST(MechanismVacf, HarmonicOscillatorPeakAtItsFrequency) {
  const double f = 3.0, dt = 0.005, L = 10.0;
  const int T = 4000, N = 20;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Vec3> r0(N), dir(N);
  std::vector<double> phase(N);
  for (int i = 0; i < N; ++i) {
    r0[i] = {L * u(rng), L * u(rng), L * u(rng)};
    Vec3 d{u(rng) - 0.5, u(rng) - 0.5, u(rng) - 0.5};
    dir[i] = d * (0.3 / norm(d));
    phase[i] = 2 * M_PI * u(rng);
  }
  SeriesBuilder with_v("osc", dt, std::vector<int>(N, 0), {"Na"}),
      without_v("osc", dt, std::vector<int>(N, 0), {"Na"});
  const Mat3 cell = L * Mat3::identity();
  for (int t = 0; t < T; ++t) {
    std::vector<Vec3> p(N), v(N);
    for (int i = 0; i < N; ++i) {
      const double w = 2 * M_PI * f, arg = w * t * dt + phase[i];
      Vec3 q = r0[i] + dir[i] * std::cos(arg);
      for (int k = 0; k < 3; ++k) q[k] -= L * std::floor(q[k] / L);
      p[i] = q;
      v[i] = dir[i] * (-w * std::sin(arg));
    }
    with_v.add(cell, p, v);
    without_v.add(cell, p);
  }
  const double resolution = 1.0 / (2000 * dt);  // 0.1 THz
  for (const FrameSeries* s : {&with_v.series(), &without_v.series()}) {
    const auto acf = vector_acf(velocity_series(*s, s->atoms_of("Na")), 2000);
    const Spectrum sp = power_spectrum(acf, dt);
    EXPECT_NEAR(spectrum_peak(sp), f, resolution / 2);
    EXPECT_NEAR(spectrum_centroid(sp, 6.0), f, resolution);
  }
  // Exact VACF of stored velocities at lag 0: <|v|²> averaged over atoms and frames.
  const auto acf = vector_acf(velocity_series(with_v.series(), with_v.series().atoms_of("Na")), 10);
  double ref = 0;
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < N; ++i) ref += norm2(with_v.series().velocities[t][i]);
  EXPECT_NEAR(acf[0], ref / (T * N), 1e-9 * ref / (T * N));
}
