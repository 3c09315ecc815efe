// Text trajectory readers: multi-frame extxyz, VASP XDATCAR, LAMMPS custom dump. Each streams one
// frame per next() from an open text stream (plain or gzip, decompressed as it is read) and
// validates atom count and time order.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "io/text_input.hpp"
#include "trajectory.hpp"

namespace superion::analysis {
namespace {

double to_double(const std::string& s, const std::string& file, long line, const char* what) {
  try {
    std::size_t pos = 0;
    const double v = std::stod(s, &pos);
    if (pos != s.size() || !std::isfinite(v)) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    throw InputError(file, line,
                     std::string("expected a number for ") + what + ", got '" + s + "'");
  }
}

long to_long(const std::string& s, const std::string& file, long line, const char* what) {
  try {
    std::size_t pos = 0;
    const long v = std::stol(s, &pos);
    if (pos != s.size()) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    throw InputError(file, line,
                     std::string("expected an integer for ") + what + ", got '" + s + "'");
  }
}

std::vector<std::string> split(const std::string& s) {
  std::istringstream is(s);
  std::vector<std::string> out;
  std::string t;
  while (is >> t) out.push_back(t);
  return out;
}

double mass_of(const std::string& sym) {
  const Element* e = find_element(sym);
  return e ? e->mass : 0.0;
}

// Base: a line reader with a line counter and the time-order check.
class TextReader : public TrajectoryReader {
 public:
  TextReader(std::string path, TrajectoryOptions opt)
      : path_(std::move(path)), opt_(std::move(opt)) {
    open();
  }
  // Called once after construction (open_text_trajectory): a file without any frame is rejected
  // when it is opened. A reader that must do more first (XDATCAR: its header) hides this one.
  void init() { require_a_frame(); }
  const TrajectorySystem& system() const override { return sys_; }
  std::string source() const override { return path_; }
  void rewind() override {
    open();
    frames_read_ = 0;
    last_time_ = -1e300;
  }

 protected:
  void open() {
    in_.reset();  // close before reopening (rewind)
    in_ = std::make_unique<io::TextInputStream>(path_);
    line_no_ = 0;
    file_bytes_ = io::text_size_bound(path_);
  }
  // An atom count read from the file: positive, and small enough that its atom lines (at least
  // 2 bytes each) fit in the file (its decompressed size bound for .gz), so absurd counts are
  // rejected before anything is allocated.
  long atom_count(const std::string& token, const char* what) const {
    const long n = to_long(token, path_, line_no_, what);
    if (n <= 0) throw InputError(path_, line_no_, std::string(what) + " must be positive");
    if (file_bytes_ > 0 && static_cast<std::size_t>(n) > file_bytes_ / 2 + 1)
      throw InputError(
          path_, line_no_,
          std::string(what) + " " + std::to_string(n) + " is larger than the file can hold");
    return n;
  }
  // First whitespace-separated token of a line that must not be blank.
  std::string first_token(const std::string& line, const char* what) const {
    const auto t = split(line);
    if (t.empty())
      throw InputError(path_, line_no_, std::string("expected ") + what + ", got a blank line");
    return t[0];
  }
  // Reads the first frame once, so that a file without any is rejected when it is opened.
  void require_a_frame() {
    Frame f;
    if (!next(f)) throw InputError(path_, 0, "no frames");
    rewind();
  }
  // Next line that is not blank; false at the end of the file.
  bool next_nonblank(std::string& line) {
    do {
      if (!getline(line)) return false;
    } while (split(line).empty());
    return true;
  }
  bool getline(std::string& s) {
    if (!std::getline(*in_, s)) return false;
    ++line_no_;
    if (!s.empty() && s.back() == '\r') s.pop_back();
    return true;
  }
  void expect_line(std::string& s, const char* what) {
    if (!getline(s))
      throw InputError(path_, line_no_, std::string("unexpected end of file, expected ") + what);
  }
  void check_time(double t) {
    if (frames_read_ > 0 && !(t > last_time_))
      throw InputError(path_, line_no_,
                       "time is not strictly increasing (" + std::to_string(t) + " ps after " +
                           std::to_string(last_time_) + " ps)");
    last_time_ = t;
  }
  void check_count(std::size_t n) {
    if (n != sys_.size())
      throw InputError(path_, line_no_,
                       "atom count changed to " + std::to_string(n) + " (first frame had " +
                           std::to_string(sys_.size()) + ")");
  }
  double interval_time() const {
    return static_cast<double>(frames_read_) * opt_.frame_interval_ps;
  }

