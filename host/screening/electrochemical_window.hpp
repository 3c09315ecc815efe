// Electrochemical stability window from a grand-potential phase diagram open to one element
// (Na by default), as in first-principles electrolyte-stability studies: at Na chemical potential
// μ = μ_Na⁰ + Δμ, every entry gets Φ = E − μ N_Na and compositions are counted without Na. The
// compound is stable where it lies on the grand-potential hull; the window is the Δμ interval
// [Δμ_ox, Δμ_red] where that holds, or in volts vs Na/Na⁺: V_red = −Δμ_red (reduction limit,
// lower voltage) and V_ox = −Δμ_ox (oxidation limit). Δμ is capped at 0 (Na metal).
#pragma once

#include <string>

#include "screening/phase_diagram.hpp"

namespace superion {

struct ElectrochemicalWindow {
  bool stable_anywhere = false;
  double reduction_V = 0.0;           // lower end, V vs open-element metal
  double oxidation_V = 0.0;           // upper end
  double mu_min = 0.0, mu_max = 0.0;  // Δμ interval (eV) where the compound is on the hull
};

// `compound` must be one of the entries' formulas/names. Δμ is scanned over [mu_low, 0] with
// step `step` and the edges refined by bisection to 1e-7 eV.
ElectrochemicalWindow electrochemical_window(const std::vector<PhaseEntry>& entries,
                                             const std::string& compound,
                                             const std::string& open_element = "Na",
                                             double mu_low = -8.0, double step = 0.01);

}  // namespace superion
