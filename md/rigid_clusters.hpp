// Anion clusters found by bonding, and the exact "cluster rotation frozen" constraint for MD
// (docs/md-io.md, "Frozen rotation"; per-cluster physics in rigid_cluster_kernels.hpp).
//
// Detection: every atom of a centre species (S, Se, B, N, P, Cl…) owns the ligand atoms
// (O, H, F, or those named in the spec) within a cutoff, by minimum image in any triclinic cell.
// The default cutoff per pair is 1.2 × (covalent radius of centre + ligand) (Cordero et al. 2008),
// e.g. S–O 2.05 Å, B–H 1.38 Å. Errors (superion::Error, naming the atoms): a ligand within the
// cutoff of two centres, a cluster whose ligand count differs from the spec ("SO4" expects 4 O)
// or, without a count, clusters of different compositions.
//
// Use in velocity Verlet (Simulation):
//   RigidClusters rc = RigidClusters::find(structure, parse_cluster_spec("SO4"));
//   rc.restore_positions(...) once at the start (makes the structure exactly consistent);
//   rc.project_velocities(v) after drawing initial velocities (and after any per-atom random
//     thermostat kick, e.g. Langevin; uniform scalings such as CSVR / Nosé–Hoover keep it);
//   each step: kick v += F/m dt/2 → drift r += v dt → rc.restore_positions(r) → wrap/images →
//     forces → rc.project_forces(F) → kick.
//   Projecting the velocities after each kick instead of the forces gives the same result.
//   Temperature: dof = 3N − rc.removed_dof() − (3 if total momentum is zeroed).
//   Restart: keep flat_offsets() (e.g. in Checkpoint::arrays) and rebuild with
//   from_atoms_and_offsets, so the offsets are bit-identical.
// With wrapped positions every ligand must be closer to its centre than half the cell width (the
// cluster is rebuilt by minimum image from the centre); continuous positions have no limit.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/structure.hpp"
#include "core/vec3.hpp"

namespace superion::md {

// Which clusters to find: per centre species, the ligand species and their expected counts
// (0 = any count, but then all clusters of that centre must have the same composition).
struct ClusterKind {
  std::string centre;
  std::vector<std::pair<std::string, int>> ligands;
};
struct ClusterSpec {
  std::vector<ClusterKind> kinds;
  double cutoff = 0.0;  // Å; 0 = 1.2 × sum of covalent radii per centre–ligand pair
};

// "SO4" → centre S, 4 O; "BH4" → B, 4 H; "NH2"; "SeO4"; "S" (a bare centre) → ligands O, H, F
// with any count. A comma-separated list ("SO4,BH4") gives several centres (same cutoff).
// Throws superion::Error for unknown elements or malformed text.
ClusterSpec parse_cluster_spec(const std::string& text, double cutoff = 0.0);

// Covalent radius (Å, Cordero et al., Dalton Trans. 2008, 2832); throws for elements not listed.
double covalent_radius(const std::string& symbol);

class RigidClusters {
 public:
  RigidClusters() = default;
  // Finds the clusters in `s` and records body offsets d_i (lab frame, relative to the cluster's
  // mass-weighted centre, minimum-image unwrapped) and weights m_i/M from s.atom_masses().
  static RigidClusters find(const Structure& s, const ClusterSpec& spec);
  // From explicit atom lists (centre first), e.g. restored from a checkpoint or another tool.
  static RigidClusters from_atoms(const Structure& s, const std::vector<std::vector<int>>& atoms);
  // Rebuilds with given offsets (checkpoint restart: offsets must be reused bit-exactly, not
  // recomputed from the current positions). `offsets` is flat in CSR order (3 per atom entry).
  static RigidClusters from_atoms_and_offsets(const Structure& s,
                                              const std::vector<std::vector<int>>& atoms,
                                              const std::vector<double>& offsets);

  std::size_t size() const { return begin_.empty() ? 0 : begin_.size() - 1; }
  bool empty() const { return size() == 0; }
  // Atom indices of cluster c (centre first).
  std::vector<int> atoms_of(std::size_t c) const;
  std::vector<std::vector<int>> atom_lists() const;
  // Degrees of freedom removed: Σ over clusters of (3 n_c − 3).
  long removed_dof() const;
  // Total atoms in clusters.
  std::size_t constrained_atoms() const { return atoms_.size(); }
  // Body offsets flat (x, y, z per CSR entry), for checkpoints (Checkpoint::arrays).
  std::vector<double> flat_offsets() const;

  // CPU loops over clusters (rigid_cluster_kernels.hpp); arrays are per atom of the whole system.
  void project_forces(std::vector<Vec3>& forces) const;
  void project_velocities(std::vector<Vec3>& velocities) const;
  // Returns the largest position correction applied (Å): rounding-sized during a correct run.
  double restore_positions(std::vector<Vec3>& positions, const Mat3& cell,
                           const std::array<bool, 3>& pbc) const;
  // The same for continuous (never wrapped) positions: no minimum image is needed.
  double restore_positions(std::vector<Vec3>& positions) const;
  // Σ_c Σ_i d_i ⊗ F_i with unprojected forces; subtract from the atomic virial (eV) to get the
  // virial of the constrained system.
  Mat3 internal_virial(const std::vector<Vec3>& forces) const;

  // Raw CSR arrays (for the CUDA backend): cluster c owns entries begin()[c] .. begin()[c+1].
  const std::vector<int>& begin() const { return begin_; }
  const std::vector<int>& atoms() const { return atoms_; }
  const std::vector<double>& weights() const { return weights_; }
  const std::vector<Vec3>& offsets() const { return offsets_; }

 private:
  std::vector<int> begin_;       // size n_clusters + 1
  std::vector<int> atoms_;       // atom index per entry
  std::vector<double> weights_;  // m_i / M per entry
  std::vector<Vec3> offsets_;    // d_i per entry (Å), Σ w_i d_i = 0
};

}  // namespace superion::md
