// OUTCAR reader: a single line-by-line pass with a small state machine. Tables (lattice,
// stress, positions/forces) are staged per kind (DFT / ML) and turned into a frame when that
// kind's final energy line ("free  energy   TOTEN" / "free  energy ML TOTEN") closes the step.
#include "io/outcar.hpp"

#include <cctype>
#include <optional>
#include <vector>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "io/vasp_text.hpp"

namespace superion {
namespace {

using vasp_text::contains;
using vasp_text::starts_with;
using vasp_text::trim;

struct Table {
  Mat3 lattice;
  std::vector<Vec3> positions, forces;
};

struct Pending {
  std::optional<Table> table;
  std::optional<Mat3> stress;
};

// Leading element symbol of a POTCAR label such as "Na_pv", "H1.25", "O_s" or "Ti".
std::string element_prefix(std::string_view s) {
  std::string sym;
  for (char c : s) {
    if (!std::isalpha(static_cast<unsigned char>(c)) || sym.size() == 2) break;
    sym.push_back(c);
  }
  if (sym.size() == 2 && !find_element(sym)) sym.pop_back();
  return sym;
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& name, const OutcarOptions& opt)
      : lines_(text), file_(name), opt_(opt) {}
  Dataset run(OutcarReport* report);

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(file_, lines_.line_no(), what);
  }
  std::string_view next_line(const char* what) {
    std::string_view l;
    if (!lines_.next(l)) fail(std::string("file ends inside ") + what);
    return l;
  }
  void read_lattice();
  void read_stress(bool ml);
  void read_table(bool ml);
  void finish_step(bool ml, std::string_view line);
  void setup_types();

  vasp_text::Lines lines_;
  std::string file_;
  OutcarOptions opt_;
  std::vector<std::string> vrhfin_, titel_,
      potcar_;  // species from the POTCAR headers or the 'POTCAR:' lines
  std::vector<long> ions_per_type_;
  long nions_ = -1;
  std::vector<std::string> species_;
  std::vector<int> types_;
  std::optional<Mat3> lattice_;
  Pending pending_[2];  // [0] DFT, [1] ML
  std::vector<std::string_view> tok_;
  Dataset out_;
  OutcarReport rep_;
};

void Parser::setup_types() {
  if (!types_.empty()) return;
  if (ions_per_type_.empty()) fail("no 'ions per type' line before the first ionic step");
  const std::vector<std::string>* names = nullptr;
  if (vrhfin_.size() == ions_per_type_.size())
    names = &vrhfin_;
  else if (titel_.size() == ions_per_type_.size())
    names = &titel_;
  std::vector<std::string> from_potcar_lines;
  if (!names && potcar_.size() >= ions_per_type_.size()) {
    // NWRITE=0 runs print no VRHFIN/TITEL headers but list "POTCAR:  PAW_PBE Ti …" once per type
    // (and that list again while reading the potentials): the first n entries are the types.
    from_potcar_lines.assign(potcar_.begin(),
                             potcar_.begin() + static_cast<long>(ions_per_type_.size()));
    names = &from_potcar_lines;
  }
  if (!names)
    fail("'ions per type' lists " + std::to_string(ions_per_type_.size()) +
         " types but the POTCAR headers name " + std::to_string(vrhfin_.size()) + " (VRHFIN) / " +
         std::to_string(titel_.size()) + " (TITEL) / " + std::to_string(potcar_.size()) +
         " ('POTCAR:' lines)");
  species_ = *names;
  for (std::size_t t = 0; t < ions_per_type_.size(); ++t)
    for (long k = 0; k < ions_per_type_[t]; ++k) types_.push_back(static_cast<int>(t));
  if (nions_ >= 0 && static_cast<long>(types_.size()) != nions_)
    fail("'ions per type' sums to " + std::to_string(types_.size()) +
         " but NIONS = " + std::to_string(nions_));
}

void Parser::read_lattice() {
  Mat3 m;
  for (int r = 0; r < 3; ++r) {
    const std::string_view l = next_line("'direct lattice vectors'");
    vasp_text::parse_doubles(l, m[r], 3, file_, lines_.line_no(), "lattice vector");
  }
  lattice_ = m;
}

