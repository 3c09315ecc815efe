// External-program calculator; see command_calculator.hpp.
#include "calculators/command_calculator.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <sstream>

#include "calculators/scf_check.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/run_command.hpp"
#include "io/cfg.hpp"
#include "io/cp2k.hpp"
#include "io/extxyz.hpp"
#include "io/outcar.hpp"
#include "io/poscar.hpp"
#include "io/vasprun.hpp"

namespace superion {
namespace fs = std::filesystem;
namespace {

// Result files the calculator can read, in the order "auto" looks for them. `find` returns the
// result file in the scratch directory (empty when absent); `check_scf` (may be null) throws for
// an unconverged electronic SCF.
struct OutputKind {
  const char* name;
  const char* file;  // for messages
  fs::path (*find)(const fs::path& dir);
  Dataset (*read)(const fs::path& result, const Structure& input);
  void (*check_scf)(const fs::path& result, const fs::path& dir);
};

fs::path if_exists(const fs::path& p) {
  return fs::exists(p) ? p : fs::path();
}

// CP2K names its trajectory PROJECT-pos-1.xyz (MD or GEO_OPT, also with 0 steps).
fs::path find_cp2k(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (e.is_regular_file() && io::is_cp2k_pos_name(name)) return e.path();
  }
  return {};
}

void vasp_scf(const fs::path& result, const fs::path&) {
  require_converged_scf(result);
}

// CP2K reports SCF failure in its main output: the command's stdout or a *.out file.
void cp2k_scf(const fs::path&, const fs::path& dir) {
  require_converged_scf(dir / "stdout.txt");
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".out") require_converged_scf(e.path());
}

const std::vector<OutputKind>& output_kinds() {
  static const std::vector<OutputKind> k = {
      {"xyz", "output.xyz", [](const fs::path& d) { return if_exists(d / "output.xyz"); },
       [](const fs::path& p, const Structure&) { return io::read_extxyz(p); }, nullptr},
      {"cfg", "output.cfg", [](const fs::path& d) { return if_exists(d / "output.cfg"); },
       [](const fs::path& p, const Structure&) { return io::read_cfg(p); }, nullptr},
      {"vasprun", "vasprun.xml", [](const fs::path& d) { return if_exists(d / "vasprun.xml"); },
       [](const fs::path& p, const Structure&) { return read_vasprun(p); }, vasp_scf},
      {"outcar", "OUTCAR", [](const fs::path& d) { return if_exists(d / "OUTCAR"); },
       [](const fs::path& p, const Structure&) { return read_outcar(p); }, vasp_scf},
      {"cp2k", "PROJECT-pos-1.xyz (CP2K)", find_cp2k,
       [](const fs::path& p, const Structure& in) {
         io::Cp2kOptions o;
         o.cell = in.cell;  // used when the run wrote no .cell file (single points)
         return io::read_cp2k(p, o);
       },
       cp2k_scf},
  };
  return k;
}

std::string shell_quote(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' ||
           c == '-' || c == '+';
  });
  if (plain) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

void replace_all(std::string& text, const std::string& key, const std::string& value) {
  for (auto p = text.find(key); p != std::string::npos; p = text.find(key, p + value.size()))
    text.replace(p, key.size(), value);
}

std::string strip_quotes(std::string s) {
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front())
    s = s.substr(1, s.size() - 2);
  return s;
}

// Symbol of atom i: the structure's own symbols, else the dataset's, else "type N".
std::string atom_symbol(const Structure& s, const std::vector<std::string>& fallback,
                        std::size_t i) {
  const int t = s.types[i];
  if (!s.species_symbols.empty()) return s.symbol(i);
  if (t >= 0 && static_cast<std::size_t>(t) < fallback.size()) return fallback[t];
  return "type " + std::to_string(t);
}

// Why the configuration `c` read back (species from `out_species` when it has none) is not the
// single point of `s`; "" when it is. The first ionic step must be at our geometry, atom by atom.
// Tolerance 1e-3 Å: far above the print precision of any reader here (VASP writes 8-decimal
// fractions, ~1e-7 Å), far below any interatomic distance, so it only trips on reordered atoms or a
// different structure.
std::string geometry_mismatch(const Structure& s, const Configuration& c,
                              const std::vector<std::string>& out_species) {
  if (c.size() != s.size())
    return std::to_string(c.size()) + " atoms, but the input has " + std::to_string(s.size());
  const bool periodic = s.pbc[0] && s.pbc[1] && s.pbc[2];
  const Mat3 inv = periodic ? inverse(s.cell) : Mat3::identity();
  const bool pbc[3] = {true, true, true};
  const bool in_named = !s.species_symbols.empty();
  const bool out_named = !c.structure.species_symbols.empty() || !out_species.empty();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::string a = atom_symbol(s, {}, i), b = atom_symbol(c.structure, out_species, i);
    if (in_named == out_named && a != b)
      return "atom " + std::to_string(i + 1) + " is " + b + " but the input has " + a +
             " (atoms reordered?)";
    const Vec3 diff = c.structure.positions[i] - s.positions[i];
    const Vec3 delta = periodic ? minimum_image(diff, s.cell, inv, pbc) : diff;
    if (norm(delta) > 1e-3)
      return "atom " + std::to_string(i + 1) + " is " + std::to_string(norm(delta)) +
             " Å from its input position (reordered atoms, or not a single-point calculation?)";
  }
  return "";
}

