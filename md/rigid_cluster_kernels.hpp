// Per-cluster physics of "MD with cluster rotation frozen" (docs/md-io.md, "Frozen rotation"),
// as SUPERION_HD inline functions shared by the CPU loops (rigid_clusters.cpp) and CUDA kernels
// (one thread per cluster).
//
// A cluster of n atoms with masses m_i, M = Σ m_i, weights w_i = m_i / M, moves as
//   r_i(t) = R(t) + d_i,  d_i fixed in the LAB frame, Σ w_i d_i = 0,
// i.e. a rigid body that translates but never rotates. Its Lagrangian ½ M Ṙ² − U(R + d_i) gives
//   M R̈ = Σ_i F_i.
// Velocity Verlet integrates this exactly if (a) every cluster atom carries the COM velocity
// (project_velocity) and (b) each atom gets the force w_i Σ_j F_j (project_force), because then
// every atom receives the same kick and the same drift. restore_positions only removes rounding.
//
// Layout (CSR): the atoms of cluster c are atoms[begin .. end), with matching weights[] (w_i)
// and offsets[] (d_i, Å). Positions may be wrapped: the unwrapped cluster is rebuilt by minimum
// image relative to its first atom, so a cluster must be smaller than half the cell.
#pragma once

#include "core/geometry.hpp"
#include "core/hd.hpp"
#include "core/vec3.hpp"

namespace superion::md {

// F_i ← w_i Σ_j F_j for the atoms of one cluster. The total force is unchanged (momentum
// conservation); every atom gets the acceleration Σ F / M.
SUPERION_HD inline void cluster_project_force(const int* atoms, const double* weights, int n,
                                              Vec3* forces) {
  Vec3 total{0, 0, 0};
  for (int k = 0; k < n; ++k) total += forces[atoms[k]];
  for (int k = 0; k < n; ++k) forces[atoms[k]] = weights[k] * total;
}

// v_i ← V = Σ_j w_j v_j (the COM velocity) for the atoms of one cluster. Momentum is unchanged;
// the kinetic energy drops by the internal part ½ Σ m_i |v_i − V|².
SUPERION_HD inline void cluster_project_velocity(const int* atoms, const double* weights, int n,
                                                 Vec3* velocities) {
  Vec3 v{0, 0, 0};
  for (int k = 0; k < n; ++k) v += weights[k] * velocities[atoms[k]];
  for (int k = 0; k < n; ++k) velocities[atoms[k]] = v;
}

// Moves the atoms of one cluster onto R + d_i, where R is the mass-weighted centre of the
// current (minimum-image unwrapped) atoms. Each atom moves by a small correction from its own
// current position, so atoms keep their periodic image (image flags stay valid); the correction
// is rounding-sized when forces and velocities were projected. Returns max |correction| (Å).
SUPERION_HD inline double cluster_restore_positions(const int* atoms, const double* weights,
                                                    const Vec3* offsets, int n, Vec3* positions,
                                                    const Mat3& cell, const Mat3& inv_cell,
                                                    const bool pbc[3]) {
  const Vec3 ref = positions[atoms[0]];
  Vec3 centre{0, 0, 0};  // R − ref
  for (int k = 1; k < n; ++k)
    centre += weights[k] * minimum_image(positions[atoms[k]] - ref, cell, inv_cell, pbc);
  double worst = 0.0;
  for (int k = 0; k < n; ++k) {
    const Vec3 delta =
        k == 0 ? Vec3{0, 0, 0} : minimum_image(positions[atoms[k]] - ref, cell, inv_cell, pbc);
    const Vec3 corr = centre + offsets[k] - delta;
    positions[atoms[k]] += corr;
    const double c = norm(corr);
    worst = c > worst ? c : worst;
  }
  return worst;
}

// Σ_i d_i ⊗ F_i over one cluster, with the forces BEFORE projection. The molecular (constrained)
// virial is the atomic virial Σ r_i ⊗ F_i minus this sum over all clusters.
SUPERION_HD inline Mat3 cluster_internal_virial(const int* atoms, const Vec3* offsets, int n,
                                                const Vec3* forces) {
  Mat3 w;
  for (int k = 0; k < n; ++k) {
    const Vec3 f = forces[atoms[k]];
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) w[a][b] += offsets[k][a] * f[b];
  }
  return w;
}

}  // namespace superion::md
