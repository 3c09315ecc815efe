// CP2K output reader (file conventions and units in cp2k.hpp).
#include "io/cp2k.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/line_reader.hpp"
#include "io/species_table.hpp"
#include "io/text_input.hpp"

namespace superion::io {
namespace fs = std::filesystem;
namespace {

// Bohr/(atomic time unit) → Å/ps.
constexpr double kAtomicVelocity_APerPs = units::kBohr_A / units::kAtomicTime_ps;
// Largest accepted |E(pos title) − E(.ener)|: both are printed with ≥ 10 decimals (F20.10 title,
// ES20.10-style .ener columns hold ≥ 10 significant digits, i.e. ≤ 1e-7 Hartree for |E| < 1e3).
constexpr double kEnergyAgreement_Ha = 1e-6;
// Largest accepted relative mismatch between ½Σmv² from the velocity file and the .ener kinetic
// energy. Our masses (IUPAC) and CP2K's differ by < 1e-4 relative; a unit mistake is a factor.
constexpr double kKineticAgreement = 1e-2;

struct XyzFrame {
  long step = -1;
  std::optional<double> time_fs, energy_ha;
  long line = 0;  // line of the atom-count line
  std::vector<std::string> symbols;
  std::vector<Vec3> v;  // values in the file's units
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
std::string upper(std::string_view sv) {
  std::string s(sv);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// Title " i =        5, time =        5.000, E =      -223.8747755947": comma-separated key =
// value.
void parse_title(const LineReader& r, std::string_view title, XyzFrame& f) {
  std::size_t start = 0;
  while (start <= title.size()) {
    std::size_t comma = title.find(',', start);
    if (comma == std::string_view::npos) comma = title.size();
    const std::string_view item = trim(title.substr(start, comma - start));
    start = comma + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = trim(item.substr(0, eq));
    const std::string_view value = trim(item.substr(eq + 1));
    if (key == "i") {
      f.step = to_long(r, value, "a step number after 'i ='");
    } else if (key == "time") {
      f.time_fs = to_double(r, value, "a time (fs) after 'time ='");
    } else if (key == "E") {
      f.energy_ha = to_double(r, value, "an energy (Hartree) after 'E ='");
    }
  }
  if (f.step < 0)
    throw r.error("expected a CP2K XMOL title ' i = STEP, time = FS, E = HARTREE' (FORMAT XMOL)");
}

// All frames of a CP2K XMOL file; steps must increase strictly.
std::vector<XyzFrame> read_xyz_frames(const fs::path& path) {
  LineReader r(path);
  std::vector<XyzFrame> out;
  std::string_view line;
  std::vector<std::string_view> tok;
  while (r.next_nonblank(line)) {
    XyzFrame f;
    f.line = r.line_number();
    const long n = to_long(r, trim(line), "the atom count that starts a frame");
    if (n <= 0) throw r.error("expected a positive atom count, got " + std::to_string(n));
    if (static_cast<std::size_t>(n) > r.remaining_bytes() / 2 + 1)
      throw r.error(std::to_string(n) +
                    " atoms declared but the file ends before that many atom lines");
    std::string_view title;
    if (!r.next(title))
      throw r.error(
          "unexpected end of file: expected the title line of the frame that starts at line " +
          std::to_string(f.line) + " (file truncated?)");
    parse_title(r, title, f);
    f.symbols.reserve(static_cast<std::size_t>(n));
    f.v.reserve(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) {
      if (!r.next(line))
        throw r.error("unexpected end of file: the frame of step " + std::to_string(f.step) +
                      " (line " + std::to_string(f.line) + ") has " + std::to_string(i) + " of " +
                      std::to_string(n) + " atom lines (file truncated?)");
      split_ws(line, tok);
      if (tok.size() < 4)
        throw r.error("expected 'SYMBOL x y z' for atom " + std::to_string(i + 1) + " of " +
                      std::to_string(n) + " (step " + std::to_string(f.step) + ")");
      f.symbols.emplace_back(tok[0]);
      f.v.push_back(
          {to_double(r, tok[1], "x"), to_double(r, tok[2], "y"), to_double(r, tok[3], "z")});
    }
    if (!out.empty() && f.step <= out.back().step)
      throw InputError(path.string(), f.line,
                       "step " + std::to_string(f.step) + " does not follow step " +
                           std::to_string(out.back().step) + " (line " +
                           std::to_string(out.back().line) +
                           "); a restarted run appended to the file? keep one copy of each step");
    out.push_back(std::move(f));
  }
  if (out.empty()) throw InputError(path.string(), 0, "no frames: expected CP2K XMOL frames");
  return out;
}

struct Row {
  long line = 0;
  std::vector<double> v;  // all columns, v[0] = step
};

// A CP2K column file (.ener, .stress, .cell): '#' comments, one row per printed step.
struct Table {
  fs::path path;
  std::map<long, Row> rows;

  static Table read(const fs::path& p, std::size_t min_cols, const std::string& what) {
    Table t;
    t.path = p;
    LineReader r(p);
    std::string_view line;
    std::vector<std::string_view> tok;
    while (r.next(line)) {
      const std::string_view s = trim(line);
      if (s.empty() || s[0] == '#') continue;
      split_ws(s, tok);
      if (tok.size() < min_cols)
        throw r.error("expected " + what + " (" + std::to_string(min_cols) + " columns), got " +
                      std::to_string(tok.size()) + " columns (file truncated?)");
      Row row;
      row.line = r.line_number();
      const long step = to_long(r, tok[0], "a step number in the first column");
      for (const auto& x : tok) row.v.push_back(to_double(r, x, "a number"));
      const auto [it, fresh] = t.rows.emplace(step, row);
      if (!fresh)
        throw r.error("step " + std::to_string(step) + " appears twice (first at line " +
                      std::to_string(it->second.line) + "); a restarted run appended to the file?");
    }
    if (t.rows.empty()) throw InputError(p.string(), 0, "no data rows: expected " + what);
    return t;
  }

  const Row& at(long step, const fs::path& pos, long pos_line) const {
    const auto it = rows.find(step);
    if (it == rows.end())
      throw InputError(path.string(), 0,
                       "no row for step " + std::to_string(step) + ", which " + pos.string() +
                           " has at line " + std::to_string(pos_line) + " (this file has steps " +
                           std::to_string(rows.begin()->first) + ".." +
                           std::to_string(rows.rbegin()->first) +
                           ": truncated, or printed at a "
                           "different interval?)");
    return it->second;
  }
};

// Frames of a second XMOL file (forces, velocities) by step, checked against the pos frames.
struct FrameIndex {
  fs::path path;
  std::vector<XyzFrame> frames;
  std::map<long, std::size_t> by_step;

  explicit FrameIndex(const fs::path& p) : path(p), frames(read_xyz_frames(p)) {
    for (std::size_t i = 0; i < frames.size(); ++i) by_step[frames[i].step] = i;
  }
  const XyzFrame& at(const XyzFrame& pos, const fs::path& pos_path) const {
    const auto it = by_step.find(pos.step);
    if (it == by_step.end())
      throw InputError(path.string(), 0,
                       "no frame for step " + std::to_string(pos.step) + ", which " +
                           pos_path.string() + " has at line " + std::to_string(pos.line) +
                           " (this file has steps " + std::to_string(frames.front().step) + ".." +
                           std::to_string(frames.back().step) + ")");
    const XyzFrame& f = frames[it->second];
    if (f.symbols != pos.symbols)
      throw InputError(path.string(), f.line,
                       "step " + std::to_string(f.step) + " has " +
                           std::to_string(f.symbols.size()) +
                           " atoms or a species order different from " + pos_path.string() +
                           " line " + std::to_string(pos.line));
    return f;
  }
};

std::string fixed(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

Mat3 symmetric_part(const Mat3& a) {
  Mat3 s;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) s[i][j] = 0.5 * (a[i][j] + a[j][i]);
  return s;
}

}  // namespace

bool is_cp2k_pos_name(const std::string& f) {
  if (f.size() < 4 || f.compare(f.size() - 4, 4, ".xyz") != 0) return false;
  const std::size_t k = f.rfind("-pos-");
  if (k == std::string::npos) return false;
  const std::size_t b = k + 5, e = f.size() - 4;
  if (b >= e) return false;
  return std::all_of(f.begin() + static_cast<long>(b), f.begin() + static_cast<long>(e),
                     [](unsigned char c) { return std::isdigit(c); });
}

Cp2kFiles cp2k_files(const fs::path& path) {
  // PROJECT-pos-1.xyz.gz names the same run as PROJECT-pos-1.xyz (compressed).
  const std::string name = strip_gz_suffix(path.filename().string());
  std::string prefix = name, level = "1";
  if (is_cp2k_pos_name(lower(name))) {
    const std::size_t k = lower(name).rfind("-pos-");
    prefix = name.substr(0, k);
    level = name.substr(k + 5, name.size() - 4 - (k + 5));
  } else if (lower(name).size() >= 4 && lower(name).rfind(".xyz") == name.size() - 4) {
    throw InputError(path.string(), 0,
                     "expected a CP2K trajectory named PROJECT-pos-N.xyz, or the PROJECT prefix");
  }
  const fs::path dir = path.parent_path();
  // Each file of the run may be compressed on its own: the plain name when it exists, else
  // NAME.gz when that exists, else the plain name (so "no such file" messages name it).
  auto f = [&](const std::string& s) {
    const fs::path plain = dir / (prefix + s);
    fs::path gz = plain;
    gz += ".gz";
    return !fs::exists(plain) && fs::exists(gz) ? gz : plain;
  };
  Cp2kFiles r;
  r.pos = f("-pos-" + level + ".xyz");
  if (name != path.filename().string() && is_cp2k_pos_name(lower(name)) && fs::exists(path))
    r.pos = path;  // the .gz the user named
  r.frc = f("-frc-" + level + ".xyz");
  r.vel = f("-vel-" + level + ".xyz");
  r.ener = f("-" + level + ".ener");
  r.stress = f("-" + level + ".stress");
  r.cell = f("-" + level + ".cell");
  r.restart = f("-" + level + ".restart");
  return r;
}

Mat3 read_cp2k_input_cell(const fs::path& input) {
  LineReader r(input);
  std::vector<std::string> sections;  // open sections, upper case, without '&'
  bool in_cell = false, done = false;
  int nested = 0;  // sections open inside &CELL (e.g. &CELL_REF)
  Mat3 h;
  bool have_row[3] = {false, false, false};
  std::optional<Vec3> abc;
  int mult[3] = {1, 1, 1};
  std::string_view line;
  std::vector<std::string_view> tok;
  while (!done && r.next(line)) {
    std::string_view s = trim(line);
    const std::size_t c = s.find_first_of("!#");
    if (c != std::string_view::npos) s = trim(s.substr(0, c));
    if (s.empty()) continue;
    split_ws(s, tok);
    const std::string key = upper(tok[0]);
    if (key.rfind("&END", 0) == 0) {
      if (in_cell && nested == 0) {
        done = true;
      } else {
        if (in_cell) --nested;
        if (!sections.empty()) sections.pop_back();
      }
      continue;
    }
    if (key[0] == '&') {
      if (in_cell) {
        ++nested;
      } else if (key == "&CELL" && !sections.empty() && sections.back() == "SUBSYS") {
        in_cell = true;
        continue;
      }
      sections.push_back(key.substr(1));
      continue;
    }
    if (!in_cell || nested > 0) continue;
    if (s.find('@') != std::string_view::npos || s.find('$') != std::string_view::npos)
      throw r.error(
          "the &CELL uses the input preprocessor (@INCLUDE/${...}); read the cell from "
          "the .cell print or the restart file instead");
    // Optional unit token "[angstrom]" / "[bohr]" after the keyword.
    std::size_t first = 1;
    double scale = 1.0;
    if (tok.size() > 1 && tok[1].front() == '[') {
      const std::string u = lower(std::string(tok[1]));
      if (u == "[bohr]") {
        scale = units::kBohr_A;
      } else if (u != "[angstrom]") {
        throw r.error("expected the unit [angstrom] or [bohr], got " + std::string(tok[1]));
      }
      first = 2;
    }
    auto three = [&](const char* what) {
      if (tok.size() < first + 3) throw r.error(std::string("expected three numbers for ") + what);
      return Vec3{to_double(r, tok[first], what) * scale,
                  to_double(r, tok[first + 1], what) * scale,
                  to_double(r, tok[first + 2], what) * scale};
    };
    if (key == "A" || key == "B" || key == "C") {
      const int i = key[0] - 'A';
      h.set_row(i, three("a cell vector"));
      have_row[i] = true;
    } else if (key == "ABC") {
      abc = three("the cell lengths");
    } else if (key == "ALPHA_BETA_GAMMA") {
      scale = 1.0;
      const Vec3 ang = three("the cell angles");
      for (int i = 0; i < 3; ++i)
        if (std::fabs(ang[i] - 90.0) > 1e-8)
          throw r.error("only ALPHA_BETA_GAMMA 90 90 90 is supported with ABC; give A, B, C");
    } else if (key == "MULTIPLE_UNIT_CELL") {
      if (tok.size() < 4) throw r.error("expected three integers after MULTIPLE_UNIT_CELL");
      for (int i = 0; i < 3; ++i)
        mult[i] =
            static_cast<int>(to_long(r, tok[static_cast<std::size_t>(i) + 1], "a repeat count"));
    }
  }
  if (!in_cell) throw InputError(input.string(), 0, "no &CELL section inside &SUBSYS");
  if (abc) {
    h = Mat3();
    for (int i = 0; i < 3; ++i) h[i][i] = (*abc)[i];
  } else if (!(have_row[0] && have_row[1] && have_row[2])) {
    throw InputError(input.string(), 0, "the &CELL section needs A, B and C (or ABC)");
  }
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) h[i][j] *= mult[i];
  return h;
}

Dataset read_cp2k(const fs::path& path, const Cp2kOptions& options, Cp2kReport* report) {
  const Cp2kFiles files = cp2k_files(path);
  if (!fs::exists(files.pos))
    throw InputError(files.pos.string(), 0,
                     "no such file: expected the CP2K trajectory (MOTION%PRINT%TRAJECTORY, XMOL)");
  const std::vector<XyzFrame> pos = read_xyz_frames(files.pos);

  std::optional<FrameIndex> frc, vel;
  if (fs::exists(files.frc)) frc.emplace(files.frc);
  if (fs::exists(files.vel)) vel.emplace(files.vel);
  std::optional<Table> ener, stress, cells;
  if (fs::exists(files.ener))
    ener = Table::read(files.ener, 5, "step, time, kinetic, T, potential");
  if (fs::exists(files.stress))
    stress = Table::read(files.stress, 11, "step, time and 9 stress components");
  if (fs::exists(files.cell))
    cells = Table::read(files.cell, 11, "step, time and 9 cell components");

  Cp2kReport rep;
  std::optional<Mat3> fixed_cell;
  if (cells) {
    rep.cell_source = ".cell file";
  } else if (options.cell) {
    fixed_cell = options.cell;
    rep.cell_source = "options";
  } else if (fs::exists(files.restart)) {
    fixed_cell = read_cp2k_input_cell(files.restart);
    rep.cell_source = "restart file";
  } else {
    throw InputError(files.cell.string(), 0,
                     "no such file: the cell is needed (MOTION%PRINT%CELL, or " +
                         files.restart.filename().string() + " with a &CELL section)");
  }

  SpeciesTable table = options.species.empty() ? SpeciesTable() : SpeciesTable(options.species);
  Dataset d;
  d.configs.reserve(pos.size());
  for (const XyzFrame& f : pos) {
    Configuration c;
    Structure& s = c.structure;
    if (f.symbols.size() != pos.front().symbols.size())
      throw InputError(files.pos.string(), f.line,
                       "expected " + std::to_string(pos.front().symbols.size()) +
                           " atoms as in the first frame, got " + std::to_string(f.symbols.size()));
    s.positions = f.v;
    s.types.reserve(f.symbols.size());
    for (std::size_t i = 0; i < f.symbols.size(); ++i) {
      const int t = table.index(f.symbols[i]);
      if (t < 0)
        throw InputError(files.pos.string(), f.line + 2 + static_cast<long>(i),
                         "'" + f.symbols[i] + "' is not an element" +
                             (table.fixed() ? " of the given species list" : ""));
      s.types.push_back(t);
    }
    if (cells) {
      const Row& row = cells->at(f.step, files.pos, f.line);
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          s.cell[i][j] = row.v[2 + 3 * static_cast<std::size_t>(i) + static_cast<std::size_t>(j)];
    } else {
      s.cell = *fixed_cell;
    }

    const Row* erow = ener ? &ener->at(f.step, files.pos, f.line) : nullptr;
    if (erow) {
      const double pe = erow->v[4];
      if (f.energy_ha && std::fabs(*f.energy_ha - pe) > kEnergyAgreement_Ha)
        throw InputError(files.ener.string(), erow->line,
                         "potential energy " + fixed(pe, 10) + " Hartree of step " +
                             std::to_string(f.step) +
                             " differs from E = " + fixed(*f.energy_ha, 10) + " in " +
                             files.pos.string() + " line " + std::to_string(f.line + 1));
      c.energy = pe * units::kHartree_eV;
    } else if (f.energy_ha) {
      c.energy = *f.energy_ha * units::kHartree_eV;
    }

    if (frc) {
      const XyzFrame& g = frc->at(f, files.pos);
      std::vector<Vec3> forces(g.v.size());
      for (std::size_t i = 0; i < g.v.size(); ++i)
        forces[i] = g.v[i] * (units::kHartree_eV / units::kBohr_A);
      c.forces = std::move(forces);
    }

    // Kinetic tensor Σ m v⊗v (eV) from the velocity file.
    std::optional<Mat3> kinetic;
    if (vel) {
      const XyzFrame& g = vel->at(f, files.pos);
      Mat3 k;
      for (std::size_t a = 0; a < g.v.size(); ++a) {
        const double m = element(g.symbols[a]).mass;
        const Vec3 v = g.v[a] * kAtomicVelocity_APerPs;
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j) k[i][j] += m * v[i] * v[j] * units::kMvv2e;
      }
      kinetic = k;
      if (erow && erow->v[2] > 0) {
        const double ke_file = erow->v[2] * units::kHartree_eV;
        const double ke_vel = 0.5 * (k[0][0] + k[1][1] + k[2][2]);
        const double rel = std::fabs(ke_vel - ke_file) / ke_file;
        rep.max_kinetic_mismatch = std::max(rep.max_kinetic_mismatch, rel);
        if (rel > kKineticAgreement)
          throw InputError(files.vel.string(), g.line,
                           "kinetic energy " + fixed(ke_vel, 6) + " eV of step " +
                               std::to_string(f.step) + " differs from " + fixed(ke_file, 6) +
                               " eV in " + files.ener.string() + " line " +
                               std::to_string(erow->line) +
                               " (velocities not in CP2K's default Bohr/atomic time units?)");
      }
    }

    if (stress) {
      const Row& row = stress->at(f.step, files.pos, f.line);
      // An MD frame (time in the title, or kinetic energy in .ener) includes Σ m v⊗v in the stress.
      const bool moving = f.time_fs.has_value() || (erow && erow->v[2] > 0);
      if (moving && !kinetic) {
        rep.stress_skipped = true;
      } else {
        const double vol_bar = s.volume() * units::kBar_eVPerA3;
        Mat3 w;
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j) {
            w[i][j] =
                row.v[2 + 3 * static_cast<std::size_t>(i) + static_cast<std::size_t>(j)] * vol_bar;
            if (kinetic) w[i][j] -= (*kinetic)[i][j];
          }
        c.virial = symmetric_part(w);
      }
    }

    c.config_type = "cp2k";
    c.features.emplace_back("cp2k_step", std::to_string(f.step));
    if (f.time_fs) {
      c.features.emplace_back("time_fs", fixed(*f.time_fs, 3));
    } else if (erow) {
      c.features.emplace_back("time_fs", fixed(erow->v[1], 3));
    }
    if (erow) c.features.emplace_back("temperature_K", fixed(erow->v[3], 3));
    s.validate();
    d.configs.push_back(std::move(c));
  }
  d.species = table.symbols();
  for (auto& c : d.configs) c.structure.species_symbols = d.species;

  rep.frames = d.size();
  rep.forces = frc.has_value();
  rep.energy_file = ener.has_value();
  rep.stress = stress.has_value() && !rep.stress_skipped;
  rep.velocities = vel.has_value();
  if (report) *report = rep;
  return d;
}

}  // namespace superion::io
