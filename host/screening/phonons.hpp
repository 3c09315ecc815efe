// Harmonic phonons by finite displacements with any Calculator (phonopy conventions, ANCHORS.md
// §6): a diagonal supercell of the input cell, ± displacements (0.01 Å default) of every atom of
// the input cell along x, y, z, force constants Φ = −ΔF/(2d), optional acoustic sum rule, and the
// dynamical matrix D(q) built with phonopy's minimum-image convention (a pair's phase factor is
// averaged over all equally short supercell images). Frequencies in THz; imaginary modes are
// reported as negative numbers, ν = sgn(ω²)|ν|.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "calculators/calculator.hpp"
#include "core/structure.hpp"

namespace superion {

inline constexpr double kPhononTHz =
    15.633302;  // sqrt(eV/(Å² amu))/(2π) in THz (phonopy VaspToTHz)

struct ForceConstants {
  Structure unit;                  // input cell
  std::array<int, 3> supercell{};  // diagonal multiples
  Structure super;                 // the supercell; atom s = unit atom (s % n_unit) translated
  // phi[((i*n_super + j)*3 + a)*3 + b] = ∂²E/∂u_{i a}∂u_{j b}, i over unit atoms, j over supercell.
  std::vector<double> phi;
  std::size_t n_unit() const { return unit.size(); }
  std::size_t n_super() const { return super.size(); }
  double& at(std::size_t i, std::size_t j, int a, int b) {
    return phi[((i * n_super() + j) * 3 + a) * 3 + b];
  }
  double at(std::size_t i, std::size_t j, int a, int b) const {
    return phi[((i * n_super() + j) * 3 + a) * 3 + b];
  }
};

// Builds the supercell (atom order: for each cell translation (i0,i1,i2) in row-major order, all
// unit atoms) and computes force constants with ± displacements. Throws for non-periodic input.
ForceConstants compute_force_constants(const Calculator& calc, const Structure& unit,
                                       std::array<int, 3> supercell, double displacement = 0.01);
// Translational acoustic sum rule: Φ(i,i) = −Σ_{j≠i} Φ(i,j) for each unit atom.
void apply_acoustic_sum_rule(ForceConstants& fc);
// Phonon frequencies (THz, ascending, negative = imaginary) at q given in reduced coordinates of
// the unit cell's reciprocal lattice.
std::vector<double> phonon_frequencies(const ForceConstants& fc,
                                       const std::array<double, 3>& q_reduced);

struct StabilityVerdict {
  bool stable = true;
  double min_frequency = 0.0;       // THz over the mesh (negative = imaginary)
  std::array<double, 3> worst_q{};  // where it occurs
};
// Dynamic stability on a Γ-centred mesh: stable when no frequency is below −tolerance (THz).
// The tolerance absorbs the numerical noise of the acoustic modes near Γ.
StabilityVerdict dynamic_stability(const ForceConstants& fc, std::array<int, 3> mesh,
                                   double tolerance = 0.05);

}  // namespace superion
