// Mapping of LAMMPS atom types to MTP species from `pair_coeff * * NAME…` (pure C++).
//  - pair_coeff * *            : type k is MTP species k−1 (MLIP's convention).
//  - pair_coeff * * Na Cl S O  : one name per type. When the potential's element names are known
//    (stored in the .mtp file or given by `pair_style mtp POT species …`), each name is looked up
//    there; otherwise the distinct names, in order of first appearance, are species 0, 1, 2, ….
//    NULL leaves a type out (for pair_style hybrid); such atoms must not be handled by this style.
// The mapping is printed at the start (describe_type_map) and the masses LAMMPS has for the types
// are compared with the named elements (mass_warnings), which catches names given in the wrong
// order even where the potential stores no names.
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

// Element of each type (size ntypes, "" for NULL or where unknown: no names in pair_coeff and none
// stored in the potential), from the pair_coeff names or else the potential's stored names.
std::vector<std::string> elements_of_types(const std::vector<std::string>& names,
                                           const std::vector<int>& species_of_type,
                                           const std::vector<std::string>& potential_species);

// One line: "type 1 -> species 0 (Na), type 2 -> species 1 (Cl), type 3 -> NULL".
std::string describe_type_map(const std::vector<int>& species_of_type,
                              const std::vector<std::string>& elements);

// One warning per type whose mass (amu; masses[t] for type t+1, NaN when unset) is more than
// `tolerance` amu from the standard atomic mass of its element: usually element names given in
// another order than the atom types of the data file.
std::vector<std::string> mass_warnings(const std::vector<std::string>& elements,
                                       const std::vector<double>& masses, double tolerance);

}  // namespace superion::lammps
