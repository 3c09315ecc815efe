// Proof tests for anion-cluster detection and rotation: Na3ClSO4-like cell, rigid-rotor rotational
// diffusion (C_1 = exp(-2 D_r t), C_2 = exp(-6 D_r t)), uniform rotation → ω, angular density
// normalisation, LDFC on two oscillators, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/mechanism_fixtures.hpp"
#include "core/error.hpp"
#include "mechanism/ldfc.hpp"
#include "mechanism/rotation.hpp"

using namespace superion;
using namespace superion::mechanism;
using superion::testing::Antiperovskite;
using superion::testing::make_antiperovskite;

namespace {

// Frames where every SO4 is rotated by its own R_c(t) about its S; other atoms fixed.
FrameSeries rotate_clusters(const Antiperovskite& x, double dt,
                            const std::vector<std::vector<Mat3>>& R,
                            const std::vector<std::vector<Vec3>>& extra_na_shift = {}) {
  SeriesBuilder b("rotor", dt, x.types, x.symbols);
  const std::size_t T = R[0].size();
  const double L = x.cell[0][0];
  for (std::size_t t = 0; t < T; ++t) {
    auto p = x.positions;
    for (std::size_t c = 0; c < x.s_atoms.size(); ++c)
      for (int o : x.o_atoms[c]) {
        Vec3 d = x.positions[o] - x.s_centres[c];
        for (int k = 0; k < 3; ++k) d[k] -= L * std::round(d[k] / L);
        Vec3 q = x.s_centres[c] + superion::testing::apply(R[c][t], d);
        for (int k = 0; k < 3; ++k) q[k] -= L * std::floor(q[k] / L);
        p[o] = q;
      }
    if (!extra_na_shift.empty())
      for (std::size_t i = 0; i < p.size(); ++i)
        if (x.types[i] == 0) p[i] += extra_na_shift[t][i];
    b.add(x.cell, p);
  }
  return b.take();
}

}  // namespace

TEST(MechanismClusters, FindsSO4InAntiperovskiteAcrossBoundary) {
  const Antiperovskite x = make_antiperovskite(2);
  SeriesBuilder b("cell", 0.01, x.types, x.symbols);
  b.add(x.cell, x.positions);
  const FrameSeries s = b.take();
  const auto cl = find_clusters(s, "S", "O", 1.9);
  ASSERT_EQ(cl.size(), 8u);
  for (std::size_t c = 0; c < cl.size(); ++c) {
    EXPECT_EQ(cl[c].centre, x.s_atoms[c]);
    EXPECT_EQ(cl[c].ligands, x.o_atoms[c]);
  }
  const auto u = orientation_vectors(s, cl);
  ASSERT_EQ(u.size(), 32u);
  // Tetrahedral: the four unit vectors of one cluster sum to zero and have pairwise cos = -1/3.
  for (std::size_t c = 0; c < 8; ++c) {
    Vec3 sum;
    for (int k = 0; k < 4; ++k) sum += u[4 * c + k][0];
    EXPECT_LT(norm(sum), 1e-12);
    EXPECT_NEAR(dot(u[4 * c][0], u[4 * c + 1][0]), -1.0 / 3.0, 1e-12);
  }
}

TEST(MechanismClusters, BadInputIsAnInputError) {
  const Antiperovskite x = make_antiperovskite(2);
  SeriesBuilder b("cell.xyz", 0.01, x.types, x.symbols);
  b.add(x.cell, x.positions);
  EXPECT_THROW(b.add(x.cell, std::vector<Vec3>(x.positions.begin(), x.positions.end() - 1)),
               InputError);
  const FrameSeries s = b.take();
  EXPECT_THROW(find_clusters(s, "Se", "O", 1.9), InputError);  // missing species
  EXPECT_THROW(find_clusters(s, "S", "O", 5.5), InputError);   // O within reach of two S
  EXPECT_THROW(find_clusters(s, "S", "O", 1.0), InputError);   // S without ligands
  try {
    find_clusters(s, "B", "H", 1.3);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("species present: Na, Cl, S, O"), std::string::npos)
        << e.what();
  }
}

