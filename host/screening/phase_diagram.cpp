// Phase diagram by linear programming over fractional compositions.
#include "screening/phase_diagram.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "screening/simplex.hpp"

namespace superion {

PhaseDiagram::PhaseDiagram(std::vector<PhaseEntry> entries) : entries_(std::move(entries)) {
  if (entries_.empty()) throw Error("phase diagram needs at least one entry");
  for (const auto& e : entries_) {
    if (!(total_atoms(e.composition) > 0)) throw Error("entry '" + e.name + "' has no atoms");
    if (!std::isfinite(e.energy)) throw Error("entry '" + e.name + "' has a non-finite energy");
    for (const auto& kv : e.composition)
      if (kv.second > 0 &&
          std::find(elements_.begin(), elements_.end(), kv.first) == elements_.end())
        elements_.push_back(kv.first);
  }
  std::sort(elements_.begin(), elements_.end());
  elemental_ref_.assign(elements_.size(), std::numeric_limits<double>::infinity());
  for (const auto& e : entries_) {
    int n_el = 0;
    std::string el;
    for (const auto& kv : e.composition)
      if (kv.second > 0) {
        ++n_el;
        el = kv.first;
      }
    if (n_el != 1) continue;
    const auto k = static_cast<std::size_t>(std::find(elements_.begin(), elements_.end(), el) -
                                            elements_.begin());
    elemental_ref_[k] = std::min(elemental_ref_[k], e.energy_per_atom());
  }
  for (std::size_t k = 0; k < elements_.size(); ++k)
    if (!std::isfinite(elemental_ref_[k]))
      throw Error("phase diagram has no elemental entry for " + elements_[k] +
                  " (every element needs a reference to define a hull)");
}

std::vector<double> PhaseDiagram::fractions(const Composition& c) const {
  std::vector<double> f(elements_.size(), 0.0);
  const double n = total_atoms(c);
  if (!(n > 0)) throw Error("composition has no atoms");
  for (const auto& kv : c) {
    if (kv.second == 0) continue;
    const auto it = std::find(elements_.begin(), elements_.end(), kv.first);
    if (it == elements_.end())
      throw Error("element " + kv.first + " is not part of this phase diagram");
    f[static_cast<std::size_t>(it - elements_.begin())] = kv.second / n;
  }
  return f;
}

double PhaseDiagram::formation_energy_per_atom(const Composition& c, double energy) const {
  const auto f = fractions(c);
  double ref = 0;
  for (std::size_t k = 0; k < f.size(); ++k) ref += f[k] * elemental_ref_[k];
  return energy / total_atoms(c) - ref;
}

HullResult PhaseDiagram::analyse(const Composition& c, double energy) const {
  const std::size_t m = elements_.size(), n = entries_.size();
  std::vector<std::vector<double>> A(m, std::vector<double>(n));
  std::vector<double> cost(n);
  for (std::size_t k = 0; k < n; ++k) {
    const auto f = fractions(entries_[k].composition);
    for (std::size_t r = 0; r < m; ++r) A[r][k] = f[r];
    // Formation energies keep the numbers small (better conditioned than totals).
    cost[k] = formation_energy_per_atom(entries_[k].composition, entries_[k].energy);
  }
  const auto target = fractions(c);
  const auto lp = solve_linear_program(A, target, cost);
  if (!lp.feasible)
    throw Error("composition " + formula_string(c) + " is outside the phase diagram");
  HullResult res;
  res.formation_energy = formation_energy_per_atom(c, energy);
  res.e_above_hull = res.formation_energy - lp.objective;
  for (std::size_t k = 0; k < n; ++k)
    if (lp.x[k] > 1e-12) res.decomposition.emplace_back(k, lp.x[k]);
  return res;
}

HullResult PhaseDiagram::analyse(std::size_t i) const {
  const auto& e = entries_.at(i);
  return analyse(e.composition, e.energy);
}

double PhaseDiagram::hull_energy_per_atom(const Composition& c) const {
  // Hull formation energy plus the elemental reference energy of this composition.
  const auto f = fractions(c);
  double ref = 0;
  for (std::size_t k = 0; k < f.size(); ++k) ref += f[k] * elemental_ref_[k];
  const HullResult r = analyse(c, ref * total_atoms(c));  // zero formation energy probe
  return ref - r.e_above_hull;
}

std::vector<PhaseEntry> read_phase_entries_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open file");
  std::string line;
  long line_no = 0;
  bool per_atom = false;
  int formula_col = -1, energy_col = -1, name_col = -1;
  std::vector<PhaseEntry> out;
  auto split = [](const std::string& s) {
    std::vector<std::string> cols;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) {
      const auto b = item.find_first_not_of(" \t\r");
      const auto e = item.find_last_not_of(" \t\r");
      cols.push_back(b == std::string::npos ? "" : item.substr(b, e - b + 1));
    }
    return cols;
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    const auto cols = split(line);
    if (formula_col < 0) {
      for (std::size_t k = 0; k < cols.size(); ++k) {
        if (cols[k] == "formula") formula_col = static_cast<int>(k);
        if (cols[k] == "name") name_col = static_cast<int>(k);
        if (cols[k] == "energy") energy_col = static_cast<int>(k);
        if (cols[k] == "energy_per_atom") {
          energy_col = static_cast<int>(k);
          per_atom = true;
        }
      }
      if (formula_col < 0 || energy_col < 0)
        throw InputError(
            path, line_no,
            "expected a header with columns 'formula' and 'energy' (eV) or 'energy_per_atom'");
      continue;
    }
    if (static_cast<int>(cols.size()) <= std::max(formula_col, energy_col))
      throw InputError(
          path, line_no,
          "expected " + std::to_string(std::max(formula_col, energy_col) + 1) + " columns");
    PhaseEntry e;
    try {
      e.composition = parse_formula(cols[static_cast<std::size_t>(formula_col)]);
    } catch (const Error& err) {
      throw InputError(path, line_no, err.what());
    }
    const std::string& ev = cols[static_cast<std::size_t>(energy_col)];
    char* end = nullptr;
    const double v = std::strtod(ev.c_str(), &end);
    if (ev.empty() || end != ev.c_str() + ev.size() || !std::isfinite(v))
      throw InputError(path, line_no, "expected a finite energy, got '" + ev + "'");
    e.energy = per_atom ? v * total_atoms(e.composition) : v;
    e.name = name_col >= 0 ? cols[static_cast<std::size_t>(name_col)]
                           : cols[static_cast<std::size_t>(formula_col)];
    out.push_back(std::move(e));
  }
  if (out.empty()) throw InputError(path, line_no, "no entries");
  return out;
}

}  // namespace superion
