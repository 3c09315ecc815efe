// Ewald summation of the Coulomb energy of point charges in any triclinic periodic cell, with
// forces and the virial (PlusStress convention). Metal units: charges in e, k_e = 14.3996454784
// eV·Å. A non-neutral cell gets the uniform neutralising background term −π k_e Q²/(2Vα²).
//   E = ½ k_e Σ_i Σ'_{j,n} q_i q_j erfc(α r)/r                 (real space, r < r_cut)
//     + (2π k_e/V) Σ_{k≠0} exp(−k²/4α²)/k² |S(k)|²,  S(k) = Σ_j q_j exp(i k·r_j)
//     − k_e α/√π Σ_i q_i²
// α and the reciprocal cutoff follow from the accuracy target: erfc(α r_cut) ≈ exp(−k²/4α²) ≈ ε.
#pragma once

#include <vector>

#include "calculators/calculator.hpp"

namespace superion {

inline constexpr double kCoulombEVA = 14.3996454784255;  // e²/(4π ε0) in eV·Å (CODATA 2018)

struct EwaldOptions {
  double real_cutoff = 10.0;  // Å
  double accuracy = 1e-10;    // relative size of the neglected terms
};

// Adds the Coulomb energy, forces and virial of `charges` (per atom) to `out`.
void add_ewald(const Structure& s, const std::vector<double>& charges, const EwaldOptions& opt,
               CalcResult& out);

}  // namespace superion
