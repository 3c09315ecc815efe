// Brownian trajectories with known D (seeded, several species, triclinic cell, wrapped positions):
// the analysis must recover D within its stated error, unwrapping must equal the true unwrapped
// path, and the memory-bounded (spilled) path must equal the in-RAM path.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "diffusion.hpp"
#include "synthetic_trajectory.hpp"

using namespace superion::analysis;

namespace {
BrownianSpec spec(unsigned long long seed) {
  BrownianSpec s;
  s.cell = superion::Mat3{};
  s.cell[0][0] = 10.0;
  s.cell[1][0] = 2.0;
  s.cell[1][1] = 11.0;
  s.cell[2][0] = 1.5;
  s.cell[2][1] = -1.0;
  s.cell[2][2] = 12.0;
  s.symbols = {"Na", "K", "Cl"};
  s.counts = {64, 16, 48};
  s.D_A2_ps = {0.3, 0.1, 0.0};
  s.frame_interval_ps = 0.01;
  s.n_frames = 3000;
  s.seed = seed;
  return s;
}
}  // namespace

TEST(DiffusionSynthetic, RecoversKnownDWithinStatedError) {
  int within = 0, total = 0;
  for (unsigned long long seed : {11ULL, 22ULL, 33ULL}) {
    BrownianTrajectory traj(spec(seed));
    DiffusionOptions o;
    o.species = "Na";
    o.temperature_K = 500;
    o.drift_correction = false;  // framework (K, Cl) drift would add ~D_K·N_K/N_fw² (tested below)
    const DiffusionResult r = analyze_diffusion(traj, o);
    const double D_true = 0.3e-4 / 1.0;  // 0.3 Å²/ps = 3e-5 cm²/s
    EXPECT_GT(r.D_err, 0.0);
    EXPECT_LT(r.D_err / r.D, 0.2);  // a usable error bar, not an arbitrary large one
    EXPECT_LT(std::fabs(r.D - D_true), 4.0 * r.D_err) << "seed " << seed;
    within += std::fabs(r.D - D_true) < r.D_err;
    ++total;
    for (int d = 0; d < 3; ++d) EXPECT_LT(std::fabs(r.D_xyz[d] - D_true), 4.0 * r.D_xyz_err[d]);
    // Independent walkers: collective D equals tracer D (Haven ratio 1) within the block error.
    EXPECT_LT(std::fabs(r.D_charge - D_true), 4.0 * r.D_charge_err) << "seed " << seed;
    // σ = factor · D with the pymatgen factor.
    EXPECT_NEAR(
        r.sigma,
        nernst_einstein_factor(64, std::fabs(superion::det(spec(seed).cell)), 1.0, 500) * r.D,
        1e-12 * r.sigma);
  }
  EXPECT_GE(within,
            1);  // ~68% expected per seed; all three outside 1σ would mean the error is too small
}

TEST(DiffusionSynthetic, SecondSpeciesAndDriftCorrection) {
  BrownianTrajectory traj(spec(5));
  DiffusionOptions o;
  o.species = "K";
  o.temperature_K = 500;
  const DiffusionResult r = analyze_diffusion(traj, o);  // drift correction on (framework Na + Cl)
  EXPECT_LT(std::fabs(r.D - 0.1e-4), 4.0 * r.D_err);
  EXPECT_EQ(r.n_ions, 16u);
  EXPECT_EQ(r.n_framework, 112u);
}

TEST(DiffusionSynthetic, UnwrappingEqualsTrueUnwrappedPath) {
  auto s = spec(7);
  s.n_frames = 600;
  BrownianTrajectory wrapped(s);
  // Collect the true unwrapped path.
  std::vector<std::vector<superion::Vec3>> pos;
  std::vector<double> times;
  Frame f;
  while (wrapped.next(f)) {
    pos.push_back(wrapped.unwrapped());
    times.push_back(f.time_ps);
  }
  wrapped.rewind();
  TrajectorySystem sys = wrapped.system();
  sys.positions_unwrapped = true;
  MemoryTrajectory truth(sys, {s.cell}, times, pos);
  DiffusionOptions o;
  o.species = "Na";
  o.temperature_K = 500;
  const DiffusionResult a = analyze_diffusion(wrapped, o), b = analyze_diffusion(truth, o);
  EXPECT_NEAR(a.D, b.D, 1e-9 * b.D);
  EXPECT_NEAR(a.D_charge, b.D_charge, 1e-9 * b.D_charge);
  EXPECT_NEAR(a.max_framework_displacement, b.max_framework_displacement, 1e-9);
}

TEST(DiffusionSynthetic, SpilledPathEqualsInMemoryPath) {
  auto s = spec(9);
  s.n_frames = 1500;
  BrownianTrajectory t1(s), t2(s);
  DiffusionOptions o;
  o.species = "Na";
  o.temperature_K = 500;
  const DiffusionResult a = analyze_diffusion(t1, o);
  o.memory_budget_bytes = 200 * 1024;  // forces spilling and many small atom chunks
  const DiffusionResult b = analyze_diffusion(t2, o);
  EXPECT_FALSE(a.spilled_to_disk);
  EXPECT_TRUE(b.spilled_to_disk);
  // Only the summation order over ions differs (chunks, per-thread spectra).
  EXPECT_NEAR(a.D, b.D, 1e-12 * a.D);
  EXPECT_NEAR(a.D_err, b.D_err, 1e-9 * a.D_err);
  for (std::size_t k = 0; k < a.msd.size(); ++k) EXPECT_NEAR(a.msd[k], b.msd[k], 1e-12 * a.msd[k]);
}

TEST(DiffusionSynthetic, ConstantAndNoneModesRun) {
  auto s = spec(3);
  s.n_frames = 2000;
  for (Smoothing m : {Smoothing::Constant, Smoothing::None}) {
    BrownianTrajectory t(s);
    DiffusionOptions o;
    o.species = "Na";
    o.temperature_K = 500;
    o.smoothing = m;
    o.drift_correction = false;
    const DiffusionResult r = analyze_diffusion(t, o);
    EXPECT_LT(std::fabs(r.D - 0.3e-4), 5.0 * r.D_err) << to_string(m);
  }
}

TEST(DiffusionSynthetic, MissingSpeciesIsAClearError) {
  BrownianTrajectory t(spec(1));
  DiffusionOptions o;
  o.species = "Li";
  o.temperature_K = 500;
  try {
    analyze_diffusion(t, o);
    FAIL() << "expected an InputError";
  } catch (const superion::InputError& e) {
    EXPECT_NE(
        std::string(e.what()).find("species 'Li' is not in the trajectory (species: Na, K, Cl)"),
        std::string::npos)
        << e.what();
  }
}

// Calibration of the stated errors over many seeds (slow-ish; run with
// --gtest_also_run_disabled_tests). Prints the RMS of (D − D_true)/D_err, which should be ≈ 1.
TEST(DiffusionSynthetic, DISABLED_ErrorCalibration) {
  double zt = 0, zc = 0;
  const int n = 40;
  for (int i = 0; i < n; ++i) {
    BrownianTrajectory traj(spec(1000 + i));
    DiffusionOptions o;
    o.species = "Na";
    o.temperature_K = 500;
    o.drift_correction = false;
    const DiffusionResult r = analyze_diffusion(traj, o);
    zt += std::pow((r.D - 0.3e-4) / r.D_err, 2);
    zc += std::pow((r.D_charge - 0.3e-4) / r.D_charge_err, 2);
  }
  std::printf("RMS z tracer %.3f  charge %.3f over %d seeds\n", std::sqrt(zt / n),
              std::sqrt(zc / n), n);
}
