// VelocityConstraint: a holonomic constraint the driver applies after every velocity update
// (kicks, Langevin noise) and after every drift. The rigid, non-rotating anion clusters of
// `--freeze-rotation` (md/rigid_clusters) plug in here: their projection gives all atoms of a
// cluster the cluster's centre-of-mass velocity, so each cluster translates without rotating.
#pragma once

#include <string>
#include <vector>

#include "core/vec3.hpp"

namespace superion::md {

class VelocityConstraint {
 public:
  virtual ~VelocityConstraint() = default;
  virtual std::string name() const = 0;
  // Mass-weighted orthogonal projection of the velocities onto the constraint manifold.
  virtual void project_velocities(std::vector<Vec3>& v, const std::vector<double>& masses) const = 0;
  // Optional position correction after a drift (exact schemes restore the rigid geometry).
  virtual void correct_positions(std::vector<Vec3>& x, const std::vector<double>& masses) const {}
  // Degrees of freedom removed (e.g. 3n − 3 per rigid n-atom cluster that only translates).
  virtual double removed_dof() const = 0;
};

}  // namespace superion::md
