// VASP POSCAR/CONTCAR reader/writer (see poscar.hpp for the conventions).
#include "io/poscar.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/atomic_file.hpp"
#include "io/line_reader.hpp"
#include "io/species_table.hpp"

namespace superion::io {
namespace {

// "Na_pv" -> "Na", "Na/1a2b3c" -> "Na".
std::string_view strip_potcar_suffix(std::string_view s) {
  const std::size_t cut = s.find_first_of("_/");
  return cut == std::string_view::npos ? s : s.substr(0, cut);
}

Dataset parse_poscar(LineReader& r, const PoscarReadOptions& o) {
  Configuration c;
  Structure& s = c.structure;
  std::string_view line;
  if (!r.next(line)) throw r.error("empty file: expected a POSCAR comment line");
  const std::string comment(trim(line));
  std::vector<std::string_view> tok;
  split_ws(r.require_nonblank("the scale factor (line 2)"), tok);
  std::vector<double> scale;
  for (auto t : tok) scale.push_back(to_double(r, t, "scale factor"));
  if (scale.size() != 1 && scale.size() != 3)
    throw r.error("expected 1 or 3 scale factors on line 2");
  if (scale.size() == 3 && (scale[0] <= 0 || scale[1] <= 0 || scale[2] <= 0))
    throw r.error("three scale factors must all be positive");
  if (scale.size() == 1 && scale[0] == 0) throw r.error("scale factor must not be 0");
  for (int i = 0; i < 3; ++i) {
    split_ws(r.require_nonblank("lattice vector " + std::to_string(i + 1)), tok);
    if (tok.size() < 3)
      throw r.error("expected 3 numbers for lattice vector " + std::to_string(i + 1));
    for (int k = 0; k < 3; ++k)
      s.cell[i][k] = to_double(r, tok[static_cast<std::size_t>(k)], "lattice component");
  }
  const double raw_volume = det(s.cell);
  if (std::fabs(raw_volume) < 1e-12)
    throw r.error("lattice vectors are linearly dependent (zero volume)");
  Vec3 factor{1, 1, 1};
  if (scale.size() == 3) {
    factor = {scale[0], scale[1], scale[2]};
  } else if (scale[0] > 0) {
    factor = {scale[0], scale[0], scale[0]};
  } else {
    const double f = std::cbrt(-scale[0] / std::fabs(raw_volume));
    factor = {f, f, f};
  }
  // Per-axis scale factors multiply the Cartesian x/y/z components (VASP convention).
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 3; ++k) s.cell[i][k] *= factor[k];

  // Species line (VASP 5) or counts (VASP 4).
  split_ws(r.require_nonblank("the species or counts line"), tok);
  std::vector<std::string> symbols;
  long dummy;
  if (!parse_long(tok[0], dummy)) {
    for (auto t : tok) {
      if (t[0] == '!' || t[0] == '#') break;
      symbols.emplace_back(strip_potcar_suffix(t));
    }
    split_ws(r.require_nonblank("the atom counts line"), tok);
  } else if (!o.species.empty()) {
    symbols = o.species;
  } else {
    throw r.error("VASP 4 POSCAR without a species line: give the species (e.g. --species Na,Cl)");
  }
  const long counts_line = r.line_number();
  std::vector<long> counts;
  for (auto t : tok) {
    long n;
    if (!parse_long(t, n)) break;
    if (n < 0) throw r.error("negative atom count");
    counts.push_back(n);
  }
  if (counts.size() != symbols.size())
    throw InputError(r.name(), counts_line,
                     std::to_string(symbols.size()) + " species but " +
                         std::to_string(counts.size()) + " counts");
  SpeciesTable species(o.species);
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const int t = species.index(symbols[k]);
    if (t < 0)
      throw InputError(r.name(), counts_line - 1,
                       "unknown species '" + symbols[k] + "'" +
                           (species.fixed() ? " (not in the given species list)" : ""));
    for (long i = 0; i < counts[k]; ++i) s.types.push_back(t);
  }
  const std::size_t n = s.types.size();
  std::string_view mode = trim(r.require_nonblank("Direct or Cartesian"));
  bool selective = false;
  if (mode[0] == 'S' || mode[0] == 's') {
    selective = true;
    mode = trim(r.require_nonblank("Direct or Cartesian"));
  }
  const char m = mode[0];
  const bool cartesian = m == 'C' || m == 'c' || m == 'K' || m == 'k';
  if (!cartesian && m != 'D' && m != 'd')
    throw r.error("expected Direct or Cartesian, got '" + std::string(mode) + "'");
  s.positions.resize(n);
  std::string flags;
  for (std::size_t i = 0; i < n; ++i) {
    if (!r.next(line) || is_blank(line))
      throw r.error("expected " + std::to_string(n) + " coordinate lines, got " +
                    std::to_string(i));
    split_ws(line, tok);
    if (tok.size() < (selective ? 6u : 3u))
      throw r.error(selective ? "expected x y z and 3 selective-dynamics flags"
                              : "expected 3 coordinates");
    Vec3 p;
    for (int k = 0; k < 3; ++k) p[k] = to_double(r, tok[static_cast<std::size_t>(k)], "coordinate");
    if (cartesian) {
      for (int k = 0; k < 3; ++k) p[k] *= factor[k];
      s.positions[i] = p;
    } else {
      s.positions[i] = row_times(p, s.cell);
    }
    if (selective) {
      if (i) flags += ' ';
      for (int k = 3; k < 6; ++k) {
        const std::string_view f = tok[static_cast<std::size_t>(k)];
        if (f != "T" && f != "F")
          throw r.error("selective dynamics flag must be T or F, got '" + std::string(f) + "'");
        flags += f[0];
      }
    }
  }
  s.pbc = {true, true, true};
  if (!comment.empty()) c.features.emplace_back("comment", comment);
  if (selective) c.features.emplace_back("selective_dynamics", flags);
  Dataset d;
  d.species = species.symbols();
  s.species_symbols = d.species;
  d.configs.push_back(std::move(c));
  return d;
}

}  // namespace

