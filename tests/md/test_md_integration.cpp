// The MD driver with the I/O modules: `--freeze-rotation` keeps every SO4 cluster's orientation
// constant while its centre moves (Langevin MD of a soft-LJ Na3ClSO4 antiperovskite), and the
// CLI's checkpoint/resume reproduces an uninterrupted run bit for bit (thermo CSV, checkpoint
// contents, H5MD frames).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "analysis/mechanism_fixtures.hpp"
#include "checkpoint.hpp"
#include "core/geometry.hpp"
#include "md_io_hooks.hpp"
#include "pair_backends.hpp"
#include "simulation.hpp"
#include "test_util.hpp"
#include "trajectory.hpp"

namespace {

using namespace superion;
using namespace superion::md;

// The antiperovskite fixture as a Structure.
Structure structure_of(const superion::testing::Antiperovskite& x) {
  Structure s;
  s.cell = x.cell;
  s.positions = x.positions;
  s.types = x.types;
  s.species_symbols = x.symbols;
  return s;
}

// Langevin MD of s at 1500 K (2 fs steps, τ = 0.1 ps) under a soft Lennard-Jones potential.
std::unique_ptr<Simulation> hot_langevin_md(const Structure& s, std::uint64_t seed) {
  SimulationConfig c;
  c.timestep = 0.002;
  c.temperature = 1500.0;
  c.seed = seed;
  c.max_temperature = 1e5;
  return std::make_unique<Simulation>(s, std::make_unique<LennardJonesBackend>(0.02, 2.0, 5.0, 0.5),
                                      make_thermostat("langevin", 0.1), c);
}

TEST(MdFreezeRotation, ClusterOrientationConstantWhileCentresMove) {
  const auto x = superion::testing::make_antiperovskite(2);
  const Structure s = structure_of(x);
  const std::unique_ptr<Simulation> md = hot_langevin_md(s, 5);
  Simulation& sim = *md;
  sim.set_constraint(make_rotation_freeze(s, "SO4"));
  EXPECT_DOUBLE_EQ(sim.dof(), 3.0 * 72 - 8 * 12);  // 72 atoms, 8 SO4 clusters, 3·5 − 3 = 12 each
  sim.initialize_velocities(1500.0);
  const Mat3 inv = inverse(s.cell);
  const bool pbc[3] = {true, true, true};
  auto bonds = [&](const Structure& st) {
    std::vector<Vec3> b;
    for (std::size_t k = 0; k < x.s_atoms.size(); ++k)
      for (int o : x.o_atoms[k])
        b.push_back(minimum_image(st.positions[o] - st.positions[x.s_atoms[k]], st.cell, inv, pbc));
    return b;
  };
  const auto b0 = bonds(sim.structure());
  const std::vector<Vec3> start = sim.structure().positions;
  sim.run(3000);  // 6 ps
  const auto b1 = bonds(sim.structure());
  double worst = 0;
  for (std::size_t k = 0; k < b0.size(); ++k) worst = std::max(worst, norm(b1[k] - b0[k]));
  double moved = 0;
  for (int a : x.s_atoms) moved += norm(sim.structure().positions[a] - start[a]) / x.s_atoms.size();
  std::printf("freeze-rotation: S–O vectors constant to %.2e A, mean S displacement %.3f A\n",
              worst, moved);
  EXPECT_LT(worst, 1e-8);  // the bound; only rounding changes the offsets
  EXPECT_GT(moved, 0.3);   // the centres move (thermal motion at 1500 K over 6 ps)
}

TEST(MdFreezeRotation, ContinuationThroughCheckpointFileIsBitIdentical) {
  const Structure s = structure_of(superion::testing::make_antiperovskite(2));
  auto make = [&s] { return hot_langevin_md(s, 6); };
  auto straight = make();
  straight->set_constraint(make_rotation_freeze(s, "SO4"));
  straight->initialize_velocities(1500.0);
  straight->run(400);
  auto first = make();
  first->set_constraint(make_rotation_freeze(s, "SO4"));
  first->initialize_velocities(1500.0);
  first->run(200);
  superion::testing::TempDir dir;
  save_checkpoint(dir / "f.ckpt", first->snapshot(), {});
  const MdSnapshot snap = load_checkpoint(dir / "f.ckpt");
  auto second = make();
  second->set_constraint(make_rotation_freeze(snap.structure, "SO4", &snap.constraint_state));
  second->restore(snap);
  second->run(200);
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(second->structure().positions[i].x, straight->structure().positions[i].x);
    EXPECT_EQ(second->velocities()[i].z, straight->velocities()[i].z);
  }
}

