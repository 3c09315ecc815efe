// Grand-potential stability scan.
#include "screening/electrochemical_window.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace superion {
namespace {

// Grand-potential energy above hull of entry `target` at Δμ (relative to the open element's
// lowest energy per atom). Entries made only of the open element are dropped.
double grand_e_above_hull(const std::vector<PhaseEntry>& entries, std::size_t target,
                          const std::string& open, double mu_ref, double dmu) {
  std::vector<PhaseEntry> g;
  std::size_t target_index = 0;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    PhaseEntry e = entries[k];
    const auto it = e.composition.find(open);
    const double n_open = it == e.composition.end() ? 0.0 : it->second;
    if (it != e.composition.end()) e.composition.erase(it);
    if (total_atoms(e.composition) <= 0) continue;
    e.energy -= (mu_ref + dmu) * n_open;
    if (k == target) target_index = g.size();
    g.push_back(std::move(e));
  }
  return PhaseDiagram(std::move(g)).analyse(target_index).e_above_hull;
}

}  // namespace

ElectrochemicalWindow electrochemical_window(const std::vector<PhaseEntry>& entries,
                                             const std::string& compound, const std::string& open,
                                             double mu_low, double step) {
  // The compound is an entry name, or a formula matched on the reduced composition (so
  // "Na2SO4" finds an entry written Na4S2O8); a name that is no formula only matches names.
  std::string wanted_formula;
  try {
    wanted_formula = formula_string(reduce(parse_formula(compound)).first);
  } catch (const Error&) {
  }
  std::size_t target = entries.size();
  double mu_ref = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const auto& e = entries[k];
    if (target == entries.size() && e.name == compound) target = k;
    if (e.composition.size() == 1 && e.composition.count(open))
      mu_ref = std::min(mu_ref, e.energy_per_atom());
  }
  // Among formula matches take the lowest energy per atom (the polymorph that matters).
  if (target == entries.size() && !wanted_formula.empty())
    for (std::size_t k = 0; k < entries.size(); ++k)
      if (formula_string(reduce(entries[k].composition).first) == wanted_formula &&
          (target == entries.size() ||
           entries[k].energy_per_atom() < entries[target].energy_per_atom()))
        target = k;
  if (target == entries.size()) throw Error("compound '" + compound + "' is not among the entries");
  if (!std::isfinite(mu_ref)) throw Error("no elemental entry for the open element " + open);
  if (!entries[target].composition.count(open)) throw Error(compound + " contains no " + open);
  const double tol = 1e-9;
  auto stable = [&](double dmu) {
    return grand_e_above_hull(entries, target, open, mu_ref, dmu) <= tol;
  };
  ElectrochemicalWindow w;
  double first = NAN, last = NAN;
  for (double dmu = mu_low; dmu <= 1e-12; dmu += step)
    if (stable(dmu)) {
      if (std::isnan(first)) first = dmu;
      last = dmu;
    }
  if (std::isnan(first)) return w;
  auto refine = [&](double in, double out) {  // bisection between a stable and an unstable Δμ
    for (int it = 0; it < 60 && std::fabs(in - out) > 1e-7; ++it) {
      const double mid = 0.5 * (in + out);
      (stable(mid) ? in : out) = mid;
    }
    return in;
  };
  w.stable_anywhere = true;
  w.mu_min = first > mu_low ? refine(first, first - step) : first;
  w.mu_max = last + step <= 0.0 ? refine(last, std::min(0.0, last + step)) : 0.0;
  if (stable(0.0)) w.mu_max = 0.0;
  w.reduction_V = 0.0 - w.mu_max;  // 0.0 - x: no "-0" printed at the Na-metal end
  w.oxidation_V = 0.0 - w.mu_min;
  return w;
}

}  // namespace superion
