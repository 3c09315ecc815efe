// Full neighbour candidates of the atoms a LAMMPS process owns, found among its owned and ghost
// atoms (positions as LAMMPS stores them: ghosts are already periodic images, so no minimum image
// is applied). Cell list over the bounding box of all atoms; no limit on neighbours per atom.
// The list is built with cutoff + skin whenever LAMMPS re-neighbours (atom indices are stable
// between re-neighbourings) and filtered with the exact cutoff at every force evaluation.
#pragma once

#include <vector>

namespace superion::lammps {

struct LocalNeighbors {
  std::vector<int> offsets;    // size nlocal+1; candidates of atom i: offsets[i] .. offsets[i+1]-1
  std::vector<int> neighbors;  // atom indices j (0 <= j < nall, j != i), ascending per atom
  int nlocal = 0, nall = 0;
};

// x: 3*nall coordinates (owned atoms first, then ghosts). Pairs with |x_j − x_i| < cutoff.
void build_local_neighbors(const double* x, int nlocal, int nall, double cutoff,
                           LocalNeighbors& out);

}  // namespace superion::lammps
