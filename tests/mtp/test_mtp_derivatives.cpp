// Forces = −∂E/∂r and virial (PlusStress) = −∂E/∂ε by central finite differences on random
// triclinic cells, for several levels with random 2-species coefficients and for the published
// 4-species Na-Y-Zr-Cl potentials. Also: thread-count independence and species checks.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>

#include "core/error.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp_test_helpers.hpp"
#include "test_util.hpp"

using namespace superion;
using superion::testing::random_structure;
using superion::testing::randomize;

namespace {

double energy(const MtpEvaluator& ev, const Structure& s) {
  return ev.evaluate(s).energy;
}

Structure strained(const Structure& s, int a, int b, double eps) {
  Structure t = s;
  // r'_x = r_x + eps·δ_xa·r_b for positions and cell rows.
  auto apply = [&](Vec3 v) {
    v[a] += eps * v[b];
    return v;
  };
  for (auto& p : t.positions) p = apply(p);
  for (int r = 0; r < 3; ++r) t.cell.set_row(r, apply(s.cell.row(r)));
  return t;
}

// Central differences with step h; the truncation error is O(h² E''') ≈ 1e-8 relative here, far
// below the tolerance, and the round-off error is ~1e-16·|E|/h ≈ 1e-10 relative.
void check_derivatives(const MtpEvaluator& ev, const Structure& s, double tol) {
  const MtpPrediction p = ev.evaluate(s);
  const double h = 1e-5;
  double fscale = 0, worst_f = 0;
  for (const auto& f : p.forces)
    fscale = std::max({fscale, std::fabs(f.x), std::fabs(f.y), std::fabs(f.z)});
  ASSERT_GT(fscale, 0.0);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) {
      Structure a = s, b = s;
      a.positions[i][k] += h;
      b.positions[i][k] -= h;
      const double fd = -(energy(ev, a) - energy(ev, b)) / (2 * h);
      worst_f = std::max(worst_f, std::fabs(fd - p.forces[i][k]) / fscale);
    }
  double wscale = 0, worst_w = 0;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) wscale = std::max(wscale, std::fabs(p.virial[a][b]));
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      const double fd =
          -(energy(ev, strained(s, a, b, h)) - energy(ev, strained(s, a, b, -h))) / (2 * h);
      worst_w = std::max(worst_w, std::fabs(fd - p.virial[a][b]) / wscale);
    }
  double esum = 0;
  for (double e : p.site_energies) esum += e;
  EXPECT_NEAR(esum, p.energy, 1e-12 * std::fabs(p.energy) + 1e-12);
  std::printf("level %d, %zu atoms: max FD deviation forces %.2e, virial %.2e (relative to max)\n",
              ev.model().level(), s.size(), worst_f, worst_w);
  EXPECT_LE(worst_f, tol);
  EXPECT_LE(worst_w, tol);
}

}  // namespace

class MtpFiniteDifference : public ::testing::TestWithParam<const char*> {};

TEST_P(MtpFiniteDifference, ForcesAndVirialOnRandomTriclinicCell) {
  SUPERION_REQUIRE_SHARED(path, std::string("mtp/untrained/") + GetParam() + ".mtp");
  Mtp m = read_mtp(path);
  m.set_species_count(2);
  std::mt19937 rng(1234);
  randomize(m, rng);
  const MtpEvaluator ev(m);
  // ~3 Å spacing in a cell of ~7 Å: many neighbours, several periodic images, some r < min_dist.
  const Structure s = random_structure(rng, 14, 2, 7.0, 1.7);
  check_derivatives(ev, s, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Levels, MtpFiniteDifference,
                         ::testing::Values("02", "06", "08", "10", "12", "16"));

TEST(MtpFiniteDifference, PublishedNaYZrClPotentials) {
  for (const char* f : {"mtp/nyzc/fitted.mtp.2021.02.mtp", "mtp/nyzc/fitted.mtp.2022.09.mtp"}) {
    SUPERION_REQUIRE_SHARED(path, f);
    const MtpEvaluator ev(read_mtp(path));
    ASSERT_EQ(ev.model().species_count, 4);
    std::mt19937 rng(7);
    const Structure s = random_structure(rng, 16, 4, 8.0, 2.4);
    const MtpPrediction p = ev.evaluate(s);
    ASSERT_TRUE(std::isfinite(p.energy));
    check_derivatives(ev, s, 1e-6);
  }
}

TEST(MtpEvaluator, ResultsIndependentOfThreadCount) {
  SUPERION_REQUIRE_SHARED(path, "mtp/untrained/10.mtp");
  Mtp m = read_mtp(path);
  m.set_species_count(2);
  std::mt19937 rng(99);
  randomize(m, rng);
  const MtpEvaluator ev(m);
  const Structure s = random_structure(rng, 40, 2, 9.0, 1.8);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const MtpPrediction a = ev.evaluate(s);
  omp_set_num_threads(3);
  const MtpPrediction b = ev.evaluate(s);
  omp_set_num_threads(saved);
  EXPECT_EQ(a.energy, b.energy);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) EXPECT_EQ(a.forces[i][k], b.forces[i][k]);
  for (int x = 0; x < 3; ++x)
    for (int y = 0; y < 3; ++y) EXPECT_EQ(a.virial[x][y], b.virial[x][y]);
}

TEST(MtpEvaluator, UnknownSpeciesIsAnError) {
  SUPERION_REQUIRE_SHARED(path, "mtp/trained/Li_L06_mlip2.mtp");
  const MtpEvaluator ev(read_mtp(path));
  std::mt19937 rng(5);
  Structure s = random_structure(rng, 6, 2, 6.0, 2.0);  // types 0 and 1, the potential has 1
  try {
    ev.evaluate(s);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("species type 1"), std::string::npos) << e.what();
  }
}

TEST(MtpEvaluator, IsolatedAtomHasSpeciesEnergy) {
  SUPERION_REQUIRE_SHARED(path, "mtp/trained/example2sp_L06_mlip2.mtp");
  const Mtp m = read_mtp(path);
  const MtpEvaluator ev(m);
  Structure s;
  s.pbc = {false, false, false};
  s.positions = {{0, 0, 0}, {20, 0, 0}};
  s.types = {0, 1};
  const MtpPrediction p = ev.evaluate(s);
  EXPECT_DOUBLE_EQ(p.energy, m.species_coeffs[0] + m.species_coeffs[1]);
}
