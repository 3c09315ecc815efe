// vasprun.xml reader: a single pass of a minimal XML tag scanner over the file buffer. Only the
// elements we need are interpreted (atominfo, and per <calculation> the structure, forces,
// stress and the step's final <energy>); everything else is skipped without building a tree.
#include "io/vasprun.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "io/vasp_text.hpp"

namespace superion {
namespace {

using vasp_text::trim;

struct Element {
  std::string_view tag;
  std::string_view name;       // value of the name="..." attribute, if any
  std::size_t content_begin;   // offset just after the start tag
};

struct Step {
  bool have_basis = false;
  Mat3 basis;
  std::vector<Vec3> basis_rows;
  std::vector<Vec3> positions;  // direct
  std::vector<Vec3> forces;
  std::vector<Vec3> stress;
  bool have_positions = false, have_forces = false, have_stress = false, have_energy = false;
  double energy = 0;
};

class Parser {
 public:
  Parser(std::string_view text, const std::string& name, const VasprunOptions& opt)
      : text_(text), file_(name), opt_(opt) {}

  Dataset run(VasprunReport* report);

 private:
  long line_at(std::size_t pos) const {
    return 1 + static_cast<long>(std::count(text_.begin(), text_.begin() + static_cast<long>(std::min(pos, text_.size())), '\n'));
  }
  [[noreturn]] void fail(std::size_t pos, const std::string& what) const { throw InputError(file_, line_at(pos), what); }

  // Stack queries: tag of the element `up` levels above the top (0 = top).
  std::string_view tag_at(std::size_t up) const {
    return up < stack_.size() ? stack_[stack_.size() - 1 - up].tag : std::string_view();
  }
  const Element* parent(std::size_t up) const { return up < stack_.size() ? &stack_[stack_.size() - 1 - up] : nullptr; }
  bool inside(std::string_view tag) const {
    for (const auto& e : stack_)
      if (e.tag == tag) return true;
    return false;
  }

  void open(const Element& e, std::size_t pos);
  void close(const Element& e, std::size_t content_end, std::size_t pos);
  void finish_step(std::size_t pos);
  Vec3 parse_v(std::string_view s, std::size_t pos) const;

  std::string_view text_;
  std::string file_;
  VasprunOptions opt_;
  std::vector<Element> stack_;

