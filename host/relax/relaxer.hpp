// Structure relaxation with any Calculator: FIRE (Bitzek et al., PRL 97, 170201 (2006)) on atomic
// positions and, optionally, the cell. The cell is handled as in ASE's UnitCellFilter: positions
// r = ρ (I + ε) with reference coordinates ρ and a cell strain ε relative to the starting cell,
// generalized forces f_ρ = f (I + ε)ᵀ and f_ε = (I + ε)⁻ᵀ (W − P V I) / λ (W = PlusStress virial,
// λ = number of atoms so strain and positions move on similar scales). Minimises the enthalpy
// H = E + P V. Rigid clusters (e.g. SO4) can be kept rigid: each moves by a translation of its
// centre of mass and a rotation about it, driven by the total force and torque on its atoms.
#pragma once

#include <functional>
#include <vector>

#include "calculators/calculator.hpp"
#include "core/structure.hpp"

namespace superion {

struct RelaxOptions {
  double fmax = 0.01;      // eV/Å: converged when every (generalized) atomic force is below
  double smax_gpa = 0.05;  // GPa: and every stress component deviates from −P by less
  bool relax_cell = true;
  double pressure_gpa = 0.0;  // external pressure
  int max_steps = 2000;
  double max_move = 0.2;                // Å (and strain units ×λ) per step
  double dt_start = 0.1, dt_max = 1.0;  // FIRE time steps (arbitrary units, unit masses)
  // Groups of atom indices kept rigid (translation + rotation only). Empty = all atoms free.
  std::vector<std::vector<int>> rigid_clusters;
  // Called after every step with (step, enthalpy, fmax, smax_gpa); may be empty.
  std::function<void(int, double, double, double)> progress;
};

struct RelaxResult {
  Structure structure;
  double energy = 0.0;    // eV
  double enthalpy = 0.0;  // eV, E + P V
  double fmax = 0.0;      // eV/Å at the end
  double smax_gpa = 0.0;  // GPa at the end
  int steps = 0;
  bool converged = false;
};

RelaxResult relax(const Calculator& calc, const Structure& start, const RelaxOptions& options = {});

}  // namespace superion
