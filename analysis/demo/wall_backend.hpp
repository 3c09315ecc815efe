// Short-range repulsive wall added to a force backend for the demo's MD.
// An MTP fitted to a small reference set is undefined below the shortest distances that set
// contains (its radial basis starts at min_dist; the polynomial continues with any sign), and MD
// that wanders there falls into unphysical holes. The wall acts per species pair only below the
// shortest distance r_w of that pair in the reference data:
//     E = k/3 (r_w − r)^3  for r < r_w, 0 otherwise   (zero, with zero force and curvature, at r_w)
// so it is exactly zero on every reference configuration: training and test errors are those of
// the MTP alone. k = 1000 eV/Å³ gives 2.5 eV/Å at 0.05 Å inside the wall, about the restoring
// force of the S–O bond itself (48 eV/Å² × 0.05 Å).
#pragma once

#include <memory>
#include <vector>

#include "calculators/domain_wall.hpp"
#include "core/configuration.hpp"
#include "core/hd.hpp"
#include "force_backend.hpp"

namespace superion::demo {

// Energy and −dE/dr of the wall at distance r (Å) for wall position rw (Å) and stiffness k: the
// same wall as the structure search's domain wall (calculators/domain_wall.hpp).
SUPERION_HD inline void wall_pair(double r, double rw, double k, double& energy, double& force) {
  domain_wall_pair(r, rw, k, energy, force);
}

struct PairWalls {
  int n_species = 0;
  std::vector<double> rw;  // n_species², symmetric (Å); 0 = no wall
  double k = 1000.0;       // eV/Å³
  double at(int a, int b) const { return rw[static_cast<std::size_t>(a * n_species + b)]; }
};

// r_w of every species pair = the shortest distance of that pair (minimum image, any periodic
// image of another atom) over all configurations of `data`.
PairWalls walls_from_data(const Dataset& data, int n_species, double k = 1000.0);

// `inner` plus the walls (all pairs within max r_w, minimum image: needs every cell width
// > 2 max r_w, checked).
class WallBackend : public md::ForceBackend {
 public:
  WallBackend(std::unique_ptr<md::ForceBackend> inner, PairWalls walls);
  std::string name() const override { return inner_->name() + "+wall"; }
  double cutoff() const override { return inner_->cutoff(); }
  void compute(const Structure& s, md::ForceResult& out) override;
  std::size_t list_builds() const override { return inner_->list_builds(); }
  double last_wall_energy() const { return wall_energy_; }

 private:
  std::unique_ptr<md::ForceBackend> inner_;
  PairWalls walls_;
  double max_rw_ = 0.0;
  double wall_energy_ = 0.0;
};

}  // namespace superion::demo
