// Time parsing, supercells and structure loading for `superion md`.
#include "md_setup.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/error.hpp"
#include "mtp/species_map.hpp"

namespace superion::md {

double parse_time_ps(const std::string& text, const std::string& what) {
  std::size_t pos = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &pos);
  } catch (const std::exception&) {
    throw Error(what + ": '" + text + "' is not a time (expected e.g. 2fs, 0.002, 100ps, 1ns)");
  }
  std::string unit = text.substr(pos);
  unit.erase(0, unit.find_first_not_of(" \t"));
  double scale = 1.0;
  if (unit.empty() || unit == "ps")
    scale = 1.0;
  else if (unit == "fs")
    scale = 1e-3;
  else if (unit == "ns")
    scale = 1e3;
  else
    throw Error(what + ": unknown time unit '" + unit + "' in '" + text + "' (use fs, ps or ns)");
  const double t = value * scale;
  if (!(t > 0) || !std::isfinite(t)) throw Error(what + ": '" + text + "' must be a positive time");
  return t;
}

Structure make_supercell(const Structure& unit, const std::array<int, 3>& repeat) {
  for (int k = 0; k < 3; ++k)
    if (repeat[static_cast<std::size_t>(k)] < 1) throw Error("supercell multiples must be >= 1");
  Structure s = unit;
  s.positions.clear();
  s.types.clear();
  s.masses.clear();
  const std::vector<double> masses = unit.masses;
  for (int i = 0; i < repeat[0]; ++i)
    for (int j = 0; j < repeat[1]; ++j)
      for (int k = 0; k < repeat[2]; ++k) {
        const Vec3 shift = row_times(Vec3{double(i), double(j), double(k)}, unit.cell);
        for (std::size_t a = 0; a < unit.size(); ++a) {
          s.positions.push_back(unit.positions[a] + shift);
          s.types.push_back(unit.types[a]);
          if (!masses.empty()) s.masses.push_back(masses[a]);
        }
      }
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      s.cell[r][c] = unit.cell[r][c] * repeat[static_cast<std::size_t>(r)];
  return s;
}

Structure load_md_structure(const std::string& path, const std::string& format,
                            const std::vector<std::string>& species, const Mtp& model,
                            const std::string& potential) {
  SpeciesMapping mapping = species_mapping(model, potential, species);
  const Dataset data = read_mapped_dataset(path, format, mapping);
  if (data.configs.empty()) throw InputError(path, 0, "no configuration found");
  print_species_mapping(mapping);
  Structure s = data.configs.front().structure;
  s.validate();
  return s;
}

}  // namespace superion::md