// A configuration the batch program marked as failed: converged = F/false/0/no.
bool marked_unconverged(const Configuration& c) {
  for (const auto& [k, v] : c.features)
    if (k == "converged") {
      std::string x = v;
      for (auto& ch : x) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return x == "f" || x == "false" || x == "0" || x == "no" || x == ".false.";
    }
  return false;
}

// Writes `in` as each requested input (poscar: POSCAR, xyz: input.xyz, cfg: input.cfg) into dir,
// losslessly: the program must see exactly our geometry.
void write_inputs(const std::vector<std::string>& inputs, const Dataset& in, const fs::path& dir) {
  for (const auto& f : inputs) {
    if (f == "poscar") {
      io::PoscarWriteOptions w;
      w.lossless = true;
      io::write_poscar(dir / "POSCAR", in, w);
    } else if (f == "xyz") {
      io::XyzWriteOptions w;
      w.lossless = true;
      io::write_extxyz(dir / "input.xyz", in, w);
    } else {
      io::CfgWriteOptions w;
      w.lossless = true;
      io::write_cfg(dir / "input.cfg", in, w);
    }
  }
}

// The message for a run that failed: what, how, where, and the last lines of its stderr.
std::string run_failure(const std::string& what, const CommandOutcome& run,
                        const std::string& where, const fs::path& dir) {
  const std::string tail = file_tail(dir / "stderr.txt");
  return what + " failed with " + run.describe() + where + "\n  stderr (last lines):\n" +
         (tail.empty() ? "    (empty)" : tail);
}

CalcResult result_of(const Configuration& c) {
  CalcResult r;
  r.energy = *c.energy;
  r.forces = *c.forces;
  if (c.virial) r.virial = *c.virial;
  r.has_virial = c.virial.has_value();
  return r;
}

}  // namespace

CommandCalculatorOptions parse_command_spec(const std::string& rest, bool batch) {
  CommandCalculatorOptions o;
  o.batch = batch;
  std::string opts, tmpl;
  if (!rest.empty() && rest[0] == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
      throw Error("calculator 'command" + rest + "': expected command[OPTIONS]:TEMPLATE");
    opts = rest.substr(1, close - 1);
    tmpl = rest.substr(close + 2);
  } else if (!rest.empty() && rest[0] == ':') {
    tmpl = rest.substr(1);
  } else {
    throw Error("calculator 'command" + rest + "': expected command:TEMPLATE");
  }
  o.command_template = strip_quotes(tmpl);
  if (o.command_template.find_first_not_of(" \t") == std::string::npos)
    throw Error("calculator 'command:': the command template is empty");
  std::stringstream ss(opts);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string key = item.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "keep") {
      o.keep = true;
    } else if (key == "noscf") {
      o.check_scf = false;
    } else if (key == "copy" && !value.empty()) {
      o.copy_from = value;
    } else if (key == "scratch" && !value.empty()) {
      o.scratch_root = value;
    } else if (key == "output" && !value.empty()) {
      o.output = value;
    } else if (key == "batch" && batch && !value.empty()) {
      try {
        o.batch_size = std::stoul(value);
      } catch (const std::exception&) {
        throw Error("calculator command-batch: batch=" + value + " is not a number");
      }
    } else if (key == "input" && !value.empty()) {
      std::stringstream vs(value);
      std::string f;
      while (std::getline(vs, f, '+')) o.inputs.push_back(f);
    } else {
      throw Error("calculator command option '" + item +
                  "' not understood (expected input=poscar|xyz|cfg, output=auto|xyz|cfg|vasprun|"
                  "outcar|cp2k, copy=DIR, scratch=DIR, keep, noscf" +
                  std::string(batch ? ", batch=N)" : ")"));
    }
  }
  return o;
}

