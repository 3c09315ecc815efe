// Space-group operations (from spglib's database) and symmetry detection of found structures.
// Operations act on fractional coordinates as column vectors: x' = R x + t.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/structure.hpp"

namespace superion {

struct SymOp {
  std::array<std::array<int, 3>, 3> R;
  std::array<double, 3> t;
};

// Operations of the standard setting of space group 1..230 (conventional cell, centring included).
std::vector<SymOp> space_group_operations(int number);
// Crystal system of a space group number: "triclinic", "monoclinic", "orthorhombic",
// "tetragonal", "trigonal", "hexagonal", "cubic".
std::string crystal_system(int number);
// International symbol and number of a structure's space group (spglib, tolerance in Å).
std::pair<std::string, int> detect_space_group(const Structure& s, double symprec = 0.1);

}  // namespace superion
