// Finds rigid clusters (SO4, BH4, …; templates of crystal_generator.hpp) in a given structure, so
// that a known structure can be relaxed the same way the structure search relaxes its candidates.
#pragma once

#include <string>
#include <vector>

#include "core/structure.hpp"

namespace superion {

// For every atom of a cluster's centre element, takes the nearest atoms of its ligand elements
// (minimum image) as the cluster when each lies within `tolerance` Å of the template's bond
// length, and moves those ligands to the periodic image next to the centre (so the rigid body is
// contiguous in cartesian space). Returns the clusters, centre first. Throws superion::Error when
// a centre has too few ligands in range or a ligand would belong to two clusters.
std::vector<std::vector<int>> find_clusters(Structure& s, const std::vector<std::string>& names,
                                            double tolerance = 0.3);

}  // namespace superion