CommandCalculator::CommandCalculator(CommandCalculatorOptions o) : o_(std::move(o)) {
  if (o_.inputs.empty()) {
    for (const char* f : {"poscar", "xyz", "cfg"})
      if (o_.command_template.find(std::string("{") + f + "}") != std::string::npos)
        o_.inputs.push_back(f);
    if (o_.inputs.empty()) o_.inputs.push_back("poscar");
  }
  for (const auto& f : o_.inputs)
    if (f != "poscar" && f != "xyz" && f != "cfg")
      throw Error("calculator command: unknown input format '" + f +
                  "' (expected poscar, xyz or cfg)");
  bool known = o_.output == "auto";
  for (const auto& k : output_kinds()) known |= o_.output == k.name;
  if (!known)
    throw Error("calculator command: unknown output '" + o_.output +
                "' (expected auto, xyz, cfg, vasprun or outcar)");
  if (!o_.copy_from.empty() && !fs::is_directory(o_.copy_from))
    throw Error("calculator command: copy=" + o_.copy_from.string() + " is not a directory");
  if (o_.scratch_root.empty()) o_.scratch_root = fs::temp_directory_path();
  if (o_.batch) {
    if (o_.command_template.find("{xyz}") == std::string::npos &&
        o_.command_template.find("{cfg}") == std::string::npos &&
        std::find(o_.inputs.begin(), o_.inputs.end(), "poscar") != o_.inputs.end())
      o_.inputs = {"xyz"};  // no placeholder given: the batch reads input.xyz
    for (const auto& f : o_.inputs)
      if (f == "poscar")
        throw Error("calculator command-batch: POSCAR holds one structure; use input=xyz or cfg");
    if (o_.output != "auto" && o_.output != "xyz" && o_.output != "cfg")
      throw Error(
          "calculator command-batch: the output must be xyz or cfg (one file with all "
          "configurations)");
  }
}

