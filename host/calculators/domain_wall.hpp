// Domain of a fitted potential and a repulsive wall at its edge. An MTP (or any fitted potential)
// is only defined where its training data are: its radial basis starts at min_dist and the fitted
// polynomial extrapolates with any sign below the shortest distances it has seen. A structure
// search or relaxation that leaves this domain falls into spurious deep minima (measured with an
// MTP fitted to 22 near-cubic Na3ClSO4 frames: -1.9e8 eV/atom; docs/pso.md).
//
// The domain is described per element pair by r_w = the shortest distance of that pair in the
// data (all periodic images, self-images included), times a scale. The wall
//     E = k/3 (r_w − r)^3  for r < r_w, 0 otherwise
// is zero, with zero force and curvature, at r_w: it changes nothing on the training data and only
// acts where the potential has no data. The largest (r_w − r) of a structure is its domain
// violation, an extrapolation indicator in Å (0 = every pair inside the data's range).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "calculators/calculator.hpp"
#include "core/configuration.hpp"
#include "core/hd.hpp"

namespace superion {

// Energy and −dE/dr of the wall at distance r (Å) for wall position rw (Å) and stiffness k
// (eV/Å³). The force is repulsive (positive pushes the pair apart).
SUPERION_HD inline void domain_wall_pair(double r, double rw, double k, double& energy,
                                         double& force) {
  const double d = rw - r;
  if (d <= 0.0) {
    energy = force = 0.0;
    return;
  }
  energy = k * d * d * d / 3.0;
  force = k * d * d;
}

struct DomainWalls {
  std::vector<std::string> symbols;  // elements seen in the data
  std::vector<double> rw;            // symbols² (symmetric), Å; 0 = pair never seen: no wall
  double k = 1000.0;                 // eV/Å³
  // r_w of two element symbols (0 when either is unknown or the pair was never seen).
  double at(const std::string& a, const std::string& b) const;
  double max_rw() const;
  // " Na-Na 3.100 Na-Cl 2.685 …" (every pair a <= b, %.3f Å), for the commands' log lines.
  std::string pair_list() const;
};

// Per element pair the shortest distance over all configurations of `data` (all periodic images
// within the largest distance considered, `search_radius` Å), times `scale`. Configurations need
// element symbols. Throws superion::Error naming `source` when they have none.
DomainWalls domain_from_data(const Dataset& data, double scale = 1.0, double k = 1000.0,
                             double search_radius = 8.0, const std::string& source = "data");

struct DomainCheck {
  double energy = 0.0;          // wall energy, eV
  double max_violation = 0.0;   // largest r_w − r over pairs (Å), 0 when inside the domain
  std::string worst_pair;       // "Na-O" of the largest violation ("" when none)
  double worst_distance = 0.0;  // r of that pair (Å)
};

// Wall energy and the extrapolation indicator of `s`; adds the wall's forces and virial (MLIP
// PlusStress, W = −Σ dE/dr d⊗d/r) to `out` when it is not null. All periodic images are
// included, so any cell size works: O(N² × images) for cells narrower than 2 max r_w (the small
// cells of structure search), O(N²) with the minimum image alone when every periodic width exceeds
// 2 max r_w (MD supercells; exact there, see domain_wall.cpp).
DomainCheck apply_domain_walls(const Structure& s, const DomainWalls& walls,
                               CalcResult* out = nullptr);

// The walls per species TYPE pair (rw[ti · n_types + tj], Å, 0 = no wall) for engines that index
// atoms by type: type t has the element type_symbols[t]. Used by the MD engines (CPU and device),
// which evaluate the walls on their MTP neighbour list (mtp/mtp_site_kernels.hpp).
struct TypeWalls {
  int n_types = 0;
  std::vector<double> rw;
  double k = 1000.0;  // eV/Å³
  double max_rw() const {  // inline: the MTP evaluator uses it without the calculators library
    double m = 0.0;
    for (double r : rw) m = r > m ? r : m;
    return m;
  }
};
TypeWalls type_walls(const DomainWalls& walls, const std::vector<std::string>& type_symbols);

// `inner` plus the walls.
class DomainWallCalculator : public Calculator {
 public:
  DomainWallCalculator(std::unique_ptr<Calculator> inner, DomainWalls walls);
  std::string name() const override { return inner_->name() + "+domain-wall"; }
  CalcResult compute(const Structure& s) const override;
  const DomainWalls& walls() const { return walls_; }

 private:
  std::unique_ptr<Calculator> inner_;
  DomainWalls walls_;
};

}  // namespace superion
