// pair_coeff names → MTP species.
#include "species_map.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/elements.hpp"
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

std::vector<std::string> elements_of_types(const std::vector<std::string>& names,
                                           const std::vector<int>& species_of_type,
                                           const std::vector<std::string>& potential_species) {
  std::vector<std::string> elements(species_of_type.size());
  for (std::size_t t = 0; t < species_of_type.size(); ++t) {
    const int s = species_of_type[t];
    if (s < 0) continue;
    if (!names.empty())
      elements[t] = io::normalize_symbol(names[t]);
    else if (static_cast<std::size_t>(s) < potential_species.size())
      elements[t] = io::normalize_symbol(potential_species[static_cast<std::size_t>(s)]);
  }
  return elements;
}

std::string describe_type_map(const std::vector<int>& species_of_type,
                              const std::vector<std::string>& elements) {
  std::string s;
  for (std::size_t t = 0; t < species_of_type.size(); ++t) {
    s += (t ? ", type " : "type ") + std::to_string(t + 1) + " -> ";
    if (species_of_type[t] < 0) {
      s += "NULL";
      continue;
    }
    s += "species " + std::to_string(species_of_type[t]);
    if (t < elements.size() && !elements[t].empty()) s += " (" + elements[t] + ")";
  }
  return s;
}

std::vector<std::string> mass_warnings(const std::vector<std::string>& elements,
                                       const std::vector<double>& masses, double tolerance) {
  std::vector<std::string> out;
  for (std::size_t t = 0; t < elements.size() && t < masses.size(); ++t) {
    if (elements[t].empty() || !std::isfinite(masses[t])) continue;
    const Element* e = find_element(elements[t]);
    if (!e || std::abs(masses[t] - e->mass) <= tolerance) continue;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "atom type %zu is %s but has mass %.4g amu (%s: %.4g amu); are the element names "
                  "(pair_coeff * * ...) in the order of the atom types?",
                  t + 1, e->symbol, masses[t], e->symbol, e->mass);
    out.emplace_back(buf);
  }
  return out;
}

}  // namespace superion::lammps
