// CPU neighbour list for periodic (any triclinic cell, any cutoff) and non-periodic structures.
// Cell-list algorithm on the set of atoms plus the periodic images that lie within `cutoff` of the
// cell, so cutoffs larger than half the cell (several images of one atom, self-images) are exact.
// Stored as CSR: neighbours of atom i are entries offsets[i] .. offsets[i+1]-1.
// For each entry: the neighbour index j, the integer image n (r_j + n·cell, relative to the
// positions as given, not wrapped), and the displacement r_ij = r_j + n·cell - r_i.
// Strict r < cutoff (MLIP convention). Entries of one atom are sorted by (j, image) so results
// are deterministic.
#pragma once

#include <array>
#include <vector>

#include "core/structure.hpp"
#include "core/vec3.hpp"

namespace superion {

struct NeighborList {
  double cutoff = 0.0;
  bool half = false;                          // half list: each pair once (i<j, or i==j with n>0)
  std::vector<int> offsets;                   // size n_atoms+1
  std::vector<int> neighbors;                 // j
  std::vector<std::array<int, 3>> images;     // n
  std::vector<Vec3> displacements;            // r_ij (Å)

  std::size_t n_atoms() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::size_t n_pairs() const { return neighbors.size(); }
  int count(std::size_t i) const { return offsets[i + 1] - offsets[i]; }
  int max_count() const;
  // Recompute displacements from (possibly moved, not re-wrapped) positions keeping j and images;
  // used between rebuilds with a Verlet skin.
  void update_displacements(const Structure& s);
};

// Builds the list. Throws superion::Error on invalid structures or cutoff <= 0.
NeighborList build_neighbor_list(const Structure& s, double cutoff, bool half = false);

}  // namespace superion
