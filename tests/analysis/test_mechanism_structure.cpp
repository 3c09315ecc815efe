// Proof tests for van Hove, partial RDFs and the density grid:
//  * free Brownian motion → 4πr² G_s(r,t) = 4πr² (4πDt)^{-3/2} exp(-r²/4Dt) (Gaussian propagator),
//  * ideal gas in a skewed triclinic cell → g(r) = 1 and G_d(r,0) = 1 beyond half the cell,
//  * density grid integrates to 1; the cube file written integrates to 1 in Bohr units.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "core/error.hpp"
#include "mechanism/density.hpp"
#include "mechanism/structure_fns.hpp"
#include "mechanism/van_hove_pymatgen.hpp"
#include "test_util.hpp"

using namespace superion;
using namespace superion::mechanism;

namespace {
Mat3 skewed_cell() {
  Mat3 c;
  c.set_row(0, {10.0, 0, 0});
  c.set_row(1, {3.0, 9.0, 0});
  c.set_row(2, {-2.0, 1.5, 11.0});
  return c;
}

FrameSeries ideal_gas(int n, int frames, unsigned seed) {
  const Mat3 cell = skewed_cell();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  SeriesBuilder b("gas", 1.0, std::vector<int>(n, 0), {"Na"});
  for (int t = 0; t < frames; ++t) {
    std::vector<Vec3> p(n);
    for (auto& q : p) q = row_times(Vec3{u(rng), u(rng), u(rng)}, cell);
    b.add(cell, p);
  }
  return b.take();
}
}  // namespace

// N = 400 walkers, D = 0.5 Å²/ps, 200 frames of 0.01 ps, lag 50 (t = 0.5 ps, 2Dt = 0.5 Å² per
// axis), σ = 0.05 Å smearing (variance adds: use 2Dt + σ² per axis in the reference, a 0.5%
// effect). Statistics: 400 × ~3 independent windows per origin stride of 50 frames ⇒ ~1e-2 relative
// noise near the peak; tolerance 0.06 absolute on a peak of ≈0.83 Å⁻¹ (≈ 4σ).
TEST(MechanismVanHove, SelfPartOfBrownianMotionIsGaussian) {
  const int N = 400, T = 200, lag = 50;
  const double D = 0.5, dt = 0.01, L = 12.0, sigma = 0.05;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> g(0.0, std::sqrt(2 * D * dt));
  std::uniform_real_distribution<double> u(0, L);
  std::vector<Vec3> r(N);
  for (auto& q : r) q = {u(rng), u(rng), u(rng)};
  SeriesBuilder b("brown", dt, std::vector<int>(N, 0), {"Na"});
  const Mat3 cell = L * Mat3::identity();
  for (int t = 0; t < T; ++t) {
    std::vector<Vec3> w(N);
    for (int i = 0; i < N; ++i) {
      Vec3 q = r[i];
      for (int k = 0; k < 3; ++k) q[k] -= L * std::floor(q[k] / L);
      w[i] = q;
      r[i] += Vec3{g(rng), g(rng), g(rng)};
    }
    b.add(cell, w);
  }
  const FrameSeries s = b.take();
  const auto na = s.atoms_of("Na");
  VanHoveOptions o;
  o.r_max = 5.0;
  o.n_grid = 101;
  o.sigma = sigma;
  o.lags = {lag};
  o.distinct = false;
  const VanHoveResult v = van_hove(s, na, na, o);
  const double var = 2 * D * lag * dt + sigma * sigma;  // per axis
  double worst = 0, area = 0;
  for (int k = 0; k < o.n_grid; ++k) {
    const double x = v.r[k];
    const double ref =
        4 * M_PI * x * x * std::pow(2 * M_PI * var, -1.5) * std::exp(-x * x / (2 * var));
    worst = std::max(worst, std::fabs(v.gs_4pir2[0][k] - ref));
    if (k) area += 0.5 * (v.gs_4pir2[0][k] + v.gs_4pir2[0][k - 1]) * (v.r[k] - v.r[k - 1]);
  }
  std::printf("van Hove self: max |4πr²Gs − Gaussian| = %.4f Å⁻¹, area = %.4f\n", worst, area);
  EXPECT_LT(worst, 0.06);
  EXPECT_NEAR(area, 1.0, 0.01);
}

