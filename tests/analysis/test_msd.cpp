// FFT MSD correlator vs brute-force sums over time origins, for all three smoothing modes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "fft.hpp"
#include "msd.hpp"

using namespace superion::analysis;

namespace {
std::vector<double> random_walk(long n, unsigned seed) {
  std::mt19937 g(seed);
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<double> x(n);
  x[0] = 37.0;  // offset: the correlator must be shift invariant
  for (long t = 1; t < n; ++t) x[t] = x[t - 1] + d(g);
  return x;
}
double brute(const std::vector<double>& x, long m, Smoothing s, long avg) {
  const long n = static_cast<long>(x.size());
  if (s == Smoothing::None) return (x[m] - x[0]) * (x[m] - x[0]);
  const long n0 = s == Smoothing::Max ? n - m : avg;
  double sum = 0;
  for (long o = 0; o < n0; ++o) sum += (x[o + m] - x[o]) * (x[o + m] - x[o]);
  return sum / n0;
}
}  // namespace

TEST(Fft, MatchesDirectDft) {
  const std::size_t n = 64;
  std::vector<std::complex<double>> a(n), b(n);
  std::mt19937 g(3);
  std::uniform_real_distribution<double> u(-1, 1);
  for (auto& v : a) v = {u(g), u(g)};
  b = a;
  FftPlan(n).forward(b.data());
  const double pi = std::acos(-1.0);
  for (std::size_t k = 0; k < n; ++k) {
    std::complex<double> s = 0;
    for (std::size_t j = 0; j < n; ++j) s += a[j] * std::polar(1.0, -2 * pi * double(j * k) / n);
    EXPECT_NEAR(std::abs(s - b[k]), 0.0, 1e-12);
  }
  FftPlan(n).inverse(b.data());
  for (std::size_t j = 0; j < n; ++j) EXPECT_NEAR(std::abs(b[j] / double(n) - a[j]), 0.0, 1e-14);
}

TEST(LagCorrelator, MatchesBruteForceAllModes) {
  const long n = 777;  // not a power of two
  const auto a = random_walk(n, 1), b = random_walk(n, 2);
  for (Smoothing s : {Smoothing::Max, Smoothing::Constant, Smoothing::None}) {
    const long avg = 300;
    std::vector<long> lags;
    const long maxlag = s == Smoothing::Constant ? n - avg : n;
    for (long m = 0; m < maxlag; m += 7) lags.push_back(m);
    LagCorrelator c(n, s, avg);
    CorrelatorWorkspace ws;
    std::vector<double> ma(lags.size()), mb(lags.size());
    c.compute(a.data(), b.data(), lags, ma.data(), mb.data(), ws);
    for (std::size_t k = 0; k < lags.size(); ++k) {
      const double ra = brute(a, lags[k], s, avg), rb = brute(b, lags[k], s, avg);
      // Round-off of O(n) sums of values ~1e3 (FFT) relative to MSD ≥ ~1: 1e-9 absolute + relative.
      EXPECT_NEAR(ma[k], ra, 1e-9 * (1 + ra)) << to_string(s) << " lag " << lags[k];
      EXPECT_NEAR(mb[k], rb, 1e-9 * (1 + rb)) << to_string(s) << " lag " << lags[k];
    }
    // Outputs may alias inputs.
    std::vector<double> x = a;
    c.compute(x.data(), nullptr, lags, x.data(), nullptr, ws);
    for (std::size_t k = 0; k < lags.size(); ++k) EXPECT_NEAR(x[k], ma[k], 1e-9 * (1 + ma[k]));
  }
}

TEST(PymatgenLags, WindowsAsPymatgen) {
  // LGPS: 20 ions, 1000 frames, 0.02 ps → arange(50, 666, 3)
  auto l = pymatgen_lags(Smoothing::Max, 1000, 20, 0.02, 30, 1000);
  ASSERT_EQ(l.size(), 206u);
  EXPECT_EQ(l.front(), 50);
  EXPECT_EQ(l.back(), 665);
  EXPECT_EQ(l[1] - l[0], 3);
  EXPECT_THROW(pymatgen_lags(Smoothing::Max, 40, 20, 0.02, 30, 1000), superion::Error);
  EXPECT_THROW(pymatgen_lags(Smoothing::Constant, 1000, 20, 0.02, 30, 1000), superion::Error);
  EXPECT_EQ(pymatgen_lags(Smoothing::Constant, 1500, 20, 0.02, 30, 1000).size(), 500u);
  EXPECT_EQ(pymatgen_lags(Smoothing::None, 10, 20, 0.02, 30, 1000).size(), 10u);
}

TEST(SpectralMsdAccumulator, MatchesPerSeriesCorrelator) {
  const long n = 501;
  std::vector<long> lags;
  for (long m = 3; m < 480; m += 5) lags.push_back(m);
  std::vector<double> coef(lags.size());
  for (std::size_t k = 0; k < lags.size(); ++k)
    coef[k] = std::sin(0.1 * k) + 0.3;  // any linear functional
  SpectralMsdAccumulator acc(n, lags, coef, 2, 1);
  LagCorrelator ref(n, Smoothing::Max, 0);
  CorrelatorWorkspace ws;
  std::vector<std::vector<double>> want(2, std::vector<double>(lags.size(), 0.0));
  for (int s = 0; s < 5; ++s) {  // 5 series, groups alternate; last call has no partner
    const auto a = random_walk(n, 10 + s), b = random_walk(n, 20 + s);
    std::vector<double> ma(lags.size()), mb(lags.size());
    ref.compute(a.data(), b.data(), lags, ma.data(), mb.data(), ws);
    double sa = 0, sb = 0;
    const bool single = s == 4;
    acc.add(a.data(), 0, single ? nullptr : b.data(), 1, sa, sb, 0);
    double wa = 0, wb = 0;
    for (std::size_t k = 0; k < lags.size(); ++k) {
      want[0][k] += ma[k];
      if (!single) want[1][k] += mb[k];
      wa += coef[k] * ma[k];
      wb += coef[k] * mb[k];
    }
    EXPECT_NEAR(sa, wa, 1e-9 * std::fabs(wa) + 1e-9);
    if (!single) EXPECT_NEAR(sb, wb, 1e-9 * std::fabs(wb) + 1e-9);
  }
  const auto got = acc.msd_sums();
  for (int g = 0; g < 2; ++g)
    for (std::size_t k = 0; k < lags.size(); ++k)
      EXPECT_NEAR(got[g][k], want[g][k], 1e-9 * (1 + want[g][k]));
}
