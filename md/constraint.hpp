// VelocityConstraint: a holonomic constraint applied by the driver. The rigid, non-rotating anion
// clusters of `--freeze-rotation` (md/rigid_clusters) plug in here: forces are projected so that
// every atom of a cluster gets the cluster's acceleration, velocities are projected onto the
// cluster's centre-of-mass velocity (after initial velocities and per-atom random kicks), and the
// rigid geometry is restored after each drift (removes rounding only). The virial loses the
// internal (constraint) part so that the pressure is the molecular one.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/vec3.hpp"

namespace superion::md {

class VelocityConstraint {
 public:
  virtual ~VelocityConstraint() = default;
  virtual std::string name() const = 0;
  // Mass-weighted orthogonal projection of the velocities onto the constraint manifold.
  virtual void project_velocities(std::vector<Vec3>& v) const = 0;
  // Projection of the forces (the total force per cluster is kept).
  virtual void project_forces(std::vector<Vec3>& f) const = 0;
  // Part of the virial (eV) carried by the constraint forces, computed from unprojected forces;
  // the driver subtracts it.
  virtual Mat3 internal_virial(const std::vector<Vec3>& f) const = 0;
  // Restores the exact constrained geometry after a drift; returns the largest correction (Å).
  virtual double correct_positions(std::vector<Vec3>& x, const Mat3& cell,
                                   const std::array<bool, 3>& pbc) const = 0;
  // Degrees of freedom removed (3n − 3 per rigid n-atom cluster that only translates).
  virtual double removed_dof() const = 0;
  // Extra state for checkpoints (e.g. body offsets), restored bit-exactly.
  virtual std::vector<double> state() const { return {}; }
};

}  // namespace superion::md