fs::path CommandCalculator::make_scratch(long index) const {
  // A fresh, unique directory per evaluation (mkdtemp is safe across threads and processes).
  std::string pattern =
      (o_.scratch_root / ("superion-calc-" + std::to_string(index) + "-XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!::mkdtemp(buf.data()))
    throw Error("calculator command: cannot create a scratch directory in " +
                o_.scratch_root.string() + ": " + std::strerror(errno));
  const fs::path dir = buf.data();
  if (!o_.copy_from.empty())
    for (const auto& e : fs::directory_iterator(o_.copy_from))
      if (e.is_regular_file()) fs::copy_file(e.path(), dir / e.path().filename());
  return dir;
}

std::string CommandCalculator::expand(const fs::path& dir, std::size_t natoms, long index,
                                      std::size_t count) const {
  std::string cmd = o_.command_template;
  const std::string d = dir.string();
  replace_all(cmd, "{dir}", shell_quote(d));
  replace_all(cmd, "{poscar}", shell_quote(d + "/POSCAR"));
  replace_all(cmd, "{xyz}", shell_quote(d + "/input.xyz"));
  replace_all(cmd, "{cfg}", shell_quote(d + "/input.cfg"));
  replace_all(cmd, "{out_xyz}", shell_quote(d + "/output.xyz"));
  replace_all(cmd, "{out_cfg}", shell_quote(d + "/output.cfg"));
  replace_all(cmd, "{natoms}", std::to_string(natoms));
  replace_all(cmd, "{index}", std::to_string(index));
  replace_all(cmd, "{count}", std::to_string(count));
  return cmd;
}

CalcResult CommandCalculator::compute(const Structure& s) const {
  if (o_.batch) {
    CalcOutcome r = compute_batch({s}).front();
    if (!r.ok) throw Error(r.error);
    return r.result;
  }
  const long index = counter_.fetch_add(1);
  const fs::path dir = make_scratch(index);
  const std::string where =
      "\n  command: " + o_.command_template + "\n  directory: " + dir.string();

  Dataset in;
  in.configs.emplace_back();
  in.configs.back().structure = s;
  in.species = s.species_symbols;
  try {
    write_inputs(o_.inputs, in, dir);
  } catch (const Error& e) {
    throw Error(std::string("cannot write the input for the external calculation: ") + e.what() +
                where);
  }

  const std::string cmd = expand(dir, s.size(), index, 1);
  const CommandOutcome run = run_shell_command(cmd, dir, dir / "stdout.txt", dir / "stderr.txt");
  if (!run.ok()) throw Error(run_failure("external calculation", run, where, dir));

  const OutputKind* kind = nullptr;
  fs::path result;
  std::string expected;
  for (const auto& k : output_kinds()) {
    if (o_.output != "auto" && o_.output != k.name) continue;
    expected += std::string(expected.empty() ? "" : ", ") + k.file;
    if (result = k.find(dir); !result.empty()) {
      kind = &k;
      break;
    }
  }
  if (!kind)
    throw Error("external calculation wrote no result file (expected " + expected + ")" + where +
                "\n  stdout (last lines):\n" + file_tail(dir / "stdout.txt"));
  if (kind->check_scf && o_.check_scf) {
    try {
      kind->check_scf(result, dir);
    } catch (const Error& e) {
      throw Error(e.what() + where);
    }
  }
  Dataset out;
  try {
    out = kind->read(result, s);
  } catch (const Error& e) {
    throw Error(std::string("cannot read the external result: ") + e.what() + where);
  }
  if (out.configs.empty())
    throw Error("external result " + result.string() + " holds no structure" + where);
  const Configuration& c = out.configs.front();
  auto fail = [&](const std::string& what) { throw Error(result.string() + ": " + what + where); };
  if (!c.energy) fail("no energy");
  if (!c.forces) fail("no forces");
  if (const std::string why = geometry_mismatch(s, c, out.species); !why.empty()) fail(why);
  const CalcResult r = result_of(c);
  if (!o_.keep) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return r;
}

std::vector<CalcOutcome> CommandCalculator::compute_many(const std::vector<Structure>& s) const {
  if (!o_.batch) return Calculator::compute_many(s);
  std::vector<CalcOutcome> out;
  const std::size_t step = o_.batch_size > 0 ? o_.batch_size : std::max<std::size_t>(1, s.size());
  for (std::size_t b = 0; b < s.size(); b += step) {
    const std::vector<Structure> part(s.begin() + static_cast<long>(b),
                                      s.begin() + static_cast<long>(std::min(s.size(), b + step)));
    for (auto& r : compute_batch(part)) out.push_back(std::move(r));
  }
  return out;
}

std::vector<CalcOutcome> CommandCalculator::compute_batch(const std::vector<Structure>& s) const {
  std::vector<CalcOutcome> res(s.size());
  if (s.empty()) return res;
  auto fail_all = [&](const std::string& why) {
    for (auto& r : res) r.error = why;
    return res;
  };
  const long index = counter_.fetch_add(1);
  fs::path dir;
  try {
    dir = make_scratch(index);
  } catch (const Error& e) {
    return fail_all(e.what());
  }
  const std::string where =
      "\n  command: " + o_.command_template + "\n  directory: " + dir.string();
  Dataset in;
  for (const Structure& x : s) {
    in.configs.emplace_back();
    in.configs.back().structure = x;
  }
  in.species = s.front().species_symbols;
  try {
    write_inputs(o_.inputs, in, dir);  // (no POSCAR: the constructor refuses it for a batch)
  } catch (const Error& e) {
    return fail_all(std::string("cannot write the input for the external calculation: ") +
                    e.what() + where);
  }
  const CommandOutcome run = run_shell_command(expand(dir, s.front().size(), index, s.size()), dir,
                                               dir / "stdout.txt", dir / "stderr.txt");
  if (!run.ok()) return fail_all(run_failure("external batch calculation", run, where, dir));
  fs::path result;
  for (const char* name : {"output.xyz", "output.cfg"}) {
    const std::string kind = std::string(name).substr(7);
    if ((o_.output == "auto" || o_.output == kind) && fs::exists(dir / name)) {
      result = dir / name;
      break;
    }
  }
  if (result.empty())
    return fail_all(
        "external batch calculation wrote no result file (expected output.xyz or "
        "output.cfg)" +
        where + "\n  stdout (last lines):\n" + file_tail(dir / "stdout.txt"));
  Dataset out;
  try {
    out = result.extension() == ".xyz" ? io::read_extxyz(result) : io::read_cfg(result);
  } catch (const Error& e) {
    return fail_all(std::string("cannot read the external result: ") + e.what() + where);
  }
  if (out.size() != s.size())
    return fail_all(result.string() + ": " + std::to_string(out.size()) +
                    " configurations, but the batch has " + std::to_string(s.size()) + where);
  bool all_ok = true;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const Configuration& c = out.configs[k];
    const std::string which = result.string() + ", configuration " + std::to_string(k + 1) + ": ";
    std::string why;
    if (marked_unconverged(c))
      why = "the program marked it unconverged (converged=F)";
    else if (!c.energy)
      why = "no energy";
    else if (!c.forces)
      why = "no forces";
    else
      why = geometry_mismatch(s[k], c, out.species);
    if (why.empty()) {
      res[k].ok = true;
      res[k].result = result_of(c);
    } else {
      res[k].error = which + why + where;
      all_ok = false;
    }
  }
  if (all_ok && !o_.keep) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return res;
}

}  // namespace superion
