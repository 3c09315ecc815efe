// SCF convergence checks for VASP outputs; see scf_check.hpp.
#include "calculators/scf_check.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace superion {
namespace {

// Integer value of the first `<i … name="NELM">` at or after `from` and before `to`; -1 if none.
long xml_nelm(std::string_view text, std::size_t from, std::size_t to) {
  const std::string_view key = "name=\"NELM\"";
  const auto at = text.find(key, from);
  if (at == std::string_view::npos || at >= to) return -1;
  const auto gt = text.find('>', at);
  if (gt == std::string_view::npos) return -1;
  return std::strtol(std::string(text.substr(gt + 1, 32)).c_str(), nullptr, 10);
}

std::size_t count_in(std::string_view text, std::string_view what, std::size_t from,
                     std::size_t to) {
  std::size_t n = 0;
  for (auto p = text.find(what, from); p != std::string_view::npos && p < to;
       p = text.find(what, p + what.size()))
    ++n;
  return n;
}

}  // namespace

ScfStatus check_vasprun_scf(std::string_view text) {
  long nelm = -1;
  const auto npos = std::string_view::npos;
  if (const auto params = text.find("<parameters>"); params != npos) {
    const auto end = text.find("</parameters>", params);
    const auto sep = text.find("name=\"electronic convergence\"", params);
    if (sep != npos && sep < end) nelm = xml_nelm(text, sep, end);
  }
  if (nelm < 0)
    if (const auto incar = text.find("<incar>"); incar != npos)
      nelm = xml_nelm(text, incar, text.find("</incar>", incar));
  if (nelm <= 0) nelm = 60;  // VASP's default
  ScfStatus s;
  for (auto c = text.find("<calculation>"); c != npos; c = text.find("<calculation>", c + 1)) {
    auto end = text.find("</calculation>", c);
    if (end == npos) end = text.size();
    const std::size_t steps = count_in(text, "<scstep>", c, end);
    if (steps == 0) continue;
    ++s.ionic_steps;
    if (s.converged && steps >= static_cast<std::size_t>(nelm)) {
      s.converged = false;
      s.first_bad_step = s.ionic_steps;
      s.detail = "ionic step " + std::to_string(s.ionic_steps) + " used " + std::to_string(steps) +
                 " electronic steps = NELM (" + std::to_string(nelm) + "): SCF not converged";
    }
  }
  return s;
}

ScfStatus check_outcar_scf(std::string_view text) {
  ScfStatus s;
  bool reached = false, not_reached = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.find("aborting loop") != std::string_view::npos) {
      if (line.find("EDIFF is reached") != std::string_view::npos)
        reached = true;
      else
        not_reached = true;  // VASP 6: "aborting loop EDIFF was not reached (unconverged)"
    } else if (line.find("free  energy   TOTEN") != std::string_view::npos) {
      ++s.ionic_steps;
      if (s.converged && (!reached || not_reached)) {
        s.converged = false;
        s.first_bad_step = s.ionic_steps;
        s.detail = "ionic step " + std::to_string(s.ionic_steps) +
                   (not_reached ? ": VASP reports that EDIFF was not reached"
                                : ": no \"aborting loop because EDIFF is reached\" before its "
                                  "energy (NELM exhausted)");
      }
      reached = not_reached = false;
    }
  }
  return s;
}

ScfStatus check_cp2k_scf(std::string_view text) {
  ScfStatus s;  // CP2K prints no per-step marker on success, so ionic_steps stays 0
  if (text.find("SCF run NOT converged") != std::string_view::npos) {
    s.converged = false;
    s.first_bad_step = 1;
    s.detail = "CP2K reports \"SCF run NOT converged\"";
  }
  return s;
}

void require_converged_scf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::string name = file.filename().string();
  for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const bool xml = name.size() >= 4 && name.substr(name.size() - 4) == ".xml";
  const bool outcar = name.find("outcar") != std::string::npos;
  const ScfStatus s = xml      ? check_vasprun_scf(text)
                      : outcar ? check_outcar_scf(text)
                               : check_cp2k_scf(text);
  if (!s.converged)
    throw Error("unconverged external calculation: " + file.string() + ": " + s.detail);
}

}  // namespace superion
