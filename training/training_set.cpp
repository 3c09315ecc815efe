// TrainingSet: validation, neighbour lists and radial-basis caches of the training data.
#include "training_set.hpp"

#include <omp.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "mtp/mtp_kernels.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion {
namespace {

// (s_E, s_F, s_S) of the weighting scheme for a configuration of n atoms.
void size_scaling(WeightingScheme s, double n, double& se, double& sf, double& ss) {
  switch (s) {
    case WeightingScheme::kVibrations:
      se = 1.0 / n;
      sf = 1.0;
      ss = 1.0 / n;
      break;
    case WeightingScheme::kMolecules:
      se = 1.0;
      sf = 1.0;
      ss = 1.0;
      break;
    case WeightingScheme::kStructures:
      se = 1.0 / (n * n);
      sf = 1.0 / n;
      ss = 1.0 / (n * n);
      break;
  }
}

std::string cfg_label(std::size_t k) {
  return "configuration " + std::to_string(k + 1);
}

}  // namespace

void TrainingSet::check_labels(const Dataset& data, const LossWeights& w, const std::string& name) {
  for (std::size_t k = 0; k < data.size(); ++k) {
    const Configuration& c = data.configs[k];
    const std::size_t n = c.size();
    if (n == 0) throw InputError(name, 0, cfg_label(k) + " has no atoms");
    if (w.energy > 0 && !c.energy)
      throw InputError(name, 0, cfg_label(k) + " has no energy (needed with --energy-weight > 0)");
    if (w.force > 0 && !c.forces)
      throw InputError(name, 0, cfg_label(k) + " has no forces (needed with --force-weight > 0)");
    if (c.energy && !std::isfinite(*c.energy))
      throw InputError(name, 0, cfg_label(k) + " has a non-finite energy");
    if (c.forces)
      for (const Vec3& f : *c.forces)
        if (!std::isfinite(f.x) || !std::isfinite(f.y) || !std::isfinite(f.z))
          throw InputError(name, 0, cfg_label(k) + " has a non-finite force");
    if (c.structure.types.size() != n)
      throw InputError(name, 0, cfg_label(k) + " has no species type per atom");
    for (int t : c.structure.types)
      if (t < 0) throw InputError(name, 0, cfg_label(k) + " has a negative species type");
    if (!(c.weight >= 0.0) || !std::isfinite(c.weight))
      throw InputError(name, 0, cfg_label(k) + " has an invalid weight");
  }
}

TrainingSet::TrainingSet(const Dataset& data, double rcut, const LossWeights& w,
                         const std::string& name)
    : rcut_(rcut), name_(name) {
  if (data.size() == 0) throw InputError(name, 0, "no configurations: nothing to train on");
  if (!(rcut > 0.0)) throw InputError(name, 0, "cutoff must be positive");
  const double kc = static_cast<double>(data.size());
  configs_.resize(data.size());
  // Validate everything before the (expensive) neighbour lists.
  check_labels(data, w, name);
  for (const Configuration& c : data.configs)
    for (int t : c.structure.types) n_species_ = std::max(n_species_, t + 1);
  double dmin = std::numeric_limits<double>::infinity();
  std::vector<std::string> failures(data.size());  // exceptions must not leave the parallel loop
#pragma omp parallel for schedule(dynamic, 1) reduction(min : dmin)
  for (long k = 0; k < static_cast<long>(data.size()); ++k) {
    const Configuration& c = data.configs[k];
    TrainingConfig& t = configs_[k];
    const int n = static_cast<int>(c.size());
    t.n_atoms = n;
    t.types = c.structure.types;
    NeighborList nl;
    try {
      nl = build_neighbor_list(c.structure, rcut, false);
    } catch (const std::exception& e) {
      failures[k] = e.what();
      continue;
    }
    t.offsets.assign(1, 0);
    for (int i = 0; i < n; ++i) {
      int count = 0;
      for (int p = nl.offsets[i]; p < nl.offsets[i + 1]; ++p) {
        const Vec3& d = nl.displacements[p];
        const double r = norm(d);
        if (!(r < rcut) || r == 0.0) continue;
        dmin = std::min(dmin, r);
        const int j = nl.neighbors[p];
        t.neighbor.push_back(j);
        t.ntype.push_back(c.structure.types[j]);
        t.disp.insert(t.disp.end(), {d.x, d.y, d.z});
        t.ru.insert(t.ru.end(), {r, d.x / r, d.y / r, d.z / r});
        ++count;
      }
      t.offsets.push_back(static_cast<int>(t.neighbor.size()));
      t.max_neighbors = std::max(t.max_neighbors, count);
    }
    double se = 0, sf = 0, ss = 0;
    size_scaling(w.scheme, n, se, sf, ss);
    t.has_energy = c.energy.has_value();
    t.has_forces = c.forces.has_value() && c.forces->size() == static_cast<std::size_t>(n);
    t.has_virial = c.virial.has_value();
    if (t.has_energy) t.energy = *c.energy;
    if (t.has_forces)
      for (const Vec3& f : *c.forces) t.forces.insert(t.forces.end(), {f.x, f.y, f.z});
    if (t.has_virial)
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) t.virial[3 * a + b] = (*c.virial)[a][b];
    t.w_energy = t.has_energy ? c.weight * w.energy * se / kc : 0.0;
    t.w_force = t.has_forces ? c.weight * w.force * sf / kc : 0.0;
    t.w_stress = t.has_virial ? c.weight * w.stress * ss / kc : 0.0;
  }
  for (std::size_t k = 0; k < failures.size(); ++k)
    if (!failures[k].empty()) throw InputError(name, 0, cfg_label(k) + ": " + failures[k]);
  min_distance_ = dmin;
  for (const auto& t : configs_) {
    total_atoms_ += static_cast<std::size_t>(t.n_atoms);
    max_neighbors_ = std::max(max_neighbors_, t.max_neighbors);
  }
}

void TrainingSet::cache_radial_basis(double rmin, int R) {
  if (!(rmin < rcut_)) throw Error("min_dist must be below the cutoff");
  if (R < 2) throw Error("radial basis size must be at least 2");
  rmin_ = rmin;
  radial_basis_size_ = R;
#pragma omp parallel for schedule(dynamic, 1)
  for (long k = 0; k < static_cast<long>(configs_.size()); ++k) {
    TrainingConfig& t = configs_[k];
    const std::size_t np = t.neighbor.size();
    t.phi.assign(2 * R * np, 0.0);
    for (std::size_t p = 0; p < np; ++p)
      mtp_chebyshev(t.ru[4 * p], rmin, rcut_, R, &t.phi[2 * R * p], &t.phi[2 * R * p + R]);
  }
}

}  // namespace superion