void Parser::read_stress(bool ml) {
  // The "Total" (DFT) or "Total:" (ML) line follows within a few lines of the header.
  for (int k = 0; k < 30; ++k) {
    const std::string_view l = trim(next_line("the 'FORCE on cell' block"));
    if (starts_with(l, "Total+kin")) break;
    if (starts_with(l, "Total ") || starts_with(l, "Total:")) {
      double v[6];
      vasp_text::parse_doubles(l.substr(6), v, 6, file_, lines_.line_no(),
                               "stress 'Total' XX YY ZZ XY YZ ZX");
      Mat3 w;
      w[0][0] = v[0];
      w[1][1] = v[1];
      w[2][2] = v[2];
      w[0][1] = w[1][0] = v[3];
      w[1][2] = w[2][1] = v[4];
      w[0][2] = w[2][0] = v[5];
      pending_[ml].stress = w;
      return;
    }
  }
  fail("no 'Total' line in the 'FORCE on cell =-STRESS' block");
}

void Parser::read_table(bool ml) {
  setup_types();
  if (!lattice_) fail("POSITION/TOTAL-FORCE table before any 'direct lattice vectors' block");
  const std::string_view dash = trim(next_line("the POSITION table"));
  if (!starts_with(dash, "---")) fail("expected a dashed line under the POSITION header");
  Table t;
  t.lattice = *lattice_;
  const std::size_t n = types_.size();
  t.positions.resize(n);
  t.forces.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view l = next_line("the POSITION table");
    double v[6];
    vasp_text::parse_doubles(l, v, 6, file_, lines_.line_no(), "x y z fx fy fz", false);
    t.positions[i] = {v[0], v[1], v[2]};
    t.forces[i] = {v[3], v[4], v[5]};
  }
  const std::string_view end = trim(next_line("the POSITION table"));
  if (!starts_with(end, "---"))
    fail("POSITION table has more rows than the " + std::to_string(n) + " ions of 'ions per type'");
  pending_[ml].table = std::move(t);
}

void Parser::finish_step(bool ml, std::string_view line) {
  const std::size_t eq = line.find('=');
  vasp_text::split(line.substr(eq + 1), tok_);
  double energy;
  if (tok_.empty() || !vasp_text::parse_double(tok_[0], energy))
    fail("expected a finite number after 'TOTEN  ='");
  (ml ? rep_.ml_steps : rep_.ab_initio_steps)++;
  Pending p = std::move(pending_[ml]);
  pending_[ml] = Pending();
  const bool selected = opt_.frames == OutcarFrames::all || (opt_.frames == OutcarFrames::ml) == ml;
  if (!selected) {
    if (ml) ++rep_.ml_frames_skipped;
    return;
  }
  if (!p.table) {
    ++rep_.steps_without_forces;
    if (opt_.strict)
      fail(std::string(ml ? "ML" : "ab initio") + " ionic step " +
           std::to_string(ml ? rep_.ml_steps : rep_.ab_initio_steps) +
           " has an energy but no POSITION/TOTAL-FORCE table (NWRITE=0?)");
    return;
  }
  Configuration c;
  c.structure.cell = p.table->lattice;
  c.structure.positions = std::move(p.table->positions);
  c.structure.types = types_;
  c.structure.species_symbols = species_;
  c.forces = std::move(p.table->forces);
  c.energy = energy;
  if (p.stress)
    c.virial = *p.stress;
  else
    ++rep_.frames_without_stress;
  c.features.emplace_back("EFS_by", ml ? "VASP_MLFF" : "VASP");
  try {
    c.structure.validate();
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    fail(e.what());
  }
  out_.configs.push_back(std::move(c));
}

