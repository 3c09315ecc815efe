// Helpers for the trainer tests: a small random 2-species training problem (random triclinic
// cells, random reference energies/forces/virials) on a generated basis.
#pragma once

#include <random>

#include "../mtp/mtp_test_helpers.hpp"
#include "core/configuration.hpp"
#include "model_setup.hpp"
#include "mtp/basis_generator.hpp"

namespace superion::testing {

inline Mtp small_model(int level, int species, double rmin, double rcut, int R) {
  mtp::BasisOptions o;
  o.level = level;
  o.species_count = species;
  o.radial_basis_size = R;
  o.min_dist = rmin;
  o.max_dist = rcut;
  return mtp_from_basis(mtp::generate_basis(o), species, rmin, rcut, R);
}

// n_cfg random structures with random labels (energies O(1) eV, forces O(1) eV/Å, virials O(1)).
inline Dataset random_dataset(std::mt19937& rng, int n_cfg, int atoms, int species) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Dataset d;
  for (int k = 0; k < n_cfg; ++k) {
    Configuration c;
    c.structure = random_structure(rng, atoms + k % 2, species, 6.0, 1.6);
    c.energy = u(rng);
    std::vector<Vec3> f(c.size());
    for (auto& x : f) x = {u(rng), u(rng), u(rng)};
    c.forces = f;
    Mat3 w;
    for (int a = 0; a < 3; ++a)
      for (int b = a; b < 3; ++b) w[a][b] = w[b][a] = u(rng);
    c.virial = w;
    c.weight = 1.0 + 0.5 * u(rng);
    d.configs.push_back(std::move(c));
  }
  return d;
}

}  // namespace superion::testing
