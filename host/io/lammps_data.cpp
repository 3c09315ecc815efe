// LAMMPS data file reader/writer (see lammps_data.hpp for the conventions).
#include "io/lammps_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/atomic_file.hpp"
#include "core/elements.hpp"
#include "io/line_reader.hpp"
#include "io/species_table.hpp"

namespace superion::io {
namespace {

std::string_view strip_comment(std::string_view line) {
  const std::size_t h = line.find('#');
  return h == std::string_view::npos ? line : line.substr(0, h);
}

bool header_has(const std::vector<std::string_view>& tok, const char* a, const char* b = nullptr) {
  if (b) return tok.size() >= 2 && tok[tok.size() - 2] == a && tok.back() == b;
  return !tok.empty() && tok.back() == a;
}

Dataset parse_lammps(LineReader& r, const LammpsReadOptions& o) {
  Configuration c;
  Structure& s = c.structure;
  std::string_view line;
  if (!r.next(line)) throw r.error("empty file: expected the LAMMPS data title line");
  long n_atoms = -1, n_types = -1;
  double lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};
  bool have_box[3] = {false, false, false};
  double xy = 0, xz = 0, yz = 0;
  std::vector<std::string_view> tok;
  std::vector<double> type_mass;
  std::vector<std::string> type_symbol;
  struct AtomRow {
    long id;
    int type;
    double q;
    Vec3 x;
    int image[3];
  };
  std::vector<AtomRow> atoms;
  bool have_atoms = false;
  // Header.
  while (r.next(line)) {
    const std::string_view body = strip_comment(line);
    if (is_blank(body)) continue;
    split_ws(body, tok);
    if (header_has(tok, "atoms") && tok.size() == 2) {
      n_atoms = to_long(r, tok[0], "number of atoms");
    } else if (header_has(tok, "atom", "types") && tok.size() == 3) {
      n_types = to_long(r, tok[0], "number of atom types");
    } else if (tok.size() == 4 && (header_has(tok, "xlo", "xhi") || header_has(tok, "ylo", "yhi") ||
                                   header_has(tok, "zlo", "zhi"))) {
      const int d = tok[2][0] - 'x';
      lo[d] = to_double(r, tok[0], "box bound");
      hi[d] = to_double(r, tok[1], "box bound");
      if (!(hi[d] > lo[d])) throw r.error("box upper bound must exceed the lower bound");
      have_box[d] = true;
    } else if (tok.size() == 6 && tok[3] == "xy" && tok[4] == "xz" && tok[5] == "yz") {
      xy = to_double(r, tok[0], "xy tilt");
      xz = to_double(r, tok[1], "xz tilt");
      yz = to_double(r, tok[2], "yz tilt");
    } else {
      r.unread();
      break;
    }
  }
  if (n_atoms < 0) throw r.error("missing 'N atoms' header line");
  if (n_types < 1) throw r.error("missing 'N atom types' header line");
  if (!(have_box[0] && have_box[1] && have_box[2]))
    throw r.error("missing xlo xhi / ylo yhi / zlo zhi box lines");
  type_mass.assign(static_cast<std::size_t>(n_types), 0.0);
  type_symbol.assign(static_cast<std::size_t>(n_types), std::string());
  // Sections.
  while (r.next_nonblank(line)) {
    split_ws(strip_comment(line), tok);
    const std::string_view name = tok.empty() ? std::string_view() : tok[0];
    const std::size_t hash = line.find('#');
    const std::string_view hint =
        hash == std::string_view::npos ? std::string_view() : trim(line.substr(hash + 1));
    if (name == "Masses") {
      for (long k = 0; k < n_types; ++k) {
        const std::string_view l = r.require_nonblank("a Masses line");
        split_ws(strip_comment(l), tok);
        if (tok.size() != 2) throw r.error("expected 'type mass' in Masses");
        const long t = to_long(r, tok[0], "atom type");
        if (t < 1 || t > n_types)
          throw r.error("atom type out of range 1.." + std::to_string(n_types));
        type_mass[static_cast<std::size_t>(t - 1)] = to_double(r, tok[1], "mass");
        const std::size_t h = l.find('#');
        if (h != std::string_view::npos) {
          const auto ct = split_ws(l.substr(h + 1));
          if (!ct.empty()) {
            const std::string sym = normalize_symbol(ct[0]);
            if (!sym.empty()) type_symbol[static_cast<std::size_t>(t - 1)] = sym;
          }
        }
      }
    } else if (name == "Atoms") {
      if (have_atoms) throw r.error("second Atoms section");
      have_atoms = true;
      int style = 0;  // 0 = decide by columns, 1 = atomic, 2 = charge
      if (!hint.empty()) {
        if (hint == "atomic")
          style = 1;
        else if (hint == "charge")
          style = 2;
        else
          throw r.error("atom style '" + std::string(hint) + "' is not supported (atomic, charge)");
      }
      for (long k = 0; k < n_atoms; ++k) {
        const std::string_view l = r.require_nonblank("an Atoms line");
        split_ws(strip_comment(l), tok);
        int st = style;
        if (st == 0) {
          if (tok.size() == 5 || tok.size() == 8)
            st = 1;
          else
            throw r.error("cannot tell the atom style from " + std::to_string(tok.size()) +
                          " columns: add '# atomic' or '# charge' after Atoms");
        }
        const std::size_t base = st == 2 ? 3 : 2;
        if (tok.size() != base + 3 && tok.size() != base + 6)
          throw r.error("expected " + std::to_string(base + 3) + " or " + std::to_string(base + 6) +
                        " columns in Atoms");
        AtomRow a{};
        a.id = to_long(r, tok[0], "atom id");
        const long t = to_long(r, tok[1], "atom type");
        if (t < 1 || t > n_types)
          throw r.error("atom type out of range 1.." + std::to_string(n_types));
        a.type = static_cast<int>(t - 1);
        if (st == 2) a.q = to_double(r, tok[2], "charge");
        for (int d = 0; d < 3; ++d)
          a.x[d] = to_double(r, tok[base + static_cast<std::size_t>(d)], "coordinate");
        if (tok.size() == base + 6)
          for (int d = 0; d < 3; ++d)
            a.image[d] = static_cast<int>(
                to_long(r, tok[base + 3 + static_cast<std::size_t>(d)], "image flag"));
        atoms.push_back(a);
        if (st == 2) c.charges.emplace();
      }
    } else if (name == "Velocities") {
      for (long k = 0; k < n_atoms; ++k) r.require_nonblank("a Velocities line");
    } else {
      throw r.error("unsupported section '" + std::string(trim(line)) +
                    "' (Masses, Atoms, Velocities)");
    }
  }
  if (!have_atoms) throw r.error("missing Atoms section");
  std::sort(atoms.begin(), atoms.end(),
            [](const AtomRow& a, const AtomRow& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < atoms.size(); ++i)
    if (atoms[i].id == atoms[i - 1].id)
      throw r.error("duplicate atom id " + std::to_string(atoms[i].id));
  s.cell[0][0] = hi[0] - lo[0];
  s.cell[1][0] = xy, s.cell[1][1] = hi[1] - lo[1];
  s.cell[2][0] = xz, s.cell[2][1] = yz, s.cell[2][2] = hi[2] - lo[2];
  s.pbc = {true, true, true};
  const Vec3 origin{lo[0], lo[1], lo[2]};
  const bool have_charge = c.charges.has_value();
  if (have_charge) c.charges->clear();
  for (const auto& a : atoms) {
    Vec3 p = a.x - origin;
    p += row_times(Vec3{double(a.image[0]), double(a.image[1]), double(a.image[2])}, s.cell);
    s.positions.push_back(p);
    s.types.push_back(a.type);
    if (have_charge) c.charges->push_back(a.q);
  }
  Dataset d;
  const bool all_symbols =
      std::all_of(type_symbol.begin(), type_symbol.end(), [](const auto& x) { return !x.empty(); });
  if (all_symbols) {
    d.species = type_symbol;
  } else if (!o.species.empty()) {
    if (o.species.size() != static_cast<std::size_t>(n_types))
      throw InputError(r.name(), 0,
                       std::to_string(n_types) + " atom types but " +
                           std::to_string(o.species.size()) + " species given");
    SpeciesTable t(o.species);
    d.species = t.symbols();
  } else {
    for (const auto& a : atoms) s.masses.push_back(type_mass[static_cast<std::size_t>(a.type)]);
  }
  s.species_symbols = d.species;
  d.configs.push_back(std::move(c));
  return d;
}

// Rotation of `cell` into the lower-triangular frame (a along x, b in the xy plane).
Mat3 lower_triangular(const Mat3& cell) {
  const Vec3 a = cell.row(0), b = cell.row(1), c = cell.row(2);
  const double ax = norm(a);
  const Vec3 ah = a * (1.0 / ax);
  const double bx = dot(b, ah);
  const double by = norm(cross(ah, b));
  const double cx = dot(c, ah);
  const double cy = (dot(b, c) - bx * cx) / by;
  const double cz = std::sqrt(std::max(0.0, norm2(c) - cx * cx - cy * cy));
  Mat3 l;
  l.set_row(0, {ax, 0, 0});
  l.set_row(1, {bx, by, 0});
  l.set_row(2, {cx, cy, cz});
  return l;
}

}  // namespace

Mat3 lammps_cell(const Mat3& cell) {
  Mat3 l = lower_triangular(cell);
  // Reduce tilts into [-L/2, L/2] with lattice-preserving vector additions (c first: it uses b).
  double n = std::round(l[2][1] / l[1][1]);
  if (n != 0) l.set_row(2, l.row(2) - n * l.row(1));
  n = std::round(l[2][0] / l[0][0]);
  if (n != 0) l.set_row(2, l.row(2) - n * l.row(0));
  n = std::round(l[1][0] / l[0][0]);
  if (n != 0) l.set_row(1, l.row(1) - n * l.row(0));
  return l;
}

Dataset read_lammps_data(const std::filesystem::path& path, const LammpsReadOptions& options) {
  LineReader r(path);
  return parse_lammps(r, options);
}

Dataset read_lammps_data_text(std::string text, const std::string& name,
                              const LammpsReadOptions& options) {
  LineReader r(std::move(text), name);
  return parse_lammps(r, options);
}

void write_lammps_data(const std::filesystem::path& path, const Dataset& data,
                       const LammpsWriteOptions& o) {
  if (data.size() != 1)
    throw Error("a LAMMPS data file holds one structure; the dataset has " +
                std::to_string(data.size()));
  const Configuration& c = data.configs[0];
  const Structure& s = c.structure;
  if (!(s.pbc[0] && s.pbc[1] && s.pbc[2]) || !(std::fabs(det(s.cell)) > 0))
    throw Error("LAMMPS data writer needs a 3-D periodic cell");
  if (o.charges && !c.charges)
    throw Error("atom_style charge requested but the configuration has no charges");
  const std::vector<std::string>& symbols =
      !o.species.empty() ? o.species
                         : (!s.species_symbols.empty() ? s.species_symbols : data.species);
  const std::size_t n = s.size();
  int n_types = 0;
  for (int t : s.types) n_types = std::max(n_types, t + 1);
  n_types = std::max(n_types, static_cast<int>(symbols.size()));
  std::vector<double> mass(static_cast<std::size_t>(n_types), 0.0);
  std::vector<bool> have(static_cast<std::size_t>(n_types), false);
  for (int t = 0; t < n_types; ++t)
    if (t < static_cast<int>(symbols.size()))
      mass[static_cast<std::size_t>(t)] = element(symbols[static_cast<std::size_t>(t)]).mass,
      have[static_cast<std::size_t>(t)] = true;
  if (!s.masses.empty())
    for (std::size_t i = 0; i < n; ++i)
      mass[static_cast<std::size_t>(s.types[i])] = s.masses[i],
      have[static_cast<std::size_t>(s.types[i])] = true;
  for (int t = 0; t < n_types; ++t)
    if (!have[static_cast<std::size_t>(t)])
      throw Error("no mass for type " + std::to_string(t) +
                  ": give the species list (e.g. --species Na,Cl)");
  const Mat3 l = lammps_cell(s.cell);
  const Mat3 inv = inverse(s.cell);
  const char* rf = o.lossless ? "%.16e" : "%.10f";
  std::string out;
  char buf[512];
  auto put = [&](const char* fmt, auto... args) {
    std::snprintf(buf, sizeof buf, fmt, args...);
    out += buf;
  };
  out += "LAMMPS data file written by superion: " + s.formula() + "\n\n";
  put("%zu atoms\n%d atom types\n\n", n, n_types);
  const std::string f2 = std::string("0.0 ") + rf;
  put((f2 + " xlo xhi\n").c_str(), l[0][0]);
  put((f2 + " ylo yhi\n").c_str(), l[1][1]);
  put((f2 + " zlo zhi\n").c_str(), l[2][2]);
  put((std::string(rf) + " " + rf + " " + rf + " xy xz yz\n").c_str(), l[1][0], l[2][0], l[2][1]);
  out += "\nMasses\n\n";
  for (int t = 0; t < n_types; ++t) {
    put("%d %.8f", t + 1, mass[static_cast<std::size_t>(t)]);
    if (t < static_cast<int>(symbols.size())) out += "  # " + symbols[static_cast<std::size_t>(t)];
    out += '\n';
  }
  out += o.charges ? "\nAtoms # charge\n\n" : "\nAtoms # atomic\n\n";
  const Mat3 l0 = lower_triangular(s.cell);  // same lattice as l before tilt reduction
  const Mat3 linv = inverse(l);
  const std::string fx = std::string(rf) + " " + rf + " " + rf + "\n";
  for (std::size_t i = 0; i < n; ++i) {
    // Keep the fractional coordinates: rotate into the LAMMPS frame, then wrap into the reduced
    // box.
    const Vec3 p0 = row_times(row_times(s.positions[i], inv), l0);
    Vec3 f = row_times(p0, linv);
    for (int d = 0; d < 3; ++d) {
      f[d] -= std::floor(f[d]);
      if (f[d] >= 1.0) f[d] = 0.0;
    }
    const Vec3 p = row_times(f, l);
    put("%zu %d ", i + 1, s.types[i] + 1);
    if (o.charges) put(o.lossless ? "%.16e " : "%.10f ", (*c.charges)[i]);
    put(fx.c_str(), p.x, p.y, p.z);
  }
  AtomicFile file(path);
  file.stream() << out;
  file.commit();
}

}  // namespace superion::io
