// OUTCAR reader: one Configuration per ionic step that printed a POSITION/TOTAL-FORCE table.
// Per step: lattice = last "direct lattice vectors" block before the table, cartesian positions
// and forces (eV/Å) from the table, energy = "free  energy   TOTEN" (eV), virial = the "Total"
// line of "FORCE on cell =-STRESS" in eV (order XX YY ZZ XY YZ ZX) taken directly as PlusStress.
// Species from VRHFIN (fallback TITEL) lines, counts from "ions per type".
//
// NWRITE=0 runs print forces for only some steps: those steps are skipped and counted in the
// report (never mixed with the previous step's data); strict mode makes that an error.
// On-the-fly ML-FF runs (VASP 6): ML predictions are marked "(ML)" on the TOTAL-FORCE header,
// "ML FORCE on cell" and "free  energy ML TOTEN". By default only ab initio frames are read.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/configuration.hpp"

namespace superion {

enum class OutcarFrames {
  ab_initio,  // DFT steps only (default)
  ml,         // ML-FF prediction steps only (tagged Feature EFS_by = VASP_MLFF)
  all,        // both, in file order
};

struct OutcarOptions {
  OutcarFrames frames = OutcarFrames::ab_initio;
  // Throw when an ionic step (an energy line) has no position/force table (NWRITE=0).
  bool strict = false;
};

struct OutcarReport {
  std::size_t ab_initio_steps = 0;           // DFT energy lines seen ("free  energy   TOTEN")
  std::size_t ml_steps = 0;                  // ML energy lines seen
  std::size_t steps_without_forces = 0;      // selected steps skipped: no force table printed
  std::size_t ml_frames_skipped = 0;         // ML frames left out (frames = ab_initio)
  std::size_t frames = 0;                    // configurations returned
  std::size_t frames_without_stress = 0;
};

Dataset read_outcar(const std::filesystem::path& path, const OutcarOptions& options = {},
                    OutcarReport* report = nullptr);
Dataset parse_outcar(std::string_view text, const std::string& name, const OutcarOptions& options = {},
                     OutcarReport* report = nullptr);

}  // namespace superion