TEST(MechanismRdf, IdealGasInTriclinicCellIsOne) {
  const FrameSeries s = ideal_gas(150, 40, 9);
  const auto na = s.atoms_of("Na");
  const RdfResult r = partial_rdf(s, na, na, 9.0, 18);  // r_max beyond half the narrowest width
  double mean = 0;
  int used = 0;
  for (std::size_t k = 2; k < r.g.size(); ++k) {
    // Poisson error of the bin: counts ≈ N(N-1)/V · V_shell · frames / N pairs each counted twice.
    const double shell =
        4.0 / 3.0 * M_PI * (std::pow(r.r[k] + 0.25, 3) - std::pow(r.r[k] - 0.25, 3));
    const double expected = 150.0 * 149.0 / std::fabs(det(s.cells[0])) * shell * 40;
    EXPECT_NEAR(r.g[k], 1.0, 5.0 * std::sqrt(2.0 / expected)) << "r = " << r.r[k];
    mean += r.g[k];
    ++used;
  }
  EXPECT_NEAR(mean / used, 1.0, 0.02);
  // Distinct van Hove at t = 0 of an ideal gas is 1 as well (all images counted).
  VanHoveOptions o;
  o.r_max = 8.0;
  o.n_grid = 17;
  o.sigma = 0.0;
  o.lags = {0};
  o.origin_stride = 1;
  const VanHoveResult v = van_hove(s, na, na, o);
  double m = 0;
  for (int k = 4; k < 17; ++k) m += v.gd[0][k];
  EXPECT_NEAR(m / 13, 1.0, 0.03);
}

TEST(MechanismDensity, GridIntegratesToOneAndCubeFileToo) {
  const FrameSeries s = ideal_gas(30, 20, 4);
  DensityOptions opt;
  opt.convention = DensityConvention::kEven;
  const DensityGrid g = probability_density(s, s.atoms_of("Na"), opt);
  EXPECT_EQ(g.n[0], 20);  // |a| = 10 Å
  EXPECT_EQ(g.n[1], static_cast<int>(std::ceil(std::sqrt(90.0) / 0.5)));
  double sum = 0;
  for (double x : g.rho) sum += x * g.voxel_volume;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  superion::testing::TempDir dir;
  const std::string path = (dir / "na.cube").string();
  write_cube(path, g, s);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  int natoms;
  double x, y, z;
  in >> natoms >> x >> y >> z;
  ASSERT_EQ(natoms, 30);
  int n[3];
  Mat3 vox;
  for (int k = 0; k < 3; ++k) in >> n[k] >> vox[k][0] >> vox[k][1] >> vox[k][2];
  for (int i = 0; i < natoms; ++i) {
    double z_, q, a, b, c;
    in >> z_ >> q >> a >> b >> c;
    EXPECT_EQ(z_, 11);
  }
  double total = 0, v;
  long count = 0;
  while (in >> v) {
    total += v;
    ++count;
  }
  EXPECT_EQ(count, static_cast<long>(n[0]) * n[1] * n[2]);
  EXPECT_NEAR(total * std::fabs(det(vox)), 1.0, 1e-4);  // 6 significant digits per value
  write_chgcar((dir / "CHGCAR").string(), g, s);
  EXPECT_TRUE(std::filesystem::exists(dir / "CHGCAR"));
}

// pymatgen convention by hand: |a| = 10.3 Å, spacing 0.5 → step 0.5/10.3, ceil(20.6) = 21 points
// at k·0.5 Å (the last gap 0.3 Å); an atom at 10.2 Å is 0.2 Å from point 20 and 0.1 Å from point
// 0 across the boundary, so it is counted at point 0 (nearest by the minimum image). An atom at
// 0.26 Å goes to point 1 (0.24 Å) rather than point 0 (0.26 Å). ρ = count / (N_samples V/n_grid).
TEST(MechanismDensity, PymatgenGridPointsAndNearestAssignment) {
  Mat3 cell = Mat3::identity();
  cell[0][0] = 10.3;
  cell[1][1] = 1.0;
  cell[2][2] = 1.0;
  SeriesBuilder b("line", 1.0, {0, 0}, {"Na"});
  b.add(cell, {Vec3{10.2, 0.1, 0.1}, Vec3{0.26, 0.1, 0.1}});
  const FrameSeries s = b.take();
  DensityOptions opt;
  const DensityGrid g = probability_density(s, s.atoms_of("Na"), opt);
  ASSERT_EQ(g.n[0], 21);
  EXPECT_EQ(g.n[1], 2);  // 1 Å / 0.5 Å: arange(0, 1, 0.5) has 2 points
  EXPECT_DOUBLE_EQ(g.step[0], 0.5 / 10.3);
  const double per_sample = g.size() / 10.3 / 2.0;  // 1 / (2 samples · V / n_grid)
  EXPECT_DOUBLE_EQ(g.rho[g.index(0, 0, 0)], per_sample);
  EXPECT_DOUBLE_EQ(g.rho[g.index(1, 0, 0)], per_sample);
  EXPECT_EQ(g.rho[g.index(20, 0, 0)], 0.0);
  const DensityStats st = density_stats(g);
  EXPECT_NEAR(st.integral, 1.0, 1e-14);
  EXPECT_EQ(st.min, 0.0);
  // The even grid (21 points at k/21 = k·0.4905 Å) counts the first atom at point 0 too, the
  // second at point 1 (0.26 Å is nearer 0.4905 than 0).
  opt.convention = DensityConvention::kEven;
  const DensityGrid e = probability_density(s, s.atoms_of("Na"), opt);
  ASSERT_EQ(e.n[0], 21);
  EXPECT_GT(e.rho[e.index(0, 0, 0)], 0.0);
  EXPECT_GT(e.rho[e.index(1, 0, 0)], 0.0);
}

