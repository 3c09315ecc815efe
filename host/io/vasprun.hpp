// vasprun.xml reader: one Configuration per ionic step (<calculation>), with that step's lattice,
// cartesian positions (direct coordinates × that step's lattice), forces (eV/Å), free energy
// TOTEN (`e_fr_energy`, eV, as dpdata does) and virial (PlusStress, eV) = stress[kB]·V/1602.18
// symmetrised (VASP prints a pressure-positive stress in kB, so no sign change is needed).
// Species come from <atominfo>. A fast hand-written tag scanner, no DOM.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/configuration.hpp"

namespace superion {

struct VasprunOptions {
  // A run killed mid-write leaves a vasprun.xml that ends inside a <calculation>. By default that
  // is an error; with allow_truncated the complete steps are returned (report says how many).
  bool allow_truncated = false;
};

struct VasprunReport {
  std::size_t steps = 0;            // complete ionic steps read
  bool truncated = false;           // file ended before </modeling>
  std::size_t steps_without_forces = 0;
  std::size_t steps_without_stress = 0;
};

Dataset read_vasprun(const std::filesystem::path& path, const VasprunOptions& options = {},
                     VasprunReport* report = nullptr);
// Same from an in-memory buffer; `name` labels error messages.
Dataset parse_vasprun(std::string_view text, const std::string& name, const VasprunOptions& options = {},
                      VasprunReport* report = nullptr);

}  // namespace superion