Dataset Parser::run(OutcarReport* report) {
  std::string_view line;
  while (lines_.next(line)) {
    const std::string_view t = trim(line);
    if (t.empty()) continue;
    // Cheap first-character dispatch keeps the pass fast on SCF-heavy files.
    switch (t.front()) {
      case 'd':
        if (starts_with(t, "direct lattice vectors")) read_lattice();
        break;
      case 'F':
        if (starts_with(t, "FORCE on cell =-STRESS")) read_stress(false);
        break;
      case 'M':
        if (starts_with(t, "ML FORCE on cell =-STRESS")) read_stress(true);
        break;
      case 'P':
        if (starts_with(t, "POSITION") && contains(t, "TOTAL-FORCE"))
          read_table(contains(t, "(ML)"));
        if (starts_with(t, "POTCAR:") && types_.empty()) {
          vasp_text::split(t.substr(7), tok_);
          const std::string sym = tok_.size() >= 2 ? element_prefix(tok_[1]) : std::string();
          if (!sym.empty()) potcar_.push_back(sym);
        }
        break;
      case 'f':
        if (starts_with(t, "free  energy   TOTEN"))
          finish_step(false, t);
        else if (starts_with(t, "free  energy ML TOTEN"))
          finish_step(true, t);
        break;
      case 'V':
        if (starts_with(t, "VRHFIN") && types_.empty()) {
          const std::size_t eq = t.find('=');
          if (eq == std::string_view::npos) fail("VRHFIN line without '='");
          const std::string sym = element_prefix(trim(t.substr(eq + 1)));
          if (sym.empty()) fail("VRHFIN line without an element symbol");
          vrhfin_.push_back(sym);
        }
        break;
      case 'T':
        if (starts_with(t, "TITEL") && types_.empty()) {
          const std::size_t eq = t.find('=');
          if (eq == std::string_view::npos) fail("TITEL line without '='");
          vasp_text::split(t.substr(eq + 1), tok_);
          const std::string sym = tok_.size() >= 2 ? element_prefix(tok_[1]) : std::string();
          if (sym.empty()) fail("TITEL line without an element symbol");
          titel_.push_back(sym);
        }
        break;
      case 'i':
        if (starts_with(t, "ions per type") && ions_per_type_.empty()) {
          const std::size_t eq = t.find('=');
          if (eq == std::string_view::npos) fail("'ions per type' line without '='");
          vasp_text::split(t.substr(eq + 1), tok_);
          for (auto s : tok_) {
            long v;
            if (!vasp_text::parse_long(s, v) || v < 0 || v > 100000000)
              fail("bad count in 'ions per type'");
            ions_per_type_.push_back(v);
          }
          if (ions_per_type_.empty()) fail("'ions per type' lists no counts");
        }
        break;
      case 'n':
        if (starts_with(t, "number of dos") && contains(t, "NIONS =")) {
          vasp_text::split(t.substr(t.find("NIONS =") + 7), tok_);
          if (tok_.empty() || !vasp_text::parse_long(tok_[0], nions_) || nions_ < 0)
            fail("bad NIONS value");
        }
        break;
      default:
        break;
    }
  }
  rep_.frames = out_.configs.size();
  if (out_.configs.empty()) {
    std::string why =
        rep_.ab_initio_steps + rep_.ml_steps == 0
            ? "no ionic step found (no 'free  energy   TOTEN' line; not an OUTCAR or a run that "
              "stopped before the first step)"
            : "no selected ionic step has a POSITION/TOTAL-FORCE table (" +
                  std::to_string(rep_.ab_initio_steps) + " ab initio, " +
                  std::to_string(rep_.ml_steps) + " ML steps seen)";
    throw InputError(file_, 0, why);
  }
  out_.species = species_;
  if (report) *report = rep_;
  return std::move(out_);
}

}  // namespace

Dataset parse_outcar(std::string_view text, const std::string& name, const OutcarOptions& options,
                     OutcarReport* report) {
  return Parser(text, name, options).run(report);
}

Dataset read_outcar(const std::filesystem::path& path, const OutcarOptions& options,
                    OutcarReport* report) {
  const std::string text = vasp_text::read_file(path);
  return parse_outcar(text, path.string(), options, report);
}

}  // namespace superion
