// Element ↔ MTP type mapping; see species_map.hpp.
#include "mtp/species_map.hpp"

#include <algorithm>
#include <cstdio>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "io/formats.hpp"

namespace superion {
namespace {

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

int index_of(const std::vector<std::string>& v, const std::string& x) {
  const auto it = std::find(v.begin(), v.end(), x);
  return it == v.end() ? -1 : static_cast<int>(it - v.begin());
}

// Formats whose configurations carry no element symbols of their own.
bool format_without_symbols(const std::string& path, const std::string& format) {
  const std::string name = io::find_format(path, format).name;
  return name == "cfg" || name == "lammps-data";
}

void check_type_range(const Structure& s, const SpeciesMapping& m, const std::string& what) {
  for (int t : s.types)
    if (t < 0 || t >= m.species_count)
      throw InputError(what, 0,
                       "species type " + std::to_string(t) + " is not in the potential " +
                           m.potential + " (" + std::to_string(m.species_count) + " species)");
}

}  // namespace

std::string SpeciesMapping::pairs() const {
  std::string s;
  for (std::size_t t = 0; t < elements.size(); ++t)
    s += (t ? " " : "") + elements[t] + "=" + std::to_string(t);
  return s.empty() ? "types as in the data" : s;
}

std::string SpeciesMapping::describe() const {
  const char* from = source == Source::kPotential ? "element names stored in "
                     : source == Source::kOption  ? "--species, for "
                                                  : "ASSUMED from the data's order, for ";
  return "species -> MTP types: " + pairs() + " (" + from + potential + ")";
}

std::string SpeciesMapping::warning() const {
  if (known()) return {};
  return "warning: " + potential +
         " stores no element names, so the MTP type order is assumed to be the data's own order (" +
         pairs() +
         "); a wrong order runs with the wrong species. Give the potential's order with "
         "--species (e.g. --species Na,Cl,S,O) or retrain with superion, which stores the names.";
}

SpeciesMapping species_mapping(const Mtp& model, const std::string& potential_path,
                               const std::vector<std::string>& option) {
  SpeciesMapping m;
  m.potential = potential_path;
  m.species_count = model.species_count;
  std::vector<std::string> given;
  for (const auto& s : option) {
    const Element* e = find_element(s);
    if (!e) throw InputError("--species", 0, "'" + s + "' is not a chemical element");
    if (index_of(given, e->symbol) >= 0)
      throw InputError("--species", 0, std::string(e->symbol) + " is given twice");
    given.push_back(e->symbol);
  }
  if (!given.empty() && static_cast<int>(given.size()) != model.species_count)
    throw InputError("--species", 0,
                     "--species lists " + std::to_string(given.size()) + " elements (" +
                         joined(given, ",") + ") but " + potential_path + " has " +
                         std::to_string(model.species_count) + " species");
  if (!model.species_names.empty()) {
    if (!given.empty() && given != model.species_names)
      throw InputError("--species", 0,
                       "--species " + joined(given, ",") + " differs from the element order " +
                           joined(model.species_names, ",") + " stored in " + potential_path +
                           " (leave --species out: the potential knows its elements)");
    m.elements = model.species_names;
    m.source = SpeciesMapping::Source::kPotential;
  } else if (!given.empty()) {
    m.elements = given;
    m.source = SpeciesMapping::Source::kOption;
  }
  return m;
}

void map_structure(Structure& s, const SpeciesMapping& m, const std::string& what) {
  if (!m.known() && m.elements.empty()) {  // types as they are
    check_type_range(s, m, what);
    return;
  }
  if (s.species_symbols.empty()) {  // a format without symbols: its types are MTP types
    check_type_range(s, m, what);
    s.species_symbols = m.elements;
    return;
  }
  std::vector<int> to(s.species_symbols.size(), -1);
  std::vector<std::string> missing;
  for (std::size_t k = 0; k < s.species_symbols.size(); ++k) {
    const Element* e = find_element(s.species_symbols[k]);
    to[k] = index_of(m.elements, e ? std::string(e->symbol) : s.species_symbols[k]);
  }
  for (int& t : s.types) {
    if (t < 0 || t >= static_cast<int>(to.size()) || to[t] < 0) {
      const std::string el = t >= 0 && t < static_cast<int>(to.size())
                                 ? s.species_symbols[t]
                                 : "type " + std::to_string(t);
      if (index_of(missing, el) < 0) missing.push_back(el);
      continue;
    }
    t = to[t];
  }
  if (!missing.empty())
    throw InputError(what, 0,
                     "element " + joined(missing, ", ") + " is not in the potential " +
                         m.potential + ", whose MTP types are " + m.pairs() +
                         (m.source == SpeciesMapping::Source::kOption ? " (from --species)" : ""));
  s.species_symbols = m.elements;
}

Dataset read_mapped_dataset(const std::string& path, const std::string& format, SpeciesMapping& m) {
  io::ReadOptions ro;
  if (format_without_symbols(path, format)) ro.species = m.elements;
  Dataset d = io::read_dataset(path, format, ro);
  if (!m.known() && m.elements.empty() && !d.species.empty()) {
    // Assumed: the file's own order (first appearance), which must fit the potential.
    if (static_cast<int>(d.species.size()) > m.species_count)
      throw InputError(path, 0,
                       "the data have " + std::to_string(d.species.size()) + " elements (" +
                           joined(d.species, ",") + ") but the potential " + m.potential +
                           " only " + std::to_string(m.species_count) +
                           " species; give its element order with --species");
    m.elements = d.species;
  }
  for (std::size_t k = 0; k < d.configs.size(); ++k)
    map_structure(d.configs[k].structure, m,
                  path + (d.configs.size() > 1 ? " (configuration " + std::to_string(k + 1) + ")"
                                               : std::string()));
  if (!m.elements.empty()) d.species = m.elements;
  return d;
}

void print_species_mapping(const SpeciesMapping& m) {
  std::printf("%s\n", m.describe().c_str());
  std::fflush(stdout);
  const std::string w = m.warning();
  if (!w.empty()) std::fprintf(stderr, "%s\n", w.c_str());
}

}  // namespace superion