  // atominfo
  std::vector<std::string_view> rc_;
  std::vector<std::string> atom_symbols_;
  std::vector<int> atom_types_;  // 0-based
  std::vector<std::string> type_symbols_;
  bool in_calculation_ = false;
  Step step_;
  Dataset out_;
  VasprunReport rep_;
};

Vec3 Parser::parse_v(std::string_view s, std::size_t pos) const {
  double v[3];
  std::vector<std::string_view> tok;
  if (vasp_text::split(s, tok) != 3 || !vasp_text::parse_double(tok[0], v[0]) ||
      !vasp_text::parse_double(tok[1], v[1]) || !vasp_text::parse_double(tok[2], v[2]))
    fail(pos, "expected 3 finite numbers in <v>, got '" + std::string(trim(s).substr(0, 100)) + "'");
  return {v[0], v[1], v[2]};
}

void Parser::open(const Element& e, std::size_t pos) {
  if (e.tag == "calculation") {
    if (in_calculation_) fail(pos, "nested <calculation>");
    in_calculation_ = true;
    step_ = Step();
  } else if (e.tag == "rc") {
    rc_.clear();
  }
}

void Parser::close(const Element& e, std::size_t content_end, std::size_t pos) {
  const std::string_view content = text_.substr(e.content_begin, content_end - e.content_begin);
  if (e.tag == "v") {
    const Element* va = parent(0);
    if (!va || va->tag != "varray" || !in_calculation_) return;
    const Element* owner = parent(1);
    if (va->name == "basis" && owner && owner->tag == "crystal" && tag_at(2) == "structure" && tag_at(3) == "calculation") {
      if (step_.have_basis) return;
      step_.basis_rows.push_back(parse_v(content, pos));
    } else if (va->name == "positions" && owner && owner->tag == "structure" && tag_at(2) == "calculation") {
      step_.positions.push_back(parse_v(content, pos));
    } else if (va->name == "forces" && owner && owner->tag == "calculation") {
      step_.forces.push_back(parse_v(content, pos));
    } else if (va->name == "stress" && owner && owner->tag == "calculation") {
      step_.stress.push_back(parse_v(content, pos));
    }
  } else if (e.tag == "varray") {
    if (!in_calculation_) return;
    const Element* owner = parent(0);
    if (e.name == "basis" && owner && owner->tag == "crystal" && tag_at(1) == "structure" && tag_at(2) == "calculation") {
      if (step_.have_basis) return;
      if (step_.basis_rows.size() != 3) fail(pos, "lattice <varray name=\"basis\"> needs 3 vectors");
      for (int r = 0; r < 3; ++r) step_.basis.set_row(r, step_.basis_rows[static_cast<std::size_t>(r)]);
      step_.have_basis = true;
    } else if (e.name == "positions" && owner && owner->tag == "structure" && tag_at(1) == "calculation") {
      step_.have_positions = true;
    } else if (e.name == "forces" && owner && owner->tag == "calculation") {
      step_.have_forces = true;
    } else if (e.name == "stress" && owner && owner->tag == "calculation") {
      if (step_.stress.size() != 3) fail(pos, "<varray name=\"stress\"> needs 3 rows");
      step_.have_stress = true;
    }
  } else if (e.tag == "i") {
    if (in_calculation_ && e.name == "e_fr_energy" && tag_at(0) == "energy" && tag_at(1) == "calculation") {
      double v;
      if (!vasp_text::parse_double(trim(content), v))
        fail(pos, "expected a finite e_fr_energy, got '" + std::string(trim(content).substr(0, 60)) + "'");
      step_.energy = v;
      step_.have_energy = true;
    }
  } else if (e.tag == "c") {
    if (tag_at(0) == "rc" && inside("atominfo")) rc_.push_back(trim(content));
  } else if (e.tag == "rc") {
    if (!inside("atominfo") || tag_at(0) != "set" || tag_at(1) != "array") return;
    const std::string_view array = parent(1)->name;
    if (array == "atoms") {
      long t;
      if (rc_.size() < 2 || !vasp_text::parse_long(rc_[1], t) || t < 1 || rc_[0].empty())
        fail(pos, "atominfo atoms row must be <c>symbol</c><c>type index</c>");
      atom_symbols_.emplace_back(rc_[0]);
      atom_types_.push_back(static_cast<int>(t - 1));
    } else if (array == "atomtypes") {
      if (rc_.size() < 2 || rc_[1].empty()) fail(pos, "atominfo atomtypes row must start with count and symbol");
      type_symbols_.emplace_back(rc_[1]);
    }
  } else if (e.tag == "calculation") {
    finish_step(pos);
    in_calculation_ = false;
  }
}

void Parser::finish_step(std::size_t pos) {
  const std::size_t n = atom_types_.size();
  if (n == 0) fail(pos, "<calculation> before <atominfo> (no atoms known)");
  for (int t : atom_types_)
    if (t >= static_cast<int>(type_symbols_.size())) fail(pos, "atominfo: atom type index beyond the atomtypes list");
  const std::string step_label = "ionic step " + std::to_string(out_.configs.size() + 1) + ": ";
  if (!step_.have_basis || !step_.have_positions) fail(pos, step_label + "<calculation> without a <structure>");
  if (step_.positions.size() != n)
    fail(pos, step_label + std::to_string(step_.positions.size()) + " positions, expected " + std::to_string(n));
  if (!step_.have_energy) fail(pos, step_label + "no final <energy> e_fr_energy");
  Configuration c;
  Structure& s = c.structure;
  s.cell = step_.basis;
  s.species_symbols = type_symbols_;
  s.types = atom_types_;
  s.positions.resize(n);
  for (std::size_t i = 0; i < n; ++i) s.positions[i] = row_times(step_.positions[i], s.cell);
  c.energy = step_.energy;
  if (step_.have_forces) {
    if (step_.forces.size() != n)
      fail(pos, step_label + std::to_string(step_.forces.size()) + " forces, expected " + std::to_string(n));
    c.forces = step_.forces;
  } else {
    ++rep_.steps_without_forces;
  }
  if (step_.have_stress) {
    const double vol = s.volume();
    // kB → eV/Å^3 is 1/(10·160.2177); VASP's kB stress is positive under compression = PlusStress sign.
    const double f = vol / (10.0 * units::kEVPerA3ToGPa);
    Mat3 w;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b)
        w[a][b] = 0.5 * (step_.stress[static_cast<std::size_t>(a)][b] + step_.stress[static_cast<std::size_t>(b)][a]) * f;
    c.virial = w;
  } else {
    ++rep_.steps_without_stress;
  }
  c.features.emplace_back("EFS_by", "VASP");
  try {
    s.validate();
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    fail(pos, step_label + e.what());
  }
  out_.configs.push_back(std::move(c));
}

Dataset Parser::run(VasprunReport* report) {
  std::size_t pos = 0;
  bool seen_root = false;
  while (true) {
    const std::size_t lt = text_.find('<', pos);
    if (lt == std::string_view::npos) break;
    if (text_.compare(lt, 4, "<!--") == 0) {
      const std::size_t e = text_.find("-->", lt + 4);
      if (e == std::string_view::npos) { pos = text_.size(); break; }
      pos = e + 3;
      continue;
    }
    const std::size_t gt = text_.find('>', lt + 1);
    if (gt == std::string_view::npos) { pos = text_.size(); break; }
    std::string_view inner = text_.substr(lt + 1, gt - lt - 1);
    pos = gt + 1;
    if (inner.empty()) fail(lt, "empty tag '<>'");
    if (inner.front() == '?' || inner.front() == '!') continue;
    if (inner.front() == '/') {
      const std::string_view tag = trim(inner.substr(1));
      if (stack_.empty() || stack_.back().tag != tag)
        fail(lt, "closing tag </" + std::string(tag.substr(0, 40)) + "> does not match <" +
                     (stack_.empty() ? std::string("nothing") : std::string(stack_.back().tag)) + ">");
      const Element e = stack_.back();
      stack_.pop_back();
      close(e, lt, lt);
      continue;
    }
    const bool self_closing = inner.back() == '/';
    if (self_closing) inner.remove_suffix(1);
    std::size_t k = 0;
    while (k < inner.size() && !vasp_text::is_space(inner[k])) ++k;
    Element e{inner.substr(0, k), {}, pos};
    if (e.tag.empty()) fail(lt, "malformed tag");
    const std::size_t na = inner.find("name=\"", k);
    if (na != std::string_view::npos) {
      const std::size_t q = inner.find('"', na + 6);
      if (q == std::string_view::npos) fail(lt, "unterminated name attribute");
      e.name = inner.substr(na + 6, q - na - 6);
    }
    if (stack_.empty()) {
      if (seen_root) fail(lt, "content after the root element");
      if (e.tag != "modeling") fail(lt, "root element is <" + std::string(e.tag.substr(0, 40)) + ">, expected <modeling> (not a vasprun.xml?)");
      seen_root = true;
    }
    if (stack_.size() > 64) fail(lt, "XML nested too deeply");
    stack_.push_back(e);
    open(e, lt);
    if (self_closing) {
      stack_.pop_back();
      close(e, e.content_begin, lt);
    }
  }
  if (!seen_root) throw InputError(file_, 0, "no <modeling> root element (not a vasprun.xml?)");
  rep_.steps = out_.configs.size();
  if (!stack_.empty()) {
    rep_.truncated = true;
    if (!opt_.allow_truncated)
      throw InputError(file_, line_at(text_.size()),
                       "file ends inside <" + std::string(stack_.back().tag) + "> after " + std::to_string(rep_.steps) +
                           " complete ionic steps (truncated run?); allow truncated input to keep them");
  }
  if (out_.configs.empty()) throw InputError(file_, 0, "no complete ionic step (<calculation>) found");
  out_.species = type_symbols_;
  if (report) *report = rep_;
  return std::move(out_);
}

}  // namespace

Dataset parse_vasprun(std::string_view text, const std::string& name, const VasprunOptions& options,
                      VasprunReport* report) {
  return Parser(text, name, options).run(report);
}

Dataset read_vasprun(const std::filesystem::path& path, const VasprunOptions& options, VasprunReport* report) {
  const std::string text = vasp_text::read_file(path);
  return parse_vasprun(text, path.string(), options, report);
}

}  // namespace superion
