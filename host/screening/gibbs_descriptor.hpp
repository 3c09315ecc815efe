// Bartel et al., Nat. Commun. 9, 4168 (2018): SISSO descriptor of the Gibbs energy of solids
// (ANCHORS.md §7):
//   G^δ(T) [eV/atom] = (−2.48e-4 ln V − 8.94e-5 m/V) T + 0.181 ln T − 0.882
// with V the volume per atom (Å³/atom), m the reduced mass of Eq. 6 (amu), T in K, valid for
// solids at 300–1800 K (stated accuracy ~50 meV/atom).
// G(T) of a compound = ΔH_f(0 K) + G^δ(T) per atom; reaction (decomposition) free energies use the
// hull of these G(T) so the elemental G_i(T) terms cancel for reactions among solid compounds.
#pragma once

#include <map>
#include <string>

#include "screening/composition.hpp"

namespace superion {

// Reduced mass of Eq. 6: [1/((n_el − 1) Σ α)] Σ_{i<j} (α_i + α_j) m_i m_j/(m_i + m_j), α = amounts
// of the reduced formula. Throws for single-element compositions (undefined, n_el − 1 = 0).
// `masses` (amu by symbol) overrides the element table, e.g. to match another code's table.
double bartel_reduced_mass(const Composition& c, const std::map<std::string, double>& masses = {});
// G^δ(T) in eV/atom. Throws for T <= 0 or V <= 0.
double bartel_g_delta(double volume_per_atom, double reduced_mass, double temperature);

}  // namespace superion
