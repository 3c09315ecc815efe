// Helpers for the trainer tests: a small random training problem (random triclinic cells, random
// reference energies/forces/virials) on a generated basis, and on the CPU backend.
#pragma once

#include <memory>
#include <random>

#include "../mtp/mtp_test_helpers.hpp"
#include "core/configuration.hpp"
#include "cpu_backend.hpp"
#include "model_setup.hpp"
#include "mtp/basis_generator.hpp"
#include "training_set.hpp"

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

// Loss weights with all three terms visible on random_dataset's labels (force 0.3, stress 0.05).
inline LossWeights all_terms_weights() {
  LossWeights w;
  w.force = 0.3;
  w.stress = 0.05;
  return w;
}

// A model, its data and the CPU backend on them (a test may derive to keep more per problem).
struct TrainingProblem {
  Mtp model;
  Dataset data;
  std::unique_ptr<TrainingSet> set;
  std::unique_ptr<CpuTrainerBackend> backend;
};

// Level `level`, `species` species, R = 6 on [1.4, 4.2] Å, radial coefficients from seed 11,
// scaling 0.7; five random cells of 7 or 8 atoms drawn from `rng`; loss weights `w`.
template <class Problem = TrainingProblem>
std::unique_ptr<Problem> make_training_problem(int level, int species, std::mt19937& rng,
                                               const LossWeights& w) {
  auto p = std::make_unique<Problem>();
  p->model = small_model(level, species, 1.4, 4.2, 6);
  init_radial_coefficients(p->model, 11);
  p->model.scaling = 0.7;
  p->data = random_dataset(rng, 5, 7, species);
  p->set = std::make_unique<TrainingSet>(p->data, p->model.max_dist, w, "random");
  p->set->cache_radial_basis(p->model.min_dist, p->model.radial_basis_size);
  p->backend = std::make_unique<CpuTrainerBackend>(p->model, *p->set);
  return p;
}

}  // namespace superion::testing
