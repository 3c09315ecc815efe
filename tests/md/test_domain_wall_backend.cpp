// DomainWallBackend (`superion md --domain`): the wall adds nothing on the data that define it,
// its forces and virial are the derivatives of its energy (central differences), it reports the
// largest energy and violation, and an MD run inside a wall stays finite.
#include <gtest/gtest.h>

#include <memory>

#include "calculator_fd.hpp"
#include "calculators/domain_wall.hpp"
#include "domain_wall_backend.hpp"
#include "md_test_systems.hpp"
#include "single_config_dataset.hpp"

using namespace superion;

using superion::testing::dataset_of;

namespace {

// Calculator view of an MD backend, for the shared finite-difference helper.
class BackendCalculator : public Calculator {
 public:
  explicit BackendCalculator(md::ForceBackend& b) : b_(b) {}
  std::string name() const override { return b_.name(); }
  CalcResult compute(const Structure& s) const override {
    md::ForceResult f;
    f.forces.assign(s.size(), Vec3{});
    b_.compute(s, f);
    CalcResult r;
    r.energy = f.energy;
    r.forces = f.forces;
    r.virial = f.virial;
    return r;
  }

 private:
  md::ForceBackend& b_;
};

// Two-species argon-like crystal: the data define the walls, a squeezed copy violates them.
Structure two_species() {
  Structure s = superion::testing::lj_argon(2, 5.26);
  for (std::size_t i = 0; i < s.size(); i += 2) s.types[i] = 1;
  s.species_symbols = {"Ar", "Kr"};
  return s;
}

}  // namespace

TEST(DomainWallBackend, ZeroOnItsDataAndExactDerivativesOutside) {
  const Structure s = two_species();
  const DomainWalls walls = domain_from_data(dataset_of(s), 1.0, 1000.0);
  md::DomainWallBackend wall(superion::testing::lj_backend(), walls);
  auto plain = superion::testing::lj_backend();
  BackendCalculator with(wall), without(*plain);
  // On the data: identical to the plain backend (the wall is exactly zero at r_w).
  const CalcResult a = with.compute(s), b = without.compute(s);
  EXPECT_EQ(a.energy, b.energy);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) EXPECT_EQ(a.forces[i][k], b.forces[i][k]);
  EXPECT_EQ(wall.last_check().max_violation, 0.0);
  // Squeeze two atoms 0.3 A together and rattle the rest: the wall acts, and its forces and
  // virial equal central differences of the total energy (h = 1e-5 A: the cubic wall's error
  // O(k h^2) ~ 1e-7 eV/A; tolerances 1e-5 eV/A and 1e-4 eV cover round-off of ~1e3 eV terms).
  Structure q = s;
  const Vec3 d = q.positions[1] - q.positions[0];
  q.positions[1] = q.positions[1] - d * (0.3 / norm(d));
  for (std::size_t i = 2; i < q.size(); ++i) q.positions[i][i % 3] += 0.02 * ((i % 5) - 2.0);
  const CalcResult w = with.compute(q), p = without.compute(q);
  EXPECT_GT(w.energy - p.energy, 1.0);  // k/3 0.3^3 = 9 eV before the rattle
  EXPECT_GT(wall.last_check().max_violation, 0.25);
  EXPECT_FALSE(wall.last_check().worst_pair.empty());
  expect_calculator_derivatives(with, q, 1e-5, 1e-5, 1e-4);
  EXPECT_GE(wall.max_wall_energy(), w.energy - p.energy - 1e-9);
}

TEST(DomainWallBackend, RunsMdAndKeepsPairsNearTheWall) {
  const Structure s = two_species();
  // Walls at 1.02 x the data's shortest distances: every pair starts inside its wall, and MD with
  // a stiff wall pushes them out without blowing up.
  const DomainWalls walls = domain_from_data(dataset_of(s), 1.02, 1000.0);
  auto backend = std::make_unique<md::DomainWallBackend>(superion::testing::lj_backend(), walls);
  md::DomainWallBackend* view = backend.get();
  md::SimulationConfig cfg;
  cfg.timestep = 0.002;
  cfg.temperature = 60.0;
  cfg.seed = 3;
  md::Simulation sim(s, std::move(backend), md::make_thermostat("langevin", 0.1), cfg);
  sim.initialize_velocities(60.0);
  sim.run(500);
  EXPECT_GT(view->max_wall_energy(), 0.0);
  EXPECT_LT(view->last_check().max_violation, view->max_violation());
  EXPECT_TRUE(std::isfinite(sim.structure().positions[0][0]));
}
