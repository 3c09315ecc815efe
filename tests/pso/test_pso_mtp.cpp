// Issue #11's last proof: structure search with a trained antiperovskite MTP. The level-10 MTP of
// tests/data/pso/ was fitted to the project's 22 PBE-D3 AIMD frames of cubic Na3ClSO4
// (data/reference/Na3ClSO4/md_*.xyz; command in tests/data/pso/README.md). Without a domain it
// extrapolates into spurious holes; with the domain wall built from the same frames the cubic
// antiperovskite (P-43m: Cl in the Na6 octahedron, SO4 on the corner with S–O along <111>) is among
// the two lowest structures of every seed (docs/pso.md has the 10-seed numbers).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "calculators/calculator.hpp"
#include "calculators/domain_wall.hpp"
#include "core/error.hpp"
#include "io/formats.hpp"
#include "pso/pso.hpp"
#include "pso/symmetry.hpp"

using namespace superion;

namespace {

const std::filesystem::path kSource(SUPERION_SOURCE_DIR);
const std::string kPotential = (kSource / "tests/data/pso/na3clso4_level10.mtp").string();

Dataset reference_frames() {
  Dataset all;
  for (const char* f :
       {"md_500K_strain+0.00.xyz", "md_800K_strain+0.00.xyz", "md_800K_strain+0.05.xyz",
        "md_800K_strain-0.05.xyz", "md_1100K_strain+0.00.xyz"}) {
    const Dataset d = io::read_dataset(kSource / "data/reference/Na3ClSO4" / f);
    all.configs.insert(all.configs.end(), d.configs.begin(), d.configs.end());
  }
  return all;
}

// The ideal cubic antiperovskite with the search's rigid SO4 (S–O 1.48 Å, atoms 4..8).
Structure cubic_antiperovskite(double a) {
  const double d = 1.48 / std::sqrt(3.0);
  Structure s;
  s.cell = a * Mat3::identity();
  s.species_symbols = {"Na", "Cl", "S", "O"};
  s.positions = {{a / 2, a / 2, 0},     {a / 2, 0, a / 2}, {0, a / 2, a / 2},
                 {a / 2, a / 2, a / 2}, {0, 0, 0},         {d, d, d},
                 {d, -d, -d},           {-d, d, -d},       {-d, -d, d}};
  s.types = {0, 0, 0, 1, 2, 3, 3, 3, 3};
  return s;
}

PsoOptions search_options(unsigned long seed, const DomainWalls* walls) {
  PsoOptions o;
  o.units = crystal_units("Na3ClSO4", {"SO4"}, 1);
  o.population = 20;
  o.generations = 10;
  o.seed = seed;
  o.relax.fmax = 0.02;  // the CLI's defaults
  o.relax.smax_gpa = 0.1;
  o.relax.max_steps = 500;
  o.symprec = 0.3;  // FIRE to 0.02 eV/Å leaves 0.1–0.2 Å deviations from the ideal sites
  if (walls)
    o.check = [walls](const Structure& s) {
      if (apply_domain_walls(s, *walls).max_violation > 0.1) throw Error("outside the domain");
    };
  return o;
}

}  // namespace

TEST(PsoMtp, CubicAntiperovskiteNa3ClSO4AmongTheTwoLowestInsideTheDomain) {
  if (!std::filesystem::exists(kSource / "data/reference/Na3ClSO4/md_500K_strain+0.00.xyz"))
    GTEST_SKIP() << "data/reference/Na3ClSO4 absent";
  const DomainWalls walls = domain_from_data(reference_frames());
  const DomainWallCalculator calc(make_calculator("mtp:" + kPotential + ":Na,Cl,S,O"), walls);

  // Reference: the cubic structure relaxed with the same rigid SO4 (cubic symmetry is kept by the
  // relaxation, so this is the stationary cubic point).
  RelaxOptions ro;
  ro.fmax = 1e-4;
  ro.smax_gpa = 1e-3;
  ro.rigid_clusters = {{4, 5, 6, 7, 8}};
  const RelaxResult ref = relax(calc, cubic_antiperovskite(5.2), ro);
  ASSERT_TRUE(ref.converged);
  const double e_ref = ref.energy / 9.0;
  EXPECT_EQ(detect_space_group(ref.structure).first, "P-43m");
  EXPECT_EQ(apply_domain_walls(ref.structure, walls).max_violation, 0.0);
  std::printf("relaxed cubic antiperovskite: %.6f eV/atom, a = %.4f A\n", e_ref,
              ref.structure.cell[0][0]);

  for (unsigned long seed = 1; seed <= 2; ++seed) {
    const PsoResult r = run_pso(calc, search_options(seed, &walls));
    // Structures inside the domain (no pair pressed into its wall by more than 1e-3 Å).
    std::vector<const PsoCandidate*> inside;
    for (const auto& c : r.ranking)
      if (apply_domain_walls(c.structure, walls).max_violation <= 1e-3) inside.push_back(&c);
    ASSERT_GE(inside.size(), 2u);
    int cubic_rank = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      std::printf("seed %lu inside rank %zu: %.6f eV/atom %s\n", seed, k + 1,
                  inside[k]->energy_per_atom, inside[k]->space_group.c_str());
      // 0.5 meV/atom: the search relaxes to 0.02 eV/Å only; measured deviations <= 0.25 meV/atom.
      if (!cubic_rank && inside[k]->space_group == "P-43m" &&
          std::fabs(inside[k]->energy_per_atom - e_ref) < 5e-4)
        cubic_rank = static_cast<int>(k) + 1;
    }
    EXPECT_GE(cubic_rank, 1) << "seed " << seed;
    // Nothing inside the domain lies far below the cubic structure: the measured lowest is an
    // R3m distortion of it 2.3 meV/atom lower (docs/pso.md); 5 meV/atom bounds that.
    EXPECT_GT(inside.front()->energy_per_atom, e_ref - 5e-3) << "seed " << seed;
  }
}

TEST(PsoMtp, WithoutTheDomainTheSearchFallsIntoExtrapolationHoles) {
  // The reason for --domain: the same MTP alone has minima far below any physical structure.
  // Measured: 10 random crystals relaxed once reach -699.643 eV/atom, 0.37 eV/atom below the cubic
  // structure (longer searches: -1e8 eV/atom). Polymorphs of one compound differ by tens of
  // meV/atom, so 0.1 eV/atom below the cubic reference can only be extrapolation.
  const auto calc = make_calculator("mtp:" + kPotential + ":Na,Cl,S,O");
  PsoOptions o = search_options(1, nullptr);
  o.population = 10;
  o.generations = 1;
  const PsoResult r = run_pso(*calc, o);
  ASSERT_FALSE(r.ranking.empty());
  std::printf("best without domain: %.6g eV/atom\n", r.ranking.front().energy_per_atom);
  EXPECT_LT(r.ranking.front().energy_per_atom, -699.2709 - 0.1);
}