using ::superion::testing::run_superion;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class MdCliResume : public ::testing::TestWithParam<std::string> {};

TEST_P(MdCliResume, TwoNStepsEqualNPlusResumeN) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  superion::testing::TempDir dir;
  const std::string base = "md --potential " + pot.string() +
                           " --structure " SUPERION_SOURCE_DIR
                           "/data/nyzc/nyzc37_eq600K.vasp --species Na,Y,Zr,Cl --temperature 600 "
                           "--timestep 2fs --tdamp 50fs --seed 8 --thermo-every 5 --traj-every 10 "
                           "--traj-velocities --quiet --thermostat " +
                           GetParam();
  auto d = [&](const char* f) { return (dir / f).string(); };
  std::string out;
  ASSERT_EQ(run_superion(base + " --steps 40 --thermo " + d("a.csv") + " --traj " + d("a.h5") +
                             " --checkpoint " + d("a.ckpt"),
                         &out),
            0)
      << out;
  ASSERT_EQ(run_superion(base + " --steps 20 --thermo " + d("b.csv") + " --traj " + d("b.h5") +
                             " --restart-every 10 --checkpoint " + d("b.ckpt"),
                         &out),
            0)
      << out;
  ASSERT_EQ(run_superion(base + " --steps 40 --resume " + d("b.ckpt") + " --thermo " + d("b.csv") +
                             " --traj " + d("b.h5") + " --checkpoint " + d("b.ckpt"),
                         &out),
            0)
      << out;
  EXPECT_EQ(slurp(dir / "a.csv"), slurp(dir / "b.csv"));
  const Checkpoint a = read_checkpoint(dir / "a.ckpt"), b = read_checkpoint(dir / "b.ckpt");
  ASSERT_EQ(a.step, 40);
  ASSERT_EQ(b.step, 40);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.positions[i].x, b.positions[i].x);
    EXPECT_EQ(a.positions[i].y, b.positions[i].y);
    EXPECT_EQ(a.velocities[i].z, b.velocities[i].z);
  }
  EXPECT_EQ(a.thermostat_state, b.thermostat_state);
  // H5MD: the resumed file has the same frames (steps 0, 10, … 40) with identical positions.
  auto ta = superion::analysis::open_trajectory(d("a.h5")),
       tb = superion::analysis::open_trajectory(d("b.h5"));
  superion::analysis::Frame fa, fb;
  int frames = 0;
  while (ta->next(fa)) {
    ASSERT_TRUE(tb->next(fb));
    EXPECT_EQ(fa.step, fb.step);
    for (std::size_t i = 0; i < fa.positions.size(); ++i) {
      EXPECT_EQ(fa.positions[i].x, fb.positions[i].x);
      EXPECT_EQ(fa.velocities[i].y, fb.velocities[i].y);
      EXPECT_EQ(fa.images[i], fb.images[i]);
    }
    ++frames;
  }
  EXPECT_FALSE(tb->next(fb));
  EXPECT_EQ(frames, 5);
}

INSTANTIATE_TEST_SUITE_P(Thermostats, MdCliResume,
                         ::testing::Values("nose-hoover", "langevin", "csvr"),
                         superion::testing::StringParamName());

}  // namespace