  std::string path_;
  TrajectoryOptions opt_;
  std::unique_ptr<io::TextInputStream> in_;
  long line_no_ = 0;
  std::size_t file_bytes_ = 0;  // (decompressed) size bound at open (0 if unknown)
  TrajectorySystem sys_;
  long frames_read_ = 0;
  double last_time_ = -1e300;
  bool system_set_ = false;
};

// ---------------------------------------------------------------- extxyz
class ExtxyzReader : public TextReader {
 public:
  using TextReader::TextReader;
  bool next(Frame& frame) override {
    std::string line;
    if (!next_nonblank(line)) return false;
    const long n = atom_count(split(line)[0], "atom count");
    expect_line(line, "the extxyz comment line");
    const auto kv = parse_comment(line);
    auto lat = kv.find("lattice");
    if (lat == kv.end())
      throw InputError(path_, line_no_, "missing Lattice=\"...\" (a periodic cell is required)");
    const auto l = split(lat->second);
    if (l.size() != 9) throw InputError(path_, line_no_, "Lattice needs 9 numbers");
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c)
        frame.cell[r][c] = to_double(l[3 * r + c], path_, line_no_, "Lattice");
    std::string props = "species:S:1:pos:R:3";
    if (auto p = kv.find("properties"); p != kv.end()) props = p->second;
    int col_sp = -1, col_pos = -1, col_vel = -1, ncol = 0;
    {
      std::vector<std::string> parts;
      std::stringstream ss(props);
      std::string t;
      while (std::getline(ss, t, ':')) parts.push_back(t);
      if (parts.size() % 3 != 0) throw InputError(path_, line_no_, "malformed Properties=" + props);
      for (std::size_t k = 0; k < parts.size(); k += 3) {
        const std::string name = parts[k];
        const long wl = to_long(parts[k + 2], path_, line_no_, "Properties width");
        if (wl < 1 || wl > 64)
          throw InputError(path_, line_no_, "Properties width must be 1..64, got " + parts[k + 2]);
        const int w = static_cast<int>(wl);
        if (name == "species") col_sp = ncol;
        if (name == "pos") col_pos = ncol;
        if (name == "vel" || name == "velo" || name == "velocities") col_vel = ncol;
        ncol += w;
      }
      if (col_sp < 0 || col_pos < 0)
        throw InputError(path_, line_no_, "Properties needs species and pos");
    }
    double t = interval_time();
    // Frame time: `time` / `time_ps` in ps, or `time_fs` in fs (what `superion convert` writes for
    // CP2K runs); without any of them, frame index x --frame-interval.
    if (auto it = kv.find("time"); it != kv.end())
      t = to_double(it->second, path_, line_no_, "time");
    else if (auto ps = kv.find("time_ps"); ps != kv.end())
      t = to_double(ps->second, path_, line_no_, "time_ps");
    else if (auto fs = kv.find("time_fs"); fs != kv.end())
      t = 1e-3 * to_double(fs->second, path_, line_no_, "time_fs");
    frame.step = frames_read_;
    if (auto it = kv.find("step"); it != kv.end())
      frame.step = to_long(it->second, path_, line_no_, "step");
    frame.positions.resize(static_cast<std::size_t>(n));
    frame.velocities.clear();
    if (col_vel >= 0) frame.velocities.resize(static_cast<std::size_t>(n));
    frame.images.clear();
    std::vector<std::string> syms(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) {
      expect_line(line, "an atom line");
      const auto tok = split(line);
      if (static_cast<int>(tok.size()) < ncol)
        throw InputError(path_, line_no_, "expected " + std::to_string(ncol) + " columns");
      syms[i] = tok[col_sp];
      for (int k = 0; k < 3; ++k)
        frame.positions[i][k] = to_double(tok[col_pos + k], path_, line_no_, "pos");
      if (col_vel >= 0)
        for (int k = 0; k < 3; ++k)
          frame.velocities[i][k] = to_double(tok[col_vel + k], path_, line_no_, "vel");
    }
    if (!system_set_) {
      std::map<std::string, int> index;
      for (const auto& s : syms)
        if (!index.count(s)) {
          index[s] = static_cast<int>(sys_.species_symbols.size());
          sys_.species_symbols.push_back(s);
        }
      for (const auto& s : syms) {
        sys_.types.push_back(index[s]);
        sys_.masses.push_back(mass_of(s));
      }
      system_set_ = true;
    } else {
      check_count(syms.size());
      for (std::size_t i = 0; i < syms.size(); ++i)
        if (sys_.species_symbols[sys_.types[i]] != syms[i])
          throw InputError(path_, line_no_,
                           "species of atom " + std::to_string(i) + " changed between frames");
    }
    check_time(t);
    frame.time_ps = t;
    ++frames_read_;
    return true;
  }

