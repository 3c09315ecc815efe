// Random crystals for structure search: a composition of single atoms and rigid clusters (SO4,
// BH4, …) is placed on orbits of a randomly chosen space group (spglib's operations), with a
// random lattice of that crystal system and a volume drawn around an estimate. Points of an orbit
// that fall closer than `merge_distance` are merged, which lands units on special positions (half
// of the drawn coordinates are snapped to 0, 1/8, 1/6, 1/4, 1/3, 1/2 … to make those likely);
// attempts whose orbit sizes do not add up to the composition are redrawn. Clusters get random
// orientations, transformed by the operations onto their images.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "core/structure.hpp"

namespace superion {

// A rigid cluster template: centre + ligands in cartesian body coordinates (Å).
struct ClusterTemplate {
  std::string name;                  // "SO4"
  std::vector<std::string> symbols;  // element of each atom; atom 0 is the centre
  std::vector<Vec3> body;            // positions relative to the centre
};

// Shipped templates: SO4 (S–O 1.48 Å), SeO4 (1.65), ClO4 (1.44), BF4 (1.40), BH4 (1.21),
// AlH4 (1.60) — tetrahedra; NH2 (N–H 1.02, 105°); CO3, NO3 (planar, 1.29/1.25).
ClusterTemplate cluster_template(const std::string& name);

struct CrystalUnit {
  std::string species;  // element symbol, or cluster name when is_cluster
  bool is_cluster = false;
  int count = 0;  // per cell
};

struct GeneratedCrystal {
  Structure structure;
  std::vector<std::vector<int>> clusters;  // atom indices of each rigid cluster (centre first)
  int space_group = 1;
};

struct GeneratorOptions {
  double volume_per_unit = 0;    // Å³ per formula unit estimate (0 = from element radii)
  double volume_scatter = 0.25;  // relative spread of the drawn volume
  double min_distance = 1.6;     // Å between atoms of different units
  double merge_distance = 0.9;   // Å: orbit points closer than this are merged
  int max_attempts = 2000;
  std::vector<int> space_groups;  // candidates (empty: 1..230)
};

// Parses "Na3ClSO4" with clusters {"SO4"} into units per formula unit (clusters are matched as
// whole groups first), times `formula_units`.
std::vector<CrystalUnit> crystal_units(const std::string& composition,
                                       const std::vector<std::string>& clusters, int formula_units);

// Throws superion::Error when no attempt succeeds.
GeneratedCrystal random_crystal(const std::vector<CrystalUnit>& units,
                                const GeneratorOptions& options, std::mt19937_64& rng);

}  // namespace superion