Dataset read_poscar(const std::filesystem::path& path, const PoscarReadOptions& options) {
  LineReader r(path);
  return parse_poscar(r, options);
}

Dataset read_poscar_text(std::string text, const std::string& name,
                         const PoscarReadOptions& options) {
  LineReader r(std::move(text), name);
  return parse_poscar(r, options);
}

void write_poscar(const std::filesystem::path& path, const Dataset& data,
                  const PoscarWriteOptions& o) {
  if (data.size() != 1)
    throw Error("POSCAR holds exactly one structure; the dataset has " +
                std::to_string(data.size()) + " (pick one, or use extxyz/cfg)");
  const Configuration& c = data.configs[0];
  const Structure& s = c.structure;
  if (!(s.pbc[0] && s.pbc[1] && s.pbc[2]) || !(std::fabs(det(s.cell)) > 0))
    throw Error("POSCAR needs a 3-D periodic cell");
  const std::vector<std::string>& symbols =
      !o.species.empty() ? o.species
                         : (!s.species_symbols.empty() ? s.species_symbols : data.species);
  std::string comment = c.config_type.empty() ? s.formula() : c.config_type;
  for (const auto& [k, v] : c.features)
    if (k == "comment") comment = v;
  std::string selective;
  for (const auto& [k, v] : c.features)
    if (k == "selective_dynamics") selective = v;
  const std::size_t n = s.size();
  if (!selective.empty() && selective.size() != 4 * n - (n ? 1 : 0))
    throw Error("feature selective_dynamics does not have one T/F triple per atom");
  std::vector<std::pair<int, long>> runs;
  for (std::size_t i = 0; i < n; ++i) {
    const int t = s.types[i];
    if (t < 0 || t >= static_cast<int>(symbols.size()))
      throw Error("type " + std::to_string(t) +
                  " has no chemical symbol: give the species list (e.g. --species Na,Cl)");
    if (runs.empty() || runs.back().first != t) runs.emplace_back(t, 0);
    ++runs.back().second;
  }
  std::string out;
  char buf[256];
  const char* f3 = o.lossless ? "  %.16e %.16e %.16e" : "  %18.10f %18.10f %18.10f";
  for (char& ch : comment)
    if (ch == '\n') ch = ' ';
  out += comment + "\n   1.0\n";
  for (int i = 0; i < 3; ++i) {
    std::snprintf(buf, sizeof buf, f3, s.cell[i][0], s.cell[i][1], s.cell[i][2]);
    out += buf;
    out += '\n';
  }
  for (const auto& [t, cnt] : runs) out += "  " + symbols[static_cast<std::size_t>(t)];
  out += '\n';
  for (const auto& [t, cnt] : runs) out += "  " + std::to_string(cnt);
  out += '\n';
  if (!selective.empty()) out += "Selective dynamics\n";
  out += o.cartesian ? "Cartesian\n" : "Direct\n";
  const Mat3 inv = inverse(s.cell);
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3 p = o.cartesian ? s.positions[i] : row_times(s.positions[i], inv);
    std::snprintf(buf, sizeof buf, f3, p.x, p.y, p.z);
    out += buf;
    if (!selective.empty()) {
      const char* f = selective.c_str() + 4 * i;
      out += ' ';
      for (int k = 0; k < 3; ++k) (out += ' ') += f[k];
    }
    out += '\n';
  }
  AtomicFile file(path);
  file.stream() << out;
  file.commit();
}

}  // namespace superion::io
