// Parsing of `pair_style mtp` / `pair_style mlip` arguments and of MLIP's mlip.ini.
#include "pair_style_args.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "io/species_table.hpp"

namespace superion::lammps {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// MLIP writes booleans as TRUE/FALSE; accept the usual spellings.
bool parse_bool(const std::string& value, const std::string& file, long line,
                const std::string& key) {
  const std::string v = lower(value);
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  throw InputError(file, line, key + " must be TRUE or FALSE, got '" + value + "'");
}

bool exists(const std::string& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

}  // namespace

PairStyleArgs parse_mtp_style(const std::vector<std::string>& args) {
  if (args.empty())
    throw Error("pair_style mtp needs the potential file: pair_style mtp POT.mtp [species A B …]");
  PairStyleArgs a;
  a.potential = args[0];
  for (std::size_t k = 1; k < args.size(); ++k) {
    if (args[k] == "species") {
      if (k + 1 == args.size())
        throw Error("pair_style mtp: 'species' needs the element names in MTP type order");
      for (std::size_t j = k + 1; j < args.size(); ++j) {
        const std::string sym = io::normalize_symbol(args[j]);  // "na" -> "Na"
        if (sym.empty())
          throw Error("pair_style mtp: 'species': '" + args[j] + "' is not a chemical element");
        if (std::find(a.species.begin(), a.species.end(), sym) != a.species.end())
          throw Error("pair_style mtp: 'species' names " + sym + " twice");
        a.species.push_back(sym);
      }
      break;
    }
    throw Error("pair_style mtp: unknown argument '" + args[k] +
                "' (expected: pair_style mtp POT.mtp [species A B …])");
  }
  return a;
}

PairStyleArgs parse_mlip_ini(const std::string& text, const std::string& name,
                             const std::string& dir) {
  PairStyleArgs a;
  std::istringstream in(text);
  std::string raw;
  long line = 0, mtp_line = 0;
  bool select = false;
  std::vector<std::pair<std::string, long>> select_keys;
  while (std::getline(in, raw)) {
    ++line;
    const auto hash = raw.find('#');
    if (hash != std::string::npos) raw.erase(hash);
    std::istringstream ls(raw);
    std::string key, value, extra;
    if (!(ls >> key)) continue;
    if (!(ls >> value))
      throw InputError(name, line, "expected 'KEY VALUE', got only '" + key + "'");
    if (ls >> extra)
      throw InputError(name, line,
                       "expected 'KEY VALUE', got more after '" + key + " " + value + "'");
    if (key == "mtp-filename") {
      a.potential = value;
      mtp_line = line;
    } else if (key == "select") {
      select = parse_bool(value, name, line, key);
    } else if (key.rfind("select:", 0) == 0) {
      select_keys.emplace_back(key, line);
    } else if (key == "calculate-efs") {
      if (!parse_bool(value, name, line, key))
        throw InputError(name, line,
                         "calculate-efs FALSE would give LAMMPS no forces; remove it or set TRUE");
    } else {
      a.ignored.push_back(key + " " + value + " (" + name + ":" + std::to_string(line) + ")");
    }
  }
  if (select)
    throw InputError(name, 0,
                     "select TRUE (active learning during MD) is not supported by superion-lammps; "
                     "set select FALSE, and grade configurations with superion afterwards");
  for (const auto& [key, l] : select_keys)
    a.ignored.push_back(key + " (" + name + ":" + std::to_string(l) + ", select is FALSE)");
  if (a.potential.empty())
    throw InputError(name, 0, "no 'mtp-filename POT.mtp' line (the potential to use)");
  if (!exists(a.potential) && !dir.empty()) {
    const std::string beside = (std::filesystem::path(dir) / a.potential).string();
    if (exists(beside)) a.potential = beside;
  }
  if (!exists(a.potential))
    throw InputError(name, mtp_line,
                     "mtp-filename '" + a.potential +
                         "' does not exist (relative to the working directory or to " + name + ")");
  return a;
}

PairStyleArgs parse_mlip_style(const std::vector<std::string>& args) {
  if (args.empty())
    throw Error(
        "pair_style mlip needs an argument: pair_style mlip mlip.ini (MLIP-2) or pair_style mlip "
        "load_from=POT.mtp (MLIP-3)");
  const std::string load = "load_from=";
  if (args[0].rfind(load, 0) == 0) {
    PairStyleArgs a;
    a.potential = args[0].substr(load.size());
    if (a.potential.empty()) throw Error("pair_style mlip: load_from= needs a file name");
    bool control = false;
    std::vector<std::string> sub;
    for (std::size_t k = 1; k < args.size(); ++k) {
      const auto eq = args[k].find('=');
      if (eq == std::string::npos)
        throw Error("pair_style mlip: expected KEY=VALUE after load_from=, got '" + args[k] + "'");
      const std::string key = args[k].substr(0, eq), value = args[k].substr(eq + 1);
      if (key == "extrapolation_control")
        control = parse_bool(value, "pair_style mlip", 0, key);
      else if (key.rfind("extrapolation_control:", 0) == 0)
        sub.push_back(args[k]);
      else
        a.ignored.push_back(args[k]);
    }
    if (control)
      throw Error(
          "pair_style mlip: extrapolation_control=true (active learning during MD) is not "
          "supported by superion-lammps; use extrapolation_control=false");
    for (auto& s : sub) a.ignored.push_back(s + " (extrapolation_control is false)");
    return a;
  }
  if (args.size() > 1)
    throw Error("pair_style mlip: expected one mlip.ini file, got " + std::to_string(args.size()) +
                " arguments");
  std::ifstream f(args[0]);
  if (!f) throw Error("pair_style mlip: cannot open the MLIP settings file '" + args[0] + "'");
  std::ostringstream text;
  text << f.rdbuf();
  return parse_mlip_ini(text.str(), args[0], std::filesystem::path(args[0]).parent_path().string());
}

}  // namespace superion::lammps
