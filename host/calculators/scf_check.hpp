// Electronic self-consistency checks of external DFT outputs, so that forces and energies from an
// unconverged SCF cycle never enter a screening result.
//  * vasprun.xml: NELM from <parameters> ("electronic convergence" separator; else <incar>; else
//    VASP's default 60). An ionic step (<calculation>) with ≥ NELM <scstep> blocks hit the limit:
//    unconverged (pymatgen's Vasprun.converged_electronic uses the same rule). Steps without
//    <scstep> (VASP 6 ML-FF predictions) are not electronic steps and are skipped.
//  * OUTCAR: every ab initio ionic step ("free  energy   TOTEN") must be preceded by VASP's
//    "aborting loop because EDIFF is reached"; "EDIFF was not reached" (VASP 6) or no marker at all
//    (VASP 5 prints nothing when NELM runs out) means unconverged.
//  * CP2K main output: "SCF run NOT converged" (printed when the SCF fails, with or without
//    IGNORE_CONVERGENCE_FAILURE) means unconverged.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace superion {

struct ScfStatus {
  bool converged = true;
  std::size_t ionic_steps = 0;     // electronic (ab initio) ionic steps examined
  std::size_t first_bad_step = 0;  // 1-based ionic step that did not converge (0 = none)
  std::string detail;              // human-readable reason when not converged
};

ScfStatus check_vasprun_scf(std::string_view text);
ScfStatus check_outcar_scf(std::string_view text);
ScfStatus check_cp2k_scf(std::string_view text);

// Checks `file` (by name: *.xml = vasprun, OUTCAR* = OUTCAR, anything else = CP2K output) and
// throws superion::Error
// "unconverged external calculation: FILE: …" when an ionic step did not converge.
void require_converged_scf(const std::filesystem::path& file);

}  // namespace superion
