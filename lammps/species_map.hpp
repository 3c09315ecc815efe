// Mapping of LAMMPS atom types to MTP species from `pair_coeff * * NAME…` (pure C++).
//  - pair_coeff * *            : type k is MTP species k−1 (MLIP's convention).
//  - pair_coeff * * Na Cl S O  : one name per type. When the potential's element names are known
//    (stored in the .mtp file or given by `pair_style mtp POT species …`), each name is looked up
//    there; otherwise the distinct names, in order of first appearance, are species 0, 1, 2, ….
//    NULL leaves a type out (for pair_style hybrid); such atoms must not be handled by this style.
#pragma once

#include <string>
#include <vector>

namespace superion::lammps {

// Returns species index per type (size ntypes, −1 for NULL). Throws superion::Error with a message
// naming the offending name, the potential's species and what was expected.
std::vector<int> map_types_to_species(const std::vector<std::string>& names, int ntypes,
                                      int species_count,
                                      const std::vector<std::string>& potential_species,
                                      const std::string& potential_name);

}  // namespace superion::lammps
