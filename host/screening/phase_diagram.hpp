// Convex hull of formation energies for any number of elements, energy above the hull and
// decomposition products (pymatgen PhaseDiagram semantics, ANCHORS.md §6):
//   E_hull(entry) = E/atom(entry) − min Σ_k x_k E/atom(k)  over x >= 0 with Σ_k x_k c_k = c(entry),
// where c are fractional compositions; the minimum is a linear program (no Qhull needed), and the
// entries with x_k > 0 are the decomposition products (fractions by atoms). Formation energies per
// atom are relative to the lowest-energy entry of each pure element, which must be present.
#pragma once

#include <string>
#include <vector>

#include "screening/composition.hpp"

namespace superion {

struct PhaseEntry {
  std::string name;         // free label (formula or id)
  Composition composition;  // amounts (any number of formula units)
  double energy = 0.0;      // total energy of `composition`, eV
  double energy_per_atom() const { return energy / total_atoms(composition); }
};

struct HullResult {
  double e_above_hull = 0.0;      // eV/atom (>= 0 up to round-off)
  double formation_energy = 0.0;  // eV/atom relative to the elemental references
  std::vector<std::pair<std::size_t, double>> decomposition;  // (entry index, atom fraction)
};

class PhaseDiagram {
 public:
  // Throws superion::Error when an element has no elemental entry or an entry is empty.
  explicit PhaseDiagram(std::vector<PhaseEntry> entries);
  const std::vector<PhaseEntry>& entries() const { return entries_; }
  const std::vector<std::string>& elements() const { return elements_; }
  // Energy above hull and decomposition of entry i.
  HullResult analyse(std::size_t i) const;
  // Energy above hull for any composition/energy (need not be an entry). Throws if the
  // composition has elements outside the diagram.
  HullResult analyse(const Composition& c, double energy) const;
  // Hull energy (eV/atom) at a composition.
  double hull_energy_per_atom(const Composition& c) const;
  // Formation energy per atom of any composition/energy.
  double formation_energy_per_atom(const Composition& c, double energy) const;

 private:
  std::vector<double> fractions(const Composition& c) const;
  std::vector<PhaseEntry> entries_;
  std::vector<std::string> elements_;
  std::vector<double> elemental_ref_;  // lowest energy per atom of each element
};

// Reads "formula,energy" CSV (header `formula,energy` or `formula,energy_per_atom`, total eV of
// the formula as written, or eV/atom). Errors name file and line.
std::vector<PhaseEntry> read_phase_entries_csv(const std::string& path);

}  // namespace superion