// Rotational diffusion by a seeded random walk on SO(3): each substep R ← exp([δθ]) R with
// δθ_k ~ N(0, 2 D_r δt). For this process <P_l(u(0)·u(t))> = exp(-l(l+1) D_r t) up to O(δt) in the
// exponent (δt = 1e-3 ps, D_r t ≤ 1 here → bias < 1e-3). Statistical error: 8 clusters × 4 vectors
// × ~40 independent windows of 1/(2D_r) ⇒ σ ≈ 0.02 for C_1; tolerance 0.05 (≈ 2.5σ worst lag).
TEST(MechanismRotation, RigidRotorDiffusionMatchesExponentials) {
  const Antiperovskite x = make_antiperovskite(2);
  const double Dr = 0.5, dt = 0.01;  // rad²/ps, ps per frame
  const int T = 4000, sub = 10;
  std::mt19937_64 rng(20261125);
  std::normal_distribution<double> g(0.0, std::sqrt(2 * Dr * dt / sub));
  std::vector<std::vector<Mat3>> R(8, std::vector<Mat3>(T));
  for (int c = 0; c < 8; ++c) {
    Mat3 r = Mat3::identity();
    for (int t = 0; t < T; ++t) {
      R[c][t] = r;
      for (int k = 0; k < sub; ++k) r = superion::testing::rotation({g(rng), g(rng), g(rng)}) * r;
    }
  }
  const FrameSeries s = rotate_clusters(x, dt, R);
  const auto u = orientation_vectors(s, find_clusters(s, "S", "O", 1.9));
  const auto c1 = reorientation_acf(u, 1, 300);
  const auto c2 = reorientation_acf(u, 2, 300);
  double worst1 = 0, worst2 = 0;
  for (int k = 0; k <= 200; ++k) {
    const double t = k * dt;
    worst1 = std::max(worst1, std::fabs(c1[k] - std::exp(-2 * Dr * t)));
    worst2 = std::max(worst2, std::fabs(c2[k] - std::exp(-6 * Dr * t)));
  }
  EXPECT_NEAR(c1[0], 1.0, 1e-12);
  EXPECT_NEAR(c2[0], 1.0, 1e-12);
  EXPECT_LT(worst1, 0.05);
  EXPECT_LT(worst2, 0.05);
  const RelaxationFit f1 = fit_relaxation(c1, dt), f2 = fit_relaxation(c2, dt);
  EXPECT_NEAR(f1.tau_exp_ps, 1.0 / (2 * Dr), 0.1);   // 1 ps
  EXPECT_NEAR(f2.tau_exp_ps, 1.0 / (6 * Dr), 0.04);  // 0.333 ps
  EXPECT_NEAR(f1.beta, 1.0, 0.1);
  EXPECT_NEAR(f2.tau_mean_ps, 1.0 / (6 * Dr), 0.04);
  EXPECT_TRUE(f1.resolved);
  EXPECT_NEAR(f1.tau_1e_ps, 1.0 / (2 * Dr), 0.1);
  // The same rotors seen through a 0.3-ps window (C1 ≥ 0.74 there): no time is reported, only
  // the bound τ > 0.3 ps that the data support.
  const RelaxationFit short1 = fit_relaxation(reorientation_acf(u, 1, 30), dt);
  EXPECT_FALSE(short1.resolved);
  EXPECT_DOUBLE_EQ(short1.lower_bound_ps, 30 * dt);
  EXPECT_EQ(short1.tau_exp_ps, 0.0);
  EXPECT_EQ(short1.tau_kww_ps, 0.0);
  EXPECT_EQ(short1.points, 0);
  EXPECT_GT(short1.c_end, 0.7);
  std::printf(
      "rotor: max|C1-exp|=%.4f max|C2-exp|=%.4f tau1=%.4f (1.0) tau2=%.4f (0.3333) beta1=%.3f\n",
      worst1, worst2, f1.tau_exp_ps, f2.tau_exp_ps, f1.beta);
  // Isotropic diffusion → uniform angular density 1/(4π) per steradian on coarse bins.
  const AngularMap m = angular_map(u, 6, 12, 300.0);
  double integral = 0;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 12; ++j) {
      const double dO = (2 * M_PI / 12) * (std::cos(M_PI * i / 6) - std::cos(M_PI * (i + 1) / 6));
      integral += m.rho[i][j] * dO;
      EXPECT_NEAR(m.rho[i][j] * 4 * M_PI, 1.0, 0.35) << i << "," << j;
    }
  EXPECT_NEAR(integral, 1.0, 1e-12);
}

