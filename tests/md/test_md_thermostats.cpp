// Thermostats sample the canonical ensemble: for an Einstein crystal (64 tethered atoms, 192
// degrees of freedom, spread masses and springs) the instantaneous temperature T_i = 2K/(N_f k_B)
// must have mean T and variance 2T²/N_f (K is Gamma(N_f/2, kT) distributed). Errors of the sample
// mean and variance are estimated by block averaging (20 blocks); tolerances are 4 standard errors
// plus the O(dt²) bias of the splitting (< 0.1% at ω·dt ≤ 0.05, included as 0.002 relative).
// Also: the conserved quantity of each thermostat stays bounded.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "md/md_test_systems.hpp"
#include "simulation.hpp"

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

class Canonical : public ::testing::TestWithParam<std::string> {};

TEST_P(Canonical, EinsteinCrystalTemperatureMeanAndVariance) {
  const double T = 300.0;
  auto sys = superion::testing::tethered(64);
  SimulationConfig c;
  c.timestep = 0.001;  // fastest ω = sqrt(2 eV/Å² / 10 amu) = 44 rad/ps → ω·dt = 0.044
  c.temperature = T;
  c.seed = 2024;
  Simulation sim(sys.s, superion::testing::tether_backend(sys), make_thermostat(GetParam(), 0.1), c);
  sim.initialize_velocities(T);
  ASSERT_DOUBLE_EQ(sim.dof(), 192.0);  // tethers break translation invariance: 3N
  sim.run(10000);                      // equilibrate 10 ps = 100 τ
  std::vector<double> temps;
  const double c0 = sim.conserved_energy();
  double max_drift = 0;
  for (int k = 0; k < 40000; ++k) {  // 200 ps, sample every 5 steps
    sim.run(5);
    temps.push_back(sim.temperature());
    if (k % 100 == 0) max_drift = std::max(max_drift, std::fabs(sim.conserved_energy() - c0));
  }
  const Stats st = block_stats(temps);
  const double var_exact = 2.0 * T * T / sim.dof();
  EXPECT_NEAR(st.mean, T, 4 * st.mean_err + 0.002 * T)
      << GetParam() << ": mean " << st.mean << " ± " << st.mean_err;
  EXPECT_NEAR(st.var, var_exact, 4 * st.var_err + 0.004 * var_exact)
      << GetParam() << ": variance " << st.var << " ± " << st.var_err << " (exact " << var_exact << ")";
  // Conserved quantity: bounded O(dt²) fluctuation; the total KE+PE is ~50 eV and the bath
  // exchanges ~ (N_f kT) per τ, so a drift above 0.05 eV over 200 ps would mean a bookkeeping
  // error.
  EXPECT_LT(max_drift, 0.05) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Thermostats, Canonical, ::testing::Values("nose-hoover", "csvr", "langevin"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

}  // namespace
