// Extended XYZ reader/writer (see extxyz.hpp for the conventions).
#include "io/extxyz.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>

#include "core/atomic_file.hpp"
#include "core/string_format.hpp"
#include "io/line_reader.hpp"
#include "io/species_table.hpp"

namespace superion::io {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

enum class Field { kSpecies, kPos, kForces, kEnergies, kMasses, kCharges, kNbhGrades, kSkip };

struct Column {
  Field field;
  int count;  // number of whitespace-separated tokens
};

std::vector<Column> parse_properties(const LineReader& r, const std::string& value) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t c = value.find(':', start);
    parts.push_back(value.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  if (parts.size() % 3 != 0)
    throw r.error("Properties must be name:type:count triples, got '" + value + "'");
  std::vector<Column> cols;
  bool seen[7] = {false, false, false, false, false, false, false};
  for (std::size_t k = 0; k < parts.size(); k += 3) {
    const std::string& name = parts[k];
    const std::string& type = parts[k + 1];
    long n;
    if (!parse_long(parts[k + 2], n) || n < 1)
      throw r.error("Properties: bad column count for '" + name + "'");
    if (type != "S" && type != "R" && type != "I" && type != "L")
      throw r.error("Properties: unknown type '" + type + "' for '" + name +
                    "' (expected S, R, I or L)");
    Field f = Field::kSkip;
    int want = 0;
    const char* want_type = "R";
    if (name == "species")
      f = Field::kSpecies, want = 1, want_type = "S";
    else if (name == "pos")
      f = Field::kPos, want = 3;
    else if (name == "forces" || name == "force")
      f = Field::kForces, want = 3;
    else if (name == "energies")
      f = Field::kEnergies, want = 1;
    else if (name == "masses")
      f = Field::kMasses, want = 1;
    else if (name == "charges")
      f = Field::kCharges, want = 1;
    else if (name == "nbh_grades")
      f = Field::kNbhGrades, want = 1;
    if (f != Field::kSkip) {
      if (n != want || type != want_type)
        throw r.error("Properties: '" + name + "' must be " + want_type + ":" +
                      std::to_string(want));
      if (seen[static_cast<int>(f)]) throw r.error("Properties: '" + name + "' given twice");
      seen[static_cast<int>(f)] = true;
    }
    cols.push_back({f, static_cast<int>(n)});
  }
  if (!seen[static_cast<int>(Field::kSpecies)] || !seen[static_cast<int>(Field::kPos)])
    throw r.error("Properties must contain species:S:1 and pos:R:3");
  return cols;
}

bool parse_bool(std::string_view s, bool& b) {
  if (s == "T" || s == "True" || s == "true" || s == "TRUE" || s == "1") return b = true, true;
  if (s == "F" || s == "False" || s == "false" || s == "FALSE" || s == "0") return b = false, true;
  return false;
}

std::vector<double> numbers(const LineReader& r, const std::string& key, const std::string& value) {
  std::vector<double> out;
  for (auto t : split_ws(value)) out.push_back(to_double(r, t, key.c_str()));
  return out;
}

Configuration read_frame(LineReader& r, long n_atoms, SpeciesTable& species) {
  Configuration c;
  Structure& s = c.structure;
  std::string_view line;
  if (!r.next(line)) throw r.error("unexpected end of file: expected the comment line of a frame");
  std::vector<std::pair<std::string, std::string>> kv;
  const bool plain = line.find('=') == std::string_view::npos;
  if (!plain) {
    try {
      kv = parse_xyz_comment(line);
    } catch (const Error& e) {
      throw r.error(e.what());
    }
  } else if (!is_blank(line)) {
    c.features.emplace_back("comment", std::string(trim(line)));
  }
  std::vector<Column> cols = {{Field::kSpecies, 1}, {Field::kPos, 3}};
  bool have_lattice = false, have_pbc = false;
  std::array<bool, 3> pbc{false, false, false};
  std::optional<std::vector<double>> stress, virial;
  std::optional<double> energy, free_energy;
  for (const auto& [key, value] : kv) {
    if (key == "Lattice") {
      const auto v = numbers(r, key, value);
      if (v.size() != 9)
        throw r.error("Lattice needs 9 numbers (3 rows), got " + std::to_string(v.size()));
      for (int i = 0; i < 9; ++i) s.cell[i / 3][i % 3] = v[static_cast<std::size_t>(i)];
      have_lattice = true;
    } else if (key == "Properties") {
      cols = parse_properties(r, value);
    } else if (key == "pbc") {
      const auto t = split_ws(value);
      if (t.size() != 3 || !parse_bool(t[0], pbc[0]) || !parse_bool(t[1], pbc[1]) ||
          !parse_bool(t[2], pbc[2]))
        throw r.error("pbc needs 3 booleans (T/F), got '" + value + "'");
      have_pbc = true;
    } else if (key == "energy") {
      energy = to_double(r, value, "energy");
    } else if (key == "free_energy") {
      free_energy = to_double(r, value, "free_energy");
      c.features.emplace_back(key, value);
    } else if (key == "stress") {
      stress = numbers(r, key, value);
      if (stress->size() != 9 && stress->size() != 6)
        throw r.error("stress needs 9 or 6 (Voigt xx yy zz yz xz xy) numbers, got " +
                      std::to_string(stress->size()));
    } else if (key == "virial") {
      virial = numbers(r, key, value);
      if (virial->size() != 9)
        throw r.error("virial needs 9 numbers, got " + std::to_string(virial->size()));
    } else if (key == "config_type") {
      c.config_type = value;
    } else {
      c.features.emplace_back(key, value);
    }
  }
  if (!have_pbc && have_lattice) pbc = {true, true, true};
  if ((pbc[0] || pbc[1] || pbc[2]) && !have_lattice)
    throw r.error("pbc has a periodic direction but no Lattice");
  s.pbc = pbc;
  if (energy) {
    c.energy = energy;
  } else if (free_energy) {
    c.energy = free_energy;
    c.features.erase(std::find_if(c.features.begin(), c.features.end(),
                                  [](const auto& f) { return f.first == "free_energy"; }));
  }
  if (virial) {
    Mat3 w;
    for (int i = 0; i < 9; ++i) w[i / 3][i % 3] = (*virial)[static_cast<std::size_t>(i)];
    c.virial = 0.5 * (w + transpose(w));
  } else if (stress) {
    const double vol = std::fabs(det(s.cell));
    if (!have_lattice || !(vol > 0))
      throw r.error("stress needs a Lattice with non-zero volume (virial = -V*stress)");
    Mat3 sg;
    const auto& v = *stress;
    if (v.size() == 9) {
      for (int i = 0; i < 9; ++i) sg[i / 3][i % 3] = v[static_cast<std::size_t>(i)];
      sg = 0.5 * (sg + transpose(sg));
    } else {
      sg[0][0] = v[0], sg[1][1] = v[1], sg[2][2] = v[2];
      sg[1][2] = sg[2][1] = v[3];
      sg[0][2] = sg[2][0] = v[4];
      sg[0][1] = sg[1][0] = v[5];
    }
    c.virial = (-vol) * sg;
  }
  int width = 0;
  for (const auto& col : cols) width += col.count;
  const auto n = static_cast<std::size_t>(n_atoms);
  s.positions.resize(n);
  s.types.resize(n);
  for (const auto& col : cols) {
    if (col.field == Field::kForces) c.forces.emplace(n);
    if (col.field == Field::kEnergies) c.site_energies.emplace(n);
    if (col.field == Field::kCharges) c.charges.emplace(n);
    if (col.field == Field::kNbhGrades) c.nbh_grades.emplace(n);
    if (col.field == Field::kMasses) s.masses.resize(n);
  }
  std::vector<std::string_view> tok;
  for (std::size_t i = 0; i < n; ++i) {
    if (!r.next(line))
      throw r.error("unexpected end of file: expected " + std::to_string(n) + " atom lines, got " +
                    std::to_string(i));
    split_ws(line, tok);
    if (static_cast<int>(tok.size()) != width)
      throw r.error("atom line has " + std::to_string(tok.size()) + " columns, Properties say " +
                    std::to_string(width));
    std::size_t k = 0;
    for (const auto& col : cols) {
      switch (col.field) {
        case Field::kSpecies: {
          const int t = species.index(tok[k]);
          if (t < 0)
            throw r.error("unknown species '" + std::string(tok[k]) + "'" +
                          (species.fixed() ? " (not in the given species list)"
                                           : " (not a chemical element)"));
          s.types[i] = t;
          break;
        }
        case Field::kPos:
          for (int d = 0; d < 3; ++d)
            s.positions[i][d] = to_double(r, tok[k + static_cast<std::size_t>(d)], "position");
          break;
        case Field::kForces:
          for (int d = 0; d < 3; ++d)
            (*c.forces)[i][d] = to_double(r, tok[k + static_cast<std::size_t>(d)], "force");
          break;
        case Field::kEnergies:
          (*c.site_energies)[i] = to_double(r, tok[k], "site energy");
          break;
        case Field::kMasses:
          s.masses[i] = to_double(r, tok[k], "mass");
          break;
        case Field::kCharges:
          (*c.charges)[i] = to_double(r, tok[k], "charge");
          break;
        case Field::kNbhGrades:
          (*c.nbh_grades)[i] = to_double(r, tok[k], "neighbourhood grade");
          break;
        case Field::kSkip:
          break;
      }
      k += static_cast<std::size_t>(col.count);
    }
  }
  return c;
}

Dataset parse_extxyz(LineReader& r, const XyzReadOptions& o) {
  SpeciesTable species(o.species);
  Dataset data;
  std::string_view line;
  while (r.next(line)) {
    if (is_blank(line)) {
      // Trailing blank lines are allowed; a blank line followed by more frames is not.
      std::string_view rest;
      if (!r.next_nonblank(rest)) break;
      throw r.error("blank line between frames");
    }
    const auto t = split_ws(line);
    long n;
    if (t.size() != 1 || !parse_long(t[0], n) || n < 0)
      throw r.error("expected the number of atoms of a frame, got '" +
                    std::string(trim(line).substr(0, 40)) + "'");
    if (static_cast<std::size_t>(n) > r.remaining_bytes() / 2 + 1)
      throw r.error(std::to_string(n) +
                    " atoms declared but the file ends before that many atom lines");
    data.configs.push_back(read_frame(r, n, species));
  }
  data.species = species.symbols();
  for (auto& c : data.configs) c.structure.species_symbols = data.species;
  return data;
}

// Quotes a value when it contains whitespace, quotes, '=' or is empty; escapes \, " and newlines.
void append_value(std::string& out, const std::string& v) {
  const bool quote = v.empty() || v.find_first_of(" \t\n\"\\={}") != std::string::npos;
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (char ch : v) {
    if (ch == '"' || ch == '\\')
      out += '\\', out += ch;
    else if (ch == '\n')
      out += "\\n";
    else
      out += ch;
  }
  out += '"';
}

void format_frame(std::string& out, const Configuration& c, const std::vector<std::string>& symbols,
                  const XyzWriteOptions& o) {
  const Structure& s = c.structure;
  const std::size_t n = s.size();
  const bool L = o.lossless;
  const char* real = L ? "%.16e" : "%.10f";
  if (s.types.size() != n || (c.forces && c.forces->size() != n) ||
      (c.site_energies && c.site_energies->size() != n) || (c.charges && c.charges->size() != n) ||
      (c.nbh_grades && c.nbh_grades->size() != n) || (!s.masses.empty() && s.masses.size() != n))
    throw Error("configuration arrays have inconsistent sizes; cannot write extxyz");
  appendf(out, "%zu\n", n);
  bool any_cell = false;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) any_cell = any_cell || s.cell[i][j] != 0.0;
  if (any_cell || s.periodic()) {
    out += "Lattice=\"";
    for (int i = 0; i < 9; ++i) {
      if (i) out += ' ';
      appendf(out, real, s.cell[i / 3][i % 3]);
    }
    out += "\" ";
  }
  out += "Properties=species:S:1:pos:R:3";
  if (c.forces) out += ":forces:R:3";
  if (c.site_energies) out += ":energies:R:1";
  if (!s.masses.empty()) out += ":masses:R:1";
  if (c.charges) out += ":charges:R:1";
  if (c.nbh_grades) out += ":nbh_grades:R:1";
  if (c.energy) {
    out += " energy=";
    appendf(out, L ? "%.16e" : "%.10f", *c.energy);
  }
  if (c.virial) {
    const Mat3& w = *c.virial;
    const double vol = std::fabs(det(s.cell));
    const bool use_stress = s.pbc[0] && s.pbc[1] && s.pbc[2] && vol > 0;
    out += use_stress ? " stress=\"" : " virial=\"";
    for (int i = 0; i < 9; ++i) {
      if (i) out += ' ';
      const double x = w[i / 3][i % 3];
      appendf(out, L ? "%.16e" : "%.10e", use_stress ? -x / vol : x);
    }
    out += '"';
  }
  if (!c.config_type.empty()) {
    out += " config_type=";
    append_value(out, c.config_type);
  }
  for (const auto& [key, value] : c.features) {
    if (key.empty() || key.find_first_of(" \t\n\"=") != std::string::npos)
      throw Error("extxyz keys cannot contain whitespace, quotes or '=': '" + key + "'");
    if (key == "Lattice" || key == "Properties" || key == "pbc" || key == "energy" ||
        key == "stress" || key == "virial" || key == "config_type")
      continue;  // written from the typed fields
    out += ' ';
    out += key;
    out += '=';
    append_value(out, value);
  }
  out += s.pbc[0] ? " pbc=\"T" : " pbc=\"F";
  out += s.pbc[1] ? " T" : " F";
  out += s.pbc[2] ? " T\"\n" : " F\"\n";
  const char* rf = L ? " %.16e" : " %16.10f";
  for (std::size_t i = 0; i < n; ++i) {
    const int t = s.types[i];
    if (t < 0 || t >= static_cast<int>(symbols.size()))
      throw Error("type " + std::to_string(t) +
                  " has no chemical symbol: give the species list (e.g. --species Na,Cl)");
    appendf(out, "%-3s", symbols[static_cast<std::size_t>(t)].c_str());
    for (int d = 0; d < 3; ++d) appendf(out, rf, s.positions[i][d]);
    if (c.forces)
      for (int d = 0; d < 3; ++d) appendf(out, rf, (*c.forces)[i][d]);
    if (c.site_energies) appendf(out, rf, (*c.site_energies)[i]);
    if (!s.masses.empty()) appendf(out, rf, s.masses[i]);
    if (c.charges) appendf(out, rf, (*c.charges)[i]);
    if (c.nbh_grades) appendf(out, L ? " %.16e" : " %.10g", (*c.nbh_grades)[i]);
    out += '\n';
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_xyz_comment(std::string_view line) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (i < n) {
    while (i < n && is_space(line[i])) ++i;
    if (i >= n) break;
    std::size_t k0 = i;
    while (i < n && !is_space(line[i]) && line[i] != '=') ++i;
    std::string key(line.substr(k0, i - k0));
    if (key.empty()) throw Error("extxyz comment line: '=' without a key");
    std::size_t j = i;
    while (j < n && is_space(line[j])) ++j;
    if (j >= n || line[j] != '=') {  // bare key = logical true
      out.emplace_back(std::move(key), "T");
      continue;
    }
    i = j + 1;
    while (i < n && is_space(line[i])) ++i;
    std::string value;
    if (i < n && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < n) {
        const char ch = line[i++];
        if (ch == '\\' && i < n) {
          const char e = line[i++];
          value += e == 'n' ? '\n' : e;
        } else if (ch == '"') {
          closed = true;
          break;
        } else {
          value += ch;
        }
      }
      if (!closed)
        throw Error("extxyz comment line: unterminated quoted value for key '" + key + "'");
    } else if (i < n && line[i] == '{') {
      const std::size_t close = line.find('}', i);
      if (close == std::string_view::npos)
        throw Error("extxyz comment line: unterminated {…} value for key '" + key + "'");
      value = std::string(line.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const std::size_t v0 = i;
      while (i < n && !is_space(line[i])) ++i;
      value = std::string(line.substr(v0, i - v0));
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

Dataset read_extxyz_text(std::string text, const std::string& name, const XyzReadOptions& options) {
  LineReader r(std::move(text), name);
  return parse_extxyz(r, options);
}

Dataset read_extxyz(const std::filesystem::path& path, const XyzReadOptions& options) {
  LineReader r(path);
  return parse_extxyz(r, options);
}

void format_extxyz(std::string& out, const Configuration& c,
                   const std::vector<std::string>& species, const XyzWriteOptions& options) {
  format_frame(out, c,
               !options.species.empty()               ? options.species
               : !c.structure.species_symbols.empty() ? c.structure.species_symbols
                                                      : species,
               options);
}

void write_extxyz(const std::filesystem::path& path, const Dataset& data,
                  const XyzWriteOptions& options) {
  write_text_atomically(path, data.configs,
                        [&data, &options](std::string& buf, const Configuration& c) {
                          format_extxyz(buf, c, data.species, options);
                        });
}

}  // namespace superion::io
