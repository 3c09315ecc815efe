// Thermostats sample the canonical ensemble: for an Einstein crystal (64 tethered atoms, 192
// degrees of freedom, spread masses and springs) the instantaneous temperature T_i = 2K/(N_f k_B)
// must have mean T and variance 2T²/N_f (K is Gamma(N_f/2, kT) distributed). Errors of the sample
// mean and variance are estimated by block averaging (20 blocks); tolerances are 4 standard errors
// plus the O(dt²) bias of the splitting (< 0.1% at ω·dt ≤ 0.05, included as 0.002 relative).
// Also: the conserved quantity of each thermostat stays bounded.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "md/md_test_systems.hpp"
#include "simulation.hpp"
#include "test_util.hpp"

namespace {

using namespace superion;
using namespace superion::md;

struct Stats {
  double mean, mean_err, var, var_err;
};

Stats block_stats(const std::vector<double>& x, int blocks = 20) {
  const std::size_t per = x.size() / blocks;
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
  double var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  var /= x.size();
  std::vector<double> bm, bv;
  for (int b = 0; b < blocks; ++b) {
    double m = 0, q = 0;
    for (std::size_t k = b * per; k < (b + 1) * per; ++k) m += x[k];
    m /= per;
    for (std::size_t k = b * per; k < (b + 1) * per; ++k) q += (x[k] - mean) * (x[k] - mean);
    bm.push_back(m);
    bv.push_back(q / per);
  }
  auto sem = [&](const std::vector<double>& y, double centre) {
    double s = 0;
    for (double v : y) s += (v - centre) * (v - centre);
    return std::sqrt(s / (y.size() - 1) / y.size());
  };
  return {mean, sem(bm, mean), var, sem(bv, var)};
}

// Samples T_i every `stride` steps after `equil` steps; checks mean and variance against the
// canonical values and the conserved quantity against a bound.
void check_canonical(Simulation& sim, const std::string& label, int equil, int samples, int stride,
                     double conserved_bound) {
  const double T = sim.config().temperature;
  sim.run(equil);
  std::vector<double> temps;
  const double c0 = sim.conserved_energy();
  double max_drift = 0;
  for (int k = 0; k < samples; ++k) {
    sim.run(stride);
    temps.push_back(sim.temperature());
    if (k % 100 == 0) max_drift = std::max(max_drift, std::fabs(sim.conserved_energy() - c0));
  }
  const Stats st = block_stats(temps);
  const double var_exact = 2.0 * T * T / sim.dof();
  std::printf(
      "%s: <T> = %.2f ± %.2f K (target %.1f), var %.1f ± %.1f K² (canonical %.1f), "
      "conserved within %.2e eV\n",
      label.c_str(), st.mean, st.mean_err, T, st.var, st.var_err, var_exact, max_drift);
  EXPECT_NEAR(st.mean, T, 4 * st.mean_err + 0.002 * T) << label;
  EXPECT_NEAR(st.var, var_exact, 4 * st.var_err + 0.004 * var_exact) << label;
  EXPECT_LT(max_drift, conserved_bound) << label;
}

// Langevin acts on every atom, so even independent harmonic oscillators are driven to the
// canonical ensemble. (Global thermostats — Nosé–Hoover, CSVR — only rescale the total kinetic
// energy and cannot exchange energy between uncoupled normal modes: a harmonic system is not
// ergodic for them. They are tested on the anharmonic Lennard-Jones crystal below, where the
// canonical KE distribution Gamma(N_f/2, kT) is equally exact.)
TEST(Canonical, EinsteinCrystalLangevin) {
  auto sys = superion::testing::tethered(64);
  SimulationConfig c;
  c.timestep = 0.001;  // fastest ω = sqrt(2 eV/Å² / 10 amu) = 44 rad/ps → ω·dt = 0.044
  c.temperature = 300.0;
  c.seed = 2024;
  Simulation sim(sys.s, superion::testing::tether_backend(sys), make_thermostat("langevin", 0.1),
                 c);
  sim.initialize_velocities(300.0);
  ASSERT_DOUBLE_EQ(sim.dof(), 192.0);  // tethers and noise break translation invariance: 3N
  // 10 ps equilibration, 200 ps sampled every 5 fs. The total energy is ~60 eV; the bath
  // bookkeeping (conserved = KE + PE − heat) drifts only by the O(dt²) splitting error.
  check_canonical(sim, "Einstein crystal, langevin", 10000, 40000, 5, 0.05);
}

class CanonicalLj : public ::testing::TestWithParam<std::string> {};

TEST_P(CanonicalLj, LennardJonesCrystalTemperatureMeanAndVariance) {
  SimulationConfig c;
  c.timestep = 0.004;  // argon: highest phonon ≈ 2 THz → ω·dt ≈ 0.05
  c.temperature = 60.0;
  c.seed = 77;
  Simulation sim(superion::testing::lj_argon(2), superion::testing::lj_backend(),
                 make_thermostat(GetParam(), 0.2), c);
  sim.initialize_velocities(60.0);
  // 32 atoms; 20 ps equilibration, 400 ps sampled every 20 fs (~2000 thermostat times).
  check_canonical(sim, "LJ argon, " + GetParam(), 5000, 20000, 5, 0.01);
}

INSTANTIATE_TEST_SUITE_P(Thermostats, CanonicalLj,
                         ::testing::Values("nose-hoover", "csvr", "langevin"),
                         superion::testing::StringParamName());

}  // namespace
