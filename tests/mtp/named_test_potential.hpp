// Test helpers: a random 3-species level-6 MTP whose types are named Na, Cl, O, and a random
// triclinic 12-atom cell of those elements listed in any order (no shared data needed).
#pragma once

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/configuration.hpp"
#include "model_setup.hpp"
#include "mtp/basis_generator.hpp"
#include "mtp/mtp_test_helpers.hpp"

namespace superion::testing {

inline Mtp named_potential() {
  mtp::BasisOptions bo;
  bo.level = 6;
  bo.species_count = 3;
  bo.min_dist = 1.6;
  bo.max_dist = 4.5;
  Mtp m = mtp_from_basis(mtp::generate_basis(bo), 3, 1.6, 4.5, 8);
  std::mt19937 rng(5);
  superion::testing::randomize(m, rng);
  m.species_names = {"Na", "Cl", "O"};
  return m;
}

// The same cell as a Dataset whose atoms are grouped by element in `order` (a permutation of
// Na, Cl, O), so a POSCAR of it lists the elements in that order.
inline Dataset cell_listed_as(const std::vector<std::string>& order) {
  std::mt19937 rng(11);
  const Structure base = superion::testing::random_structure(rng, 12, 3, 7.0, 2.0);
  const std::vector<std::string> names{"Na", "Cl", "O"};
  Structure s = base;
  s.positions.clear();
  s.types.clear();
  s.masses.clear();
  for (std::size_t k = 0; k < order.size(); ++k)
    for (std::size_t i = 0; i < base.size(); ++i)
      if (names[base.types[i]] == order[k]) {
        s.positions.push_back(base.positions[i]);
        s.types.push_back(static_cast<int>(k));
      }
  s.species_symbols = order;
  Dataset d;
  d.species = order;
  Configuration c;
  c.structure = s;
  d.configs.push_back(c);
  return d;
}

}  // namespace superion::testing
