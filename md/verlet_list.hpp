// VerletList: a full neighbour list with cutoff rc + skin that is rebuilt only when some atom has
// moved more than skin/2 since the last build (or the cell changed); between builds only the
// displacements are refreshed. Positions are continuous (unwrapped), so the stored image offsets
// stay valid and a pair found once keeps its (j, image) key: results do not depend on when the
// list was rebuilt, which keeps resumed runs bit-identical.
#pragma once

#include <cstddef>
#include <vector>

#include "core/structure.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion::md {

class VerletList {
 public:
  // `min_distance`: pairs closer than this throw SimulationError (0 disables the check).
  VerletList(double cutoff, double skin, double min_distance = 0.0);

  // Brings the list up to date for `s`; returns true when it was rebuilt.
  bool update(const Structure& s);
  const NeighborList& list() const { return list_; }
  double cutoff() const { return cutoff_; }
  double skin() const { return skin_; }
  std::size_t builds() const { return builds_; }

 private:
  void check_min_distance(const Structure& s) const;

  double cutoff_, skin_, min_distance_;
  NeighborList list_;
  std::vector<Vec3> reference_;  // positions at the last build
  Mat3 reference_cell_;
  std::size_t builds_ = 0;
};

}  // namespace superion::md
