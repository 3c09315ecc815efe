// Structure: an atomic configuration in a (possibly non-periodic) triclinic cell.
// Cell lattice vectors are the ROWS of `cell` (Å), as in VASP/ASE/MLIP. Species are indices into
// `species_symbols` (type 0..C-1, MLIP convention); masses are per atom (amu).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/vec3.hpp"

namespace superion {

struct Structure {
  Mat3 cell;                                // rows = lattice vectors a, b, c (Å)
  std::array<bool, 3> pbc{true, true, true};
  std::vector<Vec3> positions;              // cartesian, Å
  std::vector<int> types;                   // species index per atom (0..n_species-1)
  std::vector<std::string> species_symbols; // symbol per species index; may be empty (unknown)
  std::vector<double> masses;               // amu per atom (may be empty → from symbols)

  std::size_t size() const { return positions.size(); }
  int n_species() const;                    // max(types)+1 or species_symbols.size()
  bool periodic() const { return pbc[0] || pbc[1] || pbc[2]; }
  double volume() const;                    // |det cell| (Å^3)
  // Symbol of atom i, or "X<type>" if unknown.
  std::string symbol(std::size_t i) const;
  // Per-atom masses (from `masses`, or from symbols via the element table; throws if unknown).
  std::vector<double> atom_masses() const;
  // Hill-order chemical formula, e.g. "Na3ClO4S".
  std::string formula() const;
  // Throws superion::Error if arrays have inconsistent sizes, a position is not finite, or a
  // periodic direction has a degenerate cell.
  void validate() const;
};

}  // namespace superion