 private:
  // key=value pairs of the comment line; keys lower-cased, quotes removed.
  std::map<std::string, std::string> parse_comment(const std::string& s) {
    std::map<std::string, std::string> kv;
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      std::size_t k0 = i;
      while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      std::string key = s.substr(k0, i - k0);
      for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string val;
      if (i < s.size() && s[i] == '=') {
        ++i;
        if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
          const char q = s[i++];
          const std::size_t v0 = i;
          while (i < s.size() && s[i] != q) ++i;
          val = s.substr(v0, i - v0);
          if (i < s.size()) ++i;
        } else {
          const std::size_t v0 = i;
          while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
          val = s.substr(v0, i - v0);
        }
      }
      if (!key.empty()) kv[key] = val;
    }
    return kv;
  }
};

// ---------------------------------------------------------------- XDATCAR
class XdatcarReader : public TextReader {
 public:
  using TextReader::TextReader;
  void init() {
    read_header();
    rewind();
  }
  void rewind() override {
    TextReader::rewind();
    have_header_ = false;
  }
  bool next(Frame& frame) override {
    std::string line;
    if (!have_header_) {
      read_header();
    }
    // Expect "Direct configuration= k" (or a repeated header for variable-cell runs).
    while (true) {
      if (!getline(line)) return false;
      const auto tok = split(line);
      if (tok.empty()) continue;
      const std::string low = [&] {
        std::string s = tok[0];
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
      }();
      if (low.rfind("direct", 0) == 0 || low.rfind("cartesian", 0) == 0) {
        cartesian_ = low.rfind("cartesian", 0) == 0;
        break;
      }
      // A new header: this line is the comment; re-read the cell.
      read_header_after_comment();
    }
    frame.cell = cell_;
    frame.positions.resize(sys_.size());
    frame.velocities.clear();
    frame.images.clear();
    for (std::size_t i = 0; i < sys_.size(); ++i) {
      expect_line(line, "a coordinate line");
      const auto tok = split(line);
      if (tok.size() < 3) throw InputError(path_, line_no_, "expected 3 coordinates");
      Vec3 v;
      for (int k = 0; k < 3; ++k) v[k] = to_double(tok[k], path_, line_no_, "coordinate");
      frame.positions[i] = cartesian_ ? v * scale_ : row_times(v, cell_);
    }
    if (opt_.frame_interval_ps <= 0)
      throw InputError(path_, 0,
                       "XDATCAR has no times: give the time between frames (--frame-interval)");
    frame.step = frames_read_;
    frame.time_ps = interval_time();
    check_time(frame.time_ps);
    ++frames_read_;
    return true;
  }

 private:
  void read_header() {
    std::string line;
    expect_line(line, "the XDATCAR comment line");
    read_header_after_comment();
    have_header_ = true;
  }
  void read_header_after_comment() {
    std::string line;
    expect_line(line, "the scale factor");
    auto tok = split(line);
    if (tok.empty()) throw InputError(path_, line_no_, "expected the scale factor");
    scale_ = to_double(tok[0], path_, line_no_, "scale");
    for (int r = 0; r < 3; ++r) {
      expect_line(line, "a lattice vector");
      tok = split(line);
      if (tok.size() < 3) throw InputError(path_, line_no_, "expected 3 lattice components");
      for (int c = 0; c < 3; ++c) cell_[r][c] = to_double(tok[c], path_, line_no_, "lattice");
    }
    // A negative scale is the cell volume (VASP convention).
    const double factor = scale_ < 0 ? std::cbrt(-scale_ / std::fabs(det(cell_))) : scale_;
    cell_ = factor * cell_;
    scale_ = factor;
    expect_line(line, "the element symbols");
    const auto syms = split(line);
    expect_line(line, "the atom counts");
    const auto counts = split(line);
    if (syms.size() != counts.size())
      throw InputError(path_, line_no_,
                       "element symbols and counts differ in length (VASP 4 XDATCAR "
                       "without symbols is not supported)");
    TrajectorySystem s;
    for (std::size_t k = 0; k < syms.size(); ++k) {
      s.species_symbols.push_back(syms[k]);
      const long c = atom_count(counts[k], "atom count");
      for (long i = 0; i < c; ++i) {
        s.types.push_back(static_cast<int>(k));
        s.masses.push_back(mass_of(syms[k]));
      }
    }
    if (system_set_) {
      check_count(s.size());
    } else {
      sys_ = std::move(s);
      system_set_ = true;
    }
  }
  Mat3 cell_;
  double scale_ = 1.0;
  bool cartesian_ = false;
  bool have_header_ = false;
};

