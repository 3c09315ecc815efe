// MD with a real 4-species sodium-conductor MTP (NYZC, Wu et al. 2021, level 14, from
// ../shared/data/mtp/nyzc) on the 37-atom Na9Y1Zr3Cl24 cell of data/nyzc (built by
// scripts/build_nyzc_cell.py): NVE energy drift, time reversibility, bit-identical continuation,
// and the min_dist/2 stop.
#include <gtest/gtest.h>

#include <cmath>

#include "md_setup.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp_backend.hpp"
#include "simulation.hpp"
#include "test_util.hpp"

namespace {

using namespace superion;
using namespace superion::md;

// Equilibrated 20 ps at 600 K (Langevin) from data/nyzc/nyzc37.vasp (docs/md.md).
const char* kCell = SUPERION_SOURCE_DIR "/data/nyzc/nyzc37_eq600K.vasp";

struct Nyzc {
  Mtp model;
  Structure s;
};

Nyzc load(const std::filesystem::path& pot) {
  Nyzc n{read_mtp(pot.string()), {}};
  n.s = load_md_structure(kCell, "auto", {"Na", "Y", "Zr", "Cl"}, n.model);
  return n;
}

std::unique_ptr<Simulation> make(const Nyzc& n, const std::string& thermostat, double dt,
                                 double T) {
  SimulationConfig c;
  c.timestep = dt;
  c.temperature = T;
  c.seed = 99;
  c.max_temperature = 5000;
  auto sim = std::make_unique<Simulation>(n.s, std::make_unique<MtpCpuBackend>(n.model, 1.0),
                                          make_thermostat(thermostat, 0.1), c);
  sim->initialize_velocities(T);
  return sim;
}

// Least-squares slope of y(t).
double slope(const std::vector<double>& t, const std::vector<double>& y) {
  double mt = 0, my = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    mt += t[k];
    my += y[k];
  }
  mt /= t.size();
  my /= t.size();
  double num = 0, den = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    num += (t[k] - mt) * (y[k] - my);
    den += (t[k] - mt) * (t[k] - mt);
  }
  return num / den;
}

TEST(MdNyzc, NveEnergyDriftBelow1e5EvPerAtomPerPs) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  const Nyzc n = load(pot);
  auto sim = make(n, "none", 0.001, 600.0);
  std::vector<double> t, e;
  for (int k = 0; k < 200; ++k) {  // 2 ps at 1 fs
    sim->run(10);
    t.push_back(sim->time_ps());
    e.push_back(sim->conserved_energy() / n.s.size());
  }
  const double drift = slope(t, e);
  RecordProperty("nve_drift_eV_per_atom_per_ps", std::to_string(drift));
  std::printf("NYZC NVE 600 K, dt 1 fs, 2 ps: drift %.3e eV/atom/ps, T_end %.1f K\n", drift,
              sim->temperature());
  // The bound; a velocity-Verlet run with a smooth potential has no secular drift, only
  // bounded O(dt²) fluctuations, which the 2 ps fit averages.
  EXPECT_LT(std::fabs(drift), 1e-5);
}

TEST(MdNyzc, CsvrCanonicalTemperatureFluctuations) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  const Nyzc n = load(pot);
  auto sim = make(n, "csvr", 0.002, 600.0);
  sim->run(1000);  // 2 ps
  std::vector<double> T;
  for (int k = 0; k < 2000; ++k) {  // 20 ps, every 10 fs
    sim->run(5);
    T.push_back(sim->temperature());
  }
  // Block averages (10 blocks of 2 ps = 20 τ): standard errors of the mean and the variance.
  const int blocks = 10, per = 200;
  double mean = 0, var = 0;
  for (double t : T) mean += t / T.size();
  for (double t : T) var += (t - mean) * (t - mean) / T.size();
  double se_m = 0, se_v = 0;
  for (int b = 0; b < blocks; ++b) {
    double m = 0, v = 0;
    for (int k = b * per; k < (b + 1) * per; ++k) m += T[k] / per;
    for (int k = b * per; k < (b + 1) * per; ++k) v += (T[k] - mean) * (T[k] - mean) / per;
    se_m += (m - mean) * (m - mean);
    se_v += (v - var) * (v - var);
  }
  se_m = std::sqrt(se_m / (blocks - 1) / blocks);
  se_v = std::sqrt(se_v / (blocks - 1) / blocks);
  const double canonical = 2.0 * 600.0 * 600.0 / sim->dof();
  std::printf("NYZC CSVR 600 K: <T> = %.1f ± %.1f K, var %.0f ± %.0f K² (canonical %.0f)\n", mean,
              se_m, var, se_v, canonical);
  // 4 standard errors (the O(dt²) bias at 2 fs is far below these).
  EXPECT_NEAR(mean, 600.0, 4 * se_m);
  EXPECT_NEAR(var, canonical, 4 * se_v);
}

TEST(MdNyzc, TimeReversible) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  const Nyzc n = load(pot);
  auto sim = make(n, "none", 0.001, 600.0);
  const std::vector<Vec3> x0 = sim->structure().positions;
  sim->run(200);
  std::vector<Vec3> v = sim->velocities();
  for (Vec3& u : v) u = -u;
  sim->set_velocities(v);
  sim->run(200);
  double err = 0;
  for (std::size_t i = 0; i < x0.size(); ++i)
    err = std::max(err, norm(sim->structure().positions[i] - x0[i]));
  std::printf("NYZC reversibility after 2 x 200 steps: max |x - x0| = %.2e A\n", err);
  // Exact reversibility up to rounding amplified over 0.4 ps (the 1e-8 Å bound).
  EXPECT_LT(err, 1e-8);
}

TEST(MdNyzc, ContinuationFromSnapshotIsBitIdentical) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  const Nyzc n = load(pot);
  auto straight = make(n, "langevin", 0.002, 600.0);
  straight->run(100);
  auto first = make(n, "langevin", 0.002, 600.0);
  first->run(50);
  auto second = make(n, "langevin", 0.002, 600.0);
  second->restore(first->snapshot());
  second->run(50);
  for (std::size_t i = 0; i < n.s.size(); ++i) {
    EXPECT_EQ(second->structure().positions[i].x, straight->structure().positions[i].x);
    EXPECT_EQ(second->velocities()[i].z, straight->velocities()[i].z);
  }
}

TEST(MdNyzc, AtomsCloserThanHalfMinDistStop) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  Nyzc n = load(pot);
  n.s.positions[1] = n.s.positions[0] + Vec3{0.9, 0, 0};  // min_dist/2 = 1.065 Å
  auto sim = make(n, "none", 0.001, 300.0);
  try {
    sim->potential_energy();
    FAIL() << "no error";
  } catch (const SimulationError& e) {
    EXPECT_NE(std::string(e.what()).find("atoms 1 (Na) and 2 (Na)"), std::string::npos) << e.what();
  }
}

}  // namespace
