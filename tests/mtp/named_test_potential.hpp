// Test helpers: a random 3-species level-6 MTP whose types are named Na, Cl, O, a random
// triclinic 12-atom cell of those elements listed in any order, and `superion train` run on cells
// labelled by that MTP (no shared data needed).
#pragma once

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/configuration.hpp"
#include "io/formats.hpp"
#include "model_setup.hpp"
#include "mtp/basis_generator.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp/mtp_test_helpers.hpp"
#include "test_util.hpp"

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

// `superion train` as a user runs it, on cells labelled by named_potential(): writes
// dir/teacher.mtp, `count` random 10-atom cells (seeds seed, seed + 1, …; elements listed as
// `symbols`) to dir/cells.xyz, labels them with `superion eval` into dir/labelled.xyz and trains a
// level-2 potential (rcut 4.5 Å, `max_iter` iterations) into dir/new.mtp. Returns the exit code of
// eval when it failed, else that of train; *output holds that command's output.
inline int train_on_labelled_cells(const TempDir& dir, int count, unsigned seed,
                                   const std::vector<std::string>& symbols, int max_iter,
                                   std::string* output) {
  write_mtp(named_potential(), dir / "teacher.mtp", MtpPrecision::kLossless);
  Dataset d;
  for (int k = 0; k < count; ++k) {
    std::mt19937 rng(seed + k);
    Configuration c;
    c.structure = random_structure(rng, 10, 3, 6.5, 2.0);
    c.structure.species_symbols = symbols;
    d.configs.push_back(c);
  }
  d.species = symbols;
  io::write_dataset(dir / "cells.xyz", d, "extxyz");
  const int eval =
      run_superion("eval " + (dir / "teacher.mtp").string() + " " + (dir / "cells.xyz").string() +
                       " -o " + (dir / "labelled.xyz").string(),
                   output);
  if (eval != 0) return eval;
  return run_superion("train --data " + (dir / "labelled.xyz").string() +
                          " --level 2 --rcut 4.5 --max-iter " + std::to_string(max_iter) + " -o " +
                          (dir / "new.mtp").string(),
                      output);
}

}  // namespace superion::testing
