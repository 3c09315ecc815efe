// pair_coeff names → MTP species.
#include "species_map.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "io/species_table.hpp"

namespace superion::lammps {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

}  // namespace

std::vector<int> map_types_to_species(const std::vector<std::string>& names, int ntypes,
                                      int species_count,
                                      const std::vector<std::string>& potential_species,
                                      const std::string& potential_name) {
  std::vector<int> map(static_cast<std::size_t>(ntypes), -1);
  if (names.empty()) {  // MLIP's convention: type k is species k-1
    if (ntypes > species_count)
      throw Error("pair_coeff * *: the box has " + std::to_string(ntypes) +
                  " atom types but the potential " + potential_name + " has only " +
                  std::to_string(species_count) +
                  " species; name the element of each type: pair_coeff * * A B …");
    for (int t = 0; t < ntypes; ++t) map[static_cast<std::size_t>(t)] = t;
    return map;
  }
  if (static_cast<int>(names.size()) != ntypes)
    throw Error("pair_coeff * * needs one element name per atom type: got " +
                std::to_string(names.size()) + " names for " + std::to_string(ntypes) + " types");
  std::vector<std::string> known;  // normalised potential species, when named
  for (const auto& s : potential_species) known.push_back(io::normalize_symbol(s));
  std::vector<std::string> seen;  // distinct names in order (unnamed potentials)
  for (int t = 0; t < ntypes; ++t) {
    const std::string& raw = names[static_cast<std::size_t>(t)];
    if (raw == "NULL") continue;
    const std::string sym = io::normalize_symbol(raw);
    if (sym.empty())
      throw Error("pair_coeff: '" + raw + "' (atom type " + std::to_string(t + 1) +
                  ") is not a chemical element");
    int species = -1;
    if (!known.empty()) {
      const auto it = std::find(known.begin(), known.end(), sym);
      if (it == known.end())
        throw Error("pair_coeff: element " + sym + " (atom type " + std::to_string(t + 1) +
                    ") is not a species of the potential " + potential_name + " (it has " +
                    join(known) + ")");
      species = static_cast<int>(it - known.begin());
    } else {
      auto it = std::find(seen.begin(), seen.end(), sym);
      if (it == seen.end()) {
        if (static_cast<int>(seen.size()) == species_count)
          throw Error("pair_coeff: element " + sym + " (atom type " + std::to_string(t + 1) +
                      ") is not a species of the potential " + potential_name + ": it has " +
                      std::to_string(species_count) + " species and " + join(seen) +
                      " already take them (the file names no elements: the distinct names of "
                      "pair_coeff are its species 0, 1, … in order)");
        seen.push_back(sym);
        it = seen.end() - 1;
      }
      species = static_cast<int>(it - seen.begin());
    }
    map[static_cast<std::size_t>(t)] = species;
  }
  return map;
}

}  // namespace superion::lammps
