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

std::unique_ptr<Simulation> make(const Nyzc& n, const std::string& thermostat, double dt, double T) {
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
  for (std::size_t i = 0; i < x0.size(); ++i) err = std::max(err, norm(sim->structure().positions[i] - x0[i]));
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
