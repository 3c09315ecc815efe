// MD core: Philox known answers, Maxwell–Boltzmann initial velocities, NVE energy conservation
// and time reversibility (Lennard-Jones argon), triclinic cells, Verlet-skin invariance, and
// bit-identical continuation from a snapshot for every thermostat.
#include <gtest/gtest.h>

#include <cmath>

#include "core/units.hpp"
#include "md/md_test_systems.hpp"
#include "rng.hpp"
#include "simulation.hpp"

namespace {

using namespace superion;
using namespace superion::md;

SimulationConfig lj_config(double T = 60.0) {
  SimulationConfig c;
  c.timestep = 0.004;  // 4 fs: ~1/100 of the fastest argon vibration period
  c.temperature = T;
  c.seed = 12345;
  return c;
}

std::unique_ptr<Simulation> lj_sim(const std::string& thermostat = "none", bool skew = false) {
  auto sim = std::make_unique<Simulation>(superion::testing::lj_argon(3, 5.26, skew),
                                          superion::testing::lj_backend(),
                                          make_thermostat(thermostat, 0.2), lj_config());
  sim->initialize_velocities(60.0);
  return sim;
}

// Published known-answer vectors of Philox4x32-10 (Random123 kat_vectors).
TEST(MdRng, PhiloxKnownAnswers) {
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (PhiloxBlock{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
  EXPECT_EQ(philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
                          {0xffffffffu, 0xffffffffu}),
            (PhiloxBlock{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
}

TEST(MdRng, NormalMoments) {
  // 2e5 normals: standard errors 2.2e-3 (mean) and 3.2e-3 (variance); 5 sigma tolerances.
  double s1 = 0, s2 = 0;
  const int n = 100000;
  for (int k = 0; k < n; ++k) {
    const NormalPair p = normal_pair(42, RngStream::kTest, 7, static_cast<std::uint64_t>(k));
    s1 += p.a + p.b;
    s2 += p.a * p.a + p.b * p.b;
  }
  EXPECT_NEAR(s1 / (2 * n), 0.0, 0.011);
  EXPECT_NEAR(s2 / (2 * n), 1.0, 0.016);
}

TEST(MdCore, MaxwellBoltzmannExactTemperatureZeroMomentum) {
  auto sim = lj_sim();
  EXPECT_NEAR(sim->temperature(), 60.0, 1e-10);  // rescaled exactly (rounding only)
  Vec3 p{};
  for (std::size_t i = 0; i < sim->velocities().size(); ++i)
    p += sim->masses()[i] * sim->velocities()[i];
  EXPECT_LT(norm(p), 1e-10);  // amu Å/ps, sum of 108 terms of ~100 → rounding ~1e-12
  EXPECT_DOUBLE_EQ(sim->dof(), 3.0 * 108 - 3);
}

TEST(MdCore, NveConservesEnergyLennardJones) {
  auto sim = lj_sim();
  const double e0 = sim->conserved_energy();
  double max_dev = 0;
  for (int k = 0; k < 50; ++k) {
    sim->run(50);
    max_dev = std::max(max_dev, std::fabs(sim->conserved_energy() - e0));
  }
  // Velocity Verlet at dt = 4 fs keeps the energy within a bounded O(dt²) band: for 108 argon
  // atoms at 60 K (KE ≈ 0.83 eV) the band is ~1e-4 eV; 1e-3 eV fails for a broken integrator.
  std::printf("LJ NVE: max |E - E0| = %.2e eV over 2500 steps\n", max_dev);
  EXPECT_LT(max_dev, 1e-3);
  EXPECT_GT(sim->backend().list_builds(), 1u);  // the skin was exceeded and the list rebuilt
}

TEST(MdCore, TimeReversibleLennardJones) {
  auto sim = lj_sim();
  const std::vector<Vec3> x0 = sim->structure().positions;
  sim->run(300);
  std::vector<Vec3> v = sim->velocities();
  for (Vec3& u : v) u = -u;
  sim->set_velocities(v);
  sim->run(300);
  double max_err = 0;
  for (std::size_t i = 0; i < x0.size(); ++i)
    max_err = std::max(max_err, norm(sim->structure().positions[i] - x0[i]));
  std::printf("LJ reversibility: max |x - x0| = %.2e A\n", max_err);
  // Velocity Verlet is exactly reversible in exact arithmetic; rounding (1e-16 relative) grows
  // with the Lyapunov exponent over 2×300 steps (measured 1e-14 Å). 1e-8 Å is the bound.
  EXPECT_LT(max_err, 1e-8);
}

TEST(MdCore, TriclinicRepresentationGivesSameDynamics) {
  auto a = lj_sim("none", false), b = lj_sim("none", true);
  EXPECT_NEAR(a->potential_energy(), b->potential_energy(), 1e-10);
  a->run(100);
  b->run(100);
  double max_err = 0;
  for (std::size_t i = 0; i < a->structure().size(); ++i)
    max_err = std::max(max_err, norm(a->structure().positions[i] - b->structure().positions[i]));
  // Same lattice, same atoms: only the summation order of the cell-list differs (rounding).
  EXPECT_LT(max_err, 1e-9);
  EXPECT_NEAR(a->pressure_gpa(), b->pressure_gpa(), 1e-9);
}

TEST(MdCore, SkinDoesNotChangeForcesBitwise) {
  // With continuous positions the list's (j, image) keys never change, so a skin of 0 (rebuild
  // every step) and of 2 Å give bit-identical trajectories.
  auto run = [](double skin) {
    Simulation sim(superion::testing::lj_argon(),
                   std::make_unique<LennardJonesBackend>(0.0104, 3.4, 7.0, skin),
                   make_thermostat("none", 0), lj_config());
    sim.initialize_velocities(60.0);
    sim.run(200);
    return sim.structure().positions;
  };
  const auto p0 = run(1e-9), p2 = run(2.0);
  for (std::size_t i = 0; i < p0.size(); ++i) {
    EXPECT_EQ(p0[i].x, p2[i].x);
    EXPECT_EQ(p0[i].y, p2[i].y);
    EXPECT_EQ(p0[i].z, p2[i].z);
  }
}

class MdResume : public ::testing::TestWithParam<std::string> {};

TEST_P(MdResume, SnapshotContinuationIsBitIdentical) {
  auto straight = lj_sim(GetParam());
  straight->run(400);
  auto first = lj_sim(GetParam());
  first->run(200);
  const MdSnapshot snap = first->snapshot();
  Simulation second(superion::testing::lj_argon(), superion::testing::lj_backend(),
                    make_thermostat(GetParam(), 0.2), lj_config());
  second.restore(snap);
  second.run(200);
  ASSERT_EQ(second.step_index(), straight->step_index());
  for (std::size_t i = 0; i < second.structure().size(); ++i) {
    EXPECT_EQ(second.structure().positions[i].x, straight->structure().positions[i].x);
    EXPECT_EQ(second.structure().positions[i].z, straight->structure().positions[i].z);
    EXPECT_EQ(second.velocities()[i].y, straight->velocities()[i].y);
  }
  EXPECT_EQ(second.conserved_energy(), straight->conserved_energy());
}

INSTANTIATE_TEST_SUITE_P(Thermostats, MdResume,
                         ::testing::Values("none", "nose-hoover", "csvr", "langevin"));

TEST(MdCore, TemperatureBlowUpStops) {
  SimulationConfig c = lj_config();
  c.max_temperature = 100.0;
  Simulation sim(superion::testing::lj_argon(), superion::testing::lj_backend(),
                 make_thermostat("none", 0), c);
  sim.initialize_velocities(500.0);
  EXPECT_THROW(sim.step(), SimulationError);
}

TEST(MdCore, LostAtomStops) {
  Simulation sim(superion::testing::lj_argon(), superion::testing::lj_backend(),
                 make_thermostat("none", 0), lj_config());
  std::vector<Vec3> v(sim.structure().size());
  v[5] = {1e4, 0, 0};  // 40 Å in one 4 fs step
  sim.set_velocities(v);
  try {
    sim.step();
    FAIL() << "no error";
  } catch (const SimulationError& e) {
    EXPECT_NE(std::string(e.what()).find("atom 6"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("lost atom"), std::string::npos) << e.what();
  }
}

}  // namespace
