// Metal units (LAMMPS "units metal"): length Å, energy eV, time ps, mass amu, temperature K,
// virial (MLIP PlusStress) eV, pressure GPa for output. Named constants and conversions live here
// only.
#pragma once

namespace superion::units {

inline constexpr double kBoltzmann_eV_K = 8.617333262e-5;  // CODATA 2018
inline constexpr double kEVPerA3ToGPa = 160.21766208;      // 1 eV/Å^3 in GPa
inline constexpr double kMLIPEVPerA3ToGPa = 160.2176487;   // MLIP's constant (calc-errors GPa)
// amu·Å²/ps² → eV: 1 amu (Å/ps)^2 = 1.66053906660e-27 kg · 1e4 m²/s² / 1.602176634e-19 J/eV
inline constexpr double kMvv2e = 1.66053906660e-23 / 1.602176634e-19;  // = 1.0364269656e-4
inline constexpr double kFemtosecond = 1e-3;                           // ps
inline constexpr double kElementaryCharge_C = 1.602176634e-19;
inline constexpr double kAvogadro = 6.02214076e23;
inline constexpr double kBoltzmann_J_K = 1.380649e-23;

// Atomic units (CODATA 2018), for CP2K output.
inline constexpr double kHartree_eV = 27.211386245988;
inline constexpr double kBohr_A = 0.529177210903;
inline constexpr double kAtomicTime_ps = 2.4188843265857e-5;  // hbar / Hartree
inline constexpr double kBar_eVPerA3 = 1e-4 / kEVPerA3ToGPa;  // 1 bar = 1e-4 GPa

}  // namespace superion::units