// Framework drift: all atoms translated together by an arbitrary vector each frame give, with
// the framework's drift removed, the density of the first frame (every sample on one point).
TEST(MechanismDensity, FrameworkDriftIsRemoved) {
  const Mat3 cell = 8.0 * Mat3::identity();
  SeriesBuilder b("drift", 1.0, {0, 1, 1}, {"Na", "Cl"});
  for (int t = 0; t < 10; ++t) {
    const Vec3 shift{0.37 * t, -0.21 * t, 0.13 * t};
    b.add(cell, {Vec3{1.0, 1.0, 1.0} + shift, Vec3{4, 4, 4} + shift, Vec3{2, 6, 3} + shift});
  }
  const FrameSeries s = b.take();
  DensityOptions opt;
  opt.framework = s.atoms_not_of("Na");
  const DensityStats with = density_stats(probability_density(s, s.atoms_of("Na"), opt));
  EXPECT_NEAR(with.max * 8.0 * 8.0 * 8.0 / (16 * 16 * 16), 1.0, 1e-12);  // all on one point
  opt.framework.clear();
  const DensityStats without = density_stats(probability_density(s, s.atoms_of("Na"), opt));
  EXPECT_LT(without.max, with.max / 2);
}

TEST(MechanismStructure, BadInput) {
  const FrameSeries s = ideal_gas(10, 3, 1);
  VanHoveOptions o;
  o.lags = {5};  // beyond the 3 frames
  EXPECT_THROW(van_hove(s, s.atoms_of("Na"), s.atoms_of("Na"), o), InputError);
  EXPECT_THROW(s.atoms_of("Li"), InputError);
  DensityOptions zero;
  zero.spacing = 0.0;
  EXPECT_THROW(probability_density(s, s.atoms_of("Na"), zero), InputError);
}

// pymatgen convention: at lag 0 every self distance is 0 (bin 0), so 4πr²G_s is exactly the
// normalised Gaussian pdf(r; 0, σ) on the grid (weights 1/(avg·N) over avg·N samples); two atoms
// at a fixed distance d on the grid in a large cube give one G_d sample per origin in bin ⌊d/dr⌋:
// G_d(r_b) = pdf(0)/(N_ref · 4π r_b² · ρ) · 2 pairs / 2 reference atoms.
TEST(MechanismVanHove, PymatgenConventionAnalyticCases) {
  const double L = 30.0, d = 2.5;  // cube far larger than r_max + cell_range images
  SeriesBuilder b("pair", 0.1, {0, 0}, {"Na"});
  const Mat3 cell = L * Mat3::identity();
  for (int t = 0; t < 12; ++t) b.add(cell, {Vec3{5, 5, 5}, Vec3{5 + d, 5, 5}});
  const FrameSeries s = b.take();
  PymatgenVanHoveOptions o;
  o.avg_nsteps = 4;
  o.step_skip = 3;
  o.r_max = 5.0;
  o.n_grid = 51;  // dr = 0.1: d = 2.5 lies at grid index 25
  o.sigma = 0.2;
  const auto na = s.atoms_of("Na");
  const auto r = van_hove_pymatgen(s, na, na, {}, o);
  ASSERT_EQ(r.lags, (std::vector<int>{0, 3, 6}));  // k·3 for k ≤ ⌊(12 − 4)/3⌋
  const double rho = 2.0 / (L * L * L);
  for (std::size_t l = 0; l < r.lags.size(); ++l)
    for (int k = 0; k < o.n_grid; ++k) {
      const double x = 0.1 * k;
      const double pdf0 = std::exp(-0.5 * x * x / 0.04) / (std::sqrt(2 * M_PI) * 0.2);
      EXPECT_NEAR(r.values.gs_4pir2[l][k], pdf0, 1e-12);
      // The pair distance is binned to ⌊d/dr⌋ like the code under test (2.5/0.1 → 25).
      const int bin = static_cast<int>(d / 0.1);
      const double u = (x - bin * 0.1) / 0.2;
      const double pdf = std::exp(-0.5 * u * u) / (std::sqrt(2 * M_PI) * 0.2);
      const double shell = 4 * M_PI * (bin * 0.1) * (bin * 0.1);
      EXPECT_NEAR(r.values.gd[l][k], pdf * 2.0 / 2.0 / shell / rho, 1e-9 * pdf / shell / rho);
    }
  EXPECT_THROW(van_hove_pymatgen(s, na, na, {}, PymatgenVanHoveOptions{}), InputError);  // 12 ≤ 50
}