// ---------------------------------------------------------------- LAMMPS dump
class LammpsDumpReader : public TextReader {
 public:
  using TextReader::TextReader;
  bool next(Frame& frame) override {
    std::string line;
    if (!next_nonblank(line)) return false;
    if (line.rfind("ITEM: TIMESTEP", 0) != 0)
      throw InputError(path_, line_no_, "expected 'ITEM: TIMESTEP'");
    expect_line(line, "the timestep");
    const long step = to_long(first_token(line, "the timestep"), path_, line_no_, "timestep");
    expect_line(line, "ITEM: NUMBER OF ATOMS");
    expect_line(line, "the atom count");
    const long n = atom_count(first_token(line, "the atom count"), "atom count");
    expect_line(line, "ITEM: BOX BOUNDS");
    if (line.rfind("ITEM: BOX BOUNDS", 0) != 0)
      throw InputError(path_, line_no_, "expected 'ITEM: BOX BOUNDS'");
    const bool tri = line.find("xy") != std::string::npos;
    const auto bt = split(line);
    std::array<bool, 3> pbc{true, true, true};
    if (bt.size() >= 6)
      for (int k = 0; k < 3; ++k) pbc[k] = bt[bt.size() - 3 + k] == "pp";
    double b[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
    for (int r = 0; r < 3; ++r) {
      expect_line(line, "a box bound line");
      const auto tok = split(line);
      if (tok.size() < (tri ? 3u : 2u)) throw InputError(path_, line_no_, "malformed box bounds");
      for (int c = 0; c < (tri ? 3 : 2); ++c)
        b[r][c] = to_double(tok[c], path_, line_no_, "box bound");
    }
    const double xy = b[0][2], xz = b[1][2], yz = b[2][2];
    const double xlo = b[0][0] - std::min({0.0, xy, xz, xy + xz});
    const double xhi = b[0][1] - std::max({0.0, xy, xz, xy + xz});
    const double ylo = b[1][0] - std::min(0.0, yz), yhi = b[1][1] - std::max(0.0, yz);
    const double zlo = b[2][0], zhi = b[2][1];
    frame.cell = Mat3{};
    frame.cell[0][0] = xhi - xlo;
    frame.cell[1][0] = xy;
    frame.cell[1][1] = yhi - ylo;
    frame.cell[2][0] = xz;
    frame.cell[2][1] = yz;
    frame.cell[2][2] = zhi - zlo;
    const Vec3 origin{xlo, ylo, zlo};
    expect_line(line, "ITEM: ATOMS");
    if (line.rfind("ITEM: ATOMS", 0) != 0)
      throw InputError(path_, line_no_, "expected 'ITEM: ATOMS'");
    const auto cols = split(line.substr(11));
    auto col = [&](const std::string& name) {
      auto it = std::find(cols.begin(), cols.end(), name);
      return it == cols.end() ? -1 : static_cast<int>(it - cols.begin());
    };
    const int cid = col("id"), ctype = col("type"), cel = col("element");
    int cx = col("xu"), mode = 1;  // 1 unwrapped, 0 wrapped, 2 scaled, 3 scaled unwrapped
    if (cx < 0 && (cx = col("x")) >= 0) mode = 0;
    if (cx < 0 && (cx = col("xs")) >= 0) mode = 2;
    if (cx < 0 && (cx = col("xsu")) >= 0) mode = 3;
    if (cx < 0 || cid < 0 || (ctype < 0 && cel < 0))
      throw InputError(path_, line_no_,
                       "dump needs columns id, type (or element) and x y z / xu yu zu / xs ys zs");
    const int cy = cx + 1, cz = cx + 2;
    const int cix = col("ix"), cvx = col("vx");
    struct Row {
      long id;
      int type;
      std::string el;
      Vec3 r, v;
      std::array<int, 3> img;
    };
    std::vector<Row> rows(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) {
      expect_line(line, "an atom line");
      const auto tok = split(line);
      if (tok.size() < cols.size())
        throw InputError(path_, line_no_, "expected " + std::to_string(cols.size()) + " columns");
      Row& row = rows[i];
      row.id = to_long(tok[cid], path_, line_no_, "id");
      row.type = ctype >= 0 ? static_cast<int>(to_long(tok[ctype], path_, line_no_, "type")) : 0;
      if (cel >= 0) row.el = tok[cel];
      Vec3 r{to_double(tok[cx], path_, line_no_, "x"), to_double(tok[cy], path_, line_no_, "y"),
             to_double(tok[cz], path_, line_no_, "z")};
      row.r = (mode >= 2) ? row_times(r, frame.cell) : r - origin;
      if (cvx >= 0)
        for (int k = 0; k < 3; ++k) row.v[k] = to_double(tok[cvx + k], path_, line_no_, "velocity");
      if (cix >= 0)
        for (int k = 0; k < 3; ++k)
          row.img[k] = static_cast<int>(to_long(tok[cix + k], path_, line_no_, "image flag"));
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
    for (std::size_t i = 1; i < rows.size(); ++i)
      if (rows[i].id == rows[i - 1].id)
        throw InputError(path_, line_no_, "duplicate atom id " + std::to_string(rows[i].id));
    frame.positions.resize(rows.size());
    frame.velocities.resize(cvx >= 0 ? rows.size() : 0);
    frame.images.resize(cix >= 0 && (mode == 0 || mode == 2) ? rows.size() : 0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      frame.positions[i] = rows[i].r;
      if (!frame.velocities.empty()) frame.velocities[i] = rows[i].v;
      if (!frame.images.empty()) frame.images[i] = rows[i].img;
    }
    if (!system_set_) {
      sys_.pbc = pbc;
      sys_.positions_unwrapped = (mode == 1 || mode == 3);
      std::map<std::string, int> index;
      for (const auto& row : rows) {
        std::string sym;
        if (!row.el.empty())
          sym = row.el;
        else if (row.type >= 1 && row.type <= static_cast<int>(opt_.type_symbols.size()))
          sym = opt_.type_symbols[row.type - 1];
        else
          sym = "X" + std::to_string(row.type);
        if (!index.count(sym)) {
          index[sym] = static_cast<int>(sys_.species_symbols.size());
          sys_.species_symbols.push_back(sym);
        }
        sys_.types.push_back(index[sym]);
        sys_.masses.push_back(mass_of(sym));
      }
      system_set_ = true;
    } else {
      check_count(rows.size());
    }
    frame.step = step;
    const double dt = opt_.timestep_ps > 0 ? opt_.timestep_ps : 0.0;
    if (dt > 0)
      frame.time_ps = static_cast<double>(step) * dt;
    else if (opt_.frame_interval_ps > 0)
      frame.time_ps = interval_time();
    else
      throw InputError(path_, 0,
                       "LAMMPS dump: give the MD time step (--timestep) or the frame interval");
    check_time(frame.time_ps);
    ++frames_read_;
    return true;
  }
};

// A reader of type R on `path`, its first frame checked (R::init).
template <class R>
std::unique_ptr<TrajectoryReader> open_text_trajectory(const std::string& path,
                                                       const TrajectoryOptions& o) {
  auto r = std::make_unique<R>(path, o);
  r->init();
  return r;
}

}  // namespace

std::unique_ptr<TrajectoryReader> open_extxyz_trajectory(const std::string& path,
                                                         const TrajectoryOptions& o) {
  return open_text_trajectory<ExtxyzReader>(path, o);
}
std::unique_ptr<TrajectoryReader> open_xdatcar(const std::string& path,
                                               const TrajectoryOptions& o) {
  return open_text_trajectory<XdatcarReader>(path, o);
}
std::unique_ptr<TrajectoryReader> open_lammps_dump(const std::string& path,
                                                   const TrajectoryOptions& o) {
  return open_text_trajectory<LammpsDumpReader>(path, o);
}

}  // namespace superion::analysis
