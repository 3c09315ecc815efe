// Diffusion analysis vs pymatgen's DiffusionAnalyzer on the LGPS 600 K AIMD reference
// (shared/data/diffusion/LGPS_600K, values in shared/README.md computed by pymatgen).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "diffusion.hpp"
#include "test_util.hpp"
#include "trajectory.hpp"

using namespace superion::analysis;

namespace {
// The project promises 1e-6 relative agreement with pymatgen. The README's reference values are
// themselves mutually consistent only to ~6.4e-8 (σ vs σ_charge·Haven) and σ_xyz to ~3.4e-7 (they
// were printed by pymatgen runs with different physical-constant tables), so 1e-6 is the tightest
// honest bound for those; quantities that are internally consistent are checked at 1e-9.
constexpr double kRel = 1e-6;
#define EXPECT_REL(a, b, tol)                                                                \
  do {                                                                                       \
    const double a_ = (a), b_ = (b);                                                         \
    EXPECT_NEAR(a_, b_, (tol)*std::fabs(b_)) << #a;                                          \
    std::printf("  %-28s %.15g  ref %.15g  rel %.2e\n", #a, a_, b_, std::fabs(a_ / b_ - 1)); \
  } while (0)

DiffusionResult run(const std::string& path, Smoothing s) {
  PymatgenAnalyzerInfo info;
  auto reader = open_pymatgen_json(path, {}, &info);
  DiffusionOptions o;
  o.species = info.specie;
  o.temperature_K = info.temperature;
  o.min_obs = info.min_obs;
  o.smoothing = s;
  return analyze_diffusion(*reader, o);
}
}  // namespace

TEST(DiffusionPymatgen, LGPS600KMaxSmoothing) {
  SUPERION_REQUIRE_SHARED(path, "diffusion/LGPS_600K/DiffusionAnalyzer.json");
  const DiffusionResult r = run(path.string(), Smoothing::Max);
  EXPECT_EQ(r.n_ions, 20u);
  EXPECT_EQ(r.n_frames, 1000);
  EXPECT_NEAR(r.frame_interval_ps, 0.02, 1e-15);
  EXPECT_EQ(r.lag_ps.size(), 206u);  // arange(50, min(20·1000//30, 1000) = 666, 3)
  // σ, charge D, charge σ, Haven ratio and σ_xyz as printed by pymatgen.
  EXPECT_REL(r.sigma, 74.165372613735684, kRel);
  EXPECT_REL(r.D_charge, 3.64565578208e-06, 1e-9);  // printed with 12 digits
  EXPECT_REL(r.sigma_charge, 232.8278799754324, 1e-9);
  EXPECT_REL(r.haven_ratio, 0.31854161048867402, 1e-9);
  EXPECT_REL(r.sigma_xyz[0], 45.7903694, kRel);
  EXPECT_REL(r.sigma_xyz[1], 26.1651956, kRel);
  EXPECT_REL(r.sigma_xyz[2], 150.5406140, kRel);
  EXPECT_REL(r.max_framework_displacement, 1.18656839605, 1e-10);
  // D itself: the README's D (1.16083658794e-06) is inconsistent with its own σ and Haven ratio
  // (σ/factor and Haven·D_charge both give 1.161293e-06); check against both. σ_xyz differ by
  // 3.39e-7 = exactly the CODATA-2014 vs 2018 change of e²/k_B (older scipy).
  EXPECT_REL(r.D, 74.165372613735684 / r.ne_factor, kRel);  // σ printed with another factor
  EXPECT_REL(r.D, 0.31854161048867402 * 3.64565578208e-06, 1e-9);
  EXPECT_REL(r.ne_factor, 232.8278799754324 / 3.64565578208e-06, 1e-9);
}

TEST(DiffusionPymatgen, LGPS600KUnsmoothed) {
  SUPERION_REQUIRE_SHARED(path, "diffusion/LGPS_600K/DiffusionAnalyzer.json");
  const DiffusionResult r = run(path.string(), Smoothing::None);
  EXPECT_EQ(r.lag_ps.size(), 1000u);
  EXPECT_REL(r.D, 4.25976905436e-07, 1e-9);
  EXPECT_REL(r.sigma, 27.20479170406027, kRel);
}