// A rigid rotation at constant ω: the least-squares rigid ω from central differences equals
// ω·sinc(|ω|dt).
TEST(MechanismRotation, UniformRotationGivesAngularVelocity) {
  const Antiperovskite x = make_antiperovskite(2);
  const double dt = 0.005;
  const Vec3 w{0.3, -1.2, 0.7};  // rad/ps
  std::vector<std::vector<Mat3>> R(8, std::vector<Mat3>(50));
  for (int c = 0; c < 8; ++c)
    for (int t = 0; t < 50; ++t)
      R[c][t] = superion::testing::rotation(w * (t * dt * (c % 2 ? -1.0 : 1.0)));
  const FrameSeries s = rotate_clusters(x, dt, R);
  const auto om = angular_velocities(s, find_clusters(s, "S", "O", 1.9));
  const double wn = norm(w), sinc = std::sin(wn * dt) / (wn * dt);
  for (int c = 0; c < 8; ++c)
    for (int t = 1; t < 49; ++t)
      EXPECT_LT(norm(om[c][t] - w * (sinc * (c % 2 ? -1.0 : 1.0))), 1e-9);
}

// LDFC: Na oscillate harmonically at 2 THz, SO4 librate at 0.8 THz → ν_Na − ν_rot = 1.2 THz to
// within the spectral resolution 1/(L dt) = 0.1 THz.
TEST(MechanismLdfc, TwoOscillatorsGiveFrequencyDifference) {
  const Antiperovskite x = make_antiperovskite(2);
  const double dt = 0.01, fna = 2.0, frot = 0.8;
  const int T = 2000;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> ph(0, 2 * M_PI);
  std::vector<std::vector<Mat3>> R(8, std::vector<Mat3>(T));
  for (int c = 0; c < 8; ++c) {
    const Vec3 axis = Vec3{ph(rng) - 3, ph(rng) - 3, ph(rng) - 3};
    const Vec3 k = axis * (1.0 / norm(axis));
    const double p = ph(rng);
    for (int t = 0; t < T; ++t)
      R[c][t] = superion::testing::rotation(k * (0.3 * std::sin(2 * M_PI * frot * t * dt + p)));
  }
  std::vector<std::vector<Vec3>> shift(T, std::vector<Vec3>(x.types.size()));
  std::vector<double> phase(x.types.size());
  for (auto& p : phase) p = ph(rng);
  for (int t = 0; t < T; ++t)
    for (std::size_t i = 0; i < x.types.size(); ++i)
      shift[t][i] = Vec3{0.2, 0.1, -0.1} * std::cos(2 * M_PI * fna * t * dt + phase[i]);
  const FrameSeries s = rotate_clusters(x, dt, R, shift);
  LdfcOptions o;
  o.max_lag_ps = 10.0;
  const LdfcResult r = compute_ldfc(s, o);
  EXPECT_EQ(r.n_clusters, 8);
  EXPECT_NEAR(spectrum_peak(r.na), fna, 0.05);
  EXPECT_NEAR(spectrum_peak(r.rot), frot, 0.05);
  EXPECT_NEAR(r.nu_na, fna, 0.1);
  EXPECT_NEAR(r.nu_rot, frot, 0.1);
  EXPECT_NEAR(r.ldfc, fna - frot, 0.1);
  std::printf("ldfc: nu_Na=%.4f nu_rot=%.4f ldfc=%.4f (expected %.4f)\n", r.nu_na, r.nu_rot, r.ldfc,
              fna - frot);
}

// The rule on exact exponentials C = exp(−t/τ), τ = 1 ps, dt = 0.01 ps: a window of 0.99 ps (C
// ends at 0.3716 > 1/e) gives only the bound τ > 0.99 ps; a window of 1.01 ps resolves it, the 1/e
// crossing by linear interpolation within 1e-4 ps (curvature error ≤ dt²/8τ) and the fit exactly.
TEST(MechanismRotation, RelaxationTimeOnlyWhenDecayedBelowOneOverE) {
  auto sampled = [](int lags) {
    std::vector<double> c(lags + 1);
    for (int k = 0; k <= lags; ++k) c[k] = std::exp(-0.01 * k);
    return c;
  };
  const RelaxationFit a = fit_relaxation(sampled(99), 0.01);
  EXPECT_FALSE(a.resolved);
  EXPECT_NEAR(a.lower_bound_ps, 0.99, 1e-12);
  EXPECT_EQ(a.tau_exp_ps, 0.0);
  const RelaxationFit b = fit_relaxation(sampled(101), 0.01);
  ASSERT_TRUE(b.resolved);
  EXPECT_NEAR(b.tau_1e_ps, 1.0, 1e-4);
  EXPECT_NEAR(b.tau_exp_ps, 1.0, 1e-12);
  EXPECT_NEAR(b.beta, 1.0, 1e-9);
  EXPECT_EQ(b.lower_bound_ps, 0.0);
}
